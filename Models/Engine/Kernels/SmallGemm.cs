using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace LeanModels.Models.Engine.Kernels;

/// <summary>
/// Unpacked float GEMM for small problems (attention's per-head 64×16·16×64 and 16×16 products), where packing B and
/// blocking cost more than the arithmetic. op(B) = B: row-wise axpy, C[i, :] += A[i, p]·B[p, :] with <see cref="Vector512{T}"/>
/// across columns (scalar tail). op(B) = Bᵀ: C[i, j] = dot(A[i, :], B[j, :]) with TensorPrimitives.Dot. Single-threaded and
/// shape-dispatched, so results do not depend on the thread count.
/// </summary>
public static class SmallGemm
{
    /// <summary>Problems with M·K·N at or below this go to <see cref="Multiply"/> from <see cref="Gemm.Multiply{T}"/>.</summary>
    public const long Threshold = 64 * 64 * 64;

    /// <summary>C (+)= op(A)·op(B) in <c>float</c>, unpacked. Both transposed at once falls back to <see cref="Gemm.Reference{T}"/>.</summary>
    /// <param name="a">[M, K] row-major, or [K, M] when <paramref name="transposeA"/>.</param>
    /// <param name="b">[K, N], or [N, K] when <paramref name="transposeB"/>.</param>
    /// <param name="c">[M, N] output.</param>
    /// <param name="m">Rows of A and C.</param>
    /// <param name="k">Inner dimension.</param>
    /// <param name="n">Columns of C.</param>
    /// <param name="transposeB">B is stored [N, K].</param>
    /// <param name="accumulate">True to add into C.</param>
    /// <param name="transposeA">A is stored [K, M].</param>
    /// <exception cref="ArgumentException">A span is shorter than its matrix.</exception>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool transposeB = false,
        bool accumulate = false, bool transposeA = false) => MultiplyWithWidth(a, b, c, m, k, n, transposeB, accumulate, transposeA, (int)EngineSimd.Tier);

    /// <summary><see cref="Multiply"/> capped at a vector width (512, 256, or 0 for scalar) so tests reach every path.</summary>
    internal static void MultiplyWithWidth(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool transposeB,
        bool accumulate, bool transposeA, int width)
    {
        Gemm.Validate(a.Length, b.Length, c.Length, m, k, n);
        if (transposeA && transposeB)
        {
            Gemm.Reference(a, b, c, m, k, n, true, true, accumulate);
            return;
        }
        if (transposeB && n >= 16 && (long)k * n <= 8192)
        {
            // QKᵀ shapes: transposing B (≤ 32 KB, on the stack) turns M·N short dot products into vectorised row updates.
            Span<float> bt = stackalloc float[k * n];
            for (var j = 0; j < n; j++)
                for (var p = 0; p < k; p++) bt[p * n + j] = b[j * k + p];
            MultiplyWithWidth(a, bt, c, m, k, n, false, accumulate, transposeA, width);
            return;
        }
        if (!transposeB && width >= 512 && Vector512.IsHardwareAccelerated)
        {
            RowPanels512(a, b, c, m, k, n, accumulate, transposeA);
            return;
        }
        for (var i = 0; i < m; i++)
        {
            var row = c.Slice(i * n, n);
            var ar = transposeA ? default : a.Slice(i * k, k);
            if (transposeB)
            {
                for (var j = 0; j < n; j++)
                {
                    var dot = TensorPrimitives.Dot(ar, b.Slice(j * k, k));
                    row[j] = accumulate ? row[j] + dot : dot;
                }
                continue;
            }
            if (!accumulate) row.Clear();
            for (var p = 0; p < k; p++)
            {
                var av = transposeA ? a[p * m + i] : ar[p];
                var br = b.Slice(p * n, n);
                var j = 0;
                if (width >= 256 && Vector256.IsHardwareAccelerated)
                {
                    var va = Vector256.Create(av);
                    for (; j <= n - 8; j += 8)
                        Vector256.FusedMultiplyAdd(va, Vector256.Create(br[j..]), Vector256.Create(row[j..])).CopyTo(row[j..]);
                }
                for (; j < n; j++) row[j] = MathF.FusedMultiplyAdd(av, br[j], row[j]);   // tail; the whole job without SIMD
            }
        }
    }

    /// <summary>op(B) = B with AVX-512: for each row of C, panels of up to 64 columns stay in four zmm accumulators over
    /// the whole K loop (one broadcast of A and up to four loads of B per k), then one store. Columns past the last multiple
    /// of 16 are summed in scalar with the same k order.</summary>
    private static unsafe void RowPanels512(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate, bool transposeA)
    {
        var vecCols = n & ~15;
        fixed (float* pa = a, pb = b, pc = c)
        {
            for (var i = 0; i < m; i++)
            {
                var crow = pc + (long)i * n;
                long aStride = transposeA ? m : 1;
                var arow = transposeA ? pa + i : pa + (long)i * k;
                for (var j = 0; j < vecCols; j += 64)
                {
                    var panels = Math.Min(4, (vecCols - j) / 16);
                    Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default;
                    if (accumulate)
                    {
                        c0 = Vector512.Load(crow + j);
                        if (panels > 1) c1 = Vector512.Load(crow + j + 16);
                        if (panels > 2) c2 = Vector512.Load(crow + j + 32);
                        if (panels > 3) c3 = Vector512.Load(crow + j + 48);
                    }
                    var bp = pb + j;
                    var ap = arow;
                    if (panels == 4)
                        for (var p = 0; p < k; p++, bp += n, ap += aStride)
                        {
                            var x = Vector512.Create(*ap);
                            c0 = Vector512.FusedMultiplyAdd(x, Vector512.Load(bp), c0);
                            c1 = Vector512.FusedMultiplyAdd(x, Vector512.Load(bp + 16), c1);
                            c2 = Vector512.FusedMultiplyAdd(x, Vector512.Load(bp + 32), c2);
                            c3 = Vector512.FusedMultiplyAdd(x, Vector512.Load(bp + 48), c3);
                        }
                    else
                        for (var p = 0; p < k; p++, bp += n, ap += aStride)
                        {
                            var x = Vector512.Create(*ap);
                            c0 = Vector512.FusedMultiplyAdd(x, Vector512.Load(bp), c0);
                            if (panels > 1) c1 = Vector512.FusedMultiplyAdd(x, Vector512.Load(bp + 16), c1);
                            if (panels > 2) c2 = Vector512.FusedMultiplyAdd(x, Vector512.Load(bp + 32), c2);
                        }
                    Vector512.Store(c0, crow + j);
                    if (panels > 1) Vector512.Store(c1, crow + j + 16);
                    if (panels > 2) Vector512.Store(c2, crow + j + 32);
                    if (panels > 3) Vector512.Store(c3, crow + j + 48);
                }
                for (var j = vecCols; j < n; j++)
                {
                    var sum = accumulate ? crow[j] : 0f;
                    var ap = arow;
                    for (var p = 0; p < k; p++, ap += aStride) sum = MathF.FusedMultiplyAdd(*ap, pb[(long)p * n + j], sum);
                    crow[j] = sum;
                }
            }
        }
    }
}
