using System.Runtime.Intrinsics;
using LeanModels.Models.Engine.Kernels;
using LeanModels.Models.Numerics;

namespace LeanModels.Tests.Models.Engine.Kernels;

/// <summary>The recurrent float kernels against naive double loops, and the vectorised exp / σ / tanh against System.Math.</summary>
public unsafe class RecurrentKernelsTests
{
    private static float[] Random(int n, ulong seed)
    {
        var rng = new Xoshiro256StarStar(seed);
        var a = new float[n];
        for (var i = 0; i < n; i++) a[i] = (float)rng.NextGaussian();
        return a;
    }

    private static double[] Apply(Func<Vector512<float>, Vector512<float>> f, float[] xs)
    {
        var result = new double[xs.Length];
        for (var i = 0; i < xs.Length; i += 16)
        {
            var v = f(Vector512.Create(xs.AsSpan(i, 16)));
            for (var j = 0; j < 16; j++) result[i + j] = v[j];
        }
        return result;
    }

    /// <summary>Grid over [−100, 100] with extra points near 0 and the tanh split at 0.625; a multiple of 16 long.</summary>
    private static float[] Grid()
    {
        var xs = new List<float>();
        for (var i = -20000; i < 20000; i++) xs.Add(i * 0.005f);
        for (var e = -30; e <= 2; e++) { xs.Add(MathF.Pow(10, e)); xs.Add(-MathF.Pow(10, e)); }
        xs.AddRange([0f, 0.6249999f, 0.625f, -0.625f, 87f, -87f, 88.5f, -88.5f, 100f, -100f, 1000f, -1000f]);
        while (xs.Count % 16 != 0) xs.Add(0.1f);
        return xs.ToArray();
    }

    [Test]
    public void Exp_Grid_RelativeErrorBelowThreeUlp()
    {
        EngineTiers.Require(512);
        var xs = Grid().Where(x => x is > -87f and < 88f).ToArray();
        xs = [.. xs, .. Enumerable.Repeat(0f, (16 - xs.Length % 16) % 16)];
        var ys = Apply((Func<Vector512<float>, Vector512<float>>)VectorMath.ExpUnclamped, xs);
        for (var i = 0; i < xs.Length; i++)
            Assert.That(ys[i], Is.EqualTo(Math.Exp(xs[i])).Within(3.6e-7 * Math.Exp(xs[i])), $"exp({xs[i]})");   // 3 ulp = 3·2⁻²³
    }

    private static double[] Apply(Func<Vector256<float>, Vector256<float>> f, float[] xs)
    {
        var result = new double[xs.Length];
        for (var i = 0; i < xs.Length; i += 8)
        {
            var v = f(Vector256.Create(xs.AsSpan(i, 8)));
            for (var j = 0; j < 8; j++) result[i + j] = v[j];
        }
        return result;
    }

    [TestCase(512)]
    [TestCase(256)]
    public void SigmoidAndTanh_Grid_WithinFloatTolerance(int width)
    {
        EngineTiers.Require(width);
        var xs = Grid();
        var s = width == 512 ? Apply((Func<Vector512<float>, Vector512<float>>)RecurrentMath.Sigmoid, xs) : Apply((Func<Vector256<float>, Vector256<float>>)RecurrentMath.Sigmoid, xs);
        var t = width == 512 ? Apply((Func<Vector512<float>, Vector512<float>>)RecurrentMath.Tanh, xs) : Apply((Func<Vector256<float>, Vector256<float>>)RecurrentMath.Tanh, xs);
        for (var i = 0; i < xs.Length; i++)
        {
            double x = xs[i], sig = 1 / (1 + Math.Exp(-x)), th = Math.Tanh(x);
            // σ: 3 ulp relative, or 2e-35 absolute deep in the tail (−x is clamped at 80: σ(−80) = 1.8e−35)
            Assert.That(s[i], Is.EqualTo(sig).Within(3.6e-7 * sig + 2e-35), $"sigmoid({x})");
            // tanh = 1 − 2/(1 + e^{2x}): 3 ulp relative plus 1.5e-7 absolute (the cancellation near 0 costs ≤ 1 ulp of 1)
            Assert.That(t[i], Is.EqualTo(th).Within(3.6e-7 * Math.Abs(th) + 1.5e-7), $"tanh({x})");
        }
    }

    [TestCase(512)]
    [TestCase(256)]
    public void StepGemm_AllModesAndTails_MatchNaive(int width)
    {
        EngineTiers.Require(width);
        foreach (var rows in new[] { 1, 3, 8, 13 })
            foreach (var (k, n) in new[] { (5, 20), (64, 256), (7, 48), (256, 64), (3, 80), (4, 15) })
                for (var mode = 0; mode < 3; mode++)
                {
                    int lda = k + 3, ldc = n + 5;                                            // strided rows, as in [B, T, ·]
                    var a = Random(rows * lda, 1);
                    var b = Random(k * n, 2);
                    var c = Random(rows * ldc, 3);
                    var bias = Random(n, 4);
                    var expected = new double[rows * ldc];
                    for (var r = 0; r < rows; r++)
                        for (var j = 0; j < n; j++)
                        {
                            double s = mode == RecurrentKernels.Accumulate ? c[r * ldc + j] : mode == RecurrentKernels.BiasInit ? bias[j] : 0;
                            for (var p = 0; p < k; p++) s += (double)a[r * lda + p] * b[p * n + j];
                            expected[r * ldc + j] = s;
                        }
                    fixed (float* pa = a, pb = b, pc = c, pbias = bias)
                        if (width == 512) RecurrentKernels.StepGemm(pa, lda, pb, pc, ldc, rows, k, n, mode, pbias); else RecurrentKernels256.StepGemm(pa, lda, pb, pc, ldc, rows, k, n, mode, pbias);
                    for (var r = 0; r < rows; r++)
                        for (var j = 0; j < n; j++)
                            Assert.That(c[r * ldc + j], Is.EqualTo(expected[r * ldc + j]).Within(1e-5 * k), $"rows {rows} k {k} n {n} mode {mode} ({r}, {j})");
                }
    }

    [TestCase(512)]
    [TestCase(256)]
    public void WeightGradientAndColumnSum_SplitColumns_MatchNaiveAndEachOtherBitwise(int width)
    {
        EngineTiers.Require(width);
        foreach (var rows in new[] { 1, 37, 130 })
            foreach (var (kDim, n) in new[] { (3, 20), (6, 80), (62, 256), (5, 192) })
            {
                int lda = kDim + 2, ldd = n + 1;
                var a = Random(rows * lda, 5);
                var d = Random(rows * ldd, 6);
                var w0 = Random(kDim * n, 7);
                var expected = new double[kDim * n];
                var colExpected = new double[n];
                for (var kk = 0; kk < kDim; kk++)
                    for (var j = 0; j < n; j++)
                    {
                        double s = w0[kk * n + j];
                        for (var i = 0; i < rows; i++) s += (double)a[i * lda + kk] * d[i * ldd + j];
                        expected[kk * n + j] = s;
                    }
                for (var j = 0; j < n; j++)
                {
                    double s = w0[j];
                    for (var i = 0; i < rows; i++) s += d[i * ldd + j];
                    colExpected[j] = s;
                }
                var whole = (float[])w0.Clone();
                var split = (float[])w0.Clone();
                var colWhole = w0[..n];
                var colSplit = w0[..n];
                var mid = (n / 16 + 1) / 2 * 16;                                               // a 16-column boundary, as the thread split
                fixed (float* pa = a, pd = d, pw = whole, ps = split, pcw = colWhole, pcs = colSplit)
                {
                    if (width == 512) RecurrentKernels.WeightGradient(pa, lda, pd, ldd, rows, pw, n, kDim, 0, n); else RecurrentKernels256.WeightGradient(pa, lda, pd, ldd, rows, pw, n, kDim, 0, n);
                    if (width == 512) RecurrentKernels.WeightGradient(pa, lda, pd, ldd, rows, ps, n, kDim, 0, mid); else RecurrentKernels256.WeightGradient(pa, lda, pd, ldd, rows, ps, n, kDim, 0, mid);
                    if (width == 512) RecurrentKernels.WeightGradient(pa, lda, pd, ldd, rows, ps, n, kDim, mid, n); else RecurrentKernels256.WeightGradient(pa, lda, pd, ldd, rows, ps, n, kDim, mid, n);
                    if (width == 512) RecurrentKernels.ColumnSum(pd, ldd, rows, pcw, 0, n); else RecurrentKernels256.ColumnSum(pd, ldd, rows, pcw, 0, n);
                    if (width == 512) RecurrentKernels.ColumnSum(pd, ldd, rows, pcs, 0, mid); else RecurrentKernels256.ColumnSum(pd, ldd, rows, pcs, 0, mid);
                    if (width == 512) RecurrentKernels.ColumnSum(pd, ldd, rows, pcs, mid, n); else RecurrentKernels256.ColumnSum(pd, ldd, rows, pcs, mid, n);
                }
                Assert.That(split, Is.EqualTo(whole), $"rows {rows} K {kDim} N {n}: split differs");
                Assert.That(colSplit, Is.EqualTo(colWhole));
                for (var i = 0; i < expected.Length; i++)
                    Assert.That(whole[i], Is.EqualTo(expected[i]).Within(1e-5 * rows + 1e-5), $"rows {rows} K {kDim} N {n} [{i}]");
                for (var j = 0; j < n; j++) Assert.That(colWhole[j], Is.EqualTo(colExpected[j]).Within(1e-5 * rows + 1e-5));
            }
    }

    [Test]
    public void Products_Vector256_SameBitsAsVector512()
    {
        // Every output element is one FMA chain over k (or i) in increasing order on both tiers, so the products agree bit for bit.
        EngineTiers.Require(512);
        const int rows = 11, k = 37, n = 200, lda = 40, ldc = 203;
        var a = Random(rows * lda, 11);
        var b = Random(k * n, 12);
        var bias = Random(n, 13);
        for (var mode = 0; mode < 3; mode++)
        {
            var c512 = Random(rows * ldc, 14);
            var c256 = (float[])c512.Clone();
            var w512 = Random(lda * n, 15);
            var w256 = (float[])w512.Clone();
            fixed (float* pa = a, pb = b, pbias = bias, p5 = c512, p2 = c256, q5 = w512, q2 = w256)
            {
                RecurrentKernels.StepGemm(pa, lda, pb, p5, ldc, rows, k, n, mode, pbias);
                RecurrentKernels256.StepGemm(pa, lda, pb, p2, ldc, rows, k, n, mode, pbias);
                RecurrentKernels.WeightGradient(pa, lda, p5, ldc, rows, q5, n, k, 0, n);
                RecurrentKernels256.WeightGradient(pa, lda, p2, ldc, rows, q2, n, k, 0, n);
                RecurrentKernels.ColumnSum(p5, ldc, rows, q5, 0, n);
                RecurrentKernels256.ColumnSum(p2, ldc, rows, q2, 0, n);
            }
            Assert.That(c256, Is.EqualTo(c512), $"StepGemm mode {mode}");
            Assert.That(w256, Is.EqualTo(w512), $"WeightGradient + ColumnSum, mode {mode}");
        }
    }
}
