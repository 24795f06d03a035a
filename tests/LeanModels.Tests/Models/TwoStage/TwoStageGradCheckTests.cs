using LeanModels.Models.Engine;
using LeanModels.Models.Engine.Layers;
using LeanModels.Models.Numerics;
using LeanModels.Models.Stockformer;
using LeanModels.Models.TwoStage;
using LeanModels.Tests.Models.Stockformer;
using static LeanModels.Tests.Models.Engine.EngineTestData;

namespace LeanModels.Tests.Models.TwoStage;

/// <summary>Both models gradchecked in double on tiny shapes for each temporal family: every input element and every
/// parameter, dropout 0.1 on, with masked bars (asset 2 of date 0 absent on the last step, asset 0 of date 1 absent on steps
/// 0–1; <see cref="StockformerBatch{T}"/>).</summary>
public class TwoStageGradCheckTests
{
    private const int B = 2, T = 3, A = 3, F = 2;

    private static readonly TwoStageOptions Tiny = new(Lookback: T, Features: F, StageOneWidth: 4, StageOneHeads: 2, StageOneLayers: 2,
        StageOneFeedForward: 8, Embedding: 3, Hidden: 3, TcnLevels: 2, TcnKernel: 2, Dropout: 0.1);

    // move LayerNorm gains/offsets and zero biases away from their trivial starting values
    private static void Perturb<TModel>(TModel model) where TModel : Module<double>
    {
        foreach (var p in model.Parameters().Where(p => !p.Decay)) Init.Normal<double>(p.Value.Data, 0.3, new Xoshiro256StarStar(11));
    }

    [TestCase(TemporalFamily.Lstm)]
    [TestCase(TemporalFamily.Gru)]
    [TestCase(TemporalFamily.Tcn)]
    public void TwoStage_ForecastAndEmbedding_GradCheck(TemporalFamily family)
    {
        var model = new TwoStageModel<double>(Tiny with { Family = family }, seed: 7);
        Perturb(model);
        var d = StockformerBatch<double>.Create(3, B, T, A, F, requiresGrad: true);
        // the forecast of every asset (masked ones included: they are computed too) and every embedding value
        AssertGradCheck(t =>
        {
            var y = model.Forward(t, d.X, d.Available);
            return t.Concat([t.Reshape(y.Return, B * A), t.Reshape(y.Embedding!, B * T * A * 3)], 0);
        }, [d.X, .. model.Parameters().Select(p => p.Value)]);
    }

    [Test]
    public void TwoStage_MaskedMseLoss_GradCheck()
    {
        var model = new TwoStageModel<double>(Tiny, seed: 8);
        Perturb(model);
        var d = StockformerBatch<double>.Create(4, B, T, A, F, requiresGrad: true);
        AssertGradCheck(t => StockformerLosses.Mse(t, model.Forward(t, d.X, d.Available).Return, d.Label, d.LastMask()),
            [d.X, .. model.Parameters().Select(p => p.Value)]);
    }

    [Test]
    public void FrozenOption_StageOnePretrainingForecast_GradCheck()
    {
        var model = new TwoStageModel<double>(Tiny with { FreezeStageOne = true }, seed: 9);
        Perturb(model);
        var d = StockformerBatch<double>.Create(5, B, T, A, F, requiresGrad: true);
        var stageOne = model.StageOneParameters();
        Assert.That(stageOne[^1].Name, Is.EqualTo("stage1.head.bias"));
        AssertGradCheck(t => model.ForwardStageOne(t, d.X, d.Available).Return!, [d.X, .. stageOne.Select(p => p.Value)]);
    }

    [TestCase(TemporalFamily.Lstm)]
    [TestCase(TemporalFamily.Gru)]
    [TestCase(TemporalFamily.Tcn)]
    public void Direct_Forecast_GradCheck(TemporalFamily family)
    {
        var model = new DirectModel<double>(new DirectOptions(Assets: A, Lookback: T, Features: F, Family: family, Hidden: 3, TcnLevels: 2,
            TcnKernel: 2, Dropout: 0.1), seed: 7);
        Perturb(model);
        var d = StockformerBatch<double>.Create(6, B, T, A, F, requiresGrad: true);
        AssertGradCheck(t => model.Forward(t, d.X, d.Available).Return, [d.X, .. model.Parameters().Select(p => p.Value)]);
    }
}
