using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LeanModels.Models.Engine.Kernels;

/// <summary>
/// Packed, cache-blocked single-precision GEMM C (+)= A·op(B), row-major, after ../shared/docs/gemm-notes.md (Goto &amp; van
/// de Geijn 2008 blocking, BLIS-style micro-kernel): B is packed into K-blocks of <see cref="KC"/> rows by 32-column strips
/// (zero-padded); A is read in place with its row stride (packing A cost more than it saved on our skinny shapes); an 8×32
/// <see cref="Vector512{T}"/> micro-kernel keeps 16 accumulators in registers. On the <see cref="SimdTier.Vector256"/> tier the same
/// strips are processed by a <see cref="Vector256{T}"/> kernel (4×16 tiles), on the scalar tier by a scalar loop with the same
/// per-element FMA order (the tier is <see cref="EngineSimd.Tier"/>, read once per call).
/// </summary>
/// <remarks>
/// Determinism: each C element is computed by one thread, summing k in the same blocked order (FMA per k, blocks of
/// <see cref="KC"/> added to C in order) whatever the thread count, so 1 and 2 threads give bit-identical results. Results
/// differ in the last bits from <see cref="Gemm.Reference{T}"/> (FMA and blocking), so tests compare with a tolerance.
/// </remarks>
public static unsafe class Sgemm
{
    /// <summary>Rows per micro-tile.</summary>
    public const int MR = 8;

    /// <summary>Columns per micro-tile (two <see cref="Vector512{T}"/> of float).</summary>
    public const int NR = 32;

    /// <summary>Depth of a packed K-block (256 floats × 32 columns = 32 KB per strip).</summary>
    public const int KC = 256;

    /// <summary>Columns packed at once (KC × NC × 4 bytes = 512 KB, within the 1 MB L2).</summary>
    public const int NC = 512;

    /// <summary>C (+)= A·op(B) in <c>float</c>.</summary>
    /// <param name="a">[M, K] row-major, or [K, M] when <paramref name="transposeA"/> (read in place: weight gradients Xᵀ·dY).</param>
    /// <param name="b">[K, N], or [N, K] when <paramref name="transposeB"/>.</param>
    /// <param name="c">[M, N] output.</param>
    /// <param name="m">Rows of A and C.</param>
    /// <param name="k">Inner dimension.</param>
    /// <param name="n">Columns of C.</param>
    /// <param name="transposeB">B is stored [N, K].</param>
    /// <param name="accumulate">True to add into C; false overwrites it.</param>
    /// <param name="threads">Threads to split the rows over (≥ 1); the result does not depend on it. Ignored when
    /// <paramref name="team"/> is given.</param>
    /// <param name="team">Optional persistent workers: the rows are split over <see cref="ThreadTeam.Threads"/> threads with
    /// the same fixed chunks. Without it, <paramref name="threads"/> &gt; 1 starts a <see cref="Task"/> per extra chunk
    /// (slower on 2 vCPUs; kept for callers without a team).</param>
    /// <param name="transposeA">A is stored [K, M]. The AVX-512 kernel reads it in place (eight consecutive floats per k);
    /// the AVX2 path copies it to [M, K] first.</param>
    /// <exception cref="ArgumentException">A span is shorter than its matrix; the message gives M, K, N and the lengths.</exception>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n,
        bool transposeB = false, bool accumulate = false, int threads = 1, ThreadTeam? team = null, bool transposeA = false) =>
        MultiplyWithWidth(a, b, c, m, k, n, transposeB, accumulate, threads, (int)EngineSimd.Tier, team, transposeA);

    /// <summary>As the public overload, with the vector width forced (512, 256, or 0 for the reference) so tests reach every path.</summary>
    internal static void MultiplyWithWidth(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n,
        bool transposeB, bool accumulate, int threads, int width, ThreadTeam? team = null, bool transposeA = false)
    {
        Gemm.Validate(a.Length, b.Length, c.Length, m, k, n);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        if (team is not null) threads = team.Threads;
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!accumulate) c[..(m * n)].Clear();
            return;
        }
        if (width == 512 && !Vector512.IsHardwareAccelerated || width == 256 && !Vector256.IsHardwareAccelerated || width is not (0 or 256 or 512))
        {
            Gemm.Reference(a, b, c, m, k, n, transposeA, transposeB, accumulate);
            return;
        }
        if (transposeA && width != 512)
        {
            var buffer = ArrayPool<float>.Shared.Rent(m * k);
            try
            {
                var at = buffer.AsSpan(0, m * k);
                for (var p = 0; p < k; p++)
                    for (var i = 0; i < m; i++) at[i * k + p] = a[p * m + i];
                MultiplyWithWidth(at, b, c, m, k, n, transposeB, accumulate, threads, width, team);
            }
            finally
            {
                ArrayPool<float>.Shared.Return(buffer);
            }
            return;
        }
        var blocks = (m + MR - 1) / MR;
        threads = Math.Min(threads, blocks);
        fixed (float* pa = a, pb = b, pc = c)
        {
            if (threads == 1)
            {
                RunRows(pa, pb, pc, 0, m, m, k, n, transposeB, accumulate, width, transposeA);
                return;
            }
            // Fixed contiguous chunks of whole MR-row blocks; chunk 0 runs on this thread.
            nint ia = (nint)pa, ib = (nint)pb, ic = (nint)pc;
            if (team is not null)
            {
                var strips = (n + NR - 1) / NR;
                if ((long)m * k < (long)k * n && strips >= team.Threads)
                {
                    // B is the larger operand (weight gradients dW[in, out] = Xᵀ·dY with out > in): split C's columns in whole
                    // NR strips, so each thread packs only its part of B instead of both streaming all of it. Every C element
                    // is still computed by one thread in the same K order: the same bits as any other split.
                    team.Run(strips, (s0, s1) => RunRows((float*)ia, (float*)ib, (float*)ic, 0, m, m, k, n, transposeB, accumulate, width, transposeA,
                        s0 * NR, Math.Min(n, s1 * NR)));
                    return;
                }
                // ThreadTeam.Run splits the blocks into the same chunks as below: ⌈blocks / threads⌉ per chunk.
                team.Run(blocks, (b0, b1) => RunRows((float*)ia, (float*)ib, (float*)ic, b0 * MR, Math.Min(m, b1 * MR), m, k, n, transposeB, accumulate, width, transposeA));
                return;
            }
            var per = (blocks + threads - 1) / threads;
            var tasks = new Task[threads - 1];
            for (var t = 1; t < threads; t++)
            {
                int r0 = Math.Min(m, t * per * MR), r1 = Math.Min(m, (t + 1) * per * MR);
                tasks[t - 1] = Task.Factory.StartNew(() => RunRows((float*)ia, (float*)ib, (float*)ic, r0, r1, m, k, n, transposeB, accumulate, width, transposeA),
                    CancellationToken.None, TaskCreationOptions.None, TaskScheduler.Default);
            }
            RunRows(pa, pb, pc, 0, Math.Min(m, per * MR), m, k, n, transposeB, accumulate, width, transposeA);
            Task.WaitAll(tasks);
        }
    }

    /// <summary>C[r0..r1, j0..j1) (+)= A·op(B) for those rows and columns (j1 = 0 means all n).</summary>
    private static void RunRows(float* a, float* b, float* c, int r0, int r1, int m, int k, int n, bool transposeB, bool accumulate, int width, bool transposeA = false,
        int j0 = 0, int j1 = 0)
    {
        if (j1 == 0) j1 = n;
        if (r1 <= r0 || j1 <= j0) return;
        var buffer = ArrayPool<float>.Shared.Rent(KC * NC + KC * MR + 32);
        try
        {
            fixed (float* raw = buffer)
            {
                var packed = (float*)(((nint)raw + 63) & ~(nint)63);          // 64-byte aligned strips
                var packedA = packed + KC * NC + 16;                             // one transposed-A panel [kc, MR]
                for (var jc = j0; jc < j1; jc += NC)
                {
                    var nc = Math.Min(NC, j1 - jc);
                    for (var pc = 0; pc < k; pc += KC)
                    {
                        var kc = Math.Min(KC, k - pc);
                        PackB(b, packed, pc, kc, jc, nc, k, n, transposeB);
                        var overwrite = pc == 0 && !accumulate;
                        for (var i = r0; i < r1; i += MR)
                        {
                            var mr = Math.Min(MR, r1 - i);
                            // A[i, p] is a[i·K + p] (row-major), or a[p·M + i] (transposeA: stored [K, M]); a transposed panel is
                            // first copied to [kc, MR] (eight consecutive floats per k) and reused by every column strip.
                            var ap = a + (long)i * k + pc;
                            int rs = k, ps = 1;
                            if (transposeA)
                            {
                                var src = a + (long)pc * m + i;
                                if (mr == MR)
                                    for (var p = 0; p < kc; p++) Vector256.Store(Vector256.Load(src + (long)p * m), packedA + p * MR);
                                else
                                    for (var p = 0; p < kc; p++)
                                        for (var r = 0; r < MR; r++) packedA[p * MR + r] = r < mr ? src[(long)p * m + r] : 0f;
                                ap = packedA;
                                rs = 1;
                                ps = MR;
                            }
                            for (var jr = 0; jr < nc; jr += NR)
                            {
                                var nr = Math.Min(NR, nc - jr);
                                var bp = packed + (long)(jr / NR) * kc * NR;
                                var cp = c + (long)i * n + jc + jr;
                                if (mr == MR && nr == NR && width == 512) Kernel512(ap, rs, ps, bp, kc, cp, n, overwrite);
                                else if (width == 512) Edge512(ap, rs, ps, bp, kc, cp, n, mr, nr, overwrite);
                                else if (width == 256) Kernel256(ap, k, bp, kc, cp, n, mr, nr, overwrite);
                                else KernelScalar(ap, k, bp, kc, cp, n, mr, nr, overwrite);
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>Packs op(B)[pc..pc+kc, jc..jc+nc] into strips of NR columns: strip s holds kc rows of NR floats, zero-padded.</summary>
    private static void PackB(float* b, float* packed, int pc, int kc, int jc, int nc, int k, int n, bool transposeB)
    {
        for (var jr = 0; jr < nc; jr += NR)
        {
            var nr = Math.Min(NR, nc - jr);
            var dst = packed + (long)(jr / NR) * kc * NR;
            for (var p = 0; p < kc; p++, dst += NR)
            {
                if (!transposeB)
                {
                    var src = b + (long)(pc + p) * n + jc + jr;
                    if (nr == NR && Vector512.IsHardwareAccelerated) { Vector512.Store(Vector512.Load(src), dst); Vector512.Store(Vector512.Load(src + 16), dst + 16); continue; }
                    for (var j = 0; j < nr; j++) dst[j] = src[j];
                }
                else
                {
                    var src = b + (long)(jc + jr) * k + pc + p;                // B stored [N, K]: column j of op(B) is row j of B
                    for (var j = 0; j < nr; j++) dst[j] = src[(long)j * k];
                }
                for (var j = nr; j < NR; j++) dst[j] = 0;
            }
        }
    }

    /// <summary>8×32 micro-kernel: 16 zmm accumulators, per k one broadcast of each A row and two loads of the B strip.
    /// Row r of the A panel starts at a + r·<paramref name="rs"/> and steps <paramref name="ps"/> per k (rs = lda, ps = 1 for
    /// row-major A; rs = 1, ps = M for a transposed A read in place).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel512(float* a, int rs, int ps, float* b, int kc, float* c, int ldc, bool overwrite)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
        float* a0 = a, a1 = a + rs, a2 = a + 2 * rs, a3 = a + 3 * rs, a4 = a + 4 * rs, a5 = a + 5 * rs, a6 = a + 6 * rs, a7 = a + 7 * rs;
        if (Sse.IsSupported)
            for (var r = 0; r < MR; r++) { Sse.Prefetch0(c + r * ldc); Sse.Prefetch0(c + r * ldc + 16); }
        for (var p = 0; p < kc; p++, b += NR, a0 += ps, a1 += ps, a2 += ps, a3 += ps, a4 += ps, a5 += ps, a6 += ps, a7 += ps)
        {
            var b0 = Vector512.LoadAligned(b);
            var b1 = Vector512.LoadAligned(b + 16);
            var x = Vector512.Create(*a0); c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(*a1); c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(*a2); c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(*a3); c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(*a4); c40 = Vector512.FusedMultiplyAdd(x, b0, c40); c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(*a5); c50 = Vector512.FusedMultiplyAdd(x, b0, c50); c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(*a6); c60 = Vector512.FusedMultiplyAdd(x, b0, c60); c61 = Vector512.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(*a7); c70 = Vector512.FusedMultiplyAdd(x, b0, c70); c71 = Vector512.FusedMultiplyAdd(x, b1, c71);
        }
        Store2(c, c00, c01, overwrite); Store2(c + ldc, c10, c11, overwrite);
        Store2(c + 2 * ldc, c20, c21, overwrite); Store2(c + 3 * ldc, c30, c31, overwrite);
        Store2(c + 4 * ldc, c40, c41, overwrite); Store2(c + 5 * ldc, c50, c51, overwrite);
        Store2(c + 6 * ldc, c60, c61, overwrite); Store2(c + 7 * ldc, c70, c71, overwrite);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store2(float* c, Vector512<float> v0, Vector512<float> v1, bool overwrite)
    {
        if (!overwrite) { v0 += Vector512.Load(c); v1 += Vector512.Load(c + 16); }
        Vector512.Store(v0, c);
        Vector512.Store(v1, c + 16);
    }

    /// <summary>Edge tiles (mr &lt; 8 rows or nr &lt; 32 columns): one row at a time, same per-element FMA order as the full kernel.
    /// A strides as in <see cref="Kernel512"/>.</summary>
    private static void Edge512(float* a, int rs, int ps, float* b, int kc, float* c, int ldc, int mr, int nr, bool overwrite)
    {
        var tile = stackalloc float[NR];
        for (var r = 0; r < mr; r++)
        {
            Vector512<float> v0 = default, v1 = default;
            var ar = a + (long)r * rs;
            var bp = b;
            for (var p = 0; p < kc; p++, bp += NR, ar += ps)
            {
                var x = Vector512.Create(*ar);
                v0 = Vector512.FusedMultiplyAdd(x, Vector512.LoadAligned(bp), v0);
                v1 = Vector512.FusedMultiplyAdd(x, Vector512.LoadAligned(bp + 16), v1);
            }
            Vector512.Store(v0, tile);
            Vector512.Store(v1, tile + 16);
            var cr = c + (long)r * ldc;
            for (var j = 0; j < nr; j++) cr[j] = overwrite ? tile[j] : cr[j] + tile[j];
        }
    }

    /// <summary>Scalar tier over the same packed strips and K-blocks: per row, NR accumulators start at zero, one
    /// <see cref="MathF.FusedMultiplyAdd(float, float, float)"/> per k in increasing order, then C = or += the block sum. The same
    /// per-element operations as the vector kernels, so this gives the same bits as they do (and keeps Linear's "Σ, then + b").</summary>
    private static void KernelScalar(float* a, int lda, float* b, int kc, float* c, int ldc, int mr, int nr, bool overwrite)
    {
        var acc = stackalloc float[NR];
        for (var r = 0; r < mr; r++)
        {
            new Span<float>(acc, NR).Clear();
            var ar = a + (long)r * lda;
            var bp = b;
            for (var p = 0; p < kc; p++, bp += NR)
            {
                var x = ar[p];
                for (var j = 0; j < nr; j++) acc[j] = MathF.FusedMultiplyAdd(x, bp[j], acc[j]);
            }
            var cr = c + (long)r * ldc;
            for (var j = 0; j < nr; j++) cr[j] = overwrite ? acc[j] : cr[j] + acc[j];
        }
    }

    /// <summary>AVX2 fallback over the same packed strips: 4-row × 16-column sub-tiles (8 ymm accumulators).</summary>
    private static void Kernel256(float* a, int lda, float* b, int kc, float* c, int ldc, int mr, int nr, bool overwrite)
    {
        var tile = stackalloc float[16];
        for (var half = 0; half < NR && half < nr; half += 16)
            for (var r0 = 0; r0 < mr; r0 += 4)
            {
                var rows = Math.Min(4, mr - r0);
                Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
                float* a0 = a + (long)r0 * lda, a1 = a0 + (rows > 1 ? lda : 0), a2 = a0 + (rows > 2 ? 2 * lda : 0), a3 = a0 + (rows > 3 ? 3 * lda : 0);
                var bp = b + half;
                for (var p = 0; p < kc; p++, bp += NR)
                {
                    var b0 = Vector256.Load(bp);
                    var b1 = Vector256.Load(bp + 8);
                    var x = Vector256.Create(a0[p]); c00 = Vector256.FusedMultiplyAdd(x, b0, c00); c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
                    x = Vector256.Create(a1[p]); c10 = Vector256.FusedMultiplyAdd(x, b0, c10); c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
                    x = Vector256.Create(a2[p]); c20 = Vector256.FusedMultiplyAdd(x, b0, c20); c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
                    x = Vector256.Create(a3[p]); c30 = Vector256.FusedMultiplyAdd(x, b0, c30); c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
                }
                var cols = Math.Min(16, nr - half);
                for (var r = 0; r < rows; r++)
                {
                    var (v0, v1) = r switch { 0 => (c00, c01), 1 => (c10, c11), 2 => (c20, c21), _ => (c30, c31) };
                    Vector256.Store(v0, tile);
                    Vector256.Store(v1, tile + 8);
                    var cr = c + (long)(r0 + r) * ldc + half;
                    for (var j = 0; j < cols; j++) cr[j] = overwrite ? tile[j] : cr[j] + tile[j];
                }
            }
    }
}
