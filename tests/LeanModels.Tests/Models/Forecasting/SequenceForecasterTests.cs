using LeanModels.Models.Data;
using LeanModels.Models.Forecasting;
using LeanModels.Models.Research;
using LeanModels.Models.Stockformer;
using LeanModels.Models.TwoStage;
using LeanModels.Tests.Models.Research;

namespace LeanModels.Tests.Models.Forecasting;

/// <summary>The checks every sequence forecaster shares through <see cref="SequenceForecaster"/>, run on each of the three.</summary>
public class SequenceForecasterTests
{
    private const int T = 5;
    private static readonly Panel History = ResearchTestData.Panel(4, 120, 3);
    private static readonly FeatureSet Set = FeatureBuilder.Build(History);
    private static readonly FeatureSpecification Spec = FeatureSetCatalog.Get("basic").Specification;
    private static readonly InferenceProcessor Processor = InferenceProcessor.Fit(Set, Enumerable.Range(60, 40).ToList());

    private static SequenceForecaster Build(string kind, int modelFeatures) => kind switch
    {
        "stockformer" => new StockformerForecaster("sf", new StockformerModel<float>(new StockformerOptions(T, modelFeatures, Model: 8, Heads: 2,
            Layers: 1, FeedForward: 16, IdentityEmbedding: false), 1), StockformerObjective.ReturnMse, Processor,
            new StockformerVocabulary(History.Tickers), 5, Spec, 60),
        "twostage" => new TwoStageForecaster("ts", new TwoStageModel<float>(new TwoStageOptions(T, modelFeatures, StageOneWidth: 8,
            StageOneFeedForward: 16, Embedding: 4, Hidden: 8), 1), Processor, 5, Spec, 60),
        _ => new DirectForecaster("direct", new DirectModel<float>(new DirectOptions(History.AssetCount, T, modelFeatures, Hidden: 8), 1),
            History.Tickers, Processor, 5, Spec, 60),
    };

    [TestCase("stockformer", "StockformerForecaster")]
    [TestCase("twostage", "TwoStageForecaster")]
    [TestCase("direct", "DirectForecaster")]
    public void Constructor_FeatureCountOfAnotherModel_IsRefusedNamingTheTypeAndBothCounts(string kind, string typeName)
    {
        var e = Assert.Throws<ArgumentException>(() => Build(kind, 10));
        Assert.That(e!.Message, Does.Contain($"{typeName}: the model reads F = 10, the processor 11"));
    }

    [Test]
    public void Constructors_NullModel_ThrowArgumentNullNamingTheModel()
    {
        Assert.That(Assert.Throws<ArgumentNullException>(() => new TwoStageForecaster("ts", null!, Processor, 5, Spec, 60))!.ParamName, Is.EqualTo("model"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => new DirectForecaster("d", null!, History.Tickers, Processor, 5, Spec, 60))!.ParamName,
            Is.EqualTo("model"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => new StockformerForecaster("sf", null!, StockformerObjective.ReturnMse, Processor,
            new StockformerVocabulary(History.Tickers), 5, Spec, 60))!.ParamName, Is.EqualTo("model"));
    }

    [TestCase("stockformer")]
    [TestCase("twostage")]
    [TestCase("direct")]
    public void Predict_SharedWindowAndChecks(string kind)
    {
        var model = Build(kind, 11);
        Assert.That((model.Horizon, model.Window.LookbackBars, model.Window.TotalBars), Is.EqualTo((5, T, 60 + T)));
        Assert.That(model.Processor, Is.SameAs(Processor));
        Assert.That(model.Training, Is.Null);
        Assert.That(model.NamedParameters().Sum(p => p.Values.Length), Is.EqualTo(model.ParameterCount));

        var wrong = FeatureWindow.FromFeatureSet(Set, Spec, History.Tickers, History.Dates, 110, new InputWindow(T - 2, 60));
        var e = Assert.Throws<ArgumentException>(() => model.Predict(wrong));
        Assert.That(e!.Message, Does.Contain($"[A, T, F] = [4, {T - 2}, 11]").And.Contain($"reads T = {T}"));

        var window = FeatureWindow.FromFeatureSet(Set, Spec, History.Tickers, History.Dates, 110, model.Window);
        var forecast = model.Predict(window);
        Assert.That(forecast.Mean, Has.Length.EqualTo(4));
        Assert.That(forecast.Mean.All(double.IsFinite), "every asset has a bar on the decision date");
        Assert.That(model.Predict(window).Mean, Is.EqualTo(forecast.Mean), "prediction is a pure function of the window");
    }
}
