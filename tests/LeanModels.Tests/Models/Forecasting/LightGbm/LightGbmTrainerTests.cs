using LeanModels.Models.Forecasting;
using LeanModels.Models.Forecasting.LightGbm;
using LeanModels.Models.Research;
using LeanModels.Models.Research.Features;
using LeanModels.Models.Research.Metrics;
using LeanModels.Tests.Models.Research;

namespace LeanModels.Tests.Models.Forecasting.LightGbm;

/// <summary>The LightGBM trainer and model: a planted signal is learned, fits are deterministic (bytes and predictions) at 1
/// and 2 LightGBM threads and beside another fit, predictions are thread-safe, Qlib's CSRankNorm, option checks.</summary>
public class LightGbmTrainerTests
{
    // Small trees so the tests run in well under a second each; determinism does not depend on the size.
    private static readonly LightGbmOptions Small = new(NumberOfLeaves: 8, Rounds: 20, MinDataInLeaf: 10, L1: 0, L2: 1);

    private sealed record Planted(Panel Panel, FeatureSet Features, FeatureSpecification Specification, double[] Labels, int[] Train, int[] Test)
    {
        public TrainingFold Fold(ulong seed = 1) =>
            new(Features, Specification, Panel.Tickers, Panel.Dates, Labels, Train, [], 5, seed: seed);

        public double[] Predict(IReturnForecaster model) =>
            Test.SelectMany(d => model.PredictDate(Features, Panel.Tickers, Panel.Dates, d).Mean).ToArray();
    }

    /// <summary>A 12-asset random-walk panel whose label is partly the negative 5-day momentum (a planted reversal).</summary>
    private static Planted Plant(string featureSet = FeatureSetCatalog.Default)
    {
        var panel = ResearchTestData.Panel(assets: 12, days: 260, seed: 3);
        var builder = FeatureSetCatalog.Get(featureSet);
        var features = builder.Build(panel);
        var momentum = FeatureBuilder.Build(panel);
        var m5 = momentum.IndexOf("momentum5");
        var labels = Labels.ForwardLogReturn(panel, 5);
        int A = panel.AssetCount;
        for (var d = 0; d < panel.DateCount; d++)
            for (var a = 0; a < A; a++)
                if (momentum.IsValid(d, a) && double.IsFinite(labels[d * A + a])) labels[d * A + a] = 0.3 * labels[d * A + a] - momentum.Row(d, a)[m5];
        return new Planted(panel, features, builder.Specification, labels, Enumerable.Range(61, 140).ToArray(), Enumerable.Range(210, 40).ToArray());
    }

    [Test]
    public void Fit_PlantedReversal_ForecastsRankTestDatesWell()
    {
        var p = Plant();
        var model = new LightGbmTrainer(Small).Fit(p.Fold());
        var forecast = p.Predict(model);
        int A = p.Features.AssetCount;
        var ic = p.Test.Select((d, i) => SignalMetrics.RankIC(forecast.AsSpan(i * A, A), p.Labels.AsSpan(d * A, A))).Average();
        // The label is 70% −momentum5, which the trees see directly: out-of-sample Rank IC well above 0.5 (0 if broken).
        Assert.That(ic, Is.GreaterThan(0.5));
        Assert.That(model.Name, Is.EqualTo("lightgbm"));
        Assert.That(model.Features.FeatureNames, Is.EqualTo(FeatureBuilder.Names));
        Assert.That(model.Window, Is.EqualTo(new InputWindow(1, 60)));
    }

    [Test]
    public void Fit_SameDataTwiceAndAtOneAndTwoThreads_SameModelBytesAndPredictions()
    {
        var p = Plant();
        var first = (LightGbmModel)new LightGbmTrainer(Small).Fit(p.Fold());
        var second = (LightGbmModel)new LightGbmTrainer(Small).Fit(p.Fold());
        var twoThreads = (LightGbmModel)new LightGbmTrainer(Small with { Threads = 2 }).Fit(p.Fold());
        // Our process's own parallelism: fit on a pool thread while another fit runs.
        var concurrent = Task.WhenAll(
            Task.Run(() => (LightGbmModel)new LightGbmTrainer(Small).Fit(p.Fold())),
            Task.Run(() => (LightGbmModel)new LightGbmTrainer(Small with { Threads = 2 }).Fit(p.Fold()))).Result;
        var p1 = p.Predict(first);
        Assert.That(second.ModelBytes, Is.EqualTo(first.ModelBytes), "same data, same bytes");
        Assert.That(p.Predict(second), Is.EqualTo(p1), "same data, same predictions");
        // 2 LightGBM threads give the same trees and predictions; the saved model differs from the 1-thread one only in
        // the training-parameter string it records ("nthread=2"), so bytes are compared between equal settings.
        Assert.That(p.Predict(twoThreads), Is.EqualTo(p1), "2 LightGBM threads, same predictions");
        Assert.That(concurrent[0].ModelBytes, Is.EqualTo(first.ModelBytes), "fit on a pool thread beside another fit, same bytes");
        Assert.That(p.Predict(concurrent[0]), Is.EqualTo(p1), "fit on a pool thread beside another fit, same predictions");
        Assert.That(concurrent[1].ModelBytes, Is.EqualTo(twoThreads.ModelBytes), "2-thread fits, same bytes");
    }

    [Test]
    public void Fit_AnotherFoldSeedWithFeatureSampling_ChangesTheModel_WithoutSampling_DoesNot()
    {
        var p = Plant();
        var sampled = new LightGbmTrainer(Small with { FeatureFraction = 0.5 });
        Assert.That(sampled.UsesSeed);
        Assert.That(p.Predict(sampled.Fit(p.Fold(seed: 7))), Is.Not.EqualTo(p.Predict(sampled.Fit(p.Fold(seed: 1)))), "another seed samples other features");
        var all = new LightGbmTrainer(Small with { FeatureFraction = 1 });
        Assert.That(all.UsesSeed, Is.False);
        Assert.That(p.Predict(all.Fit(p.Fold(seed: 7))), Is.EqualTo(p.Predict(all.Fit(p.Fold(seed: 1)))), "no sampling, the seed is unused");
    }

    [Test]
    public void FromBytes_RoundTripOnAlpha158_PredictsBitIdentically_AndRefusesBadBlobsAndOtherFeatures()
    {
        var p = Plant(Alpha158.Name);
        var model = (LightGbmModel)new LightGbmTrainer(Small).Fit(p.Fold());
        Assert.That(model.Features.Matches(Alpha158.Specification));
        Assert.That(model.Window.TotalBars, Is.EqualTo(61));
        var loaded = LightGbmModel.FromBytes(model.ModelBytes, model.Features, model.Window.WarmUpBars, model.Horizon, model.Scale);
        var forecast = p.Predict(model);
        Assert.That(forecast.Count(double.IsFinite), Is.GreaterThan(forecast.Length / 2));
        Assert.That(p.Predict(loaded), Is.EqualTo(forecast));
        Assert.That(() => LightGbmModel.FromBytes([1, 2, 3], model.Features, 60, 5, 1.0), Throws.ArgumentException.With.Message.Contains("not a readable"));
        var basic = FeatureSetCatalog.Get(FeatureSetCatalog.Default).Specification;
        Assert.That(() => LightGbmModel.FromBytes(model.ModelBytes, basic, 60, 5, 1.0), Throws.ArgumentException.With.Message.Contains("157"));
        var basicFeatures = FeatureBuilder.Build(p.Panel);
        Assert.That(() => model.Predict(FeatureWindow.FromFeatureSet(basicFeatures, basic, p.Panel.Tickers, p.Panel.Dates, 220, model.Window)),
            Throws.ArgumentException.With.Message.Contains("alpha158"));
    }

    [Test]
    public void Predict_FromSeveralThreadsAtOnce_EqualsSequential()
    {
        var p = Plant();
        var model = new LightGbmTrainer(Small).Fit(p.Fold());
        var sequential = p.Predict(model);
        var A = p.Features.AssetCount;
        var parallel = new double[sequential.Length];
        Parallel.For(0, p.Test.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            i => model.PredictDate(p.Features, p.Panel.Tickers, p.Panel.Dates, p.Test[i]).Mean.CopyTo(parallel, i * A));
        Assert.That(parallel, Is.EqualTo(sequential));
    }

    [Test]
    public void Normalise_Rank_IsQlibsCsRankNormWithAverageTies()
    {
        // labels 0.3, −0.1, 0.3, 0.0 → ranks 3.5, 1, 3.5, 2 of 4 → pct .875, .25, .875, .5 → (pct − 0.5)·3.46
        double[] labels = [0.3, -0.1, 0.3, 0.0];
        var target = new double[4];
        LightGbmTrainer.Normalise(labels, 0, [0, 1, 2, 3], LightGbmLabel.Rank, target);
        Assert.That(target, Is.EqualTo(new[] { 0.375 * 3.46, -0.25 * 3.46, 0.375 * 3.46, 0.0 }).Within(1e-15));
        LightGbmTrainer.Normalise(labels, 0, [0, 1, 2, 3], LightGbmLabel.ZScore, target);
        // mean 0.125; deviations .175, −.225, .175, −.125; population var = (.030625·2 + .050625 + .015625)/4 = .031875
        Assert.That(target[1], Is.EqualTo(-0.225 / Math.Sqrt(0.031875)).Within(1e-12));
    }

    [Test]
    public void Options_OutOfRange_Throw()
    {
        Assert.That(() => new LightGbmTrainer(new LightGbmOptions(NumberOfLeaves: 1)), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => new LightGbmTrainer(new LightGbmOptions(LearningRate: 0)), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => new LightGbmTrainer(new LightGbmOptions(Threads: 0)), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
