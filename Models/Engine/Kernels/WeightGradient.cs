using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LeanModels.Models.Engine.Kernels;

/// <summary>
/// C[M, N] += Aᵀ·B with A stored [K, M] and B [K, N], row-major: the weight gradient of a shared-weight product
/// (dW = Xᵀ·dY over K = batch rows, M and N the layer widths). A register-blocked 8×32 <see cref="Vector512{T}"/> tile of C is
/// accumulated over K in blocks of <see cref="KC"/> rows (per K row: eight broadcasts of A[k, i..i+7] and two loads of
/// B[k, j..j+31]), so neither operand is transposed or packed; each block's partial tile starts at zero and is added to C in
/// block order — the same per-element arithmetic as <see cref="Sgemm"/> on a transposed copy of A, without the copy's
/// strided writes. Edge rows/columns run a scalar loop with the same FMA order. Rows of C are independent, so splitting
/// them into whole 8-row tiles over threads gives the same bits for any thread count.
/// </summary>
internal static unsafe class WeightGradient
{
    /// <summary>K rows per block (matches <see cref="Sgemm.KC"/>).</summary>
    public const int KC = 256;

    /// <summary>Rows of C per tile.</summary>
    public const int MR = 8;

    /// <summary>C[i0..i1, :] += (Aᵀ·B)[i0..i1, :]; i0 must be a multiple of <see cref="MR"/>.</summary>
    /// <param name="a">[K, M].</param>
    /// <param name="b">[K, N].</param>
    /// <param name="c">[M, N], accumulated into.</param>
    /// <param name="m">M.</param>
    /// <param name="k">K.</param>
    /// <param name="n">N.</param>
    /// <param name="i0">First row of C (multiple of 8).</param>
    /// <param name="i1">End row of C.</param>
    public static void Accumulate(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, int i0, int i1)
    {
        Gemm.Validate(a.Length, b.Length, c.Length, m, k, n);
        if (i0 % MR != 0 || i0 < 0 || i1 > m) throw new ArgumentException($"WeightGradient: rows [{i0}, {i1}) of M = {m}; the start must be a multiple of {MR}.");
        var vector = Vector512.IsHardwareAccelerated;
        fixed (float* pa = a, pb = b, pc = c)
        {
            for (var p0 = 0; p0 < k; p0 += KC)
            {
                var kc = Math.Min(KC, k - p0);
                for (var i = i0; i < i1; i += MR)
                {
                    var mr = Math.Min(MR, i1 - i);
                    var j = 0;
                    if (mr == MR && vector)
                        for (; j + 32 <= n; j += 32)
                            Kernel(pa + (long)p0 * m + i, m, pb + (long)p0 * n + j, n, kc, pc + (long)i * n + j, n);
                    for (var r = i; r < i + mr; r++)
                        for (var jj = j; jj < n; jj++)
                        {
                            var s = 0f;
                            var ap = pa + (long)p0 * m + r;
                            var bp = pb + (long)p0 * n + jj;
                            for (var p = 0; p < kc; p++, ap += m, bp += n) s = MathF.FusedMultiplyAdd(*ap, *bp, s);
                            pc[(long)r * n + jj] += s;
                        }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel(float* a, int lda, float* b, int ldb, int kc, float* c, int ldc)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
        for (var p = 0; p < kc; p++, a += lda, b += ldb)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var x = Vector512.Create(a[0]); c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a[1]); c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a[2]); c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a[3]); c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a[4]); c40 = Vector512.FusedMultiplyAdd(x, b0, c40); c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a[5]); c50 = Vector512.FusedMultiplyAdd(x, b0, c50); c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(a[6]); c60 = Vector512.FusedMultiplyAdd(x, b0, c60); c61 = Vector512.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(a[7]); c70 = Vector512.FusedMultiplyAdd(x, b0, c70); c71 = Vector512.FusedMultiplyAdd(x, b1, c71);
        }
        Add2(c, c00, c01); Add2(c + ldc, c10, c11); Add2(c + 2 * ldc, c20, c21); Add2(c + 3 * ldc, c30, c31);
        Add2(c + 4 * ldc, c40, c41); Add2(c + 5 * ldc, c50, c51); Add2(c + 6 * ldc, c60, c61); Add2(c + 7 * ldc, c70, c71);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add2(float* c, Vector512<float> v0, Vector512<float> v1)
    {
        Vector512.Store(Vector512.Load(c) + v0, c);
        Vector512.Store(Vector512.Load(c + 16) + v1, c + 16);
    }
}
