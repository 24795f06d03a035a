using LeanModels.Models.Forecasting;
using LeanModels.Models.Forecasting.LightGbm;
using LeanModels.Models.Research;
using LeanModels.Models.Research.Features;
using LeanModels.Tests.Models.Research;

namespace LeanModels.Tests.Models.Forecasting.LightGbm;

/// <summary>The LightGBM model and ridge on Alpha158 in the artifact format (the ensemble as a blob), and research = predict.</summary>
public class LightGbmArtifactTests
{
    private static readonly Panel History = ResearchTestData.Panel(assets: 8, days: 300, seed: 31);
    private static readonly LightGbmOptions Small = new(NumberOfLeaves: 8, Rounds: 20, MinDataInLeaf: 10, L1: 0, L2: 1);

    [TestCase("lightgbm", "default")]
    [TestCase("lightgbm", "alpha158")]
    [TestCase("ridge", "alpha158")]
    public void SerializeDeserialize_RoundTrip_PredictsBitIdenticallyAndReserializesToTheSameBytes(string name, string featureSet)
    {
        var trained = ForecasterTraining.Fit(History, ForecasterCatalog.CreateTrainer(name, lightGbm: Small), horizon: 5, trainWindow: 150, featureSet);
        var bytes = ForecasterArtifact.Serialize(trained.Model, trained.Training);
        var loaded = ForecasterArtifact.Deserialize(bytes, "test");
        Assert.That(loaded.Model.Name, Is.EqualTo(name));
        Assert.That(loaded.Model.FeatureNames, Is.EqualTo(FeatureSets.FeatureNames(featureSet)));
        var features = FeatureSets.Build(featureSet, History);
        double[] a = new double[8], b = new double[8];
        trained.Model.PredictFeatures(features, 299, a);
        loaded.Model.PredictFeatures(features, 299, b);
        Assert.That(b, Is.EqualTo(a));
        Assert.That(a.All(double.IsFinite));
        Assert.That(ForecasterArtifact.Serialize(loaded.Model, loaded.Training), Is.EqualTo(bytes));
        // Prediction from raw bars rebuilds the model's own feature set: the same forecasts as research's feature rows.
        Assert.That(loaded.Model.Predict(History).Mean, Is.EqualTo(a));
    }

    [Test]
    public void Deserialize_CorruptedBlob_IsRefusedByTheChecksum()
    {
        var trained = ForecasterTraining.Fit(History, ForecasterCatalog.CreateTrainer("lightgbm", lightGbm: Small), horizon: 5, trainWindow: 150);
        var bytes = ForecasterArtifact.Serialize(trained.Model, trained.Training);
        bytes[^100] ^= 0x40;                                              // inside the blob, before the checksum
        Assert.That(() => ForecasterArtifact.Deserialize(bytes, "x.lmfa"), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("checksum"));
    }

    [Test]
    public void ResearchPipeline_LightGbmOnAlpha158_ForecastsAndRefusesRulesOnAlpha158()
    {
        var options = new ResearchOptions(History.Dates[200], History.Dates[^1], ["ridge", "lightgbm@alpha158", "ridge@alpha158"],
            TrainWindow: 100, RetrainEvery: 40, LightGbm: Small);
        var run = ResearchPipeline.Run(History, options);
        Assert.That(run.LastModels["lightgbm@alpha158"].FeatureNames, Is.EqualTo(Alpha158.Names));
        Assert.That(run.LastModels["ridge@alpha158"].FeatureNames, Is.EqualTo(Alpha158.Names));
        Assert.That(run.LastModels["ridge"].FeatureNames, Is.EqualTo(FeatureBuilder.Names));
        var d = run.Folds[^1].TestStart;
        Assert.That(run.Forecasts["lightgbm@alpha158"].AsSpan(d * 8, 8).ToArray().All(double.IsFinite));
        Assert.That(run.Forecasts["ridge@alpha158"].AsSpan(d * 8, 8).ToArray(), Is.Not.EqualTo(run.Forecasts["ridge"].AsSpan(d * 8, 8).ToArray()));
        Assert.That(() => (options with { Models = ["reversal5@alpha158"] }).Validate(), Throws.ArgumentException.With.Message.Contains("only ridge and lightgbm"));
        Assert.That(() => (options with { Features = "alpha360" }).Validate(), Throws.ArgumentException.With.Message.Contains("alpha360"));
    }
}
