using LeanModels.Models.Forecasting;
using LeanModels.Models.Forecasting.LightGbm;
using LeanModels.Models.Research;
using LeanModels.Models.Research.Features;
using LeanModels.Models.Research.Metrics;
using LeanModels.Tests.Models.Research;

namespace LeanModels.Tests.Models.Forecasting.LightGbm;

public class LightGbmTrainerTests
{
    // Small trees so the tests run in well under a second each; determinism does not depend on the size.
    private static readonly LightGbmOptions Small = new(NumberOfLeaves: 8, Rounds: 20, MinDataInLeaf: 10, L1: 0, L2: 1);

    /// <summary>A 12-asset random-walk panel whose label is partly the negative 5-day momentum (a planted reversal).</summary>
    private static (FeatureSet Features, double[] Labels, int[] Train, int[] Test) Planted(string featureSet = FeatureSets.Default)
    {
        var panel = ResearchTestData.Panel(assets: 12, days: 260, seed: 3);
        var features = FeatureSets.Build(featureSet, panel);
        var momentum = FeatureBuilder.Build(panel);
        var m5 = momentum.IndexOf("momentum5");
        var labels = Labels.ForwardLogReturn(panel, 5);
        int A = panel.AssetCount;
        for (var d = 0; d < panel.DateCount; d++)
            for (var a = 0; a < A; a++)
                if (momentum.IsValid(d, a) && double.IsFinite(labels[d * A + a])) labels[d * A + a] = 0.3 * labels[d * A + a] - momentum.Row(d, a)[m5];
        var train = Enumerable.Range(61, 140).ToArray();
        var test = Enumerable.Range(210, 40).ToArray();
        return (features, labels, train, test);
    }

    private static double[] Predict(IReturnForecaster model, FeatureSet features, int[] dates)
    {
        var A = features.AssetCount;
        var forecast = new double[dates.Length * A];
        for (var i = 0; i < dates.Length; i++) model.PredictFeatures(features, dates[i], forecast.AsSpan(i * A, A));
        return forecast;
    }

    [Test]
    public void Fit_PlantedReversal_ForecastsRankTestDatesWell()
    {
        var (features, labels, train, test) = Planted();
        var model = new LightGbmTrainer(Small).Fit(features, labels, train, 5);
        var forecast = Predict(model, features, test);
        int A = features.AssetCount;
        var ic = test.Select((d, i) => SignalMetrics.RankIC(forecast.AsSpan(i * A, A), labels.AsSpan(d * A, A))).Average();
        // The label is 70% −momentum5, which the trees see directly: out-of-sample Rank IC well above 0.5 (0 if broken).
        Assert.That(ic, Is.GreaterThan(0.5));
        Assert.That(model.Name, Is.EqualTo("lightgbm"));
        Assert.That(model.FeatureNames, Is.EqualTo(FeatureBuilder.Names));
    }

    [Test]
    public void Fit_SameDataTwiceAndAtOneAndTwoThreads_SameModelBytesAndPredictions()
    {
        var (features, labels, train, test) = Planted();
        var first = (LightGbmModel)new LightGbmTrainer(Small).Fit(features, labels, train, 5);
        var second = (LightGbmModel)new LightGbmTrainer(Small).Fit(features, labels, train, 5);
        var twoThreads = (LightGbmModel)new LightGbmTrainer(Small with { Threads = 2 }).Fit(features, labels, train, 5);
        // Our process's own parallelism: fit on a pool thread while another fit runs.
        var concurrent = Task.WhenAll(
            Task.Run(() => (LightGbmModel)new LightGbmTrainer(Small).Fit(features, labels, train, 5)),
            Task.Run(() => (LightGbmModel)new LightGbmTrainer(Small with { Threads = 2 }).Fit(features, labels, train, 5))).Result;
        var p1 = Predict(first, features, test);
        Assert.That(second.ModelBytes, Is.EqualTo(first.ModelBytes), "same data, same bytes");
        Assert.That(Predict(second, features, test), Is.EqualTo(p1), "same data, same predictions");
        // 2 LightGBM threads give the same trees and predictions; the saved model differs from the 1-thread one only in
        // the training-parameter string it records ("nthread=2"), so bytes are compared between equal settings.
        Assert.That(Predict(twoThreads, features, test), Is.EqualTo(p1), "2 LightGBM threads, same predictions");
        Assert.That(concurrent[0].ModelBytes, Is.EqualTo(first.ModelBytes), "fit on a pool thread beside another fit, same bytes");
        Assert.That(Predict(concurrent[0], features, test), Is.EqualTo(p1), "fit on a pool thread beside another fit, same predictions");
        Assert.That(concurrent[1].ModelBytes, Is.EqualTo(twoThreads.ModelBytes), "2-thread fits, same bytes");
        var other = (LightGbmModel)new LightGbmTrainer(Small with { Seed = 7, FeatureFraction = 0.5 }).Fit(features, labels, train, 5);
        Assert.That(Predict(other, features, test), Is.Not.EqualTo(p1), "another seed with feature sampling changes the model");
    }

    [Test]
    public void FromBytes_RoundTrip_PredictsBitIdentically()
    {
        var (features, labels, train, test) = Planted(Alpha158.Name);
        var model = (LightGbmModel)new LightGbmTrainer(Small).Fit(features, labels, train, 5);
        Assert.That(model.FeatureVersion, Is.EqualTo(Alpha158.Version));
        Assert.That(model.LookbackBars, Is.EqualTo(61));
        var loaded = LightGbmModel.FromBytes(model.ModelBytes, model.FeatureVersion, model.FeatureNames, model.Horizon, model.Scale);
        Assert.That(Predict(loaded, features, test), Is.EqualTo(Predict(model, features, test)));
        Assert.That(() => LightGbmModel.FromBytes([1, 2, 3], model.FeatureVersion, model.FeatureNames, 5, 1.0), Throws.ArgumentException);
        Assert.That(() => LightGbmModel.FromBytes(model.ModelBytes, FeatureBuilder.Version, model.FeatureNames, 5, 1.0),
            Throws.ArgumentException.With.Message.Contains("differ"));
        var defaults = FeatureBuilder.Build(ResearchTestData.Panel(assets: 12, days: 260, seed: 3));
        Assert.That(() => model.PredictFeatures(defaults, 220, new double[12]), Throws.ArgumentException.With.Message.Contains("alpha158/1"));
    }

    [Test]
    public void PredictFeatures_FromSeveralThreadsAtOnce_EqualsSequential()
    {
        var (features, labels, train, test) = Planted();
        var model = new LightGbmTrainer(Small).Fit(features, labels, train, 5);
        var sequential = Predict(model, features, test);
        var A = features.AssetCount;
        var parallel = new double[sequential.Length];
        Parallel.For(0, test.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => model.PredictFeatures(features, test[i], parallel.AsSpan(i * A, A)));
        Assert.That(parallel, Is.EqualTo(sequential));
    }

    [Test]
    public void Normalise_Rank_IsQlibsCsRankNormWithAverageTies()
    {
        // labels 0.3, −0.1, 0.3, 0.0 → ranks 3.5, 1, 3.5, 2 of 4 → pct .875, .25, .875, .5 → (pct − 0.5)·3.46
        double[] labels = [0.3, -0.1, 0.3, 0.0];
        var target = new double[4];
        LightGbmTrainer.Normalise(labels, 0, [0, 1, 2, 3], LabelNormalisation.Rank, target);
        Assert.That(target, Is.EqualTo(new[] { 0.375 * 3.46, -0.25 * 3.46, 0.375 * 3.46, 0.0 }).Within(1e-15));
        LightGbmTrainer.Normalise(labels, 0, [0, 1, 2, 3], LabelNormalisation.ZScore, target);
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
