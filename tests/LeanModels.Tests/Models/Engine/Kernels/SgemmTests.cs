using System.Runtime.Intrinsics;
using LeanModels.Models.Engine;
using LeanModels.Models.Engine.Kernels;
using LeanModels.Models.Engine.Layers;
using LeanModels.Models.Engine.Optimizers;
using LeanModels.Models.Numerics;

namespace LeanModels.Tests.Models.Engine.Kernels;

/// <summary>The packed SGEMM against the naive reference (the oracle), on every tile edge, both vector widths, and 1 vs 2 threads.</summary>
public class SgemmTests
{
    private static float[] Random(ulong seed, int n)
    {
        var rng = new Xoshiro256StarStar(seed);
        var x = new float[n];
        for (var i = 0; i < n; i++) x[i] = (float)rng.NextGaussian();
        return x;
    }

    /// <summary>Checks c against a double-precision reference: |c − ref| ≤ 1e-5·Σₖ|a||b| + 1e-6 (float rounding grows with K;
    /// an indexing error is of order Σ|a||b| itself, far above this bound).</summary>
    private static void AssertClose(float[] a, float[] b, float[] c0, float[] c, int m, int k, int n, bool transB, bool accumulate, string label)
    {
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                double s = 0, mag = 0;
                for (var p = 0; p < k; p++)
                {
                    var prod = (double)a[i * k + p] * (transB ? b[j * k + p] : b[p * n + j]);
                    s += prod;
                    mag += Math.Abs(prod);
                }
                if (accumulate) s += c0[i * n + j];
                Assert.That(c[i * n + j], Is.EqualTo(s).Within(1e-5 * mag + 1e-6), $"{label}: C[{i}, {j}]");
            }
    }

    private static IEnumerable<TestCaseData> Shapes()
    {
        // tile edges: M around MR = 8, N around NR = 32 and NC = 512, K around KC = 256, plus degenerate sizes
        int[][] shapes = [[1, 1, 1], [7, 3, 31], [8, 5, 32], [9, 17, 33], [16, 64, 64], [17, 257, 65], [3, 300, 513], [0, 4, 4], [4, 0, 4], [13, 1, 70]];
        foreach (var s in shapes)
            foreach (var width in new[] { 512, 256, 0 })
                foreach (var transB in new[] { false, true })
                    yield return new TestCaseData(s[0], s[1], s[2], width, transB).SetName($"Multiply_M{s[0]}K{s[1]}N{s[2]}_W{width}_T{transB}_MatchesReference");
    }

    [TestCaseSource(nameof(Shapes))]
    public void Multiply_Shape_MatchesReference(int m, int k, int n, int width, bool transB)
    {
        EngineTiers.Require(width);
        var a = Random(1, m * k);
        var b = Random(2, k * n);
        var c0 = Random(3, m * n);
        foreach (var accumulate in new[] { false, true })
        {
            var c = (float[])c0.Clone();
            Sgemm.MultiplyWithWidth(a, b, c, m, k, n, transB, accumulate, threads: 1, width);
            AssertClose(a, b, c0, c, m, k, n, transB, accumulate, $"accumulate {accumulate}");
        }
    }

    [Test]
    public void Multiply_TwoThreads_BitIdenticalToOne()
    {
        // 5 row blocks of 8 plus a tail: the split puts blocks on different threads; each element's sum order is unchanged.
        const int m = 45, k = 300, n = 70;
        var (a, b) = (Random(4, m * k), Random(5, k * n));
        float[] c1 = new float[m * n], c2 = new float[m * n];
        Sgemm.Multiply(a, b, c1, m, k, n, threads: 1);
        Sgemm.Multiply(a, b, c2, m, k, n, threads: 2);
        Assert.That(c2.Select(BitConverter.SingleToInt32Bits), Is.EqualTo(c1.Select(BitConverter.SingleToInt32Bits)));
    }

    [Test]
    public void Multiply_TwoThreadTeam_BitIdenticalToOneAndAccumulates()
    {
        // Same split as the task path through the persistent team; accumulate adds to C (C = 2·A·B after two calls).
        const int m = 45, k = 300, n = 70;
        var (a, b) = (Random(4, m * k), Random(5, k * n));
        float[] c1 = new float[m * n], c2 = new float[m * n];
        using var team = new ThreadTeam(2);
        Sgemm.Multiply(a, b, c1, m, k, n, threads: 1);
        Sgemm.Multiply(a, b, c2, m, k, n, team: team);
        Assert.That(c2.Select(BitConverter.SingleToInt32Bits), Is.EqualTo(c1.Select(BitConverter.SingleToInt32Bits)));
        Sgemm.Multiply(a, b, c1, m, k, n, accumulate: true);
        Sgemm.Multiply(a, b, c2, m, k, n, accumulate: true, team: team);
        Assert.That(c2.Select(BitConverter.SingleToInt32Bits), Is.EqualTo(c1.Select(BitConverter.SingleToInt32Bits)));
    }

    [Test]
    public void Attention_TwoThreads_BitIdenticalValuesAndGradients()
    {
        // heads are split over threads in fixed chunks; dropout masks are drawn before the split
        (int[] Y, int[] Gq) Run(int threads, ThreadTeam? team = null)
        {
            var rng = new Xoshiro256StarStar(21);
            var q = Tensor<float>.Normal(rng, 1, [5, 6, 4], requiresGrad: true);
            var k = Tensor<float>.Normal(rng, 1, [5, 7, 4], requiresGrad: true);
            var v = Tensor<float>.Normal(rng, 1, [5, 7, 3], requiresGrad: true);
            var t = new Tape<float>(true, new Xoshiro256StarStar(22), threads: threads, team: team);
            var y = t.Attention(q, k, v, default, dropout: 0.2);
            t.Backward(t.Sum(t.Mul(y, y)));
            return (y.Data.Select(BitConverter.SingleToInt32Bits).ToArray(), q.Grad!.Select(BitConverter.SingleToInt32Bits).ToArray());
        }
        var (y1, g1) = Run(1);
        var (y2, g2) = Run(2);
        Assert.That(y2, Is.EqualTo(y1));
        Assert.That(g2, Is.EqualTo(g1));
        using var team = new ThreadTeam(2);
        var (y3, g3) = Run(1, team);
        Assert.That(y3, Is.EqualTo(y1));
        Assert.That(g3, Is.EqualTo(g1));
    }

    private static IEnumerable<TestCaseData> TransposedAShapes()
    {
        // A stored [K, M] read in place by the AVX-512 kernel (copied on the AVX2 path): tile edges in M and K, both widths.
        int[][] shapes = [[8, 5, 32], [9, 17, 33], [17, 257, 65], [64, 600, 256], [3, 300, 513]];
        foreach (var s in shapes)
            foreach (var width in new[] { 512, 256, 0 })
                yield return new TestCaseData(s[0], s[1], s[2], width).SetName($"Multiply_TransposedA_M{s[0]}K{s[1]}N{s[2]}_W{width}_MatchesReference");
    }

    [TestCaseSource(nameof(TransposedAShapes))]
    public void Multiply_TransposedA_MatchesReference(int m, int k, int n, int width)
    {
        EngineTiers.Require(width);
        var a = Random(1, m * k);
        var at = new float[k * m];
        for (var i = 0; i < m; i++)
            for (var p = 0; p < k; p++) at[p * m + i] = a[i * k + p];
        var b = Random(2, k * n);
        var c0 = Random(3, m * n);
        foreach (var accumulate in new[] { false, true })
        {
            var c = (float[])c0.Clone();
            Sgemm.MultiplyWithWidth(at, b, c, m, k, n, false, accumulate, threads: 1, width, transposeA: true);
            AssertClose(a, b, c0, c, m, k, n, false, accumulate, $"accumulate {accumulate}");
        }
    }

    [Test]
    public void Multiply_TransposedATwoThreadTeam_BitIdenticalToOne()
    {
        // The weight-gradient shape dW[64, 256] += Xᵀ·dY with 5000 rows: C's row blocks are split, each element's k order fixed.
        const int m = 64, k = 5000, n = 256;
        var at = Random(4, k * m);
        var b = Random(5, k * n);
        var one = new float[m * n];
        var two = new float[m * n];
        Sgemm.Multiply(at, b, one, m, k, n, transposeA: true);
        using var team = new ThreadTeam(2);
        Sgemm.Multiply(at, b, two, m, k, n, team: team, transposeA: true);
        Assert.That(two, Is.EqualTo(one));
    }

    [TestCase(64, 700, 256, true)]                                                   // dW[in, out] with out > in: columns split
    [TestCase(24, 300, 100, false)]                                                  // N not a multiple of the 32-column strip
    public void Multiply_ColumnSplitTwoThreadTeam_BitIdenticalToOneAndCorrect(int m, int k, int n, bool transposeA)
    {
        // When B is the larger operand the team splits C's columns instead of its rows; each element keeps its K order.
        var a = Random(8, m * k);
        var b = Random(9, k * n);
        var c0 = Random(10, m * n);
        var one = (float[])c0.Clone();
        var two = (float[])c0.Clone();
        Sgemm.Multiply(a, b, one, m, k, n, accumulate: true, transposeA: transposeA);
        using var team = new ThreadTeam(2);
        Sgemm.Multiply(a, b, two, m, k, n, accumulate: true, team: team, transposeA: transposeA);
        Assert.That(two, Is.EqualTo(one));
        var rowMajor = a;
        if (transposeA)
        {
            rowMajor = new float[m * k];
            for (var i = 0; i < m; i++)
                for (var p = 0; p < k; p++) rowMajor[i * k + p] = a[p * m + i];
        }
        AssertClose(rowMajor, b, c0, two, m, k, n, false, true, "column split");
    }

    [Test]
    public void Multiply_ShortDestination_ThrowsWithSizes() =>
        Assert.That(() => Sgemm.Multiply(new float[6], new float[6], new float[8], 2, 3, 2 * 2 + 1),
            Throws.ArgumentException.With.Message.Contains("M=2, K=3, N=5"));

    [Test]
    public void GemmMultiply_FloatTransposedA_MatchesReference()
    {
        // the weight-gradient form dB += Aᵀ·dY goes through a transposed copy of A
        const int m = 20, k = 33, n = 40;
        var at = Random(6, k * m);                                       // A stored [K, M]
        var b = Random(7, k * n);
        var fast = new float[m * n];
        var reference = new float[m * n];
        Gemm.Multiply<float>(at, b, fast, m, k, n, transposeA: true);
        Gemm.Reference<float>(at, b, reference, m, k, n, transposeA: true);
        Assert.That(fast, Is.EqualTo(reference).Within(1e-4f));
    }

    [Test]
    public void Training_TwoThreads_BitIdenticalWeights()
    {
        // Same seed, three AdamW steps of a small MLP whose GEMMs exceed SmallGemm.Threshold (128·64·80 > 64³), so the packed
        // SGEMM splits rows over 2 threads: weights must be bit-identical at 1 and 2 threads (fixed reduction order).
        float[] Train(int threads, ThreadTeam? team = null)
        {
            var rng = new Xoshiro256StarStar(7);
            var x = Tensor<float>.Normal(rng, 1, [128, 64]);
            var y = Tensor<float>.Normal(rng, 1, [128, 1]);
            var l1 = new Linear<float>(64, 80, rng);
            var l2 = new Linear<float>(80, 1, rng);
            var ps = l1.Parameters().Concat(l2.Parameters()).ToList();
            var opt = new AdamW<float>(ps, 1e-2);
            for (var s = 0; s < 3; s++)
            {
                opt.ZeroGrad();
                var t = new Tape<float>(true, new Xoshiro256StarStar(9), threads: threads, team: team);
                t.Backward(t.MseLoss(l2.Forward(t, t.Dropout(t.Gelu(l1.Forward(t, x)), 0.1)), y));
                opt.Step();
            }
            return ps.SelectMany(p => p.Value.Data).ToArray();
        }
        var one = Train(1);
        var two = Train(2);
        Assert.That(two.Select(BitConverter.SingleToInt32Bits), Is.EqualTo(one.Select(BitConverter.SingleToInt32Bits)));
        using var team = new ThreadTeam(2);
        var teamed = Train(1, team);
        Assert.That(teamed.Select(BitConverter.SingleToInt32Bits), Is.EqualTo(one.Select(BitConverter.SingleToInt32Bits)));
    }

    [Test]
    public void Multiply_AllTiers_SameBits()
    {
        // The 512, 256 and scalar kernels run the same packed strips and K-blocks with one FMA per k in increasing order per
        // element, so they agree bit for bit (K = 600 spans three K-blocks; M, N have edge tiles).
        const int m = 21, k = 600, n = 75;
        var a = Random(1, m * k);
        var b = Random(2, k * n);
        float[]? first = null;
        foreach (var width in new[] { 512, 256, 0 })
        {
            if ((SimdTier)width > EngineSimd.Detected) continue;
            var c = Random(3, m * n);
            Sgemm.MultiplyWithWidth(a, b, c, m, k, n, false, accumulate: true, threads: 1, width);
            if (first is null) first = c;
            else Assert.That(c, Is.EqualTo(first), $"width {width}");
        }
    }
}

/// <summary>The unpacked small-problem GEMM against the naive reference, every transpose combination and vector tails.</summary>
public class SmallGemmTests
{
    private static IEnumerable<TestCaseData> Cases()
    {
        int[][] shapes = [[1, 1, 1], [3, 5, 7], [16, 16, 16], [5, 16, 33], [3, 5, 50], [2, 3, 130], [64, 16, 64], [2, 3, 0], [0, 2, 2]];
        foreach (var s in shapes)
            foreach (var ta in new[] { false, true })
                foreach (var tb in new[] { false, true })
                    foreach (var width in new[] { 512, 256, 0 })
                        yield return new TestCaseData(s[0], s[1], s[2], ta, tb, width).SetName($"SmallGemm_M{s[0]}K{s[1]}N{s[2]}_TA{ta}_TB{tb}_W{width}_MatchesReference");
    }

    [TestCaseSource(nameof(Cases))]
    public void Multiply_MatchesReference(int m, int k, int n, bool transA, bool transB, int width)
    {
        var rng = new Xoshiro256StarStar(11);
        float[] R(int len) => Enumerable.Range(0, len).Select(_ => (float)rng.NextGaussian()).ToArray();
        var (a, b, c0) = (R(m * k), R(k * n), R(m * n));
        foreach (var accumulate in new[] { false, true })
        {
            var fast = (float[])c0.Clone();
            var reference = (float[])c0.Clone();
            SmallGemm.MultiplyWithWidth(a, b, fast, m, k, n, transB, accumulate, transA, width);
            Gemm.Reference<float>(a, b, reference, m, k, n, transA, transB, accumulate);
            Assert.That(fast, Is.EqualTo(reference).Within(1e-4f), $"accumulate {accumulate}");   // |values| ≲ 4√K; float rounding ≪ 1e-4
        }
    }
}

/// <summary>The vectorised float GELU against its scalar formula on every vector width and tail.</summary>
public class ActivationsTests
{
    [TestCase(512)]
    [TestCase(256)]
    [TestCase(0)]
    public void Gelu_AllLengths_MatchScalarFormula(int width)
    {
        EngineTiers.Require(width);
        for (var n = 0; n <= 2 * 16 + 3; n++)
        {
            var x = Enumerable.Range(0, n).Select(i => -4f + 8f * i / Math.Max(1, n)).ToArray();
            var y = new float[n];
            var dx = Enumerable.Repeat(0.25f, n).ToArray();
            var dy = Enumerable.Range(0, n).Select(i => 1f - 0.1f * i).ToArray();
            Activations.GeluForward(x, y, (SimdTier)width);
            Activations.GeluBackwardAccumulate(x, dy, dx, (SimdTier)width);
            for (var i = 0; i < n; i++)
            {
                var cdf = 0.5f + 0.5f * Activations.Erf(x[i] * 0.70710678f);
                var pdf = MathF.Exp(-0.5f * x[i] * x[i]) * 0.39894228f;
                Assert.That(y[i], Is.EqualTo(x[i] * cdf).Within(1e-6f), $"n {n}, y[{i}]");
                Assert.That(dx[i], Is.EqualTo(0.25f + dy[i] * (cdf + x[i] * pdf)).Within(1e-6f), $"n {n}, dx[{i}]");
            }
        }
    }

    [Test]
    public void Erf_KnownValues()
    {
        // erf(0.5) = 0.5204998778, erf(1) = 0.8427007929, erf(−2) = −0.9953222650 (tables); A&S 7.1.26 is within 1.5e-7
        Assert.That(Activations.Erf(0.5f), Is.EqualTo(0.5204998778f).Within(3e-7f));
        Assert.That(Activations.Erf(1f), Is.EqualTo(0.8427007929f).Within(3e-7f));
        Assert.That(Activations.Erf(-2f), Is.EqualTo(-0.9953222650f).Within(3e-7f));
    }
}
