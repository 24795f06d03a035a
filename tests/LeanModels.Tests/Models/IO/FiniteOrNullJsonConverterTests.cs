using System.Text.Json;
using LeanModels.Models.IO;

namespace LeanModels.Tests.Models.IO;

public class FiniteOrNullJsonConverterTests
{
    private static readonly JsonSerializerOptions Options = new() { Converters = { new FiniteOrNullJsonConverter() } };

    [Test]
    public void Serialize_NonFiniteAsNull_FiniteRoundTrips()
    {
        var json = JsonSerializer.Serialize(new Dictionary<string, object> { ["a"] = double.NaN, ["b"] = double.PositiveInfinity, ["c"] = 0.1 }, Options);
        Assert.That(json, Is.EqualTo("{\"a\":null,\"b\":null,\"c\":0.1}"));
        Assert.That(JsonSerializer.Deserialize<double[]>("[null,0.1]", Options), Is.EqualTo(new[] { double.NaN, 0.1 }));
    }
}
