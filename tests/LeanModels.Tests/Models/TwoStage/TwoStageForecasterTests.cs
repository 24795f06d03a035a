using System.Text.Json.Nodes;
using LeanModels.Models.Forecasting;
using LeanModels.Models.Research;
using LeanModels.Models.TwoStage;
using LeanModels.Tests.Models.Research;

namespace LeanModels.Tests.Models.TwoStage;

/// <summary>The two-stage model behind the forecaster contract (synthetic panel, tiny shapes): artifact round trip, the same
/// bytes at 1 and 2 threads, warm start, early stopping, bad artifacts refused, absent assets.</summary>
public class TwoStageForecasterTests
{
    /// <summary>Tiny shapes: T = 4, D₁ = 8, E = 4, H = 8, 2 epochs of 8-date batches of 4-asset samples.</summary>
    internal static readonly TwoStageTrainingOptions Tiny = new(Lookback: 4, StageOneWidth: 8, Embedding: 4, Hidden: 8, Epochs: 2, BatchDates: 8,
        AssetsPerSample: 4);

    private static readonly Panel History = ResearchTestData.Panel(6, 190, 17);

    private static LoadedArtifact Train(string name, TwoStageTrainingOptions options) =>
        ForecasterTraining.Fit(History, ForecasterCatalog.CreateTrainer(name, twoStage: options), horizon: 5, trainWindow: 60);

    private static FeatureWindow LastWindow(IReturnForecaster model, Panel panel, int back = 0)
    {
        var features = FeatureBuilder.Build(panel);
        return FeatureWindow.FromFeatureSet(features, model.Features, panel.Tickers, panel.Dates, panel.DateCount - 1 - back, model.Window);
    }

    [TestCase("twostage-lstm", TemporalFamily.Lstm)]
    [TestCase("twostage-gru", TemporalFamily.Gru)]
    [TestCase("twostage-tcn", TemporalFamily.Tcn)]
    [TestCase("twostage-frozen-gru", TemporalFamily.Gru)]
    public void Artifact_RoundTrip_SamePredictionsBitForBit_AndSameBytes(string name, TemporalFamily family)
    {
        var trained = Train(name, Tiny);
        var model = (TwoStageForecaster)trained.Model;
        Assert.That(model.Options.Family, Is.EqualTo(family));
        Assert.That(model.Window, Is.EqualTo(new InputWindow(4, FeatureBuilder.WarmUpBars)));
        Assert.That(model.Training!.EpochsTrained, Is.EqualTo(2));
        Assert.That(model.Training.Parameters, Is.EqualTo(TwoStageFlops.Parameters(model.Options)));
        var bytes = ForecasterArtifact.Serialize(model, trained.Training);
        var loaded = ForecasterArtifact.Deserialize(bytes, "mem.lmfa");
        Assert.That(loaded.Model, Is.TypeOf<TwoStageForecaster>());
        Assert.That(ForecasterArtifact.Serialize(loaded.Model, loaded.Training), Is.EqualTo(bytes), "re-serialised bytes");
        for (var back = 0; back < 3; back++)
        {
            var w = LastWindow(model, History, back);
            var (a, b) = (model.Predict(w), loaded.Model.Predict(w));
            a.Validate(name);
            Assert.That(b.Mean, Is.EqualTo(a.Mean));
            Assert.That(a.Confidence, Is.Null);
            Assert.That(a.Mean.All(double.IsFinite), "every asset has a bar on the last dates of the synthetic panel");
            Assert.That(a.Mean.Distinct().Count(), Is.GreaterThan(1), "the forecasts differ across assets");
        }
    }

    [TestCase("twostage-gru")]
    [TestCase("twostage-frozen-gru")]
    public void SameSeed_IdenticalArtifactBytes_AtOneAndTwoThreads_AndAnotherSeedDiffers(string name)
    {
        var one = Train(name, Tiny with { Threads = 1 });
        var two = Train(name, Tiny with { Threads = 2 });
        var a = ForecasterArtifact.Serialize(one.Model, one.Training);
        Assert.That(ForecasterArtifact.Serialize(two.Model, two.Training), Is.EqualTo(a));
        var features = FeatureBuilder.Build(History);
        var labels = Labels.ForwardLogReturn(History, 5);
        var spec = FeatureSetCatalog.Get(FeatureSetCatalog.Default).Specification;
        var other = ((TwoStageTrainer)ForecasterCatalog.CreateTrainer(name, twoStage: Tiny))
            .Fit(new TrainingFold(features, spec, History.Tickers, History.Dates, labels, Enumerable.Range(120, 60).ToList(), [], 5, seed: 2));
        Assert.That(ForecasterArtifact.Serialize(other, one.Training), Is.Not.EqualTo(a));
    }

    [Test]
    public void Frozen_StageOneIsPretrainedThenNeverMovedByStageTwoEpochs()
    {
        var features = FeatureBuilder.Build(History);
        var labels = Labels.ForwardLogReturn(History, 5);
        var spec = FeatureSetCatalog.Get(FeatureSetCatalog.Default).Specification;
        TwoStageForecaster Fit(int epochs)
        {
            var trainer = (TwoStageTrainer)ForecasterCatalog.CreateTrainer("twostage-frozen-lstm", twoStage: Tiny with { Epochs = epochs });
            Assert.That(trainer.Options.FreezeStageOne, Is.True, "the frozen name sets the option");
            return (TwoStageForecaster)trainer.Fit(new TrainingFold(features, spec, History.Tickers, History.Dates, labels,
                Enumerable.Range(100, 50).ToList(), [], 5, seed: 4));
        }
        var (one, three) = (Fit(1), Fit(3));
        Assert.That(one.Options.FreezeStageOne, Is.True);
        Assert.That(one.Training!.PretrainSeconds, Is.GreaterThan(0));
        var initial = new TwoStageModel<float>(one.Options, 4).NamedParameters();
        var (p1, p3) = (one.NamedParameters(), three.NamedParameters());
        for (var i = 0; i < p1.Count; i++)
        {
            if (p1[i].Name.StartsWith("stage1.", StringComparison.Ordinal))
                Assert.That(p3[i].Values, Is.EqualTo(p1[i].Values), $"{p1[i].Name}: stage-2 epochs never move stage 1");
            else if (p1[i].Name.EndsWith("weight_ih", StringComparison.Ordinal))
                Assert.That(p3[i].Values, Is.Not.EqualTo(p1[i].Values), $"{p1[i].Name}: stage 2 trains");
        }
        Assert.That(p1[0].Name, Is.EqualTo("stage1.asset_token.weight"));
        Assert.That(p1[0].Values, Is.Not.EqualTo(initial[0].Values), "pretraining moved stage 1");
        Assert.That(new TwoStageTrainer("twostage-gru", TemporalFamily.Gru).Options.FreezeStageOne, Is.False, "end to end is the default");
        Assert.That(((TwoStageTrainer)ForecasterCatalog.CreateTrainer("twostage-gru", twoStage: Tiny)).Options.FreezeStageOne, Is.False);
        Assert.That(() => new TwoStageTrainer("x", TemporalFamily.Gru, Tiny with { StageOneEpochs = 0 }),
            Throws.ArgumentException.With.Message.Contains("stage-1 epochs 0"));
    }

    [Test]
    public void ValidationDays_EarlyStoppingKeepsTheBestEpoch_WarmStartStartsFromThePreviousFold()
    {
        var features = FeatureBuilder.Build(History);
        var labels = Labels.ForwardLogReturn(History, 5);
        var spec = FeatureSetCatalog.Get(FeatureSetCatalog.Default).Specification;
        var fold = new TrainingFold(features, spec, History.Tickers, History.Dates, labels, Enumerable.Range(100, 50).ToList(),
            Enumerable.Range(157, 20).ToList(), 5, LabelNormalisation.CrossSectionalRank, seed: 3);
        var trainer = new TwoStageTrainer("twostage-lstm", TemporalFamily.Lstm, Tiny with { Epochs = 5, Patience = 1 });
        var model = (TwoStageForecaster)trainer.Fit(fold);
        var report = model.Training!;
        Assert.That(report.ValidationCurve, Has.Count.EqualTo(report.EpochsTrained));
        Assert.That(report.ValidationCurve[report.BestEpoch], Is.EqualTo(report.ValidationCurve.Max()));
        Assert.That(ValidationEarlyStopping.ValidationRankIC(model, fold), Is.EqualTo(report.ValidationCurve.Max()), "the kept weights are the best epoch's");
        Assert.That(trainer.Reports, Has.Count.EqualTo(1));

        var once = new TwoStageTrainer("twostage-lstm", TemporalFamily.Lstm, Tiny with { Epochs = 1 });
        var first = once.Fit(new TrainingFold(features, spec, History.Tickers, History.Dates, labels, Enumerable.Range(100, 40).ToList(), [], 5));
        TrainingFold Second(IReturnForecaster? previous) =>
            new(features, spec, History.Tickers, History.Dates, labels, Enumerable.Range(120, 40).ToList(), [], 5, previous: previous);
        var cold = (TwoStageForecaster)once.Fit(Second(null));
        var warm = (TwoStageForecaster)once.Fit(Second(first));
        var repeat = (TwoStageForecaster)once.Fit(Second(first));
        Assert.That(warm.NamedParameters()[0].Values, Is.Not.EqualTo(cold.NamedParameters()[0].Values));
        Assert.That(warm.NamedParameters()[0].Values, Is.EqualTo(repeat.NamedParameters()[0].Values));
    }

    [Test]
    public void BadArtifacts_AreRefused_WithAClearMessage()
    {
        var trained = Train("twostage-tcn", Tiny with { Epochs = 1 });
        var bytes = ForecasterArtifact.Serialize(trained.Model, trained.Training);
        var (context, _) = ForecasterArtifact.ReadContext(bytes, "m.lmfa");
        JsonObject Edit(Action<JsonObject> edit)
        {
            var o = (JsonObject)context.State.Options.DeepClone();
            edit(o);
            return o;
        }
        Assert.That(() => ForecasterCatalog.FromState(context with { State = context.State with { Options = Edit(o => o["family"] = "Rnn") } }),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("m.lmfa").And.Message.Contains("'Rnn' is not a temporal family"));
        Assert.That(() => ForecasterCatalog.FromState(context with { State = context.State with { Options = Edit(o => o.Remove("hidden")) } }),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("option 'hidden' of a two-stage model is missing"));
        Assert.That(() => ForecasterCatalog.FromState(context with { State = context.State with { Options = Edit(o => o["stageOneHeads"] = 3) } }),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("invalid two-stage options"));
        Assert.That(() => ForecasterCatalog.FromState(context with { State = context.State with { Options = Edit(o => o["embedding"] = 5) } }),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("m.lmfa"));
        Assert.That(() => ForecasterCatalog.FromState(context with { State = context.State with { Arrays = context.State.Arrays.Skip(1).ToList() } }),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("'stage1.asset_token.weight' is missing"));
        Assert.That(() => ForecasterCatalog.FromState(context with { State = context.State with { Normaliser = null } }),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("normaliser"));
    }

    [Test]
    public void AbsentAssetOnTheLastDate_GetsNaN_OthersAreServed_WrongLookbackIsRefused()
    {
        var model = Train("twostage-lstm", Tiny with { Epochs = 1 }).Model;
        var w = LastWindow(model, History);
        var mask = (bool[])w.Mask.Clone();
        mask[1 * w.LookbackBars + w.LookbackBars - 1] = false;                       // asset 1 has no bar on the last date
        var gap = model.Predict(new FeatureWindow(w.Date, w.Tickers, w.Features, w.LookbackBars, w.Values, mask, w.MarketProxy));
        Assert.That(double.IsNaN(gap.Mean[1]), Is.True);
        Assert.That(gap.Mean.Where((_, i) => i != 1).All(double.IsFinite));
        Assert.That(() => model.Predict(FeatureWindow.FromFeatureSet(FeatureBuilder.Build(History), model.Features, History.Tickers, History.Dates, 150, new InputWindow(3, 60))),
            Throws.ArgumentException.With.Message.Contains("T = 4"));
    }
}
