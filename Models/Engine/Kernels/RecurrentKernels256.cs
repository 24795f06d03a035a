using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LeanModels.Models.Engine.Kernels;

/// <summary>
/// The <see cref="SimdTier.Vector256"/> tier of <see cref="RecurrentKernels"/> (AVX2 + FMA): the same operations with the same
/// arguments, on 8-lane vectors, for the same time loops (<see cref="RecurrentLoops"/>, which pick this class when
/// <see cref="RecurrentLoops.Args.Wide"/> is false).
/// </summary>
/// <remarks>
/// Determinism as in <see cref="RecurrentKernels"/>: every output element of the products is one FMA chain over k (or i) in
/// increasing order from the same start, whatever block computes it, so the products give the same bits as the Vector512 tier
/// and as any thread split. The cells use <see cref="RecurrentMath.Sigmoid(Vector256{float})"/> / <see cref="RecurrentMath.Tanh(Vector256{float})"/>
/// (an exact division instead of <c>vrcp14ps</c> + Newton), so they agree with the Vector512 tier to float rounding, not bit for bit.
/// Register budget: 16 ymm, so product tiles are 4 rows × 16 columns (8 accumulators).
/// </remarks>
internal static unsafe class RecurrentKernels256
{
    private const int WgRowBlock = 32;

    // ───────────────────────────── per-step product ─────────────────────────────

    /// <summary>As <see cref="RecurrentKernels.StepGemm"/>: C[r, :] (=, +=, = bias +) A[r, :]·B for rows r &lt; rows; columns past
    /// the last multiple of 16 in scalar.</summary>
    public static void StepGemm(float* a, long lda, float* b, float* c, long ldc, int rows, int k, int n, int mode, float* bias)
    {
        var vecCols = n & ~15;
        for (var j = 0; j < vecCols; j += 16)
        {
            var r = 0;
            for (; r + 4 <= rows; r += 4) Block4(a + r * lda, lda, b + j, n, c + r * ldc + j, ldc, k, mode, bias + j);
            for (; r < rows; r++) Block1(a + r * lda, b + j, n, c + r * ldc + j, k, mode, bias + j);
        }
        for (var col = vecCols; col < n; col++)
            for (var r = 0; r < rows; r++)
            {
                var crow = c + r * ldc;
                var arow = a + r * lda;
                var s = mode == RecurrentKernels.BiasInit ? bias[col] : 0f;
                for (var p = 0; p < k; p++) s = MathF.FusedMultiplyAdd(arow[p], b[(long)p * n + col], s);
                crow[col] = mode == RecurrentKernels.Accumulate ? crow[col] + s : s;
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Init(int mode, float* bias) => mode == RecurrentKernels.BiasInit ? Vector256.Load(bias) : Vector256<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(Vector256<float> v, int mode, float* c)
    {
        if (mode == RecurrentKernels.Accumulate) v = Vector256.Load(c) + v;
        v.Store(c);
    }

    private static void Block4(float* a, long lda, float* b, long ldb, float* c, long ldc, int k, int mode, float* bias)
    {
        Vector256<float> c00 = Init(mode, bias), c01 = Init(mode, bias + 8);
        Vector256<float> c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01;
        float* a0 = a, a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda;
        var bp = b;
        for (var p = 0; p < k; p++, bp += ldb)
        {
            var b0 = Vector256.Load(bp);
            var b1 = Vector256.Load(bp + 8);
            var x = Vector256.Create(a0[p]);
            c00 = Vector256.FusedMultiplyAdd(x, b0, c00); c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(a1[p]);
            c10 = Vector256.FusedMultiplyAdd(x, b0, c10); c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            x = Vector256.Create(a2[p]);
            c20 = Vector256.FusedMultiplyAdd(x, b0, c20); c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            x = Vector256.Create(a3[p]);
            c30 = Vector256.FusedMultiplyAdd(x, b0, c30); c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
        }
        Put(c00, mode, c); Put(c01, mode, c + 8);
        Put(c10, mode, c + ldc); Put(c11, mode, c + ldc + 8);
        Put(c20, mode, c + 2 * ldc); Put(c21, mode, c + 2 * ldc + 8);
        Put(c30, mode, c + 3 * ldc); Put(c31, mode, c + 3 * ldc + 8);
    }

    private static void Block1(float* a, float* b, long ldb, float* c, int k, int mode, float* bias)
    {
        Vector256<float> c0 = Init(mode, bias), c1 = Init(mode, bias + 8);
        var bp = b;
        for (var p = 0; p < k; p++, bp += ldb)
        {
            var x = Vector256.Create(a[p]);
            c0 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp), c0);
            c1 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp + 8), c1);
        }
        Put(c0, mode, c);
        Put(c1, mode, c + 8);
    }

    // ───────────────────────────── weight gradient ─────────────────────────────

    /// <summary>As <see cref="RecurrentKernels.WeightGradient"/>: W[k, col] += Σ_{i &lt; rows} A[i, k]·D[i, col] for col in [n0, n1)
    /// (n0 a multiple of 16; columns past the last multiple of 16 from n0 in scalar).</summary>
    public static void WeightGradient(float* a, long lda, float* d, long ldd, int rows, float* w, long ldw, int kDim, int n0, int n1)
    {
        var vecEnd = n0 + ((n1 - n0) & ~15);
        for (var i0 = 0; i0 < rows; i0 += WgRowBlock)
        {
            var ib = Math.Min(WgRowBlock, rows - i0);
            float* ai = a + i0 * lda, di = d + i0 * ldd;
            var kk = 0;
            for (; kk + 4 <= kDim; kk += 4)
                for (var j = n0; j < vecEnd; j += 16) Tile4(ai + kk, lda, di + j, ldd, ib, w + kk * ldw + j, ldw);
            for (; kk < kDim; kk++)
                for (var j = n0; j < vecEnd; j += 16) Tile1(ai + kk, lda, di + j, ldd, ib, w + kk * ldw + j);
            for (var kq = 0; kq < kDim; kq++)
                for (var col = vecEnd; col < n1; col++)
                {
                    var s = w[kq * ldw + col];
                    for (var i = 0; i < ib; i++) s = MathF.FusedMultiplyAdd(ai[i * lda + kq], di[i * ldd + col], s);
                    w[kq * ldw + col] = s;
                }
        }
    }

    /// <summary>4 rows of W (k … k + 3) × 16 columns in registers over the i loop.</summary>
    private static void Tile4(float* a, long lda, float* d, long ldd, int rows, float* w, long ldw)
    {
        Vector256<float> c00 = Vector256.Load(w), c01 = Vector256.Load(w + 8);
        Vector256<float> c10 = Vector256.Load(w + ldw), c11 = Vector256.Load(w + ldw + 8);
        Vector256<float> c20 = Vector256.Load(w + 2 * ldw), c21 = Vector256.Load(w + 2 * ldw + 8);
        Vector256<float> c30 = Vector256.Load(w + 3 * ldw), c31 = Vector256.Load(w + 3 * ldw + 8);
        float* ap = a, dp = d;
        for (var i = 0; i < rows; i++, ap += lda, dp += ldd)
        {
            var d0 = Vector256.Load(dp);
            var d1 = Vector256.Load(dp + 8);
            var x = Vector256.Create(ap[0]);
            c00 = Vector256.FusedMultiplyAdd(x, d0, c00); c01 = Vector256.FusedMultiplyAdd(x, d1, c01);
            x = Vector256.Create(ap[1]);
            c10 = Vector256.FusedMultiplyAdd(x, d0, c10); c11 = Vector256.FusedMultiplyAdd(x, d1, c11);
            x = Vector256.Create(ap[2]);
            c20 = Vector256.FusedMultiplyAdd(x, d0, c20); c21 = Vector256.FusedMultiplyAdd(x, d1, c21);
            x = Vector256.Create(ap[3]);
            c30 = Vector256.FusedMultiplyAdd(x, d0, c30); c31 = Vector256.FusedMultiplyAdd(x, d1, c31);
        }
        c00.Store(w); c01.Store(w + 8);
        c10.Store(w + ldw); c11.Store(w + ldw + 8);
        c20.Store(w + 2 * ldw); c21.Store(w + 2 * ldw + 8);
        c30.Store(w + 3 * ldw); c31.Store(w + 3 * ldw + 8);
    }

    private static void Tile1(float* a, long lda, float* d, long ldd, int rows, float* w)
    {
        Vector256<float> c0 = Vector256.Load(w), c1 = Vector256.Load(w + 8);
        float* ap = a, dp = d;
        for (var i = 0; i < rows; i++, ap += lda, dp += ldd)
        {
            var x = Vector256.Create(ap[0]);
            c0 = Vector256.FusedMultiplyAdd(x, Vector256.Load(dp), c0);
            c1 = Vector256.FusedMultiplyAdd(x, Vector256.Load(dp + 8), c1);
        }
        c0.Store(w);
        c1.Store(w + 8);
    }

    /// <summary>As <see cref="RecurrentKernels.ColumnSum"/>: acc[col] += Σ_{i &lt; rows} D[i, col], i in increasing order.</summary>
    public static void ColumnSum(float* d, long ldd, int rows, float* acc, int n0, int n1)
    {
        var vecEnd = n0 + ((n1 - n0) & ~15);
        for (var j = n0; j < vecEnd; j += 8)
        {
            var s = Vector256.Load(acc + j);
            var dp = d + j;
            for (var i = 0; i < rows; i++, dp += ldd) s += Vector256.Load(dp);
            s.Store(acc + j);
        }
        for (var col = vecEnd; col < n1; col++)
        {
            var s = acc[col];
            for (var i = 0; i < rows; i++) s += d[i * ldd + col];
            acc[col] = s;
        }
    }

    // ───────────────────────────── cells ─────────────────────────────
    // Same equations and two-pass structure as RecurrentKernels; a last partial vector (H not a multiple of 8) is staged through
    // zero-padded 8-wide stack copies and run through the same code with H = 8.

    private static void Gather(float* src, int h, float* dst, int blocks, int count)
    {
        for (var q = 0; q < blocks; q++)
            for (var i = 0; i < count; i++) dst[q * 8 + i] = src[q * h + i];
    }

    private static void Scatter(float* src, float* dst, int h, int blocks, int count)
    {
        for (var q = 0; q < blocks; q++)
            for (var i = 0; i < count; i++) dst[q * h + i] = src[q * 8 + i];
    }

    /// <summary>As <see cref="RecurrentKernels.LstmCellForward"/>.</summary>
    public static void LstmCellForward(float* g, float* bias, float* cPrev, float* c, float* y, int h)
    {
        var full = h & ~7;
        for (var j = 0; j < full; j += 8)
        {
            RecurrentMath.Sigmoid(Vector256.Load(g + j) + Vector256.Load(bias + j)).Store(g + j);
            RecurrentMath.Sigmoid(Vector256.Load(g + h + j) + Vector256.Load(bias + h + j)).Store(g + h + j);
            RecurrentMath.Tanh(Vector256.Load(g + 2 * h + j) + Vector256.Load(bias + 2 * h + j)).Store(g + 2 * h + j);
            RecurrentMath.Sigmoid(Vector256.Load(g + 3 * h + j) + Vector256.Load(bias + 3 * h + j)).Store(g + 3 * h + j);
        }
        for (var j = 0; j < full; j += 8)
        {
            var ig = Vector256.Load(g + j) * Vector256.Load(g + 2 * h + j);
            var vc = cPrev is null ? ig : Vector256.FusedMultiplyAdd(Vector256.Load(g + h + j), Vector256.Load(cPrev + j), ig);
            vc.Store(c + j);
            (Vector256.Load(g + 3 * h + j) * RecurrentMath.Tanh(vc)).Store(y + j);
        }
        if (full < h) TailLstmForward(g + full, bias + full, cPrev is null ? null : cPrev + full, c + full, y + full, h, h - full);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void TailLstmForward(float* g, float* bias, float* cPrev, float* c, float* y, int h, int m)
    {
        float* tg = stackalloc float[32], tb = stackalloc float[32], tcp = stackalloc float[8], tcc = stackalloc float[8], ty = stackalloc float[8];
        new Span<float>(tg, 32).Clear(); new Span<float>(tb, 32).Clear(); new Span<float>(tcp, 8).Clear();
        Gather(g, h, tg, 4, m);
        Gather(bias, h, tb, 4, m);
        if (cPrev is not null) Gather(cPrev, h, tcp, 1, m);
        LstmCellForward(tg, tb, cPrev is null ? null : tcp, tcc, ty, 8);
        Scatter(tg, g, h, 4, m);
        Scatter(tcc, c, h, 1, m);
        Scatter(ty, y, h, 1, m);
    }

    /// <summary>As <see cref="RecurrentKernels.LstmCellBackward"/>.</summary>
    public static void LstmCellBackward(float* g, float* da, float* cPrev, float* c, float* gy, float* dhNext, float* dcNext, int h)
    {
        var one = Vector256<float>.One;
        var full = h & ~7;
        for (var j = 0; j < full; j += 8)
        {
            Vector256<float> vi = Vector256.Load(g + j), vf = Vector256.Load(g + h + j), vg = Vector256.Load(g + 2 * h + j), vo = Vector256.Load(g + 3 * h + j);
            var vt = RecurrentMath.Tanh(Vector256.Load(c + j));
            var cp = cPrev is null ? Vector256<float>.Zero : Vector256.Load(cPrev + j);
            var dh = Vector256.Load(dhNext + j);
            if (gy is not null) dh += Vector256.Load(gy + j);
            var dc = Vector256.FusedMultiplyAdd(dh * vo, one - vt * vt, Vector256.Load(dcNext + j));
            (dc * vg * vi * (one - vi)).Store(da + j);
            (dc * cp * vf * (one - vf)).Store(da + h + j);
            (dc * vi * (one - vg * vg)).Store(da + 2 * h + j);
            (dh * vt * vo * (one - vo)).Store(da + 3 * h + j);
            (dc * vf).Store(dcNext + j);
        }
        if (full < h)
            TailLstmBackward(g + full, da + full, cPrev is null ? null : cPrev + full, c + full, gy is null ? null : gy + full, dhNext + full, dcNext + full, h, h - full);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void TailLstmBackward(float* g, float* da, float* cPrev, float* c, float* gy, float* dhNext, float* dcNext, int h, int m)
    {
        float* tg = stackalloc float[32], tcp = stackalloc float[8], tcc = stackalloc float[8], tgy = stackalloc float[8], tdh = stackalloc float[8], tdc = stackalloc float[8];
        new Span<float>(tg, 32).Clear(); new Span<float>(tcp, 8).Clear(); new Span<float>(tcc, 8).Clear();
        new Span<float>(tgy, 8).Clear(); new Span<float>(tdh, 8).Clear(); new Span<float>(tdc, 8).Clear();
        Gather(g, h, tg, 4, m);
        if (cPrev is not null) Gather(cPrev, h, tcp, 1, m);
        Gather(c, h, tcc, 1, m);
        if (gy is not null) Gather(gy, h, tgy, 1, m);
        Gather(dhNext, h, tdh, 1, m);
        Gather(dcNext, h, tdc, 1, m);
        LstmCellBackward(tg, tg, cPrev is null ? null : tcp, tcc, gy is null ? null : tgy, tdh, tdc, 8);
        Scatter(tg, da, h, 4, m);
        Scatter(tdc, dcNext, h, 1, m);
    }

    /// <summary>As <see cref="RecurrentKernels.GruCellForward"/>.</summary>
    public static void GruCellForward(float* g, float* biasIh, float* hh, float* hPrev, float* y, int h)
    {
        var full = h & ~7;
        for (var j = 0; j < full; j += 8)
        {
            RecurrentMath.Sigmoid(Vector256.Load(g + j) + Vector256.Load(biasIh + j) + Vector256.Load(hh + j)).Store(g + j);
            RecurrentMath.Sigmoid(Vector256.Load(g + h + j) + Vector256.Load(biasIh + h + j) + Vector256.Load(hh + h + j)).Store(g + h + j);
        }
        for (var j = 0; j < full; j += 8)
        {
            var n = RecurrentMath.Tanh(Vector256.FusedMultiplyAdd(Vector256.Load(g + j), Vector256.Load(hh + 2 * h + j),
                Vector256.Load(g + 2 * h + j) + Vector256.Load(biasIh + 2 * h + j)));
            n.Store(g + 2 * h + j);
            var hp = hPrev is null ? Vector256<float>.Zero : Vector256.Load(hPrev + j);
            Vector256.FusedMultiplyAdd(Vector256.Load(g + h + j), hp - n, n).Store(y + j);
        }
        if (full < h) TailGruForward(g + full, biasIh + full, hh + full, hPrev is null ? null : hPrev + full, y + full, h, h - full);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void TailGruForward(float* g, float* biasIh, float* hh, float* hPrev, float* y, int h, int m)
    {
        float* tg = stackalloc float[24], tb = stackalloc float[24], thh = stackalloc float[24], thp = stackalloc float[8], ty = stackalloc float[8];
        new Span<float>(tg, 24).Clear(); new Span<float>(tb, 24).Clear(); new Span<float>(thh, 24).Clear(); new Span<float>(thp, 8).Clear();
        Gather(g, h, tg, 3, m);
        Gather(biasIh, h, tb, 3, m);
        Gather(hh, h, thh, 3, m);
        if (hPrev is not null) Gather(hPrev, h, thp, 1, m);
        GruCellForward(tg, tb, thh, hPrev is null ? null : thp, ty, 8);
        Scatter(tg, g, h, 3, m);
        Scatter(ty, y, h, 1, m);
    }

    /// <summary>As <see cref="RecurrentKernels.GruCellBackward"/>.</summary>
    public static void GruCellBackward(float* g, float* hn, float* dx, float* dhh, float* hPrev, float* gy, float* dhNext, int h)
    {
        var one = Vector256<float>.One;
        var full = h & ~7;
        for (var j = 0; j < full; j += 8)
        {
            Vector256<float> vr = Vector256.Load(g + j), vz = Vector256.Load(g + h + j), vn = Vector256.Load(g + 2 * h + j), vhn = Vector256.Load(hn + j);
            var hp = hPrev is null ? Vector256<float>.Zero : Vector256.Load(hPrev + j);
            var dh = Vector256.Load(dhNext + j);
            if (gy is not null) dh += Vector256.Load(gy + j);
            var dan = dh * (one - vz) * (one - vn * vn);
            var dar = dan * vhn * vr * (one - vr);
            var daz = dh * (hp - vn) * vz * (one - vz);
            dar.Store(dx + j); daz.Store(dx + h + j); dan.Store(dx + 2 * h + j);
            dar.Store(dhh + j); daz.Store(dhh + h + j); (dan * vr).Store(dhh + 2 * h + j);
            (dh * vz).Store(dhNext + j);
        }
        if (full < h)
            TailGruBackward(g + full, hn + full, dx + full, dhh + full, hPrev is null ? null : hPrev + full, gy is null ? null : gy + full, dhNext + full, h, h - full);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void TailGruBackward(float* g, float* hn, float* dx, float* dhh, float* hPrev, float* gy, float* dhNext, int h, int m)
    {
        float* tg = stackalloc float[24], thn = stackalloc float[8], tdx = stackalloc float[24], tdhh = stackalloc float[24], thp = stackalloc float[8],
            tgy = stackalloc float[8], tdh = stackalloc float[8];
        new Span<float>(tg, 24).Clear(); new Span<float>(thn, 8).Clear(); new Span<float>(thp, 8).Clear();
        new Span<float>(tgy, 8).Clear(); new Span<float>(tdh, 8).Clear();
        Gather(g, h, tg, 3, m);
        Gather(hn, h, thn, 1, m);
        if (hPrev is not null) Gather(hPrev, h, thp, 1, m);
        if (gy is not null) Gather(gy, h, tgy, 1, m);
        Gather(dhNext, h, tdh, 1, m);
        GruCellBackward(tg, thn, tdx, tdhh, hPrev is null ? null : thp, gy is null ? null : tgy, tdh, 8);
        Scatter(tdx, dx, h, 3, m);
        Scatter(tdhh, dhh, h, 3, m);
        Scatter(tdh, dhNext, h, 1, m);
    }
}
