using System.Text.Json;
using LeanModels.Models.Engine;
using LeanModels.Models.Stockformer;

namespace LeanModels.Tests.Models.Stockformer;

/// <summary>
/// The double Stockformer against an independent NumPy implementation written from the documentation
/// (reference/stockformer_reference.py → reference/stockformer_tiny_expected.json): a seeded tiny model (B=2, T=4, A=3, F=2,
/// D=4, 2 heads, 2 layers, ticker rows incl. the unknown row 0, four absent bars) whose named parameters and inputs are in
/// reference/stockformer_tiny_inputs.json. Every head, the cross-ticker attention map and every loss agree to 1e-12.
/// </summary>
public class StockformerReferenceTests
{
    private static string Reference(string file) => Path.Combine(TestPaths.RepositoryRoot, "tests", "LeanModels.Tests", "Models", "Stockformer", "reference", file);

    [Test]
    public void TinyModel_EveryHeadAttentionAndLoss_MatchNumpyReference()
    {
        using var inputs = JsonDocument.Parse(File.ReadAllText(Reference("stockformer_tiny_inputs.json")));
        using var expected = JsonDocument.Parse(File.ReadAllText(Reference("stockformer_tiny_expected.json")));
        var root = inputs.RootElement;
        var o = root.GetProperty("options");
        var options = new StockformerOptions(Lookback: o.GetProperty("lookback").GetInt32(), Features: o.GetProperty("features").GetInt32(),
            Model: o.GetProperty("model").GetInt32(), Heads: o.GetProperty("heads").GetInt32(), Layers: o.GetProperty("layers").GetInt32(),
            FeedForward: o.GetProperty("feedForward").GetInt32(), Dropout: 0, VocabularySize: o.GetProperty("vocabulary").GetInt32());
        var model = new StockformerModel<double>(options, seed: 99);                           // weights replaced below
        model.LoadNamedParameters(root.GetProperty("parameters").EnumerateArray().Select(p => new NamedTensor<double>(p.GetProperty("name").GetString()!,
            p.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray(), p.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToArray())).ToList());
        var shape = root.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var x = new Tensor<double>(root.GetProperty("x").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? double.NaN : v.GetDouble()).ToArray(), shape);
        var available = root.GetProperty("available").EnumerateArray().Select(v => v.GetBoolean()).ToArray();
        var ids = root.GetProperty("ids").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var label = root.GetProperty("label").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var previous = root.GetProperty("previous").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        double[] Expected(string name) => expected.RootElement.GetProperty(name).EnumerateArray().Select(v => v.GetDouble()).ToArray();
        double Scalar(string name) => expected.RootElement.GetProperty(name).GetDouble();

        var t = new Tape<double>(training: false);
        var y = model.Forward(t, x, available, ids, crossTickerAttention: true);
        var mask = y.PredictionMask;
        Assert.That(y.Return!.Data, Is.EqualTo(Expected("return")).Within(1e-12), "return head");
        Assert.That(y.DirectionLogit!.Data, Is.EqualTo(Expected("directionLogit")).Within(1e-12), "direction head");
        Assert.That(y.Allocation!.Data, Is.EqualTo(Expected("allocation")).Within(1e-12), "allocation head");
        Assert.That(y.Quantiles!.Data, Is.EqualTo(Expected("quantiles")).Within(1e-12), "quantile head");
        Assert.That(y.CrossTickerAttention, Is.EqualTo(Expected("crossTickerAttention")).Within(1e-12), "cross-ticker attention");
        Assert.That(StockformerLosses.Mse(t, y.Return, label, mask).Item(), Is.EqualTo(Scalar("mse")).Within(1e-12));
        Assert.That(StockformerLosses.NegativeIC(t, y.Return, label, mask).Item(), Is.EqualTo(Scalar("negativeIC")).Within(1e-12));
        Assert.That(StockformerLosses.DirectionBce(t, y.DirectionLogit, label, mask).Item(), Is.EqualTo(Scalar("bce")).Within(1e-12));
        Assert.That(StockformerLosses.Pinball(t, y.Quantiles, label, mask).Item(), Is.EqualTo(Scalar("pinball")).Within(1e-12));
        Assert.That(StockformerLosses.Allocation(t, y.Allocation, label, mask, previous, 0.01, 0.5, 0.05).Item(), Is.EqualTo(Scalar("allocationLoss")).Within(1e-12));
    }
}
