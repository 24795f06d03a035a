using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LeanModels.Models.Engine.Kernels;

/// <summary>
/// Fused multi-head scaled dot-product attention in <c>float</c> for head widths that are multiples of 16, reading the heads
/// in place from the [B, T, D] projections (head h = columns h·dh … (h+1)·dh − 1) and writing the merged [B, Tq, D] output,
/// so no head split or merge copies exist (as FlashAttention's "one kernel per (batch, head)", Dao et al. 2022, without the
/// tiling that long sequences need: a whole problem's scores fit in L1 at the model's T ≤ 64). Per (batch, head) problem:
/// S = Q·Kᵀ (K packed transposed once), a one-pass vectorised row softmax with the scale and an additive mask, inverted
/// dropout whose keep bits come from <see cref="CounterHash"/> (regenerated in backward, never stored), O = Pᵈ·V. Backward
/// (the same equations as <see cref="Tape{T}.Attention(Tensor{T}, Tensor{T}, Tensor{T}, ReadOnlySpan{bool}, double, double)"/>):
/// dV += Pᵈᵀ·dO; dPᵈ = dO·Vᵀ; dS = s·P ⊙ (dP − rowsum(dP ⊙ P)) with dP = dPᵈ ⊙ keep; dQ += dS·K; dK += dSᵀ·Q.
/// The products use a register-tiled micro-kernel (4 rows × 32 columns in eight zmm accumulators; on the
/// <see cref="SimdTier.Vector256"/> tier 4 rows × 16 columns in eight ymm) on strided rows. The tier is fixed per op in
/// <see cref="Dims.Tier"/> (forward and backward alike); the scalar tier never gets here (the tape composes the op instead).
/// Problems are independent and each writes only its own head's columns, so any split over threads gives the same bits.
/// </summary>
internal static unsafe class AttentionKernel
{
    [ThreadStatic] private static float[]? t_scratch;

    /// <summary>Shapes and per-op constants of one attention call.</summary>
    /// <param name="B">Batch.</param>
    /// <param name="Tq">Queries per problem.</param>
    /// <param name="Tk">Keys per problem.</param>
    /// <param name="Model">D, the merged width of the output (heads × head width).</param>
    /// <param name="Heads">H.</param>
    /// <param name="Scale">Score scale, 1/√dh.</param>
    /// <param name="Seed">The op's dropout seed for <see cref="CounterHash"/>.</param>
    /// <param name="Threshold">Drop threshold from <see cref="CounterHash.Threshold"/>.</param>
    /// <param name="KeepScale">1/(1 − p).</param>
    /// <param name="Dropout">True when dropout is applied.</param>
    /// <param name="Ldq">Row stride of q (D, or 3D when q, k, v are column blocks of one packed [B, T, 3D] projection).</param>
    /// <param name="Ldkv">Row stride of k and v.</param>
    /// <param name="QOffset">Column of head 0 in q.</param>
    /// <param name="KOffset">Column of head 0 in k.</param>
    /// <param name="VOffset">Column of head 0 in v.</param>
    /// <param name="Inner">1 when problem b's rows are rows b·T … b·T + T − 1 (a [B, T, ·] layout). For attention across axis 1
    /// of an [N, S, I, ·] tensor (one problem per (n, i), rows s = 0 … S − 1) it is I: problem b = n·I + i starts at row
    /// n·S·I + i and its rows are I apart, so no permute is needed.</param>
    /// <param name="Tier">The op's SIMD tier, <see cref="SimdTier.Vector512"/> or <see cref="SimdTier.Vector256"/>.</param>
    /// <param name="MaskStride">Floats between the additive masks of consecutive batch items b: 0 when one [Tq, Tk_padded] mask
    /// is shared, Tq·Tk_padded when each batch item has its own (key masks).</param>
    internal readonly record struct Dims(int B, int Tq, int Tk, int Model, int Heads, float Scale, ulong Seed, uint Threshold, float KeepScale, bool Dropout,
        int Ldq, int Ldkv, int QOffset, int KOffset, int VOffset, int Inner = 1, SimdTier Tier = SimdTier.Vector512, int MaskStride = 0)
    {
        /// <summary>First row of problem <paramref name="b"/> in a tensor whose problems have <paramref name="length"/> rows.</summary>
        public long RowBase(int b, int length) => (long)(b / Inner) * length * Inner + b % Inner;

        public int HeadWidth => Model / Heads;
        public int TkPadded => (Tk + 15) & ~15;

        /// <summary>True on the Vector512 tier.</summary>
        public bool Wide => Tier == SimdTier.Vector512;
    }

    private static float[] Scratch(int length)
    {
        var s = t_scratch;
        if (s is null || s.Length < length) t_scratch = s = new float[Math.Max(length, 4096)];
        return s;
    }

    /// <summary>Forward for problems [start, end) of B·H. <paramref name="maskAdd"/> is [Tq, Tk_padded], or [B, Tq, Tk_padded]
    /// when <see cref="Dims.MaskStride"/> &gt; 0: 0 where allowed, −∞ where masked or padding. <paramref name="p"/> receives the softmax weights [B·H, Tq, Tk] (before dropout), or is null
    /// when nothing will be backpropagated (inference).</summary>
    public static void Forward(in Dims dims, float[] q, float[] k, float[] v, float[] y, float[]? p, float[] maskAdd, int start, int end)
    {
        if (dims.Tier is not (SimdTier.Vector512 or SimdTier.Vector256) || dims.Tier > EngineSimd.Detected)
            throw new InvalidOperationException($"AttentionKernel: tier {dims.Tier} is not a vector tier of this process ({EngineSimd.Detected}).");
        var wide = dims.Wide;
        int tq = dims.Tq, tk = dims.Tk, dm = dims.Model, dh = dims.HeadWidth, tkp = dims.TkPadded;
        int sq = dims.Ldq * dims.Inner, skv = dims.Ldkv * dims.Inner, sy = dm * dims.Inner;   // row strides in floats
        var scratch = Scratch(dh * tkp + tq * tkp + (p is null ? tq * tk : 0));
        fixed (float* pq = q, pk = k, pv = v, py = y, pp = p, pm = maskAdd, ps = scratch)
        {
            float* kT = ps, s = ps + dh * tkp, pScratch = s + tq * tkp;             // P goes to scratch when not kept
            for (var bh = start; bh < end; bh++)
            {
                int bi = bh / dims.Heads, col = bh % dims.Heads * dh;
                float* qh = pq + dims.RowBase(bi, tq) * dims.Ldq + dims.QOffset + col;
                float* kh = pk + dims.RowBase(bi, tk) * dims.Ldkv + dims.KOffset + col, vh = pv + dims.RowBase(bi, tk) * dims.Ldkv + dims.VOffset + col;
                PackTransposed(kh, skv, tk, dh, kT, tkp);
                Mm(wide, qh, sq, 1, kT, tkp, s, tkp, tq, dh, tkp, accumulate: false);        // S = Q·Kᵀ
                var pb = pp is null ? pScratch : pp + (long)bh * tq * tk;
                var baseIndex = (uint)((long)bh * tq * tk);
                for (var i = 0; i < tq; i++)
                    if (wide) SoftmaxRow(s + i * tkp, pm + (long)bi * dims.MaskStride + i * tkp, tk, tkp, dims, pb + i * tk, baseIndex + (uint)(i * tk));
                    else SoftmaxRow256(s + i * tkp, pm + (long)bi * dims.MaskStride + i * tkp, tk, tkp, dims, pb + i * tk, baseIndex + (uint)(i * tk));
                Mm(wide, s, tkp, 1, vh, skv, py + dims.RowBase(bi, tq) * dm + col, sy, tq, tk, dh, accumulate: false);   // O = Pᵈ·V
            }
        }
    }

    /// <summary>Backward for problems [start, end): accumulates into the gradients that are non-null.</summary>
    public static void Backward(in Dims dims, float[] q, float[] k, float[] v, float[] p, float[] gy, float[]? gq, float[]? gk, float[]? gv,
        int start, int end)
    {
        int tq = dims.Tq, tk = dims.Tk, dm = dims.Model, dh = dims.HeadWidth, tkp = dims.TkPadded;
        int sq = dims.Ldq * dims.Inner, skv = dims.Ldkv * dims.Inner, sy = dm * dims.Inner;   // row strides in floats
        if (dims.Tier is not (SimdTier.Vector512 or SimdTier.Vector256) || dims.Tier > EngineSimd.Detected)
            throw new InvalidOperationException($"AttentionKernel: tier {dims.Tier} is not a vector tier of this process ({EngineSimd.Detected}).");
        var wide = dims.Wide;
        var scratch = Scratch(dh * tkp + 3 * tq * tkp);
        var dummy = gq ?? gk ?? gv ?? gy;
        fixed (float* pq = q, pk = k, pv = v, pp = p, pgy = gy, pgq = gq ?? dummy, pgk = gk ?? dummy, pgv = gv ?? dummy, ps = scratch)
        {
            float* vT = ps, ds = ps + dh * tkp, keep = ds + tq * tkp, tr = keep + tq * tkp;
            for (var bh = start; bh < end; bh++)
            {
                int bi = bh / dims.Heads, col = bh % dims.Heads * dh;
                long qo = dims.RowBase(bi, tq) * dims.Ldq + dims.QOffset + col;
                long ko = dims.RowBase(bi, tk) * dims.Ldkv + dims.KOffset + col, vo = dims.RowBase(bi, tk) * dims.Ldkv + dims.VOffset + col;
                float* gyh = pgy + dims.RowBase(bi, tq) * dm + col;
                var pb = pp + (long)bh * tq * tk;
                if (dims.Dropout)                                                    // keep-scale rows regenerated from the seed
                {
                    var baseIndex = (uint)((long)bh * tq * tk);
                    if (wide)
                    {
                        var th = Vector512.Create(dims.Threshold);
                        var ks = Vector512.Create(dims.KeepScale);
                        for (var i = 0; i < tq; i++)
                            for (var j = 0; j < tkp; j += 16)
                                Vector512.Store(CounterHash.KeepScale16(dims.Seed, baseIndex + (uint)(i * tk + j), th, ks), keep + i * tkp + j);
                    }
                    else
                    {
                        var th = Vector256.Create(dims.Threshold);
                        var ks = Vector256.Create(dims.KeepScale);
                        for (var i = 0; i < tq; i++)
                            for (var j = 0; j < tkp; j += 8)
                                Vector256.Store(CounterHash.KeepScale8(dims.Seed, baseIndex + (uint)(i * tk + j), th, ks), keep + i * tkp + j);
                    }
                }
                if (gv is not null)
                {
                    // dV += Pᵈᵀ·dO: Pᵈ = P ⊙ keep ([Tq, Tk_padded] in scratch, or P itself without dropout) read transposed in place.
                    if (dims.Dropout)
                    {
                        for (var i = 0; i < tq; i++)
                        {
                            var j = 0;
                            if (wide)
                                for (; j + 16 <= tk; j += 16)
                                    Vector512.Store(Vector512.Load(pb + i * tk + j) * Vector512.Load(keep + i * tkp + j), tr + i * tkp + j);
                            else
                                for (; j + 8 <= tk; j += 8)
                                    Vector256.Store(Vector256.Load(pb + i * tk + j) * Vector256.Load(keep + i * tkp + j), tr + i * tkp + j);
                            for (; j < tk; j++) tr[i * tkp + j] = pb[i * tk + j] * keep[i * tkp + j];
                        }
                        Mm(wide, tr, 1, tkp, gyh, sy, pgv + vo, skv, tk, tq, dh, accumulate: true);
                    }
                    else Mm(wide, pb, 1, tk, gyh, sy, pgv + vo, skv, tk, tq, dh, accumulate: true);
                }
                if (gq is null && gk is null) continue;
                PackTransposed(pv + vo, skv, tk, dh, vT, tkp);
                Mm(wide, gyh, sy, 1, vT, tkp, ds, tkp, tq, dh, tkp, accumulate: false);             // dPᵈ = dO·Vᵀ
                for (var i = 0; i < tq; i++)
                    if (wide) SoftmaxBackwardRow(ds + i * tkp, pb + i * tk, dims.Dropout ? keep + i * tkp : null, tk, dims.Scale);
                    else SoftmaxBackwardRow256(ds + i * tkp, pb + i * tk, dims.Dropout ? keep + i * tkp : null, tk, dims.Scale);
                if (gq is not null) Mm(wide, ds, tkp, 1, pk + ko, skv, pgq + qo, sq, tq, tk, dh, accumulate: true);   // dQ += dS·K
                if (gk is not null) Mm(wide, ds, 1, tkp, pq + qo, sq, pgk + ko, skv, tk, tq, dh, accumulate: true);   // dK += dSᵀ·Q
            }
        }
    }

    /// <summary>dst[d, j] = src[j, d] for j &lt; rows, zero for rows ≤ j &lt; ldDst (the padding).</summary>
    private static void PackTransposed(float* src, int ldSrc, int rows, int width, float* dst, int ldDst)
    {
        for (var d = 0; d < width; d++)
        {
            var drow = dst + d * ldDst;
            for (var j = 0; j < rows; j++) drow[j] = src[(long)j * ldSrc + d];
            for (var j = rows; j < ldDst; j++) drow[j] = 0f;
        }
    }

    /// <summary>Row softmax of s·x + mask over the padded row (in place; padding lanes become 0), writes P (first Tk) to
    /// <paramref name="pOut"/> and Pᵈ = P ⊙ keep (in place in the row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SoftmaxRow(float* row, float* mask, int tk, int tkp, in Dims dims, float* pOut, uint index)
    {
        var scale = Vector512.Create(dims.Scale);
        var max = Vector512.Create(float.NegativeInfinity);
        for (var j = 0; j < tkp; j += 16)
        {
            var x = Vector512.FusedMultiplyAdd(Vector512.Load(row + j), scale, Vector512.Load(mask + j));
            Vector512.Store(x, row + j);
            max = Vector512.MaxNative(max, x);
        }
        var m = Vector512.Create(HorizontalMax(max));
        var sum = Vector512<float>.Zero;
        for (var j = 0; j < tkp; j += 16)
        {
            var e = VectorMath.Exp(Vector512.Load(row + j) - m);   // e^−∞ = 0 for masked keys and padding
            Vector512.Store(e, row + j);
            sum += e;
        }
        var inv = Vector512.Create(1f / Vector512.Sum(sum));
        var keepScale = Vector512.Create(dims.KeepScale);
        var th = Vector512.Create(dims.Threshold);
        for (var j = 0; j < tkp; j += 16)
        {
            var pv = Vector512.Load(row + j) * inv;
            if (j + 16 <= tk) Vector512.Store(pv, pOut + j);
            else for (var l = 0; l < tk - j; l++) pOut[j + l] = pv.GetElement(l);
            if (dims.Dropout) pv *= CounterHash.KeepScale16(dims.Seed, index + (uint)j, th, keepScale);
            Vector512.Store(pv, row + j);
        }
    }

    /// <summary>dS = s·P ⊙ (dP − Σ dP ⊙ P) with dP = dPᵈ ⊙ keep, in place in the row (first Tk entries; the rest are not read).</summary>
    private static void SoftmaxBackwardRow(float* row, float* p, float* keep, int tk, float scale)
    {
        var j = 0;
        var dotv = Vector512<float>.Zero;
        for (; j + 16 <= tk; j += 16)
        {
            var dp = Vector512.Load(row + j);
            if (keep != null) { dp *= Vector512.Load(keep + j); Vector512.Store(dp, row + j); }
            dotv = Vector512.FusedMultiplyAdd(dp, Vector512.Load(p + j), dotv);
        }
        var dot = Vector512.Sum(dotv);
        for (var t = j; t < tk; t++)
        {
            if (keep != null) row[t] *= keep[t];
            dot += row[t] * p[t];
        }
        var d = Vector512.Create(dot);
        var s = Vector512.Create(scale);
        for (j = 0; j + 16 <= tk; j += 16)
            Vector512.Store(Vector512.Load(p + j) * (Vector512.Load(row + j) - d) * s, row + j);
        for (; j < tk; j++) row[j] = p[j] * (row[j] - dot) * scale;
    }

    /// <summary><see cref="SoftmaxRow"/> in 8-lane vectors (the Vector256 tier; the padded row length is a multiple of 16).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SoftmaxRow256(float* row, float* mask, int tk, int tkp, in Dims dims, float* pOut, uint index)
    {
        var scale = Vector256.Create(dims.Scale);
        var max = Vector256.Create(float.NegativeInfinity);
        for (var j = 0; j < tkp; j += 8)
        {
            var x = Vector256.FusedMultiplyAdd(Vector256.Load(row + j), scale, Vector256.Load(mask + j));
            Vector256.Store(x, row + j);
            max = Vector256.MaxNative(max, x);
        }
        var m = Vector256.Create(HorizontalMax(max));
        var sum = Vector256<float>.Zero;
        for (var j = 0; j < tkp; j += 8)
        {
            var e = VectorMath.Exp(Vector256.Load(row + j) - m);
            Vector256.Store(e, row + j);
            sum += e;
        }
        var inv = Vector256.Create(1f / Vector256.Sum(sum));
        var keepScale = Vector256.Create(dims.KeepScale);
        var th = Vector256.Create(dims.Threshold);
        for (var j = 0; j < tkp; j += 8)
        {
            var pv = Vector256.Load(row + j) * inv;
            if (j + 8 <= tk) Vector256.Store(pv, pOut + j);
            else for (var l = 0; l < tk - j && l < 8; l++) pOut[j + l] = pv.GetElement(l);
            if (dims.Dropout) pv *= CounterHash.KeepScale8(dims.Seed, index + (uint)j, th, keepScale);
            Vector256.Store(pv, row + j);
        }
    }

    /// <summary><see cref="SoftmaxBackwardRow"/> in 8-lane vectors.</summary>
    private static void SoftmaxBackwardRow256(float* row, float* p, float* keep, int tk, float scale)
    {
        var j = 0;
        var dotv = Vector256<float>.Zero;
        for (; j + 8 <= tk; j += 8)
        {
            var dp = Vector256.Load(row + j);
            if (keep != null) { dp *= Vector256.Load(keep + j); Vector256.Store(dp, row + j); }
            dotv = Vector256.FusedMultiplyAdd(dp, Vector256.Load(p + j), dotv);
        }
        var dot = Vector256.Sum(dotv);
        for (var t = j; t < tk; t++)
        {
            if (keep != null) row[t] *= keep[t];
            dot += row[t] * p[t];
        }
        var d = Vector256.Create(dot);
        var s = Vector256.Create(scale);
        for (j = 0; j + 8 <= tk; j += 8)
            Vector256.Store(Vector256.Load(p + j) * (Vector256.Load(row + j) - d) * s, row + j);
        for (; j < tk; j++) row[j] = p[j] * (row[j] - dot) * scale;
    }

    private static float HorizontalMax(Vector256<float> v)
    {
        var h = Vector128.Max(v.GetLower(), v.GetUpper());
        h = Vector128.Max(h, Vector128.Shuffle(h, Vector128.Create(2, 3, 0, 1)));
        h = Vector128.Max(h, Vector128.Shuffle(h, Vector128.Create(1, 0, 3, 2)));
        return h.ToScalar();
    }

    private static float HorizontalMax(Vector512<float> v)
    {
        var m = Vector256.Max(v.GetLower(), v.GetUpper());
        var h = Vector128.Max(m.GetLower(), m.GetUpper());
        h = Vector128.Max(h, Vector128.Shuffle(h, Vector128.Create(2, 3, 0, 1)));
        h = Vector128.Max(h, Vector128.Shuffle(h, Vector128.Create(1, 0, 3, 2)));
        return h.ToScalar();
    }

    /// <summary>C (+)= A·B with A [M, K] at a + i·rs + p·ps (rs = lda, ps = 1 for row-major A; rs = 1, ps = lda to read a stored
    /// matrix transposed in place), B [K, N] row-major with stride ldb, C [M, N] with stride ldc, N a multiple of 16: 4 rows × 32
    /// columns in eight zmm accumulators (4 × 16 for the last 16 columns), one row at a time for the last M mod 4 rows. Each C
    /// element is summed in increasing k, whatever the tile.</summary>
    private static void Mm(bool wide, float* a, int rs, int ps, float* b, int ldb, float* c, int ldc, int m, int k, int n, bool accumulate)
    {
        if (!wide)
        {
            Mm256(a, rs, ps, b, ldb, c, ldc, m, k, n, accumulate);
            return;
        }
        var j = 0;
        for (; j + 32 <= n; j += 32)
        {
            var i = 0;
            for (; i + 4 <= m; i += 4) Tile4x32(a + (long)i * rs, rs, ps, b + j, ldb, c + (long)i * ldc + j, ldc, k, accumulate);
            for (; i < m; i++) Tile1x16(a + (long)i * rs, ps, b + j, ldb, c + (long)i * ldc + j, k, accumulate, 2);
        }
        if (j < n)
        {
            var i = 0;
            for (; i + 4 <= m; i += 4) Tile4x16(a + (long)i * rs, rs, ps, b + j, ldb, c + (long)i * ldc + j, ldc, k, accumulate);
            for (; i < m; i++) Tile1x16(a + (long)i * rs, ps, b + j, ldb, c + (long)i * ldc + j, k, accumulate, 1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile4x32(float* a, int rs, int ps, float* b, int ldb, float* c, int ldc, int k, bool accumulate)
    {
        Vector512<float> c00, c01, c10, c11, c20, c21, c30, c31;
        if (accumulate)
        {
            c00 = Vector512.Load(c); c01 = Vector512.Load(c + 16);
            c10 = Vector512.Load(c + ldc); c11 = Vector512.Load(c + ldc + 16);
            c20 = Vector512.Load(c + 2 * ldc); c21 = Vector512.Load(c + 2 * ldc + 16);
            c30 = Vector512.Load(c + 3 * ldc); c31 = Vector512.Load(c + 3 * ldc + 16);
        }
        else c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = Vector512<float>.Zero;
        float* a0 = a, a1 = a + rs, a2 = a + 2 * rs, a3 = a + 3 * rs;
        for (var p = 0; p < k; p++, b += ldb, a0 += ps, a1 += ps, a2 += ps, a3 += ps)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var x = Vector512.Create(*a0);
            c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(*a1);
            c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(*a2);
            c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(*a3);
            c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
        }
        Vector512.Store(c00, c); Vector512.Store(c01, c + 16);
        Vector512.Store(c10, c + ldc); Vector512.Store(c11, c + ldc + 16);
        Vector512.Store(c20, c + 2 * ldc); Vector512.Store(c21, c + 2 * ldc + 16);
        Vector512.Store(c30, c + 3 * ldc); Vector512.Store(c31, c + 3 * ldc + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile4x16(float* a, int rs, int ps, float* b, int ldb, float* c, int ldc, int k, bool accumulate)
    {
        Vector512<float> c0, c1, c2, c3;
        if (accumulate)
        {
            c0 = Vector512.Load(c); c1 = Vector512.Load(c + ldc); c2 = Vector512.Load(c + 2 * ldc); c3 = Vector512.Load(c + 3 * ldc);
        }
        else c0 = c1 = c2 = c3 = Vector512<float>.Zero;
        float* a0 = a, a1 = a + rs, a2 = a + 2 * rs, a3 = a + 3 * rs;
        for (var p = 0; p < k; p++, b += ldb, a0 += ps, a1 += ps, a2 += ps, a3 += ps)
        {
            var b0 = Vector512.Load(b);
            c0 = Vector512.FusedMultiplyAdd(Vector512.Create(*a0), b0, c0);
            c1 = Vector512.FusedMultiplyAdd(Vector512.Create(*a1), b0, c1);
            c2 = Vector512.FusedMultiplyAdd(Vector512.Create(*a2), b0, c2);
            c3 = Vector512.FusedMultiplyAdd(Vector512.Create(*a3), b0, c3);
        }
        Vector512.Store(c0, c); Vector512.Store(c1, c + ldc); Vector512.Store(c2, c + 2 * ldc); Vector512.Store(c3, c + 3 * ldc);
    }

    /// <summary>One row (elements a + p·ps), <paramref name="blocks"/> (1 or 2) 16-column blocks.</summary>
    private static void Tile1x16(float* a, int ps, float* b, int ldb, float* c, int k, bool accumulate, int blocks)
    {
        for (var blk = 0; blk < blocks; blk++)
        {
            var acc = accumulate ? Vector512.Load(c + 16 * blk) : Vector512<float>.Zero;
            var bp = b + 16 * blk;
            var ap = a;
            for (var p = 0; p < k; p++, bp += ldb, ap += ps) acc = Vector512.FusedMultiplyAdd(Vector512.Create(*ap), Vector512.Load(bp), acc);
            Vector512.Store(acc, c + 16 * blk);
        }
    }

    /// <summary><see cref="Mm"/> on the Vector256 tier: 4 rows × 16 columns in eight ymm accumulators, one row at a time for the
    /// last M mod 4 rows; each C element is summed in increasing k, as on the wide tier.</summary>
    private static void Mm256(float* a, int rs, int ps, float* b, int ldb, float* c, int ldc, int m, int k, int n, bool accumulate)
    {
        for (var j = 0; j < n; j += 16)
        {
            var i = 0;
            for (; i + 4 <= m; i += 4) Tile4x16Ymm(a + (long)i * rs, rs, ps, b + j, ldb, c + (long)i * ldc + j, ldc, k, accumulate);
            for (; i < m; i++) Tile1x16Ymm(a + (long)i * rs, ps, b + j, ldb, c + (long)i * ldc + j, k, accumulate);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile4x16Ymm(float* a, int rs, int ps, float* b, int ldb, float* c, int ldc, int k, bool accumulate)
    {
        Vector256<float> c00, c01, c10, c11, c20, c21, c30, c31;
        if (accumulate)
        {
            c00 = Vector256.Load(c); c01 = Vector256.Load(c + 8);
            c10 = Vector256.Load(c + ldc); c11 = Vector256.Load(c + ldc + 8);
            c20 = Vector256.Load(c + 2 * ldc); c21 = Vector256.Load(c + 2 * ldc + 8);
            c30 = Vector256.Load(c + 3 * ldc); c31 = Vector256.Load(c + 3 * ldc + 8);
        }
        else c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = Vector256<float>.Zero;
        float* a0 = a, a1 = a + rs, a2 = a + 2 * rs, a3 = a + 3 * rs;
        for (var p = 0; p < k; p++, b += ldb, a0 += ps, a1 += ps, a2 += ps, a3 += ps)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var x = Vector256.Create(*a0);
            c00 = Vector256.FusedMultiplyAdd(x, b0, c00); c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(*a1);
            c10 = Vector256.FusedMultiplyAdd(x, b0, c10); c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            x = Vector256.Create(*a2);
            c20 = Vector256.FusedMultiplyAdd(x, b0, c20); c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            x = Vector256.Create(*a3);
            c30 = Vector256.FusedMultiplyAdd(x, b0, c30); c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
        }
        Vector256.Store(c00, c); Vector256.Store(c01, c + 8);
        Vector256.Store(c10, c + ldc); Vector256.Store(c11, c + ldc + 8);
        Vector256.Store(c20, c + 2 * ldc); Vector256.Store(c21, c + 2 * ldc + 8);
        Vector256.Store(c30, c + 3 * ldc); Vector256.Store(c31, c + 3 * ldc + 8);
    }

    private static void Tile1x16Ymm(float* a, int ps, float* b, int ldb, float* c, int k, bool accumulate)
    {
        var c0 = accumulate ? Vector256.Load(c) : Vector256<float>.Zero;
        var c1 = accumulate ? Vector256.Load(c + 8) : Vector256<float>.Zero;
        for (var p = 0; p < k; p++, b += ldb, a += ps)
        {
            var x = Vector256.Create(*a);
            c0 = Vector256.FusedMultiplyAdd(x, Vector256.Load(b), c0);
            c1 = Vector256.FusedMultiplyAdd(x, Vector256.Load(b + 8), c1);
        }
        Vector256.Store(c0, c);
        Vector256.Store(c1, c + 8);
    }
}
