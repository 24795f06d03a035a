using System.Numerics;

namespace LeanModels.Models.Engine.Kernels;

/// <summary>
/// General matrix multiply C (+)= op(A)·op(B), row-major. <see cref="Reference{T}"/> is the naive triple loop kept as the
/// test oracle (llm.c's <c>matmul_forward_naive</c>); <see cref="Multiply{T}"/> is the entry point the engine calls, which
/// dispatches <c>float</c> to the packed SGEMM in <see cref="Sgemm"/> and everything else to the reference.
/// </summary>
public static class Gemm
{
    /// <summary>Naive reference: C[i, j] (+)= Σₖ op(A)[i, k]·op(B)[k, j], summing k in increasing order.</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="a">op(A) is [M, K]: A stored [M, K], or [K, M] when <paramref name="transposeA"/>.</param>
    /// <param name="b">op(B) is [K, N]: B stored [K, N], or [N, K] when <paramref name="transposeB"/>.</param>
    /// <param name="c">[M, N] output.</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="k">Inner dimension.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="transposeA">A is stored transposed.</param>
    /// <param name="transposeB">B is stored transposed.</param>
    /// <param name="accumulate">True: C += op(A)·op(B); false: C = op(A)·op(B).</param>
    /// <exception cref="ArgumentException">A span is shorter than its matrix; the message gives M, K, N and the lengths.</exception>
    public static void Reference<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n,
        bool transposeA = false, bool transposeB = false, bool accumulate = false) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Validate(a.Length, b.Length, c.Length, m, k, n);
        for (var i = 0; i < m; i++)
        {
            var row = c.Slice(i * n, n);
            if (!accumulate) row.Clear();
            for (var p = 0; p < k; p++)
            {
                var av = transposeA ? a[p * m + i] : a[i * k + p];
                if (transposeB)
                    for (var j = 0; j < n; j++) row[j] += av * b[j * k + p];
                else
                    for (var j = 0; j < n; j++) row[j] += av * b[p * n + j];
            }
        }
    }

    /// <summary>C (+)= op(A)·op(B); <c>float</c> goes to <see cref="SmallGemm"/> when M·K·N ≤ 64³, else to <see cref="Sgemm"/> (which reads a transposed A in place),
    /// <c>double</c> to <see cref="Reference{T}"/>. Arguments as in <see cref="Reference{T}"/>.</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="a">op(A) is [M, K].</param>
    /// <param name="b">op(B) is [K, N].</param>
    /// <param name="c">[M, N] output.</param>
    /// <param name="m">Rows of C.</param>
    /// <param name="k">Inner dimension.</param>
    /// <param name="n">Columns of C.</param>
    /// <param name="transposeA">A is stored [K, M].</param>
    /// <param name="transposeB">B is stored [N, K].</param>
    /// <param name="accumulate">True to add into C.</param>
    /// <param name="threads">Threads for the float path (rows are split; the result does not depend on it).</param>
    /// <param name="team">Optional persistent workers for the <see cref="Sgemm"/> path (then <paramref name="threads"/> is ignored).</param>
    /// <exception cref="ArgumentException">A span is shorter than its matrix.</exception>
    public static void Multiply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n,
        bool transposeA = false, bool transposeB = false, bool accumulate = false, int threads = 1, ThreadTeam? team = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && (long)m * k * n <= SmallGemm.Threshold)
        {
            SmallGemm.Multiply(
                System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(a),
                System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(b),
                System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(c), m, k, n, transposeB, accumulate, transposeA);
            return;
        }
        if (typeof(T) == typeof(float))
        {
            Sgemm.Multiply(
                System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(a),
                System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(b),
                System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(c), m, k, n, transposeB, accumulate, threads, team, transposeA);
            return;
        }
        Reference(a, b, c, m, k, n, transposeA, transposeB, accumulate);
    }

    internal static void Validate(int aLength, int bLength, int cLength, int m, int k, int n)
    {
        if (m < 0 || k < 0 || n < 0 || aLength < (long)m * k || bLength < (long)k * n || cLength < (long)m * n)
            throw new ArgumentException($"Gemm: M={m}, K={k}, N={n} needs A ≥ {(long)m * k}, B ≥ {(long)k * n}, C ≥ {(long)m * n} elements; got {aLength}, {bLength}, {cLength}.");
    }
}
