using System.Text.Json;
using LeanModels.Models.Engine;
using LeanModels.Models.Stockformer;
using LeanModels.Models.TwoStage;

namespace LeanModels.Tests.Models.TwoStage;

/// <summary>
/// Both models in double against an independent NumPy implementation written from the README
/// (reference/twostage_reference.py → reference/twostage_tiny_expected.json): six seeded tiny models (two-stage and direct, each
/// with an LSTM, GRU and TCN; B = 2, T = 4, A = 3, F = 2, D₁ = 4, 2 heads, 2 layers, E = 3, H = 3, TCN 2 levels of kernel 2)
/// whose named parameters and inputs are in reference/twostage_tiny_inputs.json; the inputs hold a bar absent on the last step,
/// an asset absent throughout a window, a date with no asset present (market mean 0) and a single absent bar. Every forecast
/// and every stage-1 embedding agree to 1e-12.
/// </summary>
public class TwoStageReferenceTests
{
    private static string Reference(string file) => Path.Combine(TestPaths.RepositoryRoot, "tests", "LeanModels.Tests", "Models", "TwoStage", "reference", file);

    [Test]
    public void TinyModels_EveryForecastAndEmbedding_MatchNumpyReference()
    {
        using var inputs = JsonDocument.Parse(File.ReadAllText(Reference("twostage_tiny_inputs.json")));
        using var expected = JsonDocument.Parse(File.ReadAllText(Reference("twostage_tiny_expected.json")));
        var root = inputs.RootElement;
        var shape = root.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        int t = shape[1], a = shape[2], f = shape[3];
        var x = new Tensor<double>(root.GetProperty("x").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? double.NaN : v.GetDouble()).ToArray(), shape);
        var available = root.GetProperty("available").EnumerateArray().Select(v => v.GetBoolean()).ToArray();
        Assert.That(available.Count(v => !v), Is.EqualTo(8), "the absences the reference covers");
        var checkedCases = 0;
        foreach (var c in root.GetProperty("cases").EnumerateArray())
        {
            var name = c.GetProperty("name").GetString()!;
            var family = Enum.Parse<TemporalFamily>(c.GetProperty("family").GetString()!);
            var parameters = c.GetProperty("parameters").EnumerateArray().Select(p => new NamedTensor<double>(p.GetProperty("name").GetString()!,
                p.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray(), p.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray())).ToList();
            var want = expected.RootElement.GetProperty(name);
            double[] Expected(string key) => want.GetProperty(key).EnumerateArray().Select(v => v.GetDouble()).ToArray();
            var tape = new Tape<double>(training: false);
            if (c.GetProperty("kind").GetString() == "twostage")
            {
                var model = new TwoStageModel<double>(new TwoStageOptions(Lookback: t, Features: f, StageOneWidth: 4, StageOneHeads: 2, StageOneLayers: 2,
                    StageOneFeedForward: 8, Embedding: 3, Family: family, Hidden: 3, TcnLevels: 2, TcnKernel: 2, Dropout: 0), seed: 99);
                model.LoadNamedParameters(parameters);
                var y = model.Forward(tape, x, available);
                Assert.That(y.Return.Data, Is.EqualTo(Expected("return")).Within(1e-12), $"{name}: forecast");
                Assert.That(y.Embedding!.Data, Is.EqualTo(Expected("embedding")).Within(1e-12), $"{name}: stage-1 embedding");
            }
            else
            {
                var model = new DirectModel<double>(new DirectOptions(Assets: a, Lookback: t, Features: f, Family: family, Hidden: 3, TcnLevels: 2,
                    TcnKernel: 2, Dropout: 0), seed: 99);
                model.LoadNamedParameters(parameters);
                Assert.That(model.Forward(tape, x, available).Return.Data, Is.EqualTo(Expected("return")).Within(1e-12), $"{name}: forecast");
            }
            checkedCases++;
        }
        Assert.That(checkedCases, Is.EqualTo(6));
    }
}
