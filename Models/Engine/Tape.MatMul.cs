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
        else
            for (var s = 0; s < batch; s++)
                Gemm.Multiply<T>(a.Data.AsSpan(s * m * k, m * k), b.Data.AsSpan(s * k * n, k * n), y.Data.AsSpan(s * m * n, m * n), m, k, n, transposeB: transposeB);
        Record(y, () =>
        {
            var gy = y.Grad!;
            int rows = shared ? batch * m : m, reps = shared ? 1 : batch;
            for (var s = 0; s < reps; s++)
            {
                var gys = gy.AsSpan(s * rows * n, rows * n);
                if (a.Grad is not null)      // dA[rows, K] += dY · op(B)ᵀ
                    Gemm.Multiply<T>(gys, b.Data.AsSpan(s * k * n, k * n), a.Grad.AsSpan(s * rows * k, rows * k), rows, n, k,
                        transposeB: !transposeB, accumulate: true, threads: shared ? Threads : 1, team: shared ? Team : null);
                if (b.Grad is not null)
                {
                    var gb = b.Grad.AsSpan(s * k * n, k * n);
                    var asl = a.Data.AsSpan(s * rows * k, rows * k);
                    int th = shared ? Threads : 1;
                    var team = shared ? Team : null;                                         // C's rows split: same bits
                    if (transposeB) Gemm.Multiply<T>(gys, asl, gb, n, rows, k, transposeA: true, accumulate: true, threads: th, team: team);   // dB[N, K] += dYᵀ · A
                    else Gemm.Multiply<T>(asl, gys, gb, k, rows, n, transposeA: true, accumulate: true, threads: th, team: team);              // dB[K, N] += Aᵀ · dY
                }
            }
        });
        return y;
    }
}
