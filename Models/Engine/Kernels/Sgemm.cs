namespace LeanModels.Models.Engine.Kernels;

/// <summary>Single-precision GEMM C (+)= A·op(B), row-major. Placeholder until the packed kernel lands: delegates to
/// <see cref="Gemm.Reference{T}"/>.</summary>
public static class Sgemm
{
    /// <summary>C (+)= A·op(B) in <c>float</c>.</summary>
    /// <param name="a">[M, K] row-major.</param>
    /// <param name="b">[K, N], or [N, K] when <paramref name="transposeB"/>.</param>
    /// <param name="c">[M, N] output.</param>
    /// <param name="m">Rows of A and C.</param>
    /// <param name="k">Inner dimension.</param>
    /// <param name="n">Columns of C.</param>
    /// <param name="transposeB">B is stored [N, K].</param>
    /// <param name="accumulate">True to add into C.</param>
    /// <exception cref="ArgumentException">A span is shorter than its matrix.</exception>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n,
        bool transposeB = false, bool accumulate = false) =>
        Gemm.Reference(a, b, c, m, k, n, transposeA: false, transposeB, accumulate);
}
