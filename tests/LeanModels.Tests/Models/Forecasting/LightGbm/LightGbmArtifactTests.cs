using LeanModels.Models.Forecasting;
using LeanModels.Models.Forecasting.LightGbm;
using LeanModels.Models.Research;
using LeanModels.Models.Research.Features;
using LeanModels.Tests.Models.Research;

namespace LeanModels.Tests.Models.Forecasting.LightGbm;

/// <summary>LightGBM and ridge on Alpha158 in artifact format 2 (the ensemble as <see cref="ModelState.Blob"/>), and the
/// research pipeline running them on <c>--feature-set alpha158</c>.</summary>
public class LightGbmArtifactTests
{
    private static readonly Panel History = ResearchTestData.Panel(assets: 8, days: 300, seed: 31);
    private static readonly LightGbmOptions Small = new(NumberOfLeaves: 8, Rounds: 20, MinDataInLeaf: 10, L1: 0, L2: 1);

    [TestCase("lightgbm", "basic")]
    [TestCase("lightgbm", "alpha158")]
    [TestCase("ridge", "alpha158")]
    public void SerializeDeserialize_RoundTrip_PredictsBitIdenticallyAndReserializesToTheSameBytes(string name, string featureSet)
    {
        var trained = ForecasterTraining.Fit(History, ForecasterCatalog.CreateTrainer(name, lightGbm: Small), horizon: 5, trainWindow: 150, featureSet);
        var bytes = ForecasterArtifact.Serialize(trained.Model, trained.Training);
        var loaded = ForecasterArtifact.Deserialize(bytes, "test");
        Assert.That(loaded.Model.Name, Is.EqualTo(name));
        Assert.That(loaded.Model.Features.Matches(FeatureSetCatalog.Get(featureSet).Specification));
        var features = FeatureSetCatalog.Get(featureSet).Build(History);
        var a = trained.Model.PredictDate(features, History.Tickers, History.Dates, 299).Mean;
        var b = loaded.Model.PredictDate(features, History.Tickers, History.Dates, 299).Mean;
        Assert.That(b, Is.EqualTo(a));
        Assert.That(a.All(double.IsFinite));
        Assert.That(ForecasterArtifact.Serialize(loaded.Model, loaded.Training), Is.EqualTo(bytes));
        // Prediction from raw bars rebuilds the model's own feature set: the same forecasts as research's feature rows.
        Assert.That(loaded.Model.Predict(History).Mean, Is.EqualTo(a));
        if (name == "lightgbm") Assert.That(loaded.Model.State().Blob, Is.EqualTo(((LightGbmModel)trained.Model).ModelBytes));
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
    public void FromState_MissingBlobOrAnotherFeatureCount_IsRefused()
    {
        var model = ForecasterTraining.Fit(History, ForecasterCatalog.CreateTrainer("lightgbm", lightGbm: Small), horizon: 5, trainWindow: 150).Model;
        var state = model.State();
        var context = new ArtifactContext("lightgbm", 5, model.Window, model.Features, state with { Blob = null }, "x.lmfa");
        Assert.That(() => ForecasterCatalog.FromState(context), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("blob"));
        context = new ArtifactContext("lightgbm", 5, model.Window, Alpha158.Specification, state, "x.lmfa");
        Assert.That(() => ForecasterCatalog.FromState(context), Throws.ArgumentException.With.Message.Contains("reads 11 features"));
        Assert.That(ForecasterCatalog.FromState(context with { Features = model.Features }).Predict(History).Mean, Is.EqualTo(model.Predict(History).Mean));
    }

    [Test]
    public void ResearchPipeline_LightGbmAndRidgeOnAlpha158_ForecastAndRulesAreRefused()
    {
        var options = new ResearchOptions(History.Dates[200], History.Dates[^1], ["ridge", "lightgbm"],
            TrainWindow: 100, RetrainEvery: 40, FeatureSet: "alpha158", LightGbm: Small);
        var run = ResearchPipeline.Run(History, options);
        Assert.That(run.LastModels["lightgbm"].Features.FeatureNames, Is.EqualTo(Alpha158.Names));
        Assert.That(run.LastModels["ridge"].Features.FeatureNames, Is.EqualTo(Alpha158.Names));
        var d = run.Folds[^1].TestStart;
        Assert.That(run.Forecasts["lightgbm"].AsSpan(d * 8, 8).ToArray().All(double.IsFinite));
        var basic = ResearchPipeline.Run(History, options with { FeatureSet = "basic", Models = ["ridge"] });
        Assert.That(run.Forecasts["ridge"].AsSpan(d * 8, 8).ToArray(), Is.Not.EqualTo(basic.Forecasts["ridge"].AsSpan(d * 8, 8).ToArray()));
        Assert.That(() => (options with { Models = ["reversal5"] }).Validate(), Throws.InstanceOf<InvalidOptionException>().With.Message.Contains("--feature-set basic"));
        Assert.That(() => (options with { Models = ["xgboost"] }).Validate(), Throws.InstanceOf<InvalidOptionException>().With.Message.Contains("lightgbm"));
        Assert.That(() => (options with { LightGbm = Small with { Rounds = 0 } }).Validate(), Throws.InstanceOf<InvalidOptionException>().With.Message.Contains("Rounds"));
    }
}
