using System.Numerics.Tensors;
using LeanModels.Models.Engine.Kernels;

namespace LeanModels.Models.Engine;

public sealed partial class Tape<T>
{
    /// <summary>Softmax over the last axis, max-subtracted: yᵢ = e^(xᵢ − m) / Σⱼ e^(xⱼ − m), m = maxⱼ xⱼ.
    /// Backward (hand-derived): dx = y ⊙ (dy − Σⱼ dyⱼ yⱼ).</summary>
    /// <param name="x">[..., C], C ≥ 1. A row of all −∞ gives NaN.</param>
    /// <returns>[..., C], rows summing to 1.</returns>
    /// <exception cref="ArgumentException">x is a scalar or C = 0.</exception>
    public Tensor<T> Softmax(Tensor<T> x) => SoftmaxCore(x, log: false, nameof(Softmax));

    /// <summary>Log-softmax over the last axis, max-subtracted: yᵢ = xᵢ − m − log Σⱼ e^(xⱼ − m).
    /// Backward: dx = dy − softmax(x) · Σⱼ dyⱼ.</summary>
    /// <param name="x">[..., C], C ≥ 1.</param>
    /// <returns>[..., C].</returns>
    /// <exception cref="ArgumentException">x is a scalar or C = 0.</exception>
    public Tensor<T> LogSoftmax(Tensor<T> x) => SoftmaxCore(x, log: true, nameof(LogSoftmax));

    private Tensor<T> SoftmaxCore(Tensor<T> x, bool log, string op)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank == 0 || x.Dims[^1] == 0) throw new ArgumentException($"{op}: x is {ShapeUtil.Format(x.Dims)}; needs a non-empty last axis.", nameof(x));
        var c = x.Dims[^1];
        var rows = x.Length / c;
        var y = ResultOverwritten(x.Dims, x);
        var tier = EngineSimd.Tier;
        ParallelRows(rows, c, (r0, r1) =>                               // rows are independent: fixed blocks on the tape's threads
        {
            for (var r = r0; r < r1; r++)
            {
                var xr = x.Data.AsSpan(r * c, c);
                var yr = y.Data.AsSpan(r * c, c);
                var max = xr[0];
                for (var i = 1; i < c; i++) if (xr[i] > max) max = xr[i];
                TensorPrimitives.Subtract(xr, max, yr);
                if (typeof(T) == typeof(float))
                    Activations.Exp(tier, System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(yr), System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(yr));
                else TensorPrimitives.Exp(yr, yr);
                var sum = TensorPrimitives.Sum<T>(yr);
                if (log) TensorPrimitives.Subtract(xr, max + T.Log(sum), yr);
                else TensorPrimitives.Multiply(yr, T.One / sum, yr);
            }
        });
        Record(y, () => ParallelRows(rows, c, (r0, r1) =>
        {
            for (var r = r0; r < r1; r++)
            {
                var yr = y.Data.AsSpan(r * c, c);
                var gy = y.Grad.AsSpan(r * c, c);
                var gx = x.Grad.AsSpan(r * c, c);
                if (log)
                {
                    var dot = TensorPrimitives.Sum<T>(gy);
                    for (var i = 0; i < c; i++) gx[i] += gy[i] - T.Exp(yr[i]) * dot;
                }
                else
                {
                    var dot = TensorPrimitives.Dot<T>(gy, yr);
                    for (var i = 0; i < c; i++) gx[i] += yr[i] * (gy[i] - dot);
                }
            }
        }));
        return y;
    }

    /// <summary>
    /// Layer normalisation over the last axis (Ba, Kiros &amp; Hinton 2016): y = γ ⊙ (x − μ)·r + β with μ the row mean,
    /// r = 1/√(σ² + ε) and σ² the biased row variance (as PyTorch). Forward caches μ and r per row (llm.c's
    /// <c>layernorm_forward</c>); backward, with x̂ = (x − μ)·r and g = dy ⊙ γ: dx = r·(g − mean(g) − x̂·mean(g ⊙ x̂)),
    /// dγ += Σ dy ⊙ x̂, dβ += Σ dy over rows.
    /// </summary>
    /// <param name="x">[..., C].</param>
    /// <param name="gamma">[C] gain.</param>
    /// <param name="beta">[C] bias.</param>
    /// <param name="eps">ε added to the variance; PyTorch's default 1e-5.</param>
    /// <returns>[..., C].</returns>
    /// <exception cref="ArgumentException">γ or β is not [C]; the message gives the shapes.</exception>
    public Tensor<T> LayerNorm(Tensor<T> x, Tensor<T> gamma, Tensor<T> beta, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(gamma);
        ArgumentNullException.ThrowIfNull(beta);
        if (x.Rank == 0 || x.Dims[^1] == 0 || gamma.Rank != 1 || beta.Rank != 1 || gamma.Length != x.Dims[^1] || beta.Length != x.Dims[^1])
            throw new ArgumentException($"LayerNorm: x is {ShapeUtil.Format(x.Dims)}, gamma {ShapeUtil.Format(gamma.Dims)}, beta {ShapeUtil.Format(beta.Dims)}; gamma and beta must be [C] with C = x's last axis.");
        var c = x.Dims[^1];
        var rows = x.Length / c;
        var y = ResultOverwritten(x.Dims, x, gamma, beta);
        var stats = IsRecording && y.RequiresGrad ? Alloc(2 * rows) : null;     // μ in [0, rows), 1/σ in [rows, 2·rows)
        var invC = T.One / C(c);
        var e = C(eps);
        T[] xd = x.Data, yd = y.Data, gd = gamma.Data, bd = beta.Data;
        var lanes = LayerNormLanes(EngineSimd.Tier, c);                          // one tier for forward and backward
        ParallelRows(rows, c, (r0, r1) =>                                        // rows are independent
        {
            for (var r = r0; r < r1; r++)
            {
                var (mu, rs) = LayerNormRow(lanes, xd.AsSpan(r * c, c), yd.AsSpan(r * c, c), gd, bd, invC, e);
                if (stats is null) continue;
                stats[r] = mu;
                stats[rows + r] = rs;
            }
        });
        Record(y, () =>
        {
            // Rows split into fixed blocks of ReduceBlockRows: dx rows are independent; dγ/dβ partials per block start at zero
            // and are added in block order below, so the bits do not depend on the thread count.
            var blocks = (rows + ReduceBlockRows - 1) / ReduceBlockRows;
            var wantParams = gamma.Grad is not null || beta.Grad is not null;
            var partial = wantParams ? Alloc(blocks * 2 * c) : null;            // per block: dγ [c], dβ [c]
            var scratch = lanes != 0 ? null : Alloc(blocks * 2 * c);           // the generic path's x̂ and g rows
            T[]? gx = x.Grad;
            var gy = y.Grad!;
            RunChunksIf(blocks, (long)rows * c >= ParallelMinimum, (b0, b1) =>
            {
                for (var blk = b0; blk < b1; blk++)
                {
                    var dg = partial is null ? default : partial.AsSpan(blk * 2 * c, c);
                    var db = partial is null ? default : partial.AsSpan(blk * 2 * c + c, c);
                    var sc = scratch is null ? default : scratch.AsSpan(blk * 2 * c, 2 * c);
                    var end = Math.Min(rows, (blk + 1) * ReduceBlockRows);
                    for (var r = blk * ReduceBlockRows; r < end; r++)
                        LayerNormRowBackward(lanes, xd.AsSpan(r * c, c), gy.AsSpan(r * c, c), gx is null ? default : gx.AsSpan(r * c, c), gd,
                            stats![r], stats[rows + r], invC, dg, db, sc);
                }
            });
            if (partial is null) return;
            for (var blk = 0; blk < blocks; blk++)
            {
                if (gamma.Grad is not null) TensorPrimitives.Add(gamma.Grad, partial.AsSpan(blk * 2 * c, c), gamma.Grad);
                if (beta.Grad is not null) TensorPrimitives.Add(beta.Grad, partial.AsSpan(blk * 2 * c + c, c), beta.Grad);
            }
        });
        return y;
    }

    /// <summary>
    /// Scaled dot-product attention (Vaswani et al. 2017, eq. 1), fused: S = q·kᵀ/√d (or × <paramref name="scale"/>),
    /// masked entries set to −∞, P = softmax(S) over keys, optional inverted dropout on P (training only), O = P·v.
    /// Backward (hand-derived): dv += Pᵈᵀ·dO; dPᵈ = dO·vᵀ; dP = dPᵈ ⊙ keep; dS = P ⊙ (dP − rowsum(dP ⊙ P));
    /// dq += s·dS·k; dk += s·dSᵀ·q.
    /// </summary>
    /// <param name="q">[B, Tq, d] queries (B may fold batch and heads).</param>
    /// <param name="k">[B, Tk, d] keys.</param>
    /// <param name="v">[B, Tk, dv] values.</param>
    /// <param name="allowed">Empty for no mask, else [Tq, Tk] flags shared across B, or [B, Tq, Tk] flags, one mask per batch
    /// item (e.g. key masks that differ per sequence): true means query i may attend to key j (a causal mask is j ≤ i).
    /// Every row needs at least one true.</param>
    /// <param name="dropout">Dropout probability on the attention weights in training, in [0, 1); needs <see cref="Rng"/>.</param>
    /// <param name="scale">Score scale; NaN (default) means 1/√d.</param>
    /// <returns>[B, Tq, dv].</returns>
    /// <exception cref="ArgumentException">Shapes disagree or a mask row allows no key; the message gives the shapes or the row.</exception>
    public Tensor<T> Attention(Tensor<T> q, Tensor<T> k, Tensor<T> v, ReadOnlySpan<bool> allowed = default, double dropout = 0, double scale = double.NaN) =>
        AttentionCore(q, k, v, allowed, dropout, scale, out _, wantWeights: false);

    /// <summary>Scaled dot-product attention that also returns the attention weights (see the overload without them).</summary>
    /// <param name="q">[B, Tq, d] queries.</param>
    /// <param name="k">[B, Tk, d] keys.</param>
    /// <param name="v">[B, Tk, dv] values.</param>
    /// <param name="allowed">Empty, [Tq, Tk] flags shared across B, or [B, Tq, Tk] flags (true = may attend).</param>
    /// <param name="weights">[B, Tq, Tk] softmax weights P before dropout; a copy that does not take part in backward.</param>
    /// <param name="dropout">Dropout probability on P in training.</param>
    /// <param name="scale">Score scale; NaN means 1/√d.</param>
    /// <returns>[B, Tq, dv].</returns>
    /// <exception cref="ArgumentException">Shapes disagree or a mask row allows no key.</exception>
    public Tensor<T> Attention(Tensor<T> q, Tensor<T> k, Tensor<T> v, ReadOnlySpan<bool> allowed, out Tensor<T> weights,
        double dropout = 0, double scale = double.NaN)
    {
        var y = AttentionCore(q, k, v, allowed, dropout, scale, out var w, wantWeights: true);
        weights = w!;
        return y;
    }

    private Tensor<T> AttentionCore(Tensor<T> q, Tensor<T> k, Tensor<T> v, ReadOnlySpan<bool> allowed, double dropout, double scale,
        out Tensor<T>? weights, bool wantWeights)
    {
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(v);
        if (q.Rank != 3 || k.Rank != 3 || v.Rank != 3 || k.Dims[0] != q.Dims[0] || v.Dims[0] != q.Dims[0]
            || k.Dims[2] != q.Dims[2] || v.Dims[1] != k.Dims[1])
            throw new ArgumentException($"Attention: q is {ShapeUtil.Format(q.Dims)}, k {ShapeUtil.Format(k.Dims)}, v {ShapeUtil.Format(v.Dims)}; expected [B, Tq, d], [B, Tk, d], [B, Tk, dv].");
        int b = q.Dims[0], tq = q.Dims[1], d = q.Dims[2], tk = k.Dims[1], dv = v.Dims[2];
        if (!allowed.IsEmpty && allowed.Length != tq * tk && allowed.Length != b * tq * tk)
            throw new ArgumentException($"Attention: the mask has {allowed.Length} flags; expected [Tq={tq}, Tk={tk}] = {tq * tk} (shared) or [B={b}, Tq, Tk] = {(long)b * tq * tk} (one per batch item).", nameof(allowed));
        var mask = allowed.IsEmpty ? null : allowed.ToArray();
        var maskStride = mask is not null && mask.Length != tq * tk ? tq * tk : 0;    // per-batch-item masks advance by Tq·Tk
        if (mask is not null)
            for (var r = 0; r < mask.Length / tk; r++)
                if (Array.IndexOf(mask, true, r * tk, tk) < 0)
                    throw new ArgumentException(maskStride == 0
                        ? $"Attention: mask row {r} allows no key; the softmax would be undefined."
                        : $"Attention: mask of batch item {r / tq}, row {r % tq} allows no key; the softmax would be undefined.", nameof(allowed));
        if (!(dropout >= 0 && dropout < 1)) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "Attention: dropout must be in [0, 1).");
        var s = C(double.IsNaN(scale) ? 1.0 / Math.Sqrt(d) : scale);
        var y = Result([b, tq, dv], q, k, v);
        var p = Alloc(b * tq * tk);                                     // softmax weights, cached for backward
        var keep = IsTraining && dropout > 0 ? DropoutMask(p.Length, dropout) : null;
        var pd = keep is null ? p : Alloc(p.Length);                    // weights after dropout
        RunChunks(b, (start, end) =>                                    // heads are independent: any split gives the same bits
        {
            for (var bi = start; bi < end; bi++)
            {
                var pb = p.AsSpan(bi * tq * tk, tq * tk);
                Gemm.Multiply<T>(q.Data.AsSpan(bi * tq * d, tq * d), k.Data.AsSpan(bi * tk * d, tk * d), pb, tq, d, tk, transposeB: true);
                for (var i = 0; i < tq; i++)
                {
                    var row = pb.Slice(i * tk, tk);
                    TensorPrimitives.Multiply(row, s, row);
                    if (mask is not null)
                        for (var j = 0; j < tk; j++) if (!mask[bi * maskStride + i * tk + j]) row[j] = T.NegativeInfinity;
                    TensorPrimitives.Subtract(row, TensorPrimitives.Max(row), row);   // max-subtracted; e^−∞ = 0 for masked keys
                    TensorPrimitives.Exp(row, row);
                    TensorPrimitives.Multiply(row, T.One / TensorPrimitives.Sum(row), row);
                }
                if (keep is not null)
                    TensorPrimitives.Multiply(pb, keep.AsSpan(bi * tq * tk, tq * tk), pd.AsSpan(bi * tq * tk, tq * tk));
                Gemm.Multiply<T>(pd.AsSpan(bi * tq * tk, tq * tk), v.Data.AsSpan(bi * tk * dv, tk * dv), y.Data.AsSpan(bi * tq * dv, tq * dv), tq, tk, dv);
            }
        });
        weights = wantWeights ? new Tensor<T>((T[])p.Clone(), [b, tq, tk]) : null;
        Record(y, () => RunChunks(b, (start, end) =>
        {
            var dp = new T[tq * tk];                                     // scratch per chunk
            for (var bi = start; bi < end; bi++)
            {
                var gy = y.Grad.AsSpan(bi * tq * dv, tq * dv);
                var pb = p.AsSpan(bi * tq * tk, tq * tk);
                if (v.Grad is not null)
                    Gemm.Multiply<T>(pd.AsSpan(bi * tq * tk, tq * tk), gy, v.Grad.AsSpan(bi * tk * dv, tk * dv), tk, tq, dv, transposeA: true, accumulate: true);
                if (q.Grad is null && k.Grad is null) continue;
                Gemm.Multiply<T>(gy, v.Data.AsSpan(bi * tk * dv, tk * dv), dp, tq, dv, tk, transposeB: true);   // dPᵈ = dO·vᵀ
                if (keep is not null) TensorPrimitives.Multiply(dp, keep.AsSpan(bi * tq * tk, tq * tk), dp);
                for (var i = 0; i < tq; i++)
                {
                    var dr = dp.AsSpan(i * tk, tk);
                    var pr = pb.Slice(i * tk, tk);
                    TensorPrimitives.Subtract(dr, TensorPrimitives.Dot(dr, pr), dr);
                    TensorPrimitives.Multiply(dr, pr, dr);
                    TensorPrimitives.Multiply(dr, s, dr);                       // dS = P ⊙ (dP − rowsum(dP ⊙ P)), scale folded in
                }
                if (q.Grad is not null)
                    Gemm.Multiply<T>(dp, k.Data.AsSpan(bi * tk * d, tk * d), q.Grad.AsSpan(bi * tq * d, tq * d), tq, tk, d, accumulate: true);
                if (k.Grad is not null)
                    Gemm.Multiply<T>(dp, q.Data.AsSpan(bi * tq * d, tq * d), k.Grad.AsSpan(bi * tk * d, tk * d), tk, tq, d, transposeA: true, accumulate: true);
            }
        }));
        return y;
    }
}
