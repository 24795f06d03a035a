using System.Text.Json.Nodes;
using LeanModels.Models.Forecasting;
using LeanModels.Models.Research;
using LeanModels.Models.TwoStage;
using LeanModels.Tests.Models.Research;

namespace LeanModels.Tests.Models.TwoStage;

/// <summary>The direct model behind the forecaster contract (synthetic panel, tiny shapes): artifact round trip, the same bytes
/// at 1 and 2 threads, the fixed universe mapped by ticker, early stopping and warm start, bad artifacts refused.</summary>
public class DirectForecasterTests
{
    private static readonly TwoStageTrainingOptions Tiny = TwoStageForecasterTests.Tiny;

    private static readonly Panel History = ResearchTestData.Panel(6, 190, 17);

    private static LoadedArtifact Train(string name, TwoStageTrainingOptions options) =>
        ForecasterTraining.Fit(History, ForecasterCatalog.CreateTrainer(name, twoStage: options), horizon: 5, trainWindow: 60);

    private static FeatureWindow LastWindow(IReturnForecaster model, int back = 0)
    {
        var features = FeatureBuilder.Build(History);
        return FeatureWindow.FromFeatureSet(features, model.Features, History.Tickers, History.Dates, History.DateCount - 1 - back, model.Window);
    }

    /// <summary>The window's assets <paramref name="pick"/> (indices into it, in that order), plus extra tickers with the values of
    /// asset 0; <paramref name="absent"/> (indices into the result) get no bar at all.</summary>
    private static FeatureWindow Subset(FeatureWindow w, int[] pick, string[]? extra = null, int[]? absent = null)
    {
        int T = w.LookbackBars, F = w.FeatureCount;
        var tickers = pick.Select(a => w.Tickers[a]).Concat(extra ?? []).ToList();
        var source = pick.Concat((extra ?? []).Select(_ => 0)).ToArray();
        var values = new double[tickers.Count * T * F];
        var mask = new bool[tickers.Count * T];
        for (var i = 0; i < tickers.Count; i++)
        {
            w.Values.AsSpan(source[i] * T * F, T * F).CopyTo(values.AsSpan(i * T * F));
            w.Mask.AsSpan(source[i] * T, T).CopyTo(mask.AsSpan(i * T));
            if (absent?.Contains(i) == true) { mask.AsSpan(i * T, T).Clear(); values.AsSpan(i * T * F, T * F).Fill(double.NaN); }
        }
        return new FeatureWindow(w.Date, tickers, w.Features, T, values, mask, w.MarketProxy);
    }

    [TestCase("direct-lstm", TemporalFamily.Lstm)]
    [TestCase("direct-gru", TemporalFamily.Gru)]
    [TestCase("direct-tcn", TemporalFamily.Tcn)]
    public void Artifact_RoundTrip_SamePredictionsBitForBit_AndSameBytes(string name, TemporalFamily family)
    {
        var trained = Train(name, Tiny);
        var model = (DirectForecaster)trained.Model;
        Assert.That(model.Options.Family, Is.EqualTo(family));
        Assert.That(model.Universe, Is.EqualTo(History.Tickers), "the universe is the training panel's tickers in order");
        Assert.That(model.Options.Assets, Is.EqualTo(6));
        Assert.That(model.Window, Is.EqualTo(new InputWindow(4, FeatureBuilder.WarmUpBars)));
        Assert.That(model.Training!.EpochsTrained, Is.EqualTo(2));
        Assert.That(model.Training.Parameters, Is.EqualTo(TwoStageFlops.Parameters(model.Options)));
        var bytes = ForecasterArtifact.Serialize(model, trained.Training);
        var loaded = ForecasterArtifact.Deserialize(bytes, "mem.lmfa");
        Assert.That(loaded.Model, Is.TypeOf<DirectForecaster>());
        Assert.That(((DirectForecaster)loaded.Model).Universe, Is.EqualTo(History.Tickers));
        Assert.That(ForecasterArtifact.Serialize(loaded.Model, loaded.Training), Is.EqualTo(bytes), "re-serialised bytes");
        for (var back = 0; back < 3; back++)
        {
            var w = LastWindow(model, back);
            var (a, b) = (model.Predict(w), loaded.Model.Predict(w));
            a.Validate(name);
            Assert.That(b.Mean, Is.EqualTo(a.Mean));
            Assert.That(a.Confidence, Is.Null);
            Assert.That(a.Mean.All(double.IsFinite), "every asset has a bar on the last dates of the synthetic panel");
            Assert.That(a.Mean.Distinct().Count(), Is.GreaterThan(1), "the forecasts differ across assets");
        }
    }

    [Test]
    public void SameSeed_IdenticalArtifactBytes_AtOneAndTwoThreads_AndAnotherSeedDiffers()
    {
        var one = Train("direct-gru", Tiny with { Threads = 1 });
        var two = Train("direct-gru", Tiny with { Threads = 2 });
        var a = ForecasterArtifact.Serialize(one.Model, one.Training);
        Assert.That(ForecasterArtifact.Serialize(two.Model, two.Training), Is.EqualTo(a));
        var features = FeatureBuilder.Build(History);
        var labels = Labels.ForwardLogReturn(History, 5);
        var spec = FeatureSetCatalog.Get(FeatureSetCatalog.Default).Specification;
        var other = new DirectTrainer("direct-gru", TemporalFamily.Gru, Tiny)
            .Fit(new TrainingFold(features, spec, History.Tickers, History.Dates, labels, Enumerable.Range(120, 60).ToList(), [], 5, seed: 2));
        Assert.That(ForecasterArtifact.Serialize(other, one.Training), Is.Not.EqualTo(a));
    }

    [Test]
    public void Universe_MappedByTicker_OtherOrder_OutsideTickerNaN_MissingTickerFedAsAbsent()
    {
        var model = Train("direct-lstm", Tiny with { Epochs = 1 }).Model;
        var w = LastWindow(model);
        var full = model.Predict(w);
        Assert.That(full.Mean.All(double.IsFinite));

        // Another order: each ticker gets the same forecast, bit for bit.
        var reversed = model.Predict(Subset(w, [5, 4, 3, 2, 1, 0]));
        for (var i = 0; i < 6; i++) Assert.That(reversed.Mean[i], Is.EqualTo(full.Mean[5 - i]), reversed.Tickers[i]);

        // A ticker outside the training universe: NaN for it, the others unchanged bit for bit.
        var outside = model.Predict(Subset(w, [0, 1, 2, 3, 4, 5], ["zzz"]));
        Assert.That(double.IsNaN(outside.Mean[6]), Is.True);
        Assert.That(outside.Mean[..6], Is.EqualTo(full.Mean));

        // A training ticker missing from the window = that ticker present in the window without any bar.
        var missing = model.Predict(Subset(w, [0, 1, 3, 4, 5]));
        var absent = model.Predict(Subset(w, [0, 1, 2, 3, 4, 5], absent: [2]));
        Assert.That(double.IsNaN(absent.Mean[2]), Is.True);
        Assert.That(missing.Mean, Is.EqualTo(absent.Mean.Where((_, i) => i != 2).ToArray()));
        Assert.That(missing.Mean, Is.Not.EqualTo(full.Mean.Where((_, i) => i != 2).ToArray()), "the missing asset's bars did reach the others' forecasts");

        Assert.That(() => model.Predict(Subset(w, [0, 1, 1])), Throws.ArgumentException.With.Message.Contains("'t1' appears twice"));
    }

    [Test]
    public void ValidationDays_EarlyStoppingKeepsTheBestEpoch_WarmStartStartsFromThePreviousFold()
    {
        var features = FeatureBuilder.Build(History);
        var labels = Labels.ForwardLogReturn(History, 5);
        var spec = FeatureSetCatalog.Get(FeatureSetCatalog.Default).Specification;
        var fold = new TrainingFold(features, spec, History.Tickers, History.Dates, labels, Enumerable.Range(100, 50).ToList(),
            Enumerable.Range(157, 20).ToList(), 5, LabelNormalisation.CrossSectionalRank, seed: 3);
        var trainer = new DirectTrainer("direct-lstm", TemporalFamily.Lstm, Tiny with { Epochs = 5, Patience = 1 });
        var model = (DirectForecaster)trainer.Fit(fold);
        var report = model.Training!;
        Assert.That(report.ValidationCurve, Has.Count.EqualTo(report.EpochsTrained));
        Assert.That(report.ValidationCurve[report.BestEpoch], Is.EqualTo(report.ValidationCurve.Max()));
        Assert.That(ValidationEarlyStopping.ValidationRankIC(model, fold), Is.EqualTo(report.ValidationCurve.Max()), "the kept weights are the best epoch's");
        Assert.That(trainer.Reports, Has.Count.EqualTo(1));

        var once = new DirectTrainer("direct-lstm", TemporalFamily.Lstm, Tiny with { Epochs = 1 });
        var first = once.Fit(new TrainingFold(features, spec, History.Tickers, History.Dates, labels, Enumerable.Range(100, 40).ToList(), [], 5));
        TrainingFold Second(IReturnForecaster? previous) =>
            new(features, spec, History.Tickers, History.Dates, labels, Enumerable.Range(120, 40).ToList(), [], 5, previous: previous);
        var cold = (DirectForecaster)once.Fit(Second(null));
        var warm = (DirectForecaster)once.Fit(Second(first));
        var repeat = (DirectForecaster)once.Fit(Second(first));
        Assert.That(warm.NamedParameters()[0].Values, Is.Not.EqualTo(cold.NamedParameters()[0].Values));
        Assert.That(warm.NamedParameters()[0].Values, Is.EqualTo(repeat.NamedParameters()[0].Values));
    }

    [Test]
    public void BadArtifacts_AreRefused_WithAClearMessage()
    {
        var trained = Train("direct-tcn", Tiny with { Epochs = 1 });
        var bytes = ForecasterArtifact.Serialize(trained.Model, trained.Training);
        var (context, _) = ForecasterArtifact.ReadContext(bytes, "m.lmfa");
        IReturnForecaster With(Action<JsonObject> edit)
        {
            var o = (JsonObject)context.State.Options.DeepClone();
            edit(o);
            return ForecasterCatalog.FromState(context with { State = context.State with { Options = o } });
        }
        Assert.That(() => With(o => o["family"] = "Rnn"),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("m.lmfa").And.Message.Contains("'Rnn' is not a temporal family"));
        Assert.That(() => With(o => o.Remove("universe")),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("option 'universe' of a direct model"));
        Assert.That(() => With(o => o["universe"] = new JsonArray("t0", "t1", "T0", "t3", "t4", "t5")),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("lists 'T0' twice"));
        Assert.That(() => With(o => o["universe"] = new JsonArray("t0", "t1", "t2", "t3", "t4")),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("m.lmfa"), "5 tickers for a head of 6 rows");
        Assert.That(() => With(o => o["universe"] = new JsonArray("t0", "t1", "t2", 3, "t4", "t5")),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("entry 3 is not a non-empty ticker string"));
        Assert.That(() => With(o => o.Remove("hidden")),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("option 'hidden' of a direct model is missing"));
        Assert.That(() => With(o => o["dropout"] = 1.5),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("invalid direct-model options"));
        Assert.That(() => ForecasterCatalog.FromState(context with { State = context.State with { Arrays = context.State.Arrays.Skip(1).ToList() } }),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("is missing"));
        Assert.That(() => ForecasterCatalog.FromState(context with { State = context.State with { Normaliser = null } }),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("normaliser"));
    }
}
