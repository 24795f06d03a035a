using LeanModels.Models.Engine.Kernels;

namespace LeanModels.Models.Engine;

public sealed partial class Tape<T>
{
    /// <summary>
    /// Matrix product over the last two axes. Two forms: a shared right operand, a [..., M, K] · b [K, N] → [..., M, N]
    /// (a Linear layer; leading axes are flattened into rows), or a batched product, a [..., M, K] · b [..., K, N] with
    /// identical leading axes (attention). With <paramref name="transposeB"/> b's last two axes are read as [N, K].
    /// </summary>
    /// <param name="a">[..., M, K], rank ≥ 2.</param>
    /// <param name="b">[K, N] (shared) or [..., K, N] with a's leading axes (batched); [.., N, K] when transposed.</param>
    /// <param name="transposeB">Read b's last two axes transposed (QKᵀ without a copy).</param>
    /// <returns>[..., M, N].</returns>
    /// <exception cref="ArgumentException">Ranks below 2, inner sizes differ, or batch axes differ; the message gives both shapes.</exception>
    public Tensor<T> MatMul(Tensor<T> a, Tensor<T> b, bool transposeB = false)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Rank < 2 || b.Rank < 2)
            throw new ArgumentException($"MatMul: a is {ShapeUtil.Format(a.Dims)}, b is {ShapeUtil.Format(b.Dims)}; both need rank ≥ 2.");
        int m = a.Dims[^2], k = a.Dims[^1];
        int kb = transposeB ? b.Dims[^1] : b.Dims[^2], n = transposeB ? b.Dims[^2] : b.Dims[^1];
        if (k != kb)
            throw new ArgumentException($"MatMul: a is {ShapeUtil.Format(a.Dims)}, b is {ShapeUtil.Format(b.Dims)}{(transposeB ? " (transposed)" : "")}; a's last axis ({k}) must equal b's {(transposeB ? "last" : "first")} inner axis ({kb}).");
        var shared = b.Rank == 2;
        if (!shared && !a.Dims.AsSpan(0, a.Rank - 2).SequenceEqual(b.Dims.AsSpan(0, b.Rank - 2)))
            throw new ArgumentException($"MatMul: a is {ShapeUtil.Format(a.Dims)}, b is {ShapeUtil.Format(b.Dims)}; batched operands need identical leading axes.");
        var outShape = (int[])a.Dims.Clone();
        outShape[^1] = n;
        var y = Result(outShape, a, b);
        var batch = a.Length / Math.Max(1, m * k);
        if (m * k == 0) batch = ShapeUtil.Product(a.Dims.AsSpan(0, a.Rank - 2), "MatMul");
        if (shared)
            Gemm.Multiply<T>(a.Data, b.Data, y.Data, batch * m, k, n, transposeB: transposeB, threads: Threads, team: Team);
        else                                                                // batch items are independent: fixed chunks on the tape's threads
            RunChunksIf(batch, (long)batch * m * Math.Max(1, k) * n >= 32 * ParallelGrain, (s0, s1) =>
            {
                for (var s = s0; s < s1; s++)
                    Gemm.Multiply<T>(a.Data.AsSpan(s * m * k, m * k), b.Data.AsSpan(s * k * n, k * n), y.Data.AsSpan(s * m * n, m * n), m, k, n, transposeB: transposeB);
            });
        Record(y, () =>
        {
            var gy = y.Grad!;
            var rows = shared ? batch * m : m;
            if (shared) Body(0, 1);
            else RunChunksIf(batch, (long)batch * m * Math.Max(1, k) * n >= 32 * ParallelGrain, Body);   // each item writes only its own slices

            void Body(int s0, int s1)
            {
                for (var s = s0; s < s1; s++)
                {
                    var gys = gy.AsSpan(s * rows * n, rows * n);
                    if (a.Grad is not null)      // dA[rows, K] += dY · op(B)ᵀ
                        Gemm.Multiply<T>(gys, b.Data.AsSpan(s * k * n, k * n), a.Grad.AsSpan(s * rows * k, rows * k), rows, n, k,
                            transposeB: !transposeB, accumulate: true, threads: shared ? Threads : 1, team: shared ? Team : null);
                    if (b.Grad is not null)
                    {
                        var gb = b.Grad.AsSpan(s * k * n, k * n);
                        if (shared && transposeB) AccumulateAtB(gy, 0, a.Data, 0, b.Grad, 0, n, rows, k);     // dB[N, K] += dYᵀ · A
                        else if (shared) AccumulateAtB(a.Data, 0, gy, 0, b.Grad, 0, k, rows, n);               // dB[K, N] += Aᵀ · dY
                        else
                        {
                            var asl = a.Data.AsSpan(s * rows * k, rows * k);
                            if (transposeB) Gemm.Multiply<T>(gys, asl, gb, n, rows, k, transposeA: true, accumulate: true);
                            else Gemm.Multiply<T>(asl, gys, gb, k, rows, n, transposeA: true, accumulate: true);
                        }
                    }
                }
            }
        });
        return y;
    }

    /// <summary>
    /// Affine map y = x·W + b over the last axis, fused: the output rows start as copies of b and the GEMM accumulates into
    /// them (no separate bias pass; bit-identical to <c>Add(MatMul(x, W), b)</c> when the inner size is at most 256). Backward:
    /// dx += dy·Wᵀ, dW += xᵀ·dy (a transpose-free register-blocked kernel for float, rows of dW split over the tape's threads),
    /// db += column sums of dy in fixed blocks of 1024 rows added in block order (the same bits at any thread count).
    /// </summary>
    /// <param name="x">[..., in], rank ≥ 1.</param>
    /// <param name="weight">[in, out].</param>
    /// <param name="bias">[out], or null for none.</param>
    /// <returns>[..., out].</returns>
    /// <exception cref="ArgumentException">x's last axis is not in, or the bias is not [out]; the message gives the shapes.</exception>
    public Tensor<T> Linear(Tensor<T> x, Tensor<T> weight, Tensor<T>? bias)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        if (x.Rank < 1 || weight.Rank != 2 || x.Dims[^1] != weight.Dims[0] || (bias is not null && (bias.Rank != 1 || bias.Length != weight.Dims[1])))
            throw new ArgumentException($"Linear: x is {ShapeUtil.Format(x.Dims)}, weight {ShapeUtil.Format(weight.Dims)}, bias {(bias is null ? "none" : ShapeUtil.Format(bias.Dims))}; expected [..., in], [in, out], [out].");
        int k = weight.Dims[0], n = weight.Dims[1];
        var rows = k == 0 ? ShapeUtil.Product(x.Dims.AsSpan(0, x.Rank - 1), nameof(Linear)) : x.Length / k;
        var outShape = (int[])x.Dims.Clone();
        outShape[^1] = n;
        var y = k == 0 && bias is null ? Result(outShape, x, weight)                  // bias rows or the GEMM overwrite every output
            : bias is null ? ResultOverwritten(outShape, x, weight) : ResultOverwritten(outShape, x, weight, bias);
        if (bias is not null)
        {
            var yd = y.Data;
            var bd = bias.Data;
            ParallelRows(rows, n, (r0, r1) => { for (var r = r0; r < r1; r++) bd.AsSpan().CopyTo(yd.AsSpan(r * n, n)); });
        }
        Gemm.Multiply<T>(x.Data, weight.Data, y.Data, rows, k, n, accumulate: bias is not null, threads: Threads, team: Team);
        Record(y, () =>
        {
            var gy = y.Grad!;
            if (x.Grad is not null) Gemm.Multiply<T>(gy, weight.Data, x.Grad, rows, n, k, transposeB: true, accumulate: true, threads: Threads, team: Team);
            if (weight.Grad is not null) AccumulateAtB(x.Data, 0, gy, 0, weight.Grad, 0, k, rows, n);
            if (bias?.Grad is not null) ColumnSumAccumulate(gy, rows, n, bias.Grad);
        });
        return y;
    }

    /// <summary>c[M, N] += aᵀ·b with a stored [K, M] and b [K, N] (weight gradients): <see cref="Gemm.Multiply{T}"/> with a
    /// transposed A, which <see cref="Sgemm"/> reads in place (eight-row panels packed per K-block), C's 8-row blocks split over
    /// the tape's threads (bit-identical for any count).</summary>
    private void AccumulateAtB(T[] a, int aOffset, T[] b, int bOffset, T[] c, int cOffset, int m, int k, int n) =>
        Gemm.Multiply<T>(a.AsSpan(aOffset, k * m), b.AsSpan(bOffset, k * n), c.AsSpan(cOffset, m * n), m, k, n, transposeA: true, accumulate: true,
            threads: Threads, team: Team);
}
