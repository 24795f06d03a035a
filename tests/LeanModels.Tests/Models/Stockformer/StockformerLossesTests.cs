using LeanModels.Models.Engine;
using LeanModels.Models.Stockformer;

namespace LeanModels.Tests.Models.Stockformer;

/// <summary>Hand-worked values of the Stockformer losses, with masks.</summary>
public class StockformerLossesTests
{
    private static Tensor<double> Head(double[] values, params int[] shape) => new(values, shape, requiresGrad: true);

    [Test]
    public void Allocation_HandValues_BookTurnoverAndGross()
    {
        // w = [0.5, −0.25], r = [0.02, −0.04], w⁻ = [0.25, 0], λ_turn 0.1, λ_gross 1, G 0.5:
        // book 0.5·0.02 + 0.25·0.04 = 0.02; turnover 0.25 + 0.25 = 0.5 → 0.05; gross 0.75 − 0.5 = 0.25 → 0.25; L = −0.02 + 0.05 + 0.25
        var t = new Tape<double>();
        var w = Head([0.5, -0.25], 1, 2);
        var loss = StockformerLosses.Allocation(t, w, [0.02, -0.04], [true, true], [0.25, 0.0], 0.1, 1.0, 0.5);
        Assert.That(loss.Item(), Is.EqualTo(0.28).Within(1e-12));
        // ∂L/∂w₀ = −0.02 + 0.1·sign(0.25) + 1·sign(0.5) = 1.08; ∂L/∂w₁ = 0.04 + 0.1·(−1) + 1·(−1) = −1.06
        t.Backward(loss);
        Assert.That(w.Grad, Is.EqualTo(new[] { 1.08, -1.06 }).Within(1e-12));
    }

    [Test]
    public void Allocation_MaskedAsset_HoldsNoPosition_AndGetsNoGradient()
    {
        // asset 1 masked (its return NaN): w̃ = [0.5, 0]; book 0.01; turnover |0.25| + |0 − 0| = 0.25 → 0.025; gross 0.5 ≤ G → 0
        var t = new Tape<double>();
        var w = Head([0.5, -0.25], 1, 2);
        var loss = StockformerLosses.Allocation(t, w, [0.02, double.NaN], [true, false], [0.25, 0.0], 0.1, 1.0, 0.5);
        Assert.That(loss.Item(), Is.EqualTo(0.015).Within(1e-12));
        t.Backward(loss);
        Assert.That(w.Grad![1], Is.EqualTo(0.0));
    }

    [Test]
    public void NegativeIC_DatesWithFewerThanTwoAssetsAreSkipped()
    {
        // date 0: p̃ = [−1, 0, 1], ỹ = [−0.1, 0.1, 0]: Σp̃ỹ = 0.1, Σp̃² = 2, Σỹ² = 0.02 → IC = 0.1/√0.04 = 0.5; date 1 has one asset
        var loss = StockformerLosses.NegativeIC(new Tape<double>(), Head([1, 2, 3, 5, 1, 1], 2, 3), [0.1, 0.3, 0.2, 0.0, double.NaN, 0.1],
            [true, true, true, true, false, false]);
        Assert.That(loss.Item(), Is.EqualTo(-0.5).Within(1e-6));
        Assert.Throws<ArgumentException>(() => StockformerLosses.NegativeIC(new Tape<double>(), Head([1, 2], 1, 2), [0.1, 0.2], [true, false]));
    }

    [Test]
    public void DirectionBce_UsesTheLabelSign()
    {
        // logits 2, 2; labels +0.1 → 1, −0.2 → 0: mean(log(1 + e^−2), 2 + log(1 + e^−2)) = 1 + log1p(e^−2)
        var loss = StockformerLosses.DirectionBce(new Tape<double>(), Head([2, 2], 1, 2), [0.1, -0.2], [true, true]);
        Assert.That(loss.Item(), Is.EqualTo(1 + Math.Log(1 + Math.Exp(-2))).Within(1e-12));
    }

    [Test]
    public void Pinball_ThreeQuantiles_HandValue()
    {
        // q = (−0.1, 0, 0.1), y = 0.05: τ 0.1 → 0.1·0.15 = 0.015; τ 0.5 → 0.025; τ 0.9 → 0.1·0.05 = 0.005; mean 0.015
        var loss = StockformerLosses.Pinball(new Tape<double>(), Head([-0.1, 0, 0.1], 1, 1, 3), [0.05], [true]);
        Assert.That(loss.Item(), Is.EqualTo(0.015).Within(1e-12));
    }

    [Test]
    public void Mse_MaskedLabelNaN_IsIgnored_UnmaskedNaN_Throws()
    {
        // (1 − 0)² and masked NaN: mean over the one available pair = 1
        Assert.That(StockformerLosses.Mse(new Tape<double>(), Head([1, 7], 1, 2), [0, double.NaN], [true, false]).Item(), Is.EqualTo(1.0));
        var ex = Assert.Throws<ArgumentException>(() => StockformerLosses.Mse(new Tape<double>(), Head([1, 7], 1, 2), [0, double.NaN], [true, true]));
        Assert.That(ex!.Message, Does.Contain("label[b=0, a=1] = NaN"));
    }

    [Test]
    public void FlopsPerSample_TinyConfiguration_HandCount()
    {
        // T=4, F=2 (+1 channel), D=4, d_ff=8, 1 layer (the last: its cross-ticker and feed-forward blocks run on the last step
        // only), A=3, all heads. Multiply-adds: embedding 3·4·3·3·4 = 432; temporal projections 3·4·4·16 = 768, QKᵀ+PV
        // 3·2·16·4 = 384; cross projections 1·3·4·16 = 192, QKᵀ+PV 1·2·9·4 = 72; FF 3·1·2·4·8 = 192; heads 3·4·6 = 72;
        // total 2112 → 4224 FLOPs
        var o = new StockformerOptions(Lookback: 4, Features: 2, Model: 4, Heads: 2, Layers: 1, FeedForward: 8);
        Assert.That(StockformerFlops.FlopsPerSample(o, 3), Is.EqualTo(4224));
        Assert.That(StockformerFlops.FlopsPerSample(o with { Outputs = StockformerHeads.Return }, 3), Is.EqualTo(4224 - 2 * 3 * 4 * 5));
        // two layers: the first runs every step (cross 768 + 4·2·9·4 = 288, FF 768 more than the last layer's 456)
        Assert.That(StockformerFlops.FlopsPerSample(o with { Layers = 2 }, 3), Is.EqualTo(4224 + 2 * (768 + 384 + 768 + 288 + 768)));
    }
}
