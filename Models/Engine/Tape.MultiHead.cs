using LeanModels.Models.Engine.Kernels;

namespace LeanModels.Models.Engine;

public sealed partial class Tape<T>
{
    /// <summary>
    /// Multi-head scaled dot-product attention on merged projections (Vaswani et al. 2017, §3.2.2, without the projections):
    /// head h of q, k and v is columns h·dh … (h+1)·dh − 1 (dh = D / heads), each head computes softmax(Q_h K_hᵀ/√dh) V_h
    /// with optional inverted dropout on the weights, and the heads are written back side by side. Equal to
    /// reshaping to [B, T, H, dh], permuting to [B·H, T, dh], calling
    /// <see cref="Attention(Tensor{T}, Tensor{T}, Tensor{T}, ReadOnlySpan{bool}, double, double)"/> and merging back — which is
    /// what this op does for <c>double</c> or when dh is not a multiple of 16. For <c>float</c> with dh a multiple of 16 it
    /// runs <see cref="AttentionKernel"/>: one fused pass per (batch, head) straight on the [B, T, D] buffers, no head
    /// copies, dropout masks regenerated in backward (same keep decisions as the composed path: the same seed and
    /// element index), problems split over <see cref="Team"/> in fixed chunks (bit-identical for any thread count).
    /// </summary>
    /// <param name="q">[B, Tq, D] projected queries.</param>
    /// <param name="k">[B, Tk, D] projected keys.</param>
    /// <param name="v">[B, Tk, D] projected values.</param>
    /// <param name="heads">H ≥ 1, dividing D.</param>
    /// <param name="allowed">Empty, [Tq, Tk] flags shared by every batch item and head, or [B, Tq, Tk] flags, one mask per batch
    /// item (true: query i may attend to key j).</param>
    /// <param name="dropout">Dropout on the attention weights in training, in [0, 1); needs <see cref="Rng"/>.</param>
    /// <returns>[B, Tq, D], heads merged.</returns>
    /// <exception cref="ArgumentException">Shapes disagree, D is not a multiple of H, or a mask row allows no key.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Dropout outside [0, 1).</exception>
    public Tensor<T> AttentionHeads(Tensor<T> q, Tensor<T> k, Tensor<T> v, int heads, ReadOnlySpan<bool> allowed = default, double dropout = 0)
    {
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(v);
        if (q.Rank != 3 || k.Rank != 3 || v.Rank != 3 || k.Dims[0] != q.Dims[0] || v.Dims[0] != q.Dims[0] || k.Dims[2] != q.Dims[2]
            || v.Dims[2] != q.Dims[2] || v.Dims[1] != k.Dims[1] || heads < 1 || q.Dims[2] % heads != 0)
            throw new ArgumentException($"AttentionHeads: q is {ShapeUtil.Format(q.Dims)}, k {ShapeUtil.Format(k.Dims)}, v {ShapeUtil.Format(v.Dims)}, heads {heads}; expected [B, Tq, D], [B, Tk, D], [B, Tk, D] with D a multiple of the heads.");
        int dm = q.Dims[2];
        if (!FusedHeads(dm / heads, q.Dims[1], k.Dims[1]))
            return ComposedHeads(q, k, v, heads, allowed, dropout);
        return FusedAttentionHeads(q, k, v, heads, allowed, dropout, dm, dm, dm, 0, 0, 0, q.Dims[0], q.Dims[1], k.Dims[1], 1, [q.Dims[0], q.Dims[1], dm]);
    }

    /// <summary>
    /// Multi-head self-attention on one packed projection: q, k and v are the column blocks [0, D), [D, 2D), [2D, 3D) of
    /// <paramref name="qkv"/> (x·[W_q | W_k | W_v] in one GEMM); otherwise as
    /// <see cref="AttentionHeads(Tensor{T}, Tensor{T}, Tensor{T}, int, ReadOnlySpan{bool}, double)"/>. The fused float kernel reads
    /// the blocks in place with row stride 3D; the composed path slices them first.
    /// </summary>
    /// <param name="qkv">[B, T, 3D].</param>
    /// <param name="heads">H ≥ 1, dividing D.</param>
    /// <param name="allowed">Empty, [T, T] flags shared by every batch item, or [B, T, T] flags (one mask per batch item).</param>
    /// <param name="dropout">Dropout on the attention weights in training, in [0, 1).</param>
    /// <returns>[B, T, D], heads merged.</returns>
    /// <exception cref="ArgumentException">qkv is not [B, T, 3D] with D a multiple of H, or a mask row allows no key.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Dropout outside [0, 1).</exception>
    public Tensor<T> AttentionHeads(Tensor<T> qkv, int heads, ReadOnlySpan<bool> allowed = default, double dropout = 0)
    {
        ArgumentNullException.ThrowIfNull(qkv);
        if (qkv.Rank != 3 || heads < 1 || qkv.Dims[2] % (3 * heads) != 0)
            throw new ArgumentException($"AttentionHeads: qkv is {ShapeUtil.Format(qkv.Dims)}, heads {heads}; expected [B, T, 3D] with D a multiple of the heads.", nameof(qkv));
        int t = qkv.Dims[1], dm = qkv.Dims[2] / 3;
        if (!FusedHeads(dm / heads, t, t))
            return ComposedHeads(Slice(qkv, 2, 0, dm), Slice(qkv, 2, dm, dm), Slice(qkv, 2, 2 * dm, dm), heads, allowed, dropout);
        return FusedAttentionHeads(qkv, qkv, qkv, heads, allowed, dropout, dm, 3 * dm, 3 * dm, 0, dm, 2 * dm, qkv.Dims[0], t, t, 1, [qkv.Dims[0], t, dm]);
    }

    /// <summary>
    /// Multi-head self-attention across axis 1 of a packed projection: for every (n, i), the S rows qkv[n, :, i, :] attend to
    /// each other (q, k, v are the column blocks [0, D), [D, 2D), [2D, 3D)), e.g. the Stockformer's cross-asset attention on
    /// [B, A, T, 3D] at each time step. Equal to permuting to [N, I, S, 3D], calling
    /// <see cref="AttentionHeads(Tensor{T}, int, ReadOnlySpan{bool}, double)"/> on [N·I, S, 3D] and permuting back — what
    /// the composed path does — but the fused float kernel reads and writes the strided rows in place (no permutes), with the
    /// same dropout decisions (problem n·I + i, as after the permute).
    /// </summary>
    /// <param name="qkv">[N, S, I, 3D].</param>
    /// <param name="heads">H ≥ 1, dividing D.</param>
    /// <param name="allowed">Empty, [S, S] flags shared by every (n, i) and head, or [N, I, S, S] flags, one mask per problem
    /// (e.g. absent assets removed from the keys at each time step; every head uses its problem's mask).</param>
    /// <param name="dropout">Dropout on the attention weights in training, in [0, 1).</param>
    /// <returns>[N, S, I, D].</returns>
    /// <exception cref="ArgumentException">qkv is not [N, S, I, 3D] with D a multiple of H, the mask has another length, or a
    /// mask row allows no key.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Dropout outside [0, 1).</exception>
    public Tensor<T> AttentionHeadsAcross(Tensor<T> qkv, int heads, ReadOnlySpan<bool> allowed = default, double dropout = 0) =>
        AttentionHeadsAcrossCore(qkv, heads, allowed, dropout, false, out _);

    /// <summary>As <see cref="AttentionHeadsAcross(Tensor{T}, int, ReadOnlySpan{bool}, double)"/>, also returning the softmax
    /// weights (before dropout) for interpretation; the same kernel runs, so the output is bit-identical to the overload without
    /// weights.</summary>
    /// <param name="qkv">[N, S, I, 3D].</param>
    /// <param name="heads">H ≥ 1, dividing D.</param>
    /// <param name="allowed">Empty, [S, S] or [N, I, S, S] flags.</param>
    /// <param name="dropout">Dropout on the attention weights in training, in [0, 1).</param>
    /// <param name="weights">[N·I, H, S, S]: problem n·I + i, head h, query row over the S keys (rows sum to 1, masked keys 0).
    /// A copy outside the gradient graph.</param>
    /// <returns>[N, S, I, D].</returns>
    /// <exception cref="ArgumentException">As the overload without weights.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Dropout outside [0, 1).</exception>
    public Tensor<T> AttentionHeadsAcross(Tensor<T> qkv, int heads, ReadOnlySpan<bool> allowed, double dropout, out Tensor<T> weights)
    {
        var y = AttentionHeadsAcrossCore(qkv, heads, allowed, dropout, true, out var w);
        weights = w!;
        return y;
    }

    private Tensor<T> AttentionHeadsAcrossCore(Tensor<T> qkv, int heads, ReadOnlySpan<bool> allowed, double dropout, bool wantWeights, out Tensor<T>? weights)
    {
        ArgumentNullException.ThrowIfNull(qkv);
        if (qkv.Rank != 4 || heads < 1 || qkv.Dims[3] % (3 * heads) != 0)
            throw new ArgumentException($"AttentionHeadsAcross: qkv is {ShapeUtil.Format(qkv.Dims)}, heads {heads}; expected [N, S, I, 3D] with D a multiple of the heads.", nameof(qkv));
        int n = qkv.Dims[0], sLen = qkv.Dims[1], inner = qkv.Dims[2], dm = qkv.Dims[3] / 3;
        if (!FusedHeads(dm / heads, sLen, sLen) || inner == 0 || n == 0)
        {
            var packed = Reshape(Permute(qkv, 0, 2, 1, 3), n * inner, sLen, 3 * dm);
            var o = ComposedHeads(Slice(packed, 2, 0, dm), Slice(packed, 2, dm, dm), Slice(packed, 2, 2 * dm, dm), heads, allowed, dropout,
                wantWeights, out weights);                                                          // [N·I, S, D]
            return Permute(Reshape(o, n, inner, sLen, dm), 0, 2, 1, 3);
        }
        return FusedAttentionHeads(qkv, qkv, qkv, heads, allowed, dropout, dm, 3 * dm, 3 * dm, 0, dm, 2 * dm, n * inner, sLen, sLen, inner,
            [n, sLen, inner, dm], wantWeights, out weights);
    }

    /// <summary>True when the fused kernel runs: float, head width a multiple of 16, and a vector tier (Vector512 or Vector256;
    /// the scalar tier composes the op).</summary>
    private static bool FusedHeads(int dh, int tq, int tk) =>
        typeof(T) == typeof(float) && dh % 16 == 0 && tq > 0 && tk > 0 && Kernels.EngineSimd.Tier != Kernels.SimdTier.Scalar;

    private Tensor<T> ComposedHeads(Tensor<T> q, Tensor<T> k, Tensor<T> v, int heads, ReadOnlySpan<bool> allowed, double dropout) =>
        ComposedHeads(q, k, v, heads, allowed, dropout, false, out _);

    // Split heads to [B·H, T, dh] (batch item b, head h → b·H + h), Attention, merge. A per-item mask [B, Tq, Tk] is repeated
    // for each head; the weights come back as [B, H, Tq, Tk].
    private Tensor<T> ComposedHeads(Tensor<T> q, Tensor<T> k, Tensor<T> v, int heads, ReadOnlySpan<bool> allowed, double dropout,
        bool wantWeights, out Tensor<T>? weights)
    {
        int b = q.Dims[0], tq = q.Dims[1], dm = q.Dims[2], dh = dm / heads, tk = k.Dims[1];
        ReadOnlySpan<bool> mask = allowed;
        if (MaskItems(allowed, b, tq, tk) > 1 && heads > 1)
        {
            var expanded = new bool[(long)b * heads * tq * tk];
            for (var bi = 0; bi < b; bi++)
                for (var h = 0; h < heads; h++) allowed.Slice(bi * tq * tk, tq * tk).CopyTo(expanded.AsSpan((bi * heads + h) * tq * tk, tq * tk));
            mask = expanded;
        }
        Tensor<T>? w = null;
        var o = wantWeights
            ? Attention(SplitHeads(q, heads), SplitHeads(k, heads), SplitHeads(v, heads), mask, out w, dropout)
            : Attention(SplitHeads(q, heads), SplitHeads(k, heads), SplitHeads(v, heads), mask, dropout);
        weights = w is null ? null : new Tensor<T>(w.Data, [b, heads, tq, tk]);
        return Reshape(Permute(Reshape(o, b, heads, tq, dh), 0, 2, 1, 3), b, tq, dm);
    }

    // 1 for no mask or one shared [Tq, Tk] mask, B for one mask per batch item; throws for any other length.
    private static int MaskItems(ReadOnlySpan<bool> allowed, int b, int tq, int tk)
    {
        if (allowed.IsEmpty || allowed.Length == tq * tk) return 1;
        if (allowed.Length == (long)b * tq * tk) return b;
        throw new ArgumentException($"AttentionHeads: the mask has {allowed.Length} flags; expected [Tq={tq}, Tk={tk}] = {tq * tk} (shared) or [B={b}, Tq, Tk] = {(long)b * tq * tk} (one per batch item).", nameof(allowed));
    }

    private Tensor<T> FusedAttentionHeads(Tensor<T> q, Tensor<T> k, Tensor<T> v, int heads, ReadOnlySpan<bool> allowed, double dropout,
        int dm, int ldq, int ldkv, int qOffset, int kOffset, int vOffset, int b, int tq, int tk, int inner, int[] outShape)
        => FusedAttentionHeads(q, k, v, heads, allowed, dropout, dm, ldq, ldkv, qOffset, kOffset, vOffset, b, tq, tk, inner, outShape, false, out _);

    private Tensor<T> FusedAttentionHeads(Tensor<T> q, Tensor<T> k, Tensor<T> v, int heads, ReadOnlySpan<bool> allowed, double dropout,
        int dm, int ldq, int ldkv, int qOffset, int kOffset, int vOffset, int b, int tq, int tk, int inner, int[] outShape,
        bool wantWeights, out Tensor<T>? weights)
    {
        var dh = dm / heads;
        if (!(dropout >= 0 && dropout < 1)) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "AttentionHeads: dropout must be in [0, 1).");
        var tkp = (tk + 15) & ~15;
        var perItem = MaskItems(allowed, b, tq, tk) > 1;
        var rows = perItem ? b * tq : tq;
        var maskAdd = (float[])(object)AllocOverwritten(rows * tkp);                  // 0 where allowed, −∞ where masked or padding
        for (var r = 0; r < rows; r++)
        {
            var any = false;
            for (var j = 0; j < tkp; j++)
            {
                var ok = j < tk && (allowed.IsEmpty || allowed[r * tk + j]);
                maskAdd[r * tkp + j] = ok ? 0f : float.NegativeInfinity;
                any |= ok;
            }
            if (!any)
                throw new ArgumentException(perItem
                    ? $"AttentionHeads: mask of batch item {r / tq}, row {r % tq} allows no key; the softmax would be undefined."
                    : $"AttentionHeads: mask row {r} allows no key; the softmax would be undefined.", nameof(allowed));
        }
        var drop = IsTraining && dropout > 0;
        ulong seed = 0;
        if (drop)
            seed = (Rng ?? throw new InvalidOperationException("Dropout: the tape is in training mode with p > 0 but has no random generator; pass one to the Tape constructor.")).NextUInt64();
        var dims = new AttentionKernel.Dims(b, tq, tk, dm, heads, 1f / MathF.Sqrt(dh), seed, CounterHash.Threshold(dropout),
            (float)(1.0 / (1.0 - dropout)), drop, ldq, ldkv, qOffset, kOffset, vOffset, inner, Kernels.EngineSimd.Tier,   // the tier of forward and backward
            perItem ? tq * tkp : 0);
        var y = ReferenceEquals(q, k) ? ResultOverwritten(outShape, q) : ResultOverwritten(outShape, q, k, v);   // every head's columns written
        var p = y.RequiresGrad || wantWeights ? (float[])(object)AllocOverwritten(b * heads * tq * tk) : null;   // P is kept for backward (or the caller)
        float[] qd = (float[])(object)q.Data, kd = (float[])(object)k.Data, vd = (float[])(object)v.Data, yd = (float[])(object)y.Data;
        RunChunks(b * heads, (start, end) => AttentionKernel.Forward(dims, qd, kd, vd, yd, p, maskAdd, start, end));
        weights = wantWeights ? new Tensor<T>((T[])(object)p!.Clone(), [b, heads, tq, tk]) : null;
        Record(y, () =>
        {
            float[] gy = (float[])(object)y.Grad!;
            float[]? gq = (float[]?)(object?)q.Grad, gk = (float[]?)(object?)k.Grad, gv = (float[]?)(object?)v.Grad;
            RunChunks(b * heads, (start, end) => AttentionKernel.Backward(dims, qd, kd, vd, p!, gy, gq, gk, gv, start, end));
        });
        return y;
    }

    // [B, T, D] → [B, T, H, dh] → [B, H, T, dh] → [B·H, T, dh]
    internal Tensor<T> SplitHeads(Tensor<T> x, int heads)
    {
        int b = x.Dims[0], t = x.Dims[1], dh = x.Dims[2] / heads;
        return heads == 1 ? x : Reshape(Permute(Reshape(x, b, t, heads, dh), 0, 2, 1, 3), b * heads, t, dh);
    }
}
