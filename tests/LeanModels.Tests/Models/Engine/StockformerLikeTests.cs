using System.Numerics;
using LeanModels.Models.Engine;
using LeanModels.Models.Engine.Layers;
using LeanModels.Models.Engine.Optimizers;
using LeanModels.Models.Numerics;

namespace LeanModels.Tests.Models.Engine;

/// <summary>The whole stack composed like the peer's Stockformer at tiny shapes: per-asset Conv1d embedding, time and asset
/// embeddings, pre-LN temporal attention, cross-asset attention, GELU feed-forward, final LN, tanh head, utility loss.</summary>
public class StockformerLikeTests
{
    private const int B = 2, T = 4, A = 3, F = 2, D = 4, Heads = 2;

    private sealed class TinyModel<TE> : Module<TE> where TE : unmanaged, IFloatingPointIeee754<TE>
    {
        private readonly Conv1d<TE> _embed;
        private readonly PositionalEmbedding<TE> _time;
        private readonly AssetEmbedding<TE> _asset;
        private readonly LayerNorm<TE> _lnT, _lnA, _lnF, _lnOut;
        private readonly MultiHeadAttention<TE> _attnT, _attnA;
        private readonly FeedForward<TE> _ff;
        private readonly Linear<TE> _head;
        private readonly double _dropout;

        public TinyModel(Xoshiro256StarStar rng, double dropout)
        {
            _dropout = dropout;
            _embed = AddModule("embed", new Conv1d<TE>(F, D, 3, rng));
            _time = AddModule("time", new PositionalEmbedding<TE>(T, D, rng));
            _asset = AddModule("asset", new AssetEmbedding<TE>(A, D, rng));
            _lnT = AddModule("ln_t", new LayerNorm<TE>(D));
            _attnT = AddModule("attn_t", new MultiHeadAttention<TE>(D, Heads, dropout, rng));
            _lnA = AddModule("ln_a", new LayerNorm<TE>(D));
            _attnA = AddModule("attn_a", new MultiHeadAttention<TE>(D, Heads, dropout, rng));
            _lnF = AddModule("ln_f", new LayerNorm<TE>(D));
            _ff = AddModule("ff", new FeedForward<TE>(D, 2 * D, dropout, rng));
            _lnOut = AddModule("ln_out", new LayerNorm<TE>(D));
            _head = AddModule("head", new Linear<TE>(D, 1, rng));
            foreach (var p in Parameters()) Init.Normal<TE>(p.Value.Data, 0.5, rng);   // away from γ = 1, β = 0, zero biases
        }

        public Tensor<TE> Forward(Tape<TE> t, Tensor<TE> x)                                  // x [B, T, A, F] → w [B, A]
        {
            var h = t.Reshape(_embed.Forward(t, t.Reshape(t.Permute(x, 0, 2, 1, 3), B * A, T, F)), B, A, T, D);
            h = _asset.Forward(t, _time.Forward(t, h));
            h = t.Add(h, t.Reshape(t.Dropout(_attnT.Forward(t, t.Reshape(_lnT.Forward(t, h), B * A, T, D)), _dropout), B, A, T, D));
            var cross = _attnA.Forward(t, t.Reshape(t.Permute(_lnA.Forward(t, h), 0, 2, 1, 3), B * T, A, D));
            h = t.Add(h, t.Dropout(t.Permute(t.Reshape(cross, B, T, A, D), 0, 2, 1, 3), _dropout));
            h = t.Add(h, t.Dropout(_ff.Forward(t, _lnF.Forward(t, h)), _dropout));
            var last = t.Reshape(t.Slice(_lnOut.Forward(t, h), 2, T - 1, 1), B, A, D);
            return t.Reshape(t.Tanh(_head.Forward(t, last)), B, A);
        }

        public static Tensor<TE> Loss(Tape<TE> t, Tensor<TE> w, Tensor<TE> r) =>
            t.Add(t.PortfolioUtilityLoss(w, r), t.Scale(t.Mean(t.Abs(w)), 0.01));
    }

    [Test]
    public void WholeModel_GradCheck_InputAndEveryParameter_WithDropout()
    {
        var model = new TinyModel<double>(new Xoshiro256StarStar(1), dropout: 0.1);
        var x = EngineTestData.Normal(2, B, T, A, F);
        var r = EngineTestData.Constant(3, B, A);
        // conv 2·3·4+4 = 28, time 16, asset 12, 4 LN × 8 = 32, 2 MHA × 4 × (16+4) = 160, FFN 4·8+8+8·4+4 = 76, head 5 → 329
        Assert.That(model.ParameterCount, Is.EqualTo(329));
        Tensor<double>[] inputs = [x, .. model.Parameters().Select(p => p.Value)];
        EngineTestData.AssertGradCheck(t => TinyModel<double>.Loss(t, model.Forward(t, x), r), inputs);
    }

    [Test]
    public void WholeModel_FloatAdamWithClippingAndPool_LossFallsOnFixedBatch()
    {
        // returns drawn with σ = 0.1 (10× the peer's) so the utility term dominates the |w| penalty; 40 steps of Adam 1e-2 on one batch
        var rng = new Xoshiro256StarStar(5);
        var model = new TinyModel<float>(rng, dropout: 0.1);
        var x = Tensor<float>.Normal(rng, 1, [B, T, A, F]);
        var r = Tensor<float>.Normal(rng, 0.1, [B, A]);
        var opt = new Adam<float>(model.Parameters(), 1e-2);
        var pool = new BufferPool<float>();
        var dropoutRng = new Xoshiro256StarStar(6);
        var losses = new List<float>();
        for (var step = 0; step < 40; step++)
        {
            opt.ZeroGrad();
            float loss;
            using (var t = new Tape<float>(true, dropoutRng, pool: pool))
            {
                var l = TinyModel<float>.Loss(t, model.Forward(t, x), r);
                t.Backward(l);
                loss = l.Item();
            }
            GradientClipping.ClipGlobalNorm(opt.Parameters, 1.0);
            opt.Step(loss);
            losses.Add(loss);
        }
        // the loss is −mean(w·r) + 0.01·mean|w| ≥ −mean|r| (≈ −0.08 here, w = sign(r)); measured −0.0076 → −0.0577
        Assert.That(losses[^1], Is.LessThan(losses[0] - 0.04f), $"first {losses[0]}, last {losses[^1]}");
        Assert.That(losses.All(float.IsFinite), Is.True);
        TestContext.Out.WriteLine($"loss {losses[0]} → {losses[^1]}");
    }
}
