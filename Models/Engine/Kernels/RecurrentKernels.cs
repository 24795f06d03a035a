using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static LeanModels.Models.Engine.Kernels.RecurrentMath;

namespace LeanModels.Models.Engine.Kernels;

/// <summary>
/// AVX-512 float kernels of the fused LSTM / GRU recurrences (<c>Tape.LstmSequence</c>, <c>Tape.GruSequence</c>): the
/// per-step recurrent product on strided rows (<see cref="StepGemm"/>), the weight gradient Σᵢ aᵢᵀ·dᵢ (<see cref="WeightGradient"/>),
/// column sums (<see cref="ColumnSum"/>), and one pass per row for each cell's forward and backward.
/// </summary>
/// <remarks>
/// Determinism: every output element is one FMA chain over k (or i) in increasing order, started from the same value,
/// whether it is computed in a register block, a one-row block or the scalar column tail (a vector FMA and
/// <see cref="MathF.FusedMultiplyAdd"/> round identically). So how rows or columns are grouped into blocks, and hence into
/// thread chunks, never changes a bit. Block shapes are generic struct arguments (<see cref="IConst"/>) that the JIT folds
/// into constants, so each shape compiles to straight-line code.
/// </remarks>
internal static unsafe class RecurrentKernels
{
    /// <summary>Modes of <see cref="StepGemm"/>: C = A·B, C += A·B, C = bias + A·B.</summary>
    public const int Overwrite = 0, Accumulate = 1, BiasInit = 2;

    /// <summary>Rows of D per block in <see cref="WeightGradient"/> (32 rows × 1 KB stays in L1).</summary>
    private const int WgRowBlock = 32;

    /// <summary>A compile-time integer for block shapes.</summary>
    internal interface IConst
    {
        static abstract int Value { get; }
    }

    private struct N1 : IConst { public static int Value => 1; }
    private struct N2 : IConst { public static int Value => 2; }
    private struct N3 : IConst { public static int Value => 3; }
    private struct N4 : IConst { public static int Value => 4; }
    private struct N8 : IConst { public static int Value => 8; }

    /// <summary>Prefetches <paramref name="rows"/> rows of <paramref name="floats"/> floats, <paramref name="stride"/> apart,
    /// into L1 (<c>prefetcht0</c>): the recurrences touch each step's rows of the [B, T, ·] buffers ~T·width·4 bytes apart,
    /// a pattern the hardware prefetchers miss, so the next step's rows are requested one step ahead.</summary>
    public static void Prefetch(float* p, long stride, int rows, int floats)
    {
        for (var r = 0; r < rows; r++)
        {
            var q = (byte*)(p + r * stride);
            for (var off = 0; off <= floats * 4; off += 64) Sse.Prefetch0(q + off);
        }
    }

    // ───────────────────────────── per-step product ─────────────────────────────

    /// <summary>
    /// C[r, :] (=, +=, = bias +) A[r, :]·B (Accumulate adds C to the finished product) for rows r &lt; <paramref name="rows"/>: A rows at a + r·lda ([K] each), B [K, N]
    /// row-major, C rows at c + r·ldc ([N] each). Columns in strips of 32 (B strip ≤ 32 KB stays in L1) outer, blocks of
    /// 8, 4, 1 rows inner; a 16-column strip, then scalar columns finish N.
    /// </summary>
    public static void StepGemm(float* a, long lda, float* b, float* c, long ldc, int rows, int k, int n, int mode, float* bias)
    {
        var vecCols = n & ~15;
        var j = 0;
        for (; j + 32 <= vecCols; j += 32)
        {
            var r = 0;
            for (; r + 8 <= rows; r += 8) Block<N8, N2>(a + r * lda, lda, b + j, n, c + r * ldc + j, ldc, k, mode, bias + j);
            for (; r + 4 <= rows; r += 4) Block<N4, N2>(a + r * lda, lda, b + j, n, c + r * ldc + j, ldc, k, mode, bias + j);
            for (; r < rows; r++) Block<N1, N2>(a + r * lda, lda, b + j, n, c + r * ldc + j, ldc, k, mode, bias + j);
        }
        if (j < vecCols)
        {
            var r = 0;
            for (; r + 8 <= rows; r += 8) Block<N8, N1>(a + r * lda, lda, b + j, n, c + r * ldc + j, ldc, k, mode, bias + j);
            for (; r < rows; r++) Block<N1, N1>(a + r * lda, lda, b + j, n, c + r * ldc + j, ldc, k, mode, bias + j);
        }
        for (var col = vecCols; col < n; col++)
            for (var r = 0; r < rows; r++)
            {
                var crow = c + r * ldc;
                var arow = a + r * lda;
                var s = mode == BiasInit ? bias[col] : 0f;
                for (var p = 0; p < k; p++) s = MathF.FusedMultiplyAdd(arow[p], b[(long)p * n + col], s);
                crow[col] = mode == Accumulate ? crow[col] + s : s;
            }
    }

    /// <summary>Accumulators start at the bias (BiasInit) or zero; in Accumulate mode C is added after the K loop
    /// (C + Σ, so the loop never waits on C's cache misses).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Init(int mode, float* bias) => mode == BiasInit ? Vector512.Load(bias) : Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(Vector512<float> v, int mode, float* c)
    {
        if (mode == Accumulate) v = Vector512.Load(c) + v;
        v.Store(c);
    }

    /// <summary>TR rows × TV vectors of C in registers over the whole K loop.</summary>
    private static void Block<TR, TV>(float* a, long lda, float* b, long ldb, float* c, long ldc, int k, int mode, float* bias)
        where TR : struct, IConst where TV : struct, IConst
    {
        int rr = TR.Value, vv = TV.Value;
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
        c00 = Init(mode, bias);
        if (vv > 1) c01 = Init(mode, bias + 16);
        if (rr > 1)
        {
            c10 = Init(mode, bias);
            if (vv > 1) c11 = Init(mode, bias + 16);
            c20 = Init(mode, bias);
            if (vv > 1) c21 = Init(mode, bias + 16);
            c30 = Init(mode, bias);
            if (vv > 1) c31 = Init(mode, bias + 16);
        }
        if (rr > 4)
        {
            c40 = Init(mode, bias);
            if (vv > 1) c41 = Init(mode, bias + 16);
            c50 = Init(mode, bias);
            if (vv > 1) c51 = Init(mode, bias + 16);
            c60 = Init(mode, bias);
            if (vv > 1) c61 = Init(mode, bias + 16);
            c70 = Init(mode, bias);
            if (vv > 1) c71 = Init(mode, bias + 16);
        }
        var bp = b;
        for (var p = 0; p < k; p++, bp += ldb)
        {
            var b0 = Vector512.Load(bp);
            var b1 = vv > 1 ? Vector512.Load(bp + 16) : default;
            var x = Vector512.Create(a[p]);
            c00 = Vector512.FusedMultiplyAdd(x, b0, c00);
            if (vv > 1) c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
            if (rr > 1)
            {
                x = Vector512.Create(a[lda + p]);
                c10 = Vector512.FusedMultiplyAdd(x, b0, c10);
                if (vv > 1) c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
                x = Vector512.Create(a[2 * lda + p]);
                c20 = Vector512.FusedMultiplyAdd(x, b0, c20);
                if (vv > 1) c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
                x = Vector512.Create(a[3 * lda + p]);
                c30 = Vector512.FusedMultiplyAdd(x, b0, c30);
                if (vv > 1) c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
            }
            if (rr > 4)
            {
                x = Vector512.Create(a[4 * lda + p]);
                c40 = Vector512.FusedMultiplyAdd(x, b0, c40);
                if (vv > 1) c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
                x = Vector512.Create(a[5 * lda + p]);
                c50 = Vector512.FusedMultiplyAdd(x, b0, c50);
                if (vv > 1) c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
                x = Vector512.Create(a[6 * lda + p]);
                c60 = Vector512.FusedMultiplyAdd(x, b0, c60);
                if (vv > 1) c61 = Vector512.FusedMultiplyAdd(x, b1, c61);
                x = Vector512.Create(a[7 * lda + p]);
                c70 = Vector512.FusedMultiplyAdd(x, b0, c70);
                if (vv > 1) c71 = Vector512.FusedMultiplyAdd(x, b1, c71);
            }
        }
        Put(c00, mode, c);
        if (vv > 1) Put(c01, mode, c + 16);
        if (rr > 1)
        {
            Put(c10, mode, c + ldc);
            if (vv > 1) Put(c11, mode, c + ldc + 16);
            Put(c20, mode, c + 2 * ldc);
            if (vv > 1) Put(c21, mode, c + 2 * ldc + 16);
            Put(c30, mode, c + 3 * ldc);
            if (vv > 1) Put(c31, mode, c + 3 * ldc + 16);
        }
        if (rr > 4)
        {
            Put(c40, mode, c + 4 * ldc);
            if (vv > 1) Put(c41, mode, c + 4 * ldc + 16);
            Put(c50, mode, c + 5 * ldc);
            if (vv > 1) Put(c51, mode, c + 5 * ldc + 16);
            Put(c60, mode, c + 6 * ldc);
            if (vv > 1) Put(c61, mode, c + 6 * ldc + 16);
            Put(c70, mode, c + 7 * ldc);
            if (vv > 1) Put(c71, mode, c + 7 * ldc + 16);
        }
    }

    // ───────────────────────────── weight gradient ─────────────────────────────

    /// <summary>
    /// W[k, col] += Σ_{i &lt; rows} A[i, k]·D[i, col] for k &lt; K and col in [n0, n1): A rows at a + i·lda, D rows at d + i·ldd,
    /// W [K, ldw]. n0 must be a multiple of 16 and n1 either one too or the matrix's last column + 1 (so a column is
    /// vectorised or scalar by its global index alone). Rows in blocks of 128 (D block in L2), tiles of 4 k × 4 vectors.
    /// </summary>
    public static void WeightGradient(float* a, long lda, float* d, long ldd, int rows, float* w, long ldw, int kDim, int n0, int n1)
    {
        var vecEnd = n0 + ((n1 - n0) & ~15);
        for (var i0 = 0; i0 < rows; i0 += WgRowBlock)
        {
            var ib = Math.Min(WgRowBlock, rows - i0);
            float* ai = a + i0 * lda, di = d + i0 * ldd;
            var kk = 0;
            for (; kk + 4 <= kDim; kk += 4) TileRow<N4>(ai + kk, lda, di, ldd, ib, w + kk * ldw, ldw, n0, vecEnd);
            for (; kk < kDim; kk++) TileRow<N1>(ai + kk, lda, di, ldd, ib, w + kk * ldw, ldw, n0, vecEnd);
            for (var kq = 0; kq < kDim; kq++)
                for (var col = vecEnd; col < n1; col++)
                {
                    var s = w[kq * ldw + col];
                    for (var i = 0; i < ib; i++) s = MathF.FusedMultiplyAdd(ai[i * lda + kq], di[i * ldd + col], s);
                    w[kq * ldw + col] = s;
                }
        }
    }

    private static void TileRow<TK>(float* a, long lda, float* d, long ldd, int rows, float* w, long ldw, int n0, int vecEnd) where TK : struct, IConst
    {
        var j = n0;
        for (; j + 64 <= vecEnd; j += 64) Tile<TK, N4>(a, lda, d + j, ldd, rows, w + j, ldw);
        switch ((vecEnd - j) / 16)
        {
            case 3: Tile<TK, N3>(a, lda, d + j, ldd, rows, w + j, ldw); break;
            case 2: Tile<TK, N2>(a, lda, d + j, ldd, rows, w + j, ldw); break;
            case 1: Tile<TK, N1>(a, lda, d + j, ldd, rows, w + j, ldw); break;
        }
    }

    /// <summary>TK (≤ 4) rows of W (ldw apart) × TV (≤ 4) vectors in registers over the i loop.</summary>
    private static void Tile<TK, TV>(float* a, long lda, float* d, long ldd, int rows, float* w, long ldw) where TK : struct, IConst where TV : struct, IConst
    {
        int kk = TK.Value, vv = TV.Value;
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default, c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c23 = default, c30 = default, c31 = default, c32 = default, c33 = default;
        c00 = Vector512.Load(w);
        if (vv > 1) c01 = Vector512.Load(w + 16);
        if (vv > 2) c02 = Vector512.Load(w + 32);
        if (vv > 3) c03 = Vector512.Load(w + 48);
        if (kk > 1)
        {
            c10 = Vector512.Load(w + ldw);
            if (vv > 1) c11 = Vector512.Load(w + ldw + 16);
            if (vv > 2) c12 = Vector512.Load(w + ldw + 32);
            if (vv > 3) c13 = Vector512.Load(w + ldw + 48);
            c20 = Vector512.Load(w + 2 * ldw);
            if (vv > 1) c21 = Vector512.Load(w + 2 * ldw + 16);
            if (vv > 2) c22 = Vector512.Load(w + 2 * ldw + 32);
            if (vv > 3) c23 = Vector512.Load(w + 2 * ldw + 48);
            c30 = Vector512.Load(w + 3 * ldw);
            if (vv > 1) c31 = Vector512.Load(w + 3 * ldw + 16);
            if (vv > 2) c32 = Vector512.Load(w + 3 * ldw + 32);
            if (vv > 3) c33 = Vector512.Load(w + 3 * ldw + 48);
        }
        float* ap = a, dp = d;
        for (var i = 0; i < rows; i++, ap += lda, dp += ldd)
        {
            var d0 = Vector512.Load(dp);
            var d1 = vv > 1 ? Vector512.Load(dp + 16) : default;
            var d2 = vv > 2 ? Vector512.Load(dp + 32) : default;
            var d3 = vv > 3 ? Vector512.Load(dp + 48) : default;
            var x = Vector512.Create(ap[0]);
            c00 = Vector512.FusedMultiplyAdd(x, d0, c00);
            if (vv > 1) c01 = Vector512.FusedMultiplyAdd(x, d1, c01);
            if (vv > 2) c02 = Vector512.FusedMultiplyAdd(x, d2, c02);
            if (vv > 3) c03 = Vector512.FusedMultiplyAdd(x, d3, c03);
            if (kk > 1)
            {
                x = Vector512.Create(ap[1]);
                c10 = Vector512.FusedMultiplyAdd(x, d0, c10);
                if (vv > 1) c11 = Vector512.FusedMultiplyAdd(x, d1, c11);
                if (vv > 2) c12 = Vector512.FusedMultiplyAdd(x, d2, c12);
                if (vv > 3) c13 = Vector512.FusedMultiplyAdd(x, d3, c13);
                x = Vector512.Create(ap[2]);
                c20 = Vector512.FusedMultiplyAdd(x, d0, c20);
                if (vv > 1) c21 = Vector512.FusedMultiplyAdd(x, d1, c21);
                if (vv > 2) c22 = Vector512.FusedMultiplyAdd(x, d2, c22);
                if (vv > 3) c23 = Vector512.FusedMultiplyAdd(x, d3, c23);
                x = Vector512.Create(ap[3]);
                c30 = Vector512.FusedMultiplyAdd(x, d0, c30);
                if (vv > 1) c31 = Vector512.FusedMultiplyAdd(x, d1, c31);
                if (vv > 2) c32 = Vector512.FusedMultiplyAdd(x, d2, c32);
                if (vv > 3) c33 = Vector512.FusedMultiplyAdd(x, d3, c33);
            }
        }
        c00.Store(w);
        if (vv > 1) c01.Store(w + 16);
        if (vv > 2) c02.Store(w + 32);
        if (vv > 3) c03.Store(w + 48);
        if (kk > 1)
        {
            c10.Store(w + ldw);
            if (vv > 1) c11.Store(w + ldw + 16);
            if (vv > 2) c12.Store(w + ldw + 32);
            if (vv > 3) c13.Store(w + ldw + 48);
            c20.Store(w + 2 * ldw);
            if (vv > 1) c21.Store(w + 2 * ldw + 16);
            if (vv > 2) c22.Store(w + 2 * ldw + 32);
            if (vv > 3) c23.Store(w + 2 * ldw + 48);
            c30.Store(w + 3 * ldw);
            if (vv > 1) c31.Store(w + 3 * ldw + 16);
            if (vv > 2) c32.Store(w + 3 * ldw + 32);
            if (vv > 3) c33.Store(w + 3 * ldw + 48);
        }
    }

    /// <summary>acc[col] += Σ_{i &lt; rows} D[i, col] for col in [n0, n1) (same column rule as <see cref="WeightGradient"/>),
    /// i in increasing order.</summary>
    public static void ColumnSum(float* d, long ldd, int rows, float* acc, int n0, int n1)
    {
        var vecEnd = n0 + ((n1 - n0) & ~15);
        for (var j = n0; j < vecEnd; j += 16)
        {
            var s = Vector512.Load(acc + j);
            var dp = d + j;
            for (var i = 0; i < rows; i++, dp += ldd) s += Vector512.Load(dp);
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
    // Each forward cell runs in two passes over the row: first every gate activation (independent, so the out-of-order core
    // overlaps the long σ / tanh chains), then the state update. When H is not a multiple of 16 the last partial vector is
    // staged through zero-padded stack copies and run through the same code with H = 16 (Tail* methods), so the main loops
    // stay branch-free.

    /// <summary>Copies <paramref name="count"/> floats of each of <paramref name="blocks"/> blocks (stride <paramref name="h"/>
    /// at <paramref name="src"/>, stride 16 at <paramref name="dst"/>).</summary>
    private static void Gather(float* src, int h, float* dst, int blocks, int count)
    {
        for (var q = 0; q < blocks; q++)
            for (var i = 0; i < count; i++) dst[q * 16 + i] = src[q * h + i];
    }

    private static void Scatter(float* src, float* dst, int h, int blocks, int count)
    {
        for (var q = 0; q < blocks; q++)
            for (var i = 0; i < count; i++) dst[q * h + i] = src[q * 16 + i];
    }

    /// <summary>
    /// One row of one step: g [4H] holds a − b (x·W_ih + h·W_hh) and is overwritten with the activated gates i, f, g, o;
    /// c = f⊙cPrev + i⊙g (cPrev null at t = 0; cPrev may be c itself), y = o⊙tanh c (tanh c is not stored: backward
    /// recomputes it from c with the same code, so bit for bit).
    /// </summary>
    public static void LstmCellForward(float* g, float* bias, float* cPrev, float* c, float* y, int h)
    {
        var full = h & ~15;
        for (var j = 0; j < full; j += 16)
        {
            Sigmoid(Vector512.Load(g + j) + Vector512.Load(bias + j)).Store(g + j);
            Sigmoid(Vector512.Load(g + h + j) + Vector512.Load(bias + h + j)).Store(g + h + j);
            Tanh(Vector512.Load(g + 2 * h + j) + Vector512.Load(bias + 2 * h + j)).Store(g + 2 * h + j);
            Sigmoid(Vector512.Load(g + 3 * h + j) + Vector512.Load(bias + 3 * h + j)).Store(g + 3 * h + j);
        }
        for (var j = 0; j < full; j += 16)
        {
            var ig = Vector512.Load(g + j) * Vector512.Load(g + 2 * h + j);
            var vc = cPrev is null ? ig : Vector512.FusedMultiplyAdd(Vector512.Load(g + h + j), Vector512.Load(cPrev + j), ig);
            vc.Store(c + j);
            (Vector512.Load(g + 3 * h + j) * Tanh(vc)).Store(y + j);
        }
        if (full < h) TailLstmForward(g + full, bias + full, cPrev is null ? null : cPrev + full, c + full, y + full, h, h - full);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void TailLstmForward(float* g, float* bias, float* cPrev, float* c, float* y, int h, int m)
    {
        float* tg = stackalloc float[64], tb = stackalloc float[64], tcp = stackalloc float[16], tcc = stackalloc float[16], ty = stackalloc float[16];
        new Span<float>(tg, 64).Clear(); new Span<float>(tb, 64).Clear(); new Span<float>(tcp, 16).Clear();
        Gather(g, h, tg, 4, m);
        Gather(bias, h, tb, 4, m);
        if (cPrev is not null) Gather(cPrev, h, tcp, 1, m);
        LstmCellForward(tg, tb, cPrev is null ? null : tcp, tcc, ty, 16);
        Scatter(tg, g, h, 4, m);
        Scatter(tcc, c, h, 1, m);
        Scatter(ty, y, h, 1, m);
    }

    /// <summary>
    /// One row of one step backward: g [4H] holds i, f, g, o and c [H] this step's cell state; da [4H] receives ∂L/∂a (may be
    /// g itself); tc = tanh c (recomputed); dh = gy + dhNext (gy null: no output gradient); dc = dh⊙o⊙(1 − tc²) + dcNext;
    /// dcNext ← dc⊙f.
    /// </summary>
    public static void LstmCellBackward(float* g, float* da, float* cPrev, float* c, float* gy, float* dhNext, float* dcNext, int h)
    {
        var one = Vector512<float>.One;
        var full = h & ~15;
        for (var j = 0; j < full; j += 16)
        {
            Vector512<float> vi = Vector512.Load(g + j), vf = Vector512.Load(g + h + j), vg = Vector512.Load(g + 2 * h + j), vo = Vector512.Load(g + 3 * h + j);
            var vt = Tanh(Vector512.Load(c + j));
            var cp = cPrev is null ? Vector512<float>.Zero : Vector512.Load(cPrev + j);
            var dh = Vector512.Load(dhNext + j);
            if (gy is not null) dh += Vector512.Load(gy + j);
            var dc = Vector512.FusedMultiplyAdd(dh * vo, one - vt * vt, Vector512.Load(dcNext + j));
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
        float* tg = stackalloc float[64], tcp = stackalloc float[16], tcc = stackalloc float[16], tgy = stackalloc float[16], tdh = stackalloc float[16], tdc = stackalloc float[16];
        new Span<float>(tg, 64).Clear(); new Span<float>(tcp, 16).Clear(); new Span<float>(tcc, 16).Clear();
        new Span<float>(tgy, 16).Clear(); new Span<float>(tdh, 16).Clear(); new Span<float>(tdc, 16).Clear();
        Gather(g, h, tg, 4, m);
        if (cPrev is not null) Gather(cPrev, h, tcp, 1, m);
        Gather(c, h, tcc, 1, m);
        if (gy is not null) Gather(gy, h, tgy, 1, m);
        Gather(dhNext, h, tdh, 1, m);
        Gather(dcNext, h, tdc, 1, m);
        LstmCellBackward(tg, tg, cPrev is null ? null : tcp, tcc, gy is null ? null : tgy, tdh, tdc, 16);
        Scatter(tg, da, h, 4, m);
        Scatter(tdc, dcNext, h, 1, m);
    }

    /// <summary>
    /// One row of one step: g [3H] holds x·W_ih (without b_ih) and is overwritten with r, z, n; hh [3H] holds ĥ = b_hh + hPrev·W_hh;
    /// r = σ(x_r + b_r + ĥ_r), z = σ(x_z + b_z + ĥ_z), n = tanh(x_n + b_n + r⊙ĥ_n), y = n + z⊙(hPrev − n) (hPrev null: 0).
    /// </summary>
    public static void GruCellForward(float* g, float* biasIh, float* hh, float* hPrev, float* y, int h)
    {
        var full = h & ~15;
        for (var j = 0; j < full; j += 16)
        {
            Sigmoid(Vector512.Load(g + j) + Vector512.Load(biasIh + j) + Vector512.Load(hh + j)).Store(g + j);
            Sigmoid(Vector512.Load(g + h + j) + Vector512.Load(biasIh + h + j) + Vector512.Load(hh + h + j)).Store(g + h + j);
        }
        for (var j = 0; j < full; j += 16)
        {
            var n = Tanh(Vector512.FusedMultiplyAdd(Vector512.Load(g + j), Vector512.Load(hh + 2 * h + j), Vector512.Load(g + 2 * h + j) + Vector512.Load(biasIh + 2 * h + j)));
            n.Store(g + 2 * h + j);
            var hp = hPrev is null ? Vector512<float>.Zero : Vector512.Load(hPrev + j);
            Vector512.FusedMultiplyAdd(Vector512.Load(g + h + j), hp - n, n).Store(y + j);
        }
        if (full < h) TailGruForward(g + full, biasIh + full, hh + full, hPrev is null ? null : hPrev + full, y + full, h, h - full);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void TailGruForward(float* g, float* biasIh, float* hh, float* hPrev, float* y, int h, int m)
    {
        float* tg = stackalloc float[48], tb = stackalloc float[48], thh = stackalloc float[48], thp = stackalloc float[16], ty = stackalloc float[16];
        new Span<float>(tg, 48).Clear(); new Span<float>(tb, 48).Clear(); new Span<float>(thh, 48).Clear(); new Span<float>(thp, 16).Clear();
        Gather(g, h, tg, 3, m);
        Gather(biasIh, h, tb, 3, m);
        Gather(hh, h, thh, 3, m);
        if (hPrev is not null) Gather(hPrev, h, thp, 1, m);
        GruCellForward(tg, tb, thh, hPrev is null ? null : thp, ty, 16);
        Scatter(tg, g, h, 3, m);
        Scatter(ty, y, h, 1, m);
    }

    /// <summary>
    /// One row of one step backward: g [3H] holds r, z, n and hn [H] holds ĥ_n; dx [3H] receives dx̃ = [da_r, da_z, da_n] and
    /// dhh [3H] dĥ = [da_r, da_z, da_n⊙r]; dh = gy + dhNext; dhNext ← dh⊙z (the caller adds dĥ·W_hhᵀ).
    /// </summary>
    public static void GruCellBackward(float* g, float* hn, float* dx, float* dhh, float* hPrev, float* gy, float* dhNext, int h)
    {
        var one = Vector512<float>.One;
        var full = h & ~15;
        for (var j = 0; j < full; j += 16)
        {
            Vector512<float> vr = Vector512.Load(g + j), vz = Vector512.Load(g + h + j), vn = Vector512.Load(g + 2 * h + j), vhn = Vector512.Load(hn + j);
            var hp = hPrev is null ? Vector512<float>.Zero : Vector512.Load(hPrev + j);
            var dh = Vector512.Load(dhNext + j);
            if (gy is not null) dh += Vector512.Load(gy + j);
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
        float* tg = stackalloc float[48], thn = stackalloc float[16], tdx = stackalloc float[48], tdhh = stackalloc float[48], thp = stackalloc float[16],
            tgy = stackalloc float[16], tdh = stackalloc float[16];
        new Span<float>(tg, 48).Clear(); new Span<float>(thn, 16).Clear(); new Span<float>(thp, 16).Clear();
        new Span<float>(tgy, 16).Clear(); new Span<float>(tdh, 16).Clear();
        Gather(g, h, tg, 3, m);
        Gather(hn, h, thn, 1, m);
        if (hPrev is not null) Gather(hPrev, h, thp, 1, m);
        if (gy is not null) Gather(gy, h, tgy, 1, m);
        Gather(dhNext, h, tdh, 1, m);
        GruCellBackward(tg, thn, tdx, tdhh, hPrev is null ? null : thp, gy is null ? null : tgy, tdh, 16);
        Scatter(tdx, dx, h, 3, m);
        Scatter(tdhh, dhh, h, 3, m);
        Scatter(tdh, dhNext, h, 1, m);
    }
}
