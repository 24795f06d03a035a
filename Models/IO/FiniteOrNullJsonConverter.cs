using System.Text.Json;
using System.Text.Json.Serialization;

namespace LeanModels.Models.IO;

/// <summary>
/// Writes a <see cref="double"/> as a JSON number when finite and as JSON <c>null</c> otherwise (an undefined metric, e.g. the
/// IC of a day whose forecasts are all equal), never as the non-standard strings <c>"NaN"</c> or <c>"Infinity"</c> that
/// <see cref="JsonNumberHandling.AllowNamedFloatingPointLiterals"/> would write and that strict readers (jq, Python's
/// <c>json.loads(..., parse_constant=...)</c>, JavaScript) reject or mistake for text. Reads <c>null</c> back as NaN.
/// </summary>
public sealed class FiniteOrNullJsonConverter : JsonConverter<double>
{
    /// <inheritdoc/>
    public override bool HandleNull => true;

    /// <inheritdoc/>
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsFinite(value)) writer.WriteNumberValue(value);
        else writer.WriteNullValue();
    }
}
