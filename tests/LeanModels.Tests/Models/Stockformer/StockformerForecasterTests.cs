using System.Text.Json.Nodes;
using LeanModels.Models.Forecasting;
using LeanModels.Models.Research;
using LeanModels.Models.Stockformer;
using LeanModels.Tests.Models.Research;

namespace LeanModels.Tests.Models.Stockformer;

/// <summary>The Stockformer behind the forecaster contract: artifact round trip, determinism across threads, heads per
/// objective, bad artifacts refused.</summary>
public class StockformerForecasterTests
{
    /// <summary>Tiny shapes: T = 4, D = 8, one layer, 2 epochs of 8-date batches of 4-asset samples.</summary>
    internal static readonly StockformerTrainingOptions Tiny = new(Lookback: 4, Model: 8, Heads: 2, Layers: 1, FeedForward: 16, Epochs: 2,
        BatchDates: 8, AssetsPerSample: 4);

    private static readonly Panel History = ResearchTestData.Panel(6, 190, 17);

    private static LoadedArtifact Train(string name, StockformerTrainingOptions options) =>
        ForecasterTraining.Fit(History, ForecasterCatalog.CreateTrainer(name, stockformer: options), horizon: 5, trainWindow: 60);

    private static FeatureWindow LastWindow(IReturnForecaster model, Panel panel, int back = 0)
    {
        var features = FeatureBuilder.Build(panel);
        return FeatureWindow.FromFeatureSet(features, model.Features, panel.Tickers, panel.Dates, panel.DateCount - 1 - back, model.Window);
    }

    [TestCase("stockformer")]
    [TestCase("stockformer-ic")]
    [TestCase("stockformer-dir")]
    [TestCase("stockformer-q")]
    [TestCase("stockformer-alloc")]
    public void Artifact_RoundTrip_SamePredictionsBitForBit_AndSameBytes(string name)
    {
        var trained = Train(name, Tiny);
        var model = (StockformerForecaster)trained.Model;
        Assert.That(model.Window, Is.EqualTo(new InputWindow(4, FeatureBuilder.WarmUpBars)));
        Assert.That(model.Training!.EpochsTrained, Is.EqualTo(2));
        var bytes = ForecasterArtifact.Serialize(model, trained.Training);
        var loaded = ForecasterArtifact.Deserialize(bytes, "mem.lmfa");
        Assert.That(loaded.Model, Is.TypeOf<StockformerForecaster>());
        Assert.That(ForecasterArtifact.Serialize(loaded.Model, loaded.Training), Is.EqualTo(bytes), "re-serialised bytes");
        for (var back = 0; back < 3; back++)
        {
            var w = LastWindow(model, History, back);
            var (a, b) = (model.Predict(w), loaded.Model.Predict(w));
            a.Validate(name);
            Assert.That(b.Mean, Is.EqualTo(a.Mean));
            Assert.That(b.Confidence, Is.EqualTo(a.Confidence));
            Assert.That(b.Quantile10, Is.EqualTo(a.Quantile10));
            Assert.That(b.Quantile90, Is.EqualTo(a.Quantile90));
            Assert.That(b.UpProbability, Is.EqualTo(a.UpProbability));
            Assert.That(b.Allocation, Is.EqualTo(a.Allocation));
            Assert.That(a.Mean.All(double.IsFinite), "every asset has a bar on the last dates of the synthetic panel");
        }
        var f = model.Predict(LastWindow(model, History));
        switch (model.Objective)
        {
            case StockformerObjective.Direction:
                Assert.That(f.UpProbability, Is.Not.Null);
                Assert.That(f.Mean, Is.EqualTo(f.UpProbability!.Select(p => p - 0.5).ToArray()));
                Assert.That(f.Confidence, Is.EqualTo(f.UpProbability!.Select(p => Math.Abs(2 * p - 1)).ToArray()));
                break;
            case StockformerObjective.Quantiles:
                Assert.That(f.Mean, Is.EqualTo(f.Quantile50));
                Assert.That(f.Confidence!.All(c => c is >= 0 and <= 1));
                break;
            case StockformerObjective.Allocation:
                Assert.That(f.Mean, Is.EqualTo(f.Allocation));
                break;
            default:
                Assert.That(f.Quantile50 ?? f.UpProbability ?? f.Allocation, Is.Null, "untrained heads are not published");
                break;
        }
    }

    [Test]
    public void SameSeed_IdenticalArtifactBytes_AtOneAndTwoThreads_AndAnotherSeedDiffers()
    {
        var one = Train("stockformer", Tiny with { Threads = 1 });
        var two = Train("stockformer", Tiny with { Threads = 2 });
        var a = ForecasterArtifact.Serialize(one.Model, one.Training);
        Assert.That(ForecasterArtifact.Serialize(two.Model, two.Training), Is.EqualTo(a));
        var features = FeatureBuilder.Build(History);
        var labels = Labels.ForwardLogReturn(History, 5);
        var dates = Enumerable.Range(120, 60).ToList();
        var spec = FeatureSetCatalog.Get(FeatureSetCatalog.Default).Specification;
        var other = new StockformerTrainer("stockformer", StockformerObjective.ReturnMse, Tiny)
            .Fit(new TrainingFold(features, spec, History.Tickers, History.Dates, labels, dates, [], 5, seed: 2));
        Assert.That(ForecasterArtifact.Serialize(other, one.Training), Is.Not.EqualTo(a));
    }

    [Test]
    public void ValidationDays_EarlyStoppingKeepsTheBestEpoch_AndRecordsTheCurve()
    {
        var features = FeatureBuilder.Build(History);
        var labels = Labels.ForwardLogReturn(History, 5);
        var spec = FeatureSetCatalog.Get(FeatureSetCatalog.Default).Specification;
        var fold = new TrainingFold(features, spec, History.Tickers, History.Dates, labels, Enumerable.Range(100, 50).ToList(),
            Enumerable.Range(157, 20).ToList(), 5, LabelNormalisation.CrossSectionalRank, seed: 3);
        var trainer = new StockformerTrainer("stockformer-ic", StockformerObjective.ReturnIC, Tiny with { Epochs = 6, Patience = 1 });
        var model = (StockformerForecaster)trainer.Fit(fold);
        var report = model.Training!;
        Assert.That(report.ValidationCurve, Has.Count.EqualTo(report.EpochsTrained));
        Assert.That(report.EpochsTrained, Is.InRange(2, 6));
        var bestValue = report.ValidationCurve.Max();
        Assert.That(report.ValidationCurve[report.BestEpoch], Is.EqualTo(bestValue));
        Assert.That(ValidationEarlyStopping.ValidationRankIC(model, fold), Is.EqualTo(bestValue), "the kept weights are the best epoch's");
        Assert.That(trainer.Reports, Has.Count.EqualTo(1));
        Assert.That(report.Parameters, Is.EqualTo(model.ParameterCount));
    }

    [Test]
    public void WarmStart_StartsFromThePreviousFoldsWeights()
    {
        var features = FeatureBuilder.Build(History);
        var labels = Labels.ForwardLogReturn(History, 5);
        var spec = FeatureSetCatalog.Get(FeatureSetCatalog.Default).Specification;
        var trainer = new StockformerTrainer("stockformer", StockformerObjective.ReturnMse, Tiny with { Epochs = 1 });
        var first = trainer.Fit(new TrainingFold(features, spec, History.Tickers, History.Dates, labels, Enumerable.Range(100, 40).ToList(), [], 5));
        TrainingFold Second(IReturnForecaster? previous) =>
            new(features, spec, History.Tickers, History.Dates, labels, Enumerable.Range(120, 40).ToList(), [], 5, previous: previous);
        var cold = (StockformerForecaster)trainer.Fit(Second(null));
        var warm = (StockformerForecaster)trainer.Fit(Second(first));
        var repeat = (StockformerForecaster)trainer.Fit(Second(first));
        Assert.That(warm.NamedParameters()[0].Values, Is.Not.EqualTo(cold.NamedParameters()[0].Values));
        Assert.That(warm.NamedParameters()[0].Values, Is.EqualTo(repeat.NamedParameters()[0].Values));
    }

    [Test]
    public void BadArtifacts_AreRefused_WithAClearMessage()
    {
        var trained = Train("stockformer-q", Tiny);
        var bytes = ForecasterArtifact.Serialize(trained.Model, trained.Training);
        var (context, _) = ForecasterArtifact.ReadContext(bytes, "m.lmfa");

        // options of another kind: a ridge model's state relabelled as a stockformer
        var ridge = ForecasterTraining.Fit(History, ForecasterCatalog.CreateTrainer("ridge"), 5, 60).Model.State();
        var relabelled = context with { State = ridge with { Kind = StockformerForecaster.Kind }, Window = new InputWindow(1, FeatureBuilder.WarmUpBars) };
        Assert.That(() => ForecasterCatalog.FromState(relabelled),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("m.lmfa").And.Message.Contains("option 'objective'"));

        JsonObject Edit(Action<JsonObject> edit)
        {
            var o = (JsonObject)context.State.Options.DeepClone();
            edit(o);
            return o;
        }
        Assert.That(() => ForecasterCatalog.FromState(context with { State = context.State with { Options = Edit(o => o["objective"] = "sharpe") } }),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("'sharpe' is not a Stockformer objective"));
        Assert.That(() => ForecasterCatalog.FromState(context with { State = context.State with { Options = Edit(o => o["model"] = 16) } }),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("m.lmfa").And.Message.Contains("in the artifact but"));
        Assert.That(() => ForecasterCatalog.FromState(context with { State = context.State with { Options = Edit(o => o["lookback"] = 5) } }),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("m.lmfa"));
        Assert.That(() => ForecasterCatalog.FromState(context with { State = context.State with { Options = Edit(o => o["heads"] = 3) } }),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("invalid stockformer options"));
        Assert.That(() => ForecasterCatalog.FromState(context with { State = context.State with { Arrays = context.State.Arrays.Skip(1).ToList() } }),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("'embed.weight' is missing"));
        Assert.That(() => ForecasterCatalog.FromState(context with { State = context.State with { Normaliser = null } }),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("normaliser"));

        // a corrupted byte anywhere after the header is caught by the checksum
        var corrupted = (byte[])bytes.Clone();
        corrupted[^20] ^= 0x40;
        Assert.That(() => ForecasterArtifact.Deserialize(corrupted, "c.lmfa"), Throws.TypeOf<InvalidDataException>().With.Message.Contains("c.lmfa"));
    }

    [Test]
    public void UnknownTickers_AndAbsentAssets_AreServed()
    {
        var model = Train("stockformer", Tiny).Model;
        var w = LastWindow(model, History);
        var renamed = new FeatureWindow(w.Date, w.Tickers.Select(t => "NEW" + t).ToList(), w.Features, w.LookbackBars, w.Values, w.Mask, w.MarketProxy);
        Assert.That(model.Predict(renamed).Mean.All(double.IsFinite), "unknown tickers use the unknown row");
        var mask = (bool[])w.Mask.Clone();
        mask[1 * w.LookbackBars + w.LookbackBars - 1] = false;                       // asset 1 has no bar on the last date
        var gap = model.Predict(new FeatureWindow(w.Date, w.Tickers, w.Features, w.LookbackBars, w.Values, mask, w.MarketProxy));
        Assert.That(double.IsNaN(gap.Mean[1]), Is.True);
        Assert.That(gap.Mean.Where((_, i) => i != 1).All(double.IsFinite));
        Assert.That(() => model.Predict(FeatureWindow.FromFeatureSet(FeatureBuilder.Build(History), model.Features, History.Tickers, History.Dates, 150, new InputWindow(3, 60))),
            Throws.ArgumentException.With.Message.Contains("T = 4"));
    }
}
