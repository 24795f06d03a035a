using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace LeanModels.Models.Engine;

public sealed partial class Tape<T>
{
    /// <summary>Elements per parallel block of the element-wise ops.</summary>
    internal const int ParallelGrain = 16384;

    /// <summary>Elements below which an element-wise op runs inline even with a team: waking the workers costs microseconds
    /// (far more when another process holds the second core), more than splitting a batch-1 activation saves.</summary>
    internal const int ParallelMinimum = 8 * ParallelGrain;

    /// <summary>Rows per fixed reduction block of row-reducing parameter gradients (LayerNorm dγ/dβ, bias gradients): each block's
    /// partial sum starts from zero and the partials are added in block order, so the result does not depend on the thread count.</summary>
    internal const int ReduceBlockRows = 1024;

    /// <summary>Runs body(start, end) over the element range [0, length): inline when the tape has one thread or the range is
    /// below <see cref="ParallelMinimum"/> elements, otherwise over fixed blocks of <paramref name="grain"/> elements split by
    /// <see cref="RunChunks"/>. Only for element-wise work whose elements are independent (the result must not depend on the split).</summary>
    internal void ParallelFor(int length, int grain, Action<int, int> body) => ParallelBlocks(length, grain, length, body);

    /// <summary>Rows of <paramref name="width"/> elements: body(firstRow, endRow) over blocks of about <see cref="ParallelGrain"/>
    /// elements; inline below <see cref="ParallelMinimum"/> elements in all.</summary>
    internal void ParallelRows(int rows, int width, Action<int, int> body) =>
        ParallelBlocks(rows, Math.Max(1, ParallelGrain / Math.Max(1, width)), (long)rows * width, body);

    private void ParallelBlocks(int count, int grain, long elements, Action<int, int> body)
    {
        if (Threads <= 1 || elements < ParallelMinimum || count < 2 * grain)
        {
            if (count > 0) body(0, count);
            return;
        }
        var blocks = (count + grain - 1) / grain;
        RunChunks(blocks, (b0, b1) => body(b0 * grain, Math.Min(count, b1 * grain)));
    }

    /// <summary>dst[j] += Σ_r src[r·width + j] over rows [0, rows), in fixed blocks of <see cref="ReduceBlockRows"/> rows: each
    /// block's partial starts at zero (rows added in order), blocks run in parallel, and the partials are added to dst in block
    /// order, so the bits do not depend on the thread count.</summary>
    internal void ColumnSumAccumulate(T[] src, int rows, int width, Span<T> dst)
    {
        var blocks = (rows + ReduceBlockRows - 1) / ReduceBlockRows;
        if (blocks == 0 || width == 0) return;
        var partial = Alloc(blocks * width);
        RunChunksIf(blocks, (long)rows * width >= ParallelMinimum, (b0, b1) =>
        {
            for (var blk = b0; blk < b1; blk++)
            {
                var acc = partial.AsSpan(blk * width, width);
                var end = Math.Min(rows, (blk + 1) * ReduceBlockRows);
                if (typeof(T) == typeof(float) && width % 16 == 0 && Kernels.EngineSimd.Tier == Kernels.SimdTier.Vector512)   // same bits as TensorPrimitives
                {
                    var fa = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(acc);
                    var fs = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(src.AsSpan());
                    for (var r = blk * ReduceBlockRows; r < end; r++)
                        for (var j = 0; j < width; j += 16)
                            (Vector512.Create(fa[j..]) + Vector512.Create(fs[(r * width + j)..])).CopyTo(fa[j..]);
                }
                else
                    for (var r = blk * ReduceBlockRows; r < end; r++)
                        System.Numerics.Tensors.TensorPrimitives.Add(acc, src.AsSpan(r * width, width), acc);
            }
        });
        for (var blk = 0; blk < blocks; blk++)
            System.Numerics.Tensors.TensorPrimitives.Add(dst, partial.AsSpan(blk * width, width), dst);
    }

    /// <summary><see cref="RunChunks"/> when <paramref name="parallel"/> and the tape has more than one thread, else body(0, count) inline.</summary>
    internal void RunChunksIf(int count, bool parallel, Action<int, int> body)
    {
        if (parallel && Threads > 1) RunChunks(count, body);
        else if (count > 0) body(0, count);
    }

    /// <summary>Like <see cref="Alloc"/> but a reused pooled array is not zeroed: only for outputs the op overwrites entirely
    /// (saves one write pass over every such output).</summary>
    internal T[] AllocOverwritten(int length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_pool is null) return new T[length];
        var a = _pool.Rent(length, clear: false);
        _rented.Add(a);
        return a;
    }

    /// <summary>An op's result whose data the op overwrites entirely (not zeroed when pooled); the gradient, when there is one,
    /// is zeroed as usual.</summary>
    internal Tensor<T> ResultOverwritten(int[] shape, Tensor<T> a) => ResultOverwritten(shape, a.RequiresGrad);

    internal Tensor<T> ResultOverwritten(int[] shape, Tensor<T> a, Tensor<T> b) => ResultOverwritten(shape, a.RequiresGrad || b.RequiresGrad);

    internal Tensor<T> ResultOverwritten(int[] shape, Tensor<T> a, Tensor<T> b, Tensor<T> c) => ResultOverwritten(shape, a.RequiresGrad || b.RequiresGrad || c.RequiresGrad);

    internal Tensor<T> ResultOverwritten(int[] shape, IReadOnlyList<Tensor<T>> inputs) => ResultOverwritten(shape, inputs.Any(t => t.RequiresGrad));

    internal Tensor<T> ResultOverwritten(int[] shape, bool requiresGrad)
    {
        var n = ShapeUtil.Product(shape, "Result");
        T[]? grad = null;
        if (IsRecording && requiresGrad)
        {
            grad = AllocOverwritten(n);                                   // zeroed below, on the tape's threads when large
            var g = grad;
            if (_pool is not null) ParallelFor(n, ParallelGrain, (s, e) => Array.Clear(g, s, e - s));   // new arrays are already zero
        }
        return new Tensor<T>(AllocOverwritten(n), grad, shape);
    }

    /// <summary>Vector lanes of the float layer-norm row kernels for rows of <paramref name="c"/> at <paramref name="tier"/>
    /// (16, 8, or 0 for the generic TensorPrimitives path); the forward and the backward of one op use the same value.</summary>
    private static int LayerNormLanes(Kernels.SimdTier tier, int c) => typeof(T) == typeof(float) ? Kernels.EngineSimd.RowLanes(tier, c) : 0;

    /// <summary>One row of the layer-norm forward: y = γ ⊙ (x − μ)·r + β; returns (μ, r). Float rows run fused vector passes
    /// (sum, centred sum of squares, normalise + affine) of <paramref name="lanes"/> lanes (16 or 8); 0 runs TensorPrimitives.</summary>
    private static (T Mean, T Rstd) LayerNormRow(int lanes, ReadOnlySpan<T> xr, Span<T> yr, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, T invC, T eps)
    {
        if (lanes == 16) return LayerNormRow512(xr, yr, gamma, beta, invC, eps);
        if (lanes == 8) return LayerNormRow256(xr, yr, gamma, beta, invC, eps);
        var m = TensorPrimitives.Sum(xr) * invC;
        TensorPrimitives.Subtract(xr, m, yr);                                    // x − μ
        var r = T.One / T.Sqrt(TensorPrimitives.SumOfSquares<T>(yr) * invC + eps);
        TensorPrimitives.Multiply(yr, r, yr);                                    // x̂
        TensorPrimitives.FusedMultiplyAdd(yr, gamma, beta, yr);                  // γ ⊙ x̂ + β
        return (m, r);
    }

    private static (T Mean, T Rstd) LayerNormRow512(ReadOnlySpan<T> xr, Span<T> yr, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, T invC, T eps)
    {
        var c = xr.Length;
        var x = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(xr);
        var y = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(yr);
        var g = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(gamma);
        var b = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(beta);
        var inv = float.CreateTruncating(invC);
        var s = Vector512<float>.Zero;
        for (var j = 0; j < c; j += 16) s += Vector512.Create(x[j..]);
        var mu = Vector512.Sum(s) * inv;
        var vmu = Vector512.Create(mu);
        var q = Vector512<float>.Zero;
        for (var j = 0; j < c; j += 16)
        {
            var d = Vector512.Create(x[j..]) - vmu;
            q = Vector512.FusedMultiplyAdd(d, d, q);
        }
        var rs = 1f / MathF.Sqrt(Vector512.Sum(q) * inv + float.CreateTruncating(eps));
        var vrs = Vector512.Create(rs);
        for (var j = 0; j < c; j += 16)
        {
            var xh = (Vector512.Create(x[j..]) - vmu) * vrs;
            Vector512.FusedMultiplyAdd(xh, Vector512.Create(g[j..]), Vector512.Create(b[j..])).CopyTo(y[j..]);
        }
        return (T.CreateTruncating(mu), T.CreateTruncating(rs));
    }

    private static (T Mean, T Rstd) LayerNormRow256(ReadOnlySpan<T> xr, Span<T> yr, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, T invC, T eps)
    {
        var c = xr.Length;
        var x = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(xr);
        var y = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(yr);
        var g = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(gamma);
        var b = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(beta);
        var inv = float.CreateTruncating(invC);
        var s = Vector256<float>.Zero;
        for (var j = 0; j < c; j += 8) s += Vector256.Create(x[j..]);
        var mu = Vector256.Sum(s) * inv;
        var vmu = Vector256.Create(mu);
        var q = Vector256<float>.Zero;
        for (var j = 0; j < c; j += 8)
        {
            var d = Vector256.Create(x[j..]) - vmu;
            q = Vector256.FusedMultiplyAdd(d, d, q);
        }
        var rs = 1f / MathF.Sqrt(Vector256.Sum(q) * inv + float.CreateTruncating(eps));
        var vrs = Vector256.Create(rs);
        for (var j = 0; j < c; j += 8)
        {
            var xh = (Vector256.Create(x[j..]) - vmu) * vrs;
            Vector256.FusedMultiplyAdd(xh, Vector256.Create(g[j..]), Vector256.Create(b[j..])).CopyTo(y[j..]);
        }
        return (T.CreateTruncating(mu), T.CreateTruncating(rs));
    }

    /// <summary>One row of the layer-norm backward: dγ += dy ⊙ x̂ and dβ += dy into the block partials (either may be empty),
    /// dx += r·(g − mean(g) − x̂·mean(g ⊙ x̂)) with g = dy ⊙ γ (dx may be empty). <paramref name="lanes"/> as in
    /// <see cref="LayerNormRow"/>; <paramref name="scratch"/> holds 2·C elements for the generic path (lanes = 0) and is empty
    /// on the vector paths, which keep everything in registers.</summary>
    private static void LayerNormRowBackward(int lanes, ReadOnlySpan<T> xr, ReadOnlySpan<T> gy, Span<T> gx, ReadOnlySpan<T> gamma, T mean, T rstd, T invC,
        Span<T> dGamma, Span<T> dBeta, Span<T> scratch)
    {
        var c = xr.Length;
        if (lanes == 16)
        {
            LayerNormRowBackward512(xr, gy, gx, gamma, mean, rstd, invC, dGamma, dBeta);
            return;
        }
        if (lanes == 8)
        {
            LayerNormRowBackward256(xr, gy, gx, gamma, mean, rstd, invC, dGamma, dBeta);
            return;
        }
        var xhat = scratch[..c];
        var gs = scratch.Slice(c, c);
        TensorPrimitives.Subtract(xr, mean, xhat);
        TensorPrimitives.Multiply(xhat, rstd, xhat);
        if (!dGamma.IsEmpty) TensorPrimitives.FusedMultiplyAdd(gy, xhat, dGamma, dGamma);
        if (!dBeta.IsEmpty) TensorPrimitives.Add(dBeta, gy, dBeta);
        if (gx.IsEmpty) return;
        TensorPrimitives.Multiply(gy, gamma, gs);                                // g = dy ⊙ γ
        var meanGs = TensorPrimitives.Sum<T>(gs) * invC;
        var meanGxs = TensorPrimitives.Dot<T>(gs, xhat) * invC;
        TensorPrimitives.Subtract(gs, meanGs, gs);
        TensorPrimitives.MultiplyAdd(xhat, -meanGxs, gs, gs);                    // g − mean(g) − x̂·mean(g ⊙ x̂)
        TensorPrimitives.MultiplyAdd(gs, rstd, gx, gx);                          // dx += r · (…)
    }

    private static void LayerNormRowBackward512(ReadOnlySpan<T> xr, ReadOnlySpan<T> gy, Span<T> gx, ReadOnlySpan<T> gamma, T mean, T rstd, T invC,
        Span<T> dGamma, Span<T> dBeta)
    {
        var c = xr.Length;
        var x = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(xr);
        var dy = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(gy);
        var g = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(gamma);
        var dgm = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(dGamma);
        var dbt = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(dBeta);
        var vmu = Vector512.Create(float.CreateTruncating(mean));
        var vrs = Vector512.Create(float.CreateTruncating(rstd));
        Vector512<float> sg = default, sgx = default;
        for (var j = 0; j < c; j += 16)
        {
            var d = Vector512.Create(dy[j..]);
            var xh = (Vector512.Create(x[j..]) - vmu) * vrs;
            if (!dgm.IsEmpty) Vector512.FusedMultiplyAdd(d, xh, Vector512.Create(dgm[j..])).CopyTo(dgm[j..]);
            if (!dbt.IsEmpty) (Vector512.Create(dbt[j..]) + d).CopyTo(dbt[j..]);
            var gg = d * Vector512.Create(g[j..]);
            sg += gg;
            sgx = Vector512.FusedMultiplyAdd(gg, xh, sgx);
        }
        if (gx.IsEmpty) return;
        var dx = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(gx);
        var inv = float.CreateTruncating(invC);
        var meanG = Vector512.Create(Vector512.Sum(sg) * inv);
        var meanGx = Vector512.Create(Vector512.Sum(sgx) * inv);
        for (var j = 0; j < c; j += 16)
        {
            var xh = (Vector512.Create(x[j..]) - vmu) * vrs;
            var gg = Vector512.Create(dy[j..]) * Vector512.Create(g[j..]);
            var t = gg - meanG - xh * meanGx;
            Vector512.FusedMultiplyAdd(t, vrs, Vector512.Create(dx[j..])).CopyTo(dx[j..]);
        }
    }

    private static void LayerNormRowBackward256(ReadOnlySpan<T> xr, ReadOnlySpan<T> gy, Span<T> gx, ReadOnlySpan<T> gamma, T mean, T rstd, T invC,
        Span<T> dGamma, Span<T> dBeta)
    {
        var c = xr.Length;
        var x = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(xr);
        var dy = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(gy);
        var g = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(gamma);
        var dgm = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(dGamma);
        var dbt = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(dBeta);
        var vmu = Vector256.Create(float.CreateTruncating(mean));
        var vrs = Vector256.Create(float.CreateTruncating(rstd));
        Vector256<float> sg = default, sgx = default;
        for (var j = 0; j < c; j += 8)
        {
            var d = Vector256.Create(dy[j..]);
            var xh = (Vector256.Create(x[j..]) - vmu) * vrs;
            if (!dgm.IsEmpty) Vector256.FusedMultiplyAdd(d, xh, Vector256.Create(dgm[j..])).CopyTo(dgm[j..]);
            if (!dbt.IsEmpty) (Vector256.Create(dbt[j..]) + d).CopyTo(dbt[j..]);
            var gg = d * Vector256.Create(g[j..]);
            sg += gg;
            sgx = Vector256.FusedMultiplyAdd(gg, xh, sgx);
        }
        if (gx.IsEmpty) return;
        var dx = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(gx);
        var inv = float.CreateTruncating(invC);
        var meanG = Vector256.Create(Vector256.Sum(sg) * inv);
        var meanGx = Vector256.Create(Vector256.Sum(sgx) * inv);
        for (var j = 0; j < c; j += 8)
        {
            var xh = (Vector256.Create(x[j..]) - vmu) * vrs;
            var gg = Vector256.Create(dy[j..]) * Vector256.Create(g[j..]);
            var t = gg - meanG - xh * meanGx;
            Vector256.FusedMultiplyAdd(t, vrs, Vector256.Create(dx[j..])).CopyTo(dx[j..]);
        }
    }
}
