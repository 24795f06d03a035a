using LeanModels.Models.Engine;
using LeanModels.Models.Engine.Kernels;
using LeanModels.Models.Engine.Layers;
using LeanModels.Models.Engine.Optimizers;
using LeanModels.Models.Numerics;
using static LeanModels.Tests.Models.Engine.EngineTestData;

namespace LeanModels.Tests.Models.Engine;

/// <summary>The fused element-wise ops (Linear with bias, AddDropout, GeluDropout, the middle-axes swap, the transpose-free
/// weight gradient): gradchecks in double, float against the composed ops, and 1 vs 2 threads bit-identical for every op that
/// runs on the tape's team (sizes above Tape.ParallelMinimum = 131072 elements, so the split really happens).</summary>
public class TapeParallelTests
{
    // ---- gradchecks (double) ----
    [Test] public void Linear_WithBias_MatchesFiniteDifferences() { var (x, w, b) = (Normal(1, 2, 3, 4), Normal(2, 4, 5), Normal(3, 5)); AssertGradCheck(t => t.Linear(x, w, b), x, w, b); }
    [Test] public void Linear_NoBias_MatchesFiniteDifferences() { var (x, w) = (Normal(1, 3, 4), Normal(2, 4, 2)); AssertGradCheck(t => t.Linear(x, w, null), x, w); }
    [Test] public void AddDropout_Training_MatchesFiniteDifferences() { var (r, x) = (Normal(4, 4, 5), Normal(5, 4, 5)); AssertGradCheck(t => t.AddDropout(r, x, 0.3), r, x); }
    [Test] public void GeluDropout_Training_MatchesFiniteDifferences() { var x = Normal(6, 4, 5); AssertGradCheck(t => t.GeluDropout(x, 0.3), x); }
    [Test] public void BiasGeluDropout_Training_MatchesFiniteDifferences() { var (x, b) = (Normal(8, 3, 4, 5), Normal(9, 5)); AssertGradCheck(t => t.BiasGeluDropout(x, b, 0.3), x, b); }
    [Test] public void BiasGeluDropout_Eval_MatchesFiniteDifferences() { var (x, b) = (Normal(8, 3, 5), Normal(9, 5)); AssertGradCheck(t => t.BiasGeluDropout(x, b, 0.0), x, b); }
    [Test] public void Permute_SwapMiddleAxes_MatchesFiniteDifferences() { var x = Normal(7, 2, 3, 4, 2); AssertGradCheck(t => t.Permute(x, 0, 2, 1, 3), x); }

    [Test]
    public void Permute_SwapMiddleAxes_MovesEveryElement()
    {
        var x = Tensor<double>.From(Enumerable.Range(0, 2 * 3 * 4 * 5).Select(i => (double)i).ToArray(), [2, 3, 4, 5]);
        var y = new Tape<double>().Permute(x, 0, 2, 1, 3);
        Assert.That(y.Shape.ToArray(), Is.EqualTo(new[] { 2, 4, 3, 5 }));
        for (var a = 0; a < 2; a++)
            for (var j = 0; j < 4; j++)
                for (var i = 0; i < 3; i++)
                    for (var w = 0; w < 5; w++)
                        Assert.That(y.Data[((a * 4 + j) * 3 + i) * 5 + w], Is.EqualTo(x.Data[((a * 3 + i) * 4 + j) * 5 + w]));
    }

    [Test]
    public void AddDropout_ShapesDiffer_ThrowsNamingShapes() =>
        Assert.That(() => new Tape<double>(true, new Xoshiro256StarStar(1)).AddDropout(Normal(1, 2, 3), Normal(2, 3, 2), 0.1),
            Throws.ArgumentException.With.Message.Contains("[2, 3]").And.Message.Contains("[3, 2]"));

    [Test]
    public void AddDropout_EvalMode_IsPlainAdd()
    {
        var (r, x) = (Constant(1, 3, 4), Constant(2, 3, 4));
        var y = new Tape<double>(training: false).AddDropout(r, x, 0.5);
        Assert.That(y.Data, Is.EqualTo(r.Data.Zip(x.Data, (p, q) => p + q).ToArray()));
    }

    // ---- float fused vs composed ----
    [TestCase(70, true)]                                                            // 70·64·48 ≤ 64³: SmallGemm, which FMAs into C (b first)
    [TestCase(1100, false)]                                                         // Sgemm: C = b + tile, as Σ + b
    public void Linear_Float_MatchesMatMulPlusBias(int rows, bool small)
    {
        var (x, w, b) = (FloatNormal(1, rows, 64), FloatNormal(2, 64, 48), FloatNormal(3, 48));
        var (x2, w2, b2) = (Clone(x), Clone(w), Clone(b));
        var seed = FloatNormal(4, rows, 48).Data;
        var t1 = new Tape<float>();
        var y1 = t1.Linear(x, w, b);
        t1.Backward(y1, seed);
        var t2 = new Tape<float>();
        var y2 = t2.Add(t2.MatMul(x2, w2), b2);
        t2.Backward(y2, seed);
        if (small) Assert.That(y1.Data, Is.EqualTo(y2.Data).Within(1e-4));        // |y| ≲ 30: a few float ulps
        else Assert.That(y1.Data, Is.EqualTo(y2.Data));
        Assert.That(x.Grad, Is.EqualTo(x2.Grad));                                   // same dx GEMM
        Assert.That(w.Grad, Is.EqualTo(w2.Grad).Within(1e-4));                      // same k order; MatMul's dW also uses the new kernel
        Assert.That(b.Grad, Is.EqualTo(b2.Grad).Within(1e-4));                      // blocked column sum vs sequential rows
    }

    [Test]
    public void AddDropout_Float_BitIdenticalToComposed()
    {
        var (r, x) = (FloatNormal(1, 40000), FloatNormal(2, 40000));
        var (r2, x2) = (Clone(r), Clone(x));
        var seed = FloatNormal(3, 40000).Data;
        var t1 = new Tape<float>(true, new Xoshiro256StarStar(9));
        var y1 = t1.AddDropout(r, x, 0.1);
        t1.Backward(y1, seed);
        var t2 = new Tape<float>(true, new Xoshiro256StarStar(9));
        var y2 = t2.Add(r2, t2.Dropout(x2, 0.1));
        t2.Backward(y2, seed);
        Assert.That(y1.Data, Is.EqualTo(y2.Data));
        Assert.That(r.Grad, Is.EqualTo(r2.Grad));
        Assert.That(x.Grad, Is.EqualTo(x2.Grad));
        Assert.That(x.Grad!.Count(g => g == 0) / 40000.0, Is.EqualTo(0.1).Within(0.01));   // binomial sd √(0.09/40000) = 0.0015
    }

    [Test]
    public void GeluDropout_Float_BitIdenticalToComposed()
    {
        var x = FloatNormal(1, 40003);                                               // odd length: scalar tail too
        var x2 = Clone(x);
        var seed = FloatNormal(3, 40003).Data;
        var t1 = new Tape<float>(true, new Xoshiro256StarStar(9));
        var y1 = t1.GeluDropout(x, 0.2);
        t1.Backward(y1, seed);
        var t2 = new Tape<float>(true, new Xoshiro256StarStar(9));
        var y2 = t2.Dropout(t2.Gelu(x2), 0.2);
        t2.Backward(y2, seed);
        Assert.That(y1.Data, Is.EqualTo(y2.Data));
        Assert.That(x.Grad, Is.EqualTo(x2.Grad));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void BiasGeluDropout_Float_BitIdenticalToLinearWithBiasThenGeluDropout(bool training)
    {
        // Sgemm-sized (1100·64·64 > 64³): Linear with bias computes b + Σ, the fused op Σ then + b: the same rounding.
        var (x, w, b) = (FloatNormal(1, 1100, 64), FloatNormal(2, 64, 64), FloatNormal(3, 64));
        var (x2, w2, b2) = (Clone(x), Clone(w), Clone(b));
        var seed = FloatNormal(4, 1100, 64).Data;
        var t1 = new Tape<float>(training, new Xoshiro256StarStar(9));
        var y1 = t1.BiasGeluDropout(t1.Linear(x, w, null), b, 0.1);
        t1.Backward(y1, seed);
        var t2 = new Tape<float>(training, new Xoshiro256StarStar(9));
        var y2 = t2.GeluDropout(t2.Linear(x2, w2, b2), 0.1);
        t2.Backward(y2, seed);
        Assert.That(y1.Data, Is.EqualTo(y2.Data));
        Assert.That(x.Grad, Is.EqualTo(x2.Grad));
        Assert.That(w.Grad, Is.EqualTo(w2.Grad));
        Assert.That(b.Grad, Is.EqualTo(b2.Grad));
    }

    [Test]
    public void BiasGeluDropout_BiasWrongLength_ThrowsNamingShapes() =>
        Assert.That(() => new Tape<double>().BiasGeluDropout(Normal(1, 2, 5), Normal(2, 4), 0.1), Throws.ArgumentException.With.Message.Contains("bias [4]"));

    [Test]
    public void Dropout_Float_MatchesStoredMaskOfCounterHash()
    {
        // The op regenerates the mask; compare with CounterHash.FillMask under the same seed (the first NextUInt64 of the generator).
        var x = FloatNormal(1, 1000);
        var y = new Tape<float>(true, new Xoshiro256StarStar(5)).Dropout(x, 0.25);
        var mask = new float[1000];
        CounterHash.FillMask(new Xoshiro256StarStar(5).NextUInt64(), 0, CounterHash.Threshold(0.25), 1f / 0.75f, mask.AsSpan());
        Assert.That(y.Data, Is.EqualTo(x.Data.Zip(mask, (a, m) => a * m).ToArray()));
    }

    // ---- 1 vs 2 threads, bit-identical ----
    [Test] public void LayerNorm_TwoThreads_BitIdentical() => AssertSameAtOneAndTwoThreads((t, v) => t.LayerNorm(v[0], v[1], v[2]), [2500, 64], [64], [64]);
    [Test] public void LayerNormOddWidth_TwoThreads_BitIdentical() => AssertSameAtOneAndTwoThreads((t, v) => t.LayerNorm(v[0], v[1], v[2]), [4000, 37], [37], [37]);
    [Test] public void Linear_TwoThreads_BitIdentical() => AssertSameAtOneAndTwoThreads((t, v) => t.Linear(v[0], v[1], v[2]), [2100, 64], [64, 72], [72]);
    [Test] public void MatMulShared_TwoThreads_BitIdentical() => AssertSameAtOneAndTwoThreads((t, v) => t.MatMul(v[0], v[1], transposeB: true), [2100, 64], [40, 64]);
    [Test] public void MatMulBatched_TwoThreads_BitIdentical() => AssertSameAtOneAndTwoThreads((t, v) => t.MatMul(v[0], v[1], transposeB: true), [64, 32, 16], [64, 32, 16]);
    [Test] public void Dropout_TwoThreads_BitIdentical() => AssertSameAtOneAndTwoThreads((t, v) => t.Dropout(v[0], 0.1), [140001]);
    [Test] public void AddDropout_TwoThreads_BitIdentical() => AssertSameAtOneAndTwoThreads((t, v) => t.AddDropout(v[0], v[1], 0.1), [140001], [140001]);
    [Test] public void GeluDropout_TwoThreads_BitIdentical() => AssertSameAtOneAndTwoThreads((t, v) => t.GeluDropout(v[0], 0.1), [140001]);
    [Test] public void BiasGeluDropout_TwoThreads_BitIdentical() => AssertSameAtOneAndTwoThreads((t, v) => t.BiasGeluDropout(v[0], v[1], 0.1), [2500, 64], [64]);
    [Test] public void Gelu_TwoThreads_BitIdentical() => AssertSameAtOneAndTwoThreads((t, v) => t.Gelu(v[0]), [140001]);
    [Test] public void Tanh_TwoThreads_BitIdentical() => AssertSameAtOneAndTwoThreads((t, v) => t.Tanh(v[0]), [140001]);
    [Test] public void MulSameShape_TwoThreads_BitIdentical() => AssertSameAtOneAndTwoThreads((t, v) => t.Mul(v[0], v[1]), [140001], [140001]);
    [Test] public void Softmax_TwoThreads_BitIdentical() => AssertSameAtOneAndTwoThreads((t, v) => t.Softmax(v[0]), [4500, 33]);
    [Test] public void LogSoftmax_TwoThreads_BitIdentical() => AssertSameAtOneAndTwoThreads((t, v) => t.LogSoftmax(v[0]), [4500, 33]);
    [Test] public void Conv1d_TwoThreads_BitIdentical() => AssertSameAtOneAndTwoThreads((t, v) => t.Conv1d(v[0], v[1], v[2]), [500, 20, 8], [3, 8, 16], [16]);
    [Test] public void ScaleAddScalar_TwoThreads_BitIdentical() => AssertSameAtOneAndTwoThreads((t, v) => t.AddScalar(t.Scale(v[0], 0.7), 0.1), [140001]);
    [Test] public void AddRowBroadcast_TwoThreads_BitIdentical() => AssertSameAtOneAndTwoThreads((t, v) => t.Add(v[0], v[1]), [4, 5, 120, 64], [5, 1, 64]);
    [Test] public void SwapMiddleAxes_TwoThreads_BitIdentical() => AssertSameAtOneAndTwoThreads((t, v) => t.Permute(v[0], 0, 2, 1, 3), [4, 40, 16, 64]);

    [Test]
    public void PooledTape_ReusedUnclearedOutputs_BitIdenticalToUnpooled()
    {
        // Outputs of these ops are rented without zeroing: three steps on one pool (steps 2–3 reuse dirty arrays) must equal
        // fresh unpooled tapes.
        float[] Train(BufferPool<float>? pool)
        {
            var (w, b, g, be) = (FloatNormal(1, 8, 8), FloatNormal(2, 8), FloatNormal(3, 8), FloatNormal(4, 8));
            var rng = new Xoshiro256StarStar(5);
            var losses = new List<float>();
            for (var step = 0; step < 3; step++)
            {
                var x = FloatNormal((ulong)(10 + step), 2, 3, 4, 8);
                using var t = new Tape<float>(true, rng, pool: pool);
                var h = t.LayerNorm(t.Permute(x, 0, 2, 1, 3), g, be);
                var f = t.GeluDropout(t.Linear(h, w, b), 0.2);
                var r = t.AddDropout(h, t.Tanh(t.Mul(f, t.Softmax(f))), 0.2);
                var loss = t.Sum(t.Mul(r, r));
                t.Backward(loss);
                losses.Add(loss.Item());
                foreach (var p in new[] { w, b, g, be }) { for (var i = 0; i < p.Length; i++) p.Data[i] -= 0.01f * p.Grad![i]; p.ZeroGrad(); }
            }
            return [.. losses, .. w.Data, .. b.Data, .. g.Data, .. be.Data];
        }
        Assert.That(Train(new BufferPool<float>()), Is.EqualTo(Train(null)));
    }

    [Test]
    public void EncoderLayerTraining_TwoThreads_BitIdentical()
    {
        // A Stockformer-style pre-LN layer (temporal MHA, cross-asset MHA through the middle-axes swap, GELU feed-forward, fused
        // residual dropouts) at sizes where every element-wise op splits (B·A·T·D = 163840): two Adam steps give the same weights
        // at 1 and 2 threads.
        float[] Train(ThreadTeam? team)
        {
            var rng = new Xoshiro256StarStar(3);
            int b = 4, a = 8, t = 80, d = 64;
            var ln1 = new LayerNorm<float>(d);
            var ln2 = new LayerNorm<float>(d);
            var ln3 = new LayerNorm<float>(d);
            var att = new MultiHeadAttention<float>(d, 4, 0.1, rng);
            var cross = new MultiHeadAttention<float>(d, 4, 0.1, rng);
            var ff = new FeedForward<float>(d, 4 * d, 0.1, rng);
            var modules = new Module<float>[] { ln1, ln2, ln3, att, cross, ff };
            var parameters = modules.SelectMany(m => m.Parameters()).ToList();
            var opt = new Adam<float>(parameters, 1e-3);
            var x = Tensor<float>.Normal(new Xoshiro256StarStar(4), 1.0, [b, a, t, d]);
            var drop = new Xoshiro256StarStar(5);
            var pool = new BufferPool<float>();
            for (var step = 0; step < 2; step++)
            {
                opt.ZeroGrad();
                using var tape = new Tape<float>(true, drop, pool: pool, team: team);
                var h = tape.AddDropout(x, tape.Reshape(att.Forward(tape, tape.Reshape(ln1.Forward(tape, x), b * a, t, d)), b, a, t, d), 0.1);
                var c = tape.Reshape(tape.Permute(ln2.Forward(tape, h), 0, 2, 1, 3), b * t, a, d);
                h = tape.AddDropout(h, tape.Permute(tape.Reshape(cross.Forward(tape, c), b, t, a, d), 0, 2, 1, 3), 0.1);
                h = tape.AddDropout(h, ff.Forward(tape, ln3.Forward(tape, h)), 0.1);
                tape.Backward(tape.Mean(tape.Mul(h, h)));
                opt.Step();
            }
            return parameters.SelectMany(p => p.Value.Data).ToArray();
        }
        var one = Train(null);
        using var team = new ThreadTeam(2);
        Assert.That(Train(team), Is.EqualTo(one));
    }

    /// <summary>Runs f on fresh copies of the same inputs with a 1-thread tape and with a 2-thread team, backpropagates the same
    /// upstream gradient, and asserts outputs and every input gradient are bit-identical.</summary>
    private static void AssertSameAtOneAndTwoThreads(Func<Tape<float>, Tensor<float>[], Tensor<float>> f, params int[][] shapes)
    {
        (float[] Y, float[][] Grads) Run(ThreadTeam? team)
        {
            var inputs = shapes.Select((s, i) => FloatNormal((ulong)(11 + i), s)).ToArray();
            var tape = new Tape<float>(true, new Xoshiro256StarStar(21), team: team);
            var y = f(tape, inputs);
            var seed = FloatNormal(99, y.Length).Data;
            tape.Backward(y, seed);
            return ((float[])y.Data.Clone(), inputs.Select(t => t.Grad!).ToArray());
        }
        var one = Run(null);
        using var team = new ThreadTeam(2);
        var two = Run(team);
        Assert.That(two.Y, Is.EqualTo(one.Y));
        for (var i = 0; i < one.Grads.Length; i++) Assert.That(two.Grads[i], Is.EqualTo(one.Grads[i]), $"input {i}");
        Assert.That(one.Grads.All(g => g.Any(v => v != 0)), Is.True);               // every gradient was reached
    }

    private static Tensor<float> FloatNormal(ulong seed, params int[] shape) => Tensor<float>.Normal(new Xoshiro256StarStar(seed), 1.0, shape, requiresGrad: true);

    private static Tensor<float> Clone(Tensor<float> t) => new((float[])t.Data.Clone(), t.Shape.ToArray(), requiresGrad: true);
}
