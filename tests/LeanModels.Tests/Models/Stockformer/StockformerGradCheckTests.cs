using LeanModels.Models.Engine;
using LeanModels.Models.Engine.Layers;
using LeanModels.Models.Numerics;
using LeanModels.Models.Stockformer;
using static LeanModels.Tests.Models.Engine.EngineTestData;

namespace LeanModels.Tests.Models.Stockformer;

/// <summary>The whole Stockformer gradchecked in double on tiny shapes (B=2, T=4, A=3, F=2, D=4, 2 heads, 2 layers, dropout
/// 0.1 on): every input element and every parameter, once per head through its loss, with masked assets (asset 2 of date 0
/// absent on the last step, asset 0 of date 1 absent on steps 0-1).</summary>
public class StockformerGradCheckTests
{
    private const int B = 2, T = 4, A = 3, F = 2;

    private static readonly StockformerOptions Tiny = new(Lookback: T, Features: F, Model: 4, Heads: 2, Layers: 2, FeedForward: 8,
        Dropout: 0.1, VocabularySize: A + 1);

    private static (StockformerModel<double> Model, StockformerBatch<double> Data, Tensor<double>[] Inputs) Setup(StockformerOptions options)
    {
        var model = new StockformerModel<double>(options, seed: 7);
        // move LayerNorm gains/offsets and zero biases away from their trivial starting values
        foreach (var p in model.Parameters().Where(p => !p.Decay)) Init.Normal<double>(p.Value.Data, 0.3, new Xoshiro256StarStar(11));
        var data = StockformerBatch<double>.Create(3, B, T, A, F, requiresGrad: true);
        return (model, data, [data.X, .. model.Parameters().Select(p => p.Value)]);
    }

    private static StockformerOutput<double> Run(Tape<double> t, StockformerModel<double> m, StockformerBatch<double> d) =>
        m.Forward(t, d.X, d.Available, d.Ids);

    [Test]
    public void ReturnHead_MseLoss_GradCheck()
    {
        var (m, d, inputs) = Setup(Tiny);
        AssertGradCheck(t => StockformerLosses.Mse(t, Run(t, m, d).Return!, d.Label, d.LastMask()), inputs);
    }

    [Test]
    public void ReturnHead_NegativeICLoss_GradCheck()
    {
        var (m, d, inputs) = Setup(Tiny);
        AssertGradCheck(t => StockformerLosses.NegativeIC(t, Run(t, m, d).Return!, d.Label, d.LastMask()), inputs);
    }

    [Test]
    public void DirectionHead_BceLoss_GradCheck()
    {
        var (m, d, inputs) = Setup(Tiny);
        AssertGradCheck(t => StockformerLosses.DirectionBce(t, Run(t, m, d).DirectionLogit!, d.Label, d.LastMask()), inputs);
    }

    [Test]
    public void QuantileHead_PinballLoss_GradCheck()
    {
        var (m, d, inputs) = Setup(Tiny);
        AssertGradCheck(t => StockformerLosses.Pinball(t, Run(t, m, d).Quantiles!, d.Label, d.LastMask()), inputs);
    }

    [Test]
    public void AllocationHead_BookLossWithTurnoverAndGross_GradCheck()
    {
        var (m, d, inputs) = Setup(Tiny);
        // previous weights away from the new ones (no |·| kink); cap 0.05 below the gross of 3 tanh weights so the penalty is active
        double[] previous = [0.3, -0.2, 0.1, -0.4, 0.25, 0.05];
        AssertGradCheck(t => StockformerLosses.Allocation(t, Run(t, m, d).Allocation!, d.Label, d.LastMask(), previous,
            turnoverPenalty: 0.01, grossPenalty: 0.5, grossCap: 0.05), inputs);
    }

    [Test]
    public void AllHeadsWithoutIdentity_SumOfOutputs_GradCheck()
    {
        // identity embedding off, non-causal temporal attention: every head's raw output projected on fixed weights
        var (m, d, inputs) = Setup(Tiny with { IdentityEmbedding = false, CausalTemporal = false });
        AssertGradCheck(t =>
        {
            var y = m.Forward(t, d.X, d.Available, []);
            return t.Concat([t.Reshape(y.Return!, B * A), t.Reshape(y.DirectionLogit!, B * A), t.Reshape(y.Allocation!, B * A), t.Reshape(y.Quantiles!, B * A * 3)], 0);
        }, inputs);
    }

    [Test]
    public void ProbSparseWithDistilling_MseLoss_GradCheck()
    {
        // c = 1: u = ⌈ln 4⌉ = 2 of 4 queries attend in layer 0 (sampled keys from the re-seeded tape generator), distilling 4 → 2 steps
        var (m, d, inputs) = Setup(Tiny with { CausalTemporal = false, ProbSparseFactor = 1, Distil = true, Outputs = StockformerHeads.Return });
        AssertGradCheck(t => StockformerLosses.Mse(t, Run(t, m, d).Return!, d.Label, d.LastMask()), inputs);
    }
}
