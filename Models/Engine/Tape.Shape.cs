namespace LeanModels.Models.Engine;

public sealed partial class Tape<T>
{
    /// <summary>Same elements in the same row-major order under a new shape (a view: no copy).</summary>
    /// <remarks>The result shares x's storage and gradient buffer, so gradients reach x with no backward step; writing into
    /// one is visible through the other (as a PyTorch view).</remarks>
    /// <param name="x">Any shape.</param>
    /// <param name="shape">New sizes; at most one may be −1 (inferred). The product must equal x's length.</param>
    /// <returns>The reshaped tensor.</returns>
    /// <exception cref="ArgumentException">The element counts differ; the message gives both shapes.</exception>
    public Tensor<T> Reshape(Tensor<T> x, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(x);
        shape = (int[])shape.Clone();
        var infer = Array.IndexOf(shape, -1);
        if (infer >= 0)
        {
            var known = 1;
            for (var i = 0; i < shape.Length; i++) if (i != infer) known *= shape[i];
            if (known > 0 && x.Length % known == 0) shape[infer] = x.Length / known;
        }
        if (Array.Exists(shape, d => d < 0) || ShapeUtil.Product(shape, nameof(Reshape)) != x.Length)
            throw new ArgumentException($"Reshape: x is {ShapeUtil.Format(x.Dims)} ({x.Length} elements), cannot become {ShapeUtil.Format(shape)}.");
        var y = new Tensor<T>(x, shape);
        if (!IsRecording && y.RequiresGrad) y = new Tensor<T>(x.Data, shape);   // inference tape: results never require gradients
        return y;
    }

    /// <summary>Reorders axes: output axis i is input axis <paramref name="axes"/>[i] (NumPy <c>transpose(axes)</c>).</summary>
    /// <param name="x">Any shape.</param>
    /// <param name="axes">A permutation of 0..rank−1.</param>
    /// <returns>The permuted tensor (copied, contiguous).</returns>
    /// <exception cref="ArgumentException"><paramref name="axes"/> is not a permutation of x's axes.</exception>
    public Tensor<T> Permute(Tensor<T> x, params int[] axes)
    {
        ArgumentNullException.ThrowIfNull(x);
        var rank = x.Rank;
        var seen = new bool[rank];
        if (axes.Length != rank || Array.Exists(axes, a => a < 0 || a >= rank || seen[a] || !(seen[a] = true)))
            throw new ArgumentException($"Permute: axes [{string.Join(", ", axes)}] are not a permutation for shape {ShapeUtil.Format(x.Dims)}.", nameof(axes));
        var outShape = new int[rank];
        var inStrides = new int[rank];
        var s = 1;
        for (var i = rank - 1; i >= 0; i--) { inStrides[i] = s; s *= x.Dims[i]; }
        var strides = new int[rank];                     // input stride of each output axis
        for (var i = 0; i < rank; i++) { outShape[i] = x.Dims[axes[i]]; strides[i] = inStrides[axes[i]]; }
        var y = ResultOverwritten(outShape, x);
        if (rank == 4 && axes[0] == 0 && axes[1] == 2 && axes[2] == 1 && axes[3] == 3 && y.Length > 0)
            return SwapMiddleAxes(x, y);
        if (rank >= 1 && axes[^1] == rank - 1 && y.Length > 0)
        {
            // Last axis kept: copy whole contiguous rows; only one offset per row is computed.
            var width = outShape[^1];
            var rowOffsets = ShapeUtil.RowOffsets(outShape, strides);
            for (var r = 0; r < rowOffsets.Length; r++) Array.Copy(x.Data, rowOffsets[r], y.Data, r * width, width);
            Record(y, () =>
            {
                var gx = x.Grad!;
                var gy = y.Grad!;
                for (var r = 0; r < rowOffsets.Length; r++)
                {
                    var dst = gx.AsSpan(rowOffsets[r], width);
                    System.Numerics.Tensors.TensorPrimitives.Add(dst, gy.AsSpan(r * width, width), dst);
                }
            });
            return y;
        }
        var map = new int[y.Length];                     // output element → input element
        var counter = new int[rank];
        var idx = 0;
        for (var o = 0; o < map.Length; o++)
        {
            map[o] = idx;
            for (var ax = rank - 1; ax >= 0; ax--)
            {
                counter[ax]++;
                idx += strides[ax];
                if (counter[ax] < outShape[ax]) break;
                idx -= strides[ax] * counter[ax];
                counter[ax] = 0;
            }
        }
        for (var o = 0; o < map.Length; o++) y.Data[o] = x.Data[map[o]];
        Record(y, () =>
        {
            var gx = x.Grad!;
            var gy = y.Grad!;
            for (var o = 0; o < gy.Length; o++) gx[map[o]] += gy[o];
        });
        return y;
    }

    /// <summary>Permute(x, 0, 2, 1, 3) — [N, I, J, W] → [N, J, I, W], the head split/merge and the [B, A, T, D] ↔ [B, T, A, D]
    /// swap — as contiguous W-element row copies with no index map, over the tape's threads in fixed blocks of output rows.
    /// Backward adds each gradient row back to its source row (distinct per output row, so blocks are independent).</summary>
    private Tensor<T> SwapMiddleAxes(Tensor<T> x, Tensor<T> y)
    {
        int n1 = x.Dims[1], n2 = x.Dims[2], w = x.Dims[3];
        T[] xd = x.Data, yd = y.Data;
        var outer = x.Dims[0] * n2;                                  // output (n, j) pairs, each n1 rows of w
        ParallelRows(outer, n1 * w, (o0, o1) =>
        {
            for (var o = o0; o < o1; o++)
            {
                int a = o / n2, j = o % n2;
                for (var i = 0; i < n1; i++)
                    xd.AsSpan(((a * n1 + i) * n2 + j) * w, w).CopyTo(yd.AsSpan((o * n1 + i) * w, w));
            }
        });
        Record(y, () =>
        {
            T[] gx = x.Grad!, gy = y.Grad!;
            ParallelRows(outer, n1 * w, (o0, o1) =>
            {
                for (var o = o0; o < o1; o++)
                {
                    int a = o / n2, j = o % n2;
                    for (var i = 0; i < n1; i++)
                        AddRow(gy.AsSpan((o * n1 + i) * w, w), gx.AsSpan(((a * n1 + i) * n2 + j) * w, w));
                }
            });
        });
        return y;
    }

    /// <summary>dst += src for one row (Vector512 for float rows of a multiple of 16 on that tier, else TensorPrimitives; an add
    /// rounds the same in any width).</summary>
    private static void AddRow(ReadOnlySpan<T> src, Span<T> dst)
    {
        if (typeof(T) == typeof(float) && src.Length % 16 == 0 && Kernels.EngineSimd.Tier == Kernels.SimdTier.Vector512)   // same bits as the fallback
        {
            var s = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(src);
            var d = AsFloat(dst);
            for (var j = 0; j < s.Length; j += 16)
                System.Runtime.Intrinsics.Vector512.StoreUnsafe(System.Runtime.Intrinsics.Vector512.Create(d[j..]) + System.Runtime.Intrinsics.Vector512.Create(s[j..]), ref d[j]);
            return;
        }
        System.Numerics.Tensors.TensorPrimitives.Add(dst, src, dst);
    }

    /// <summary>Swaps two axes (a <see cref="Permute"/>).</summary>
    /// <param name="x">Any shape of rank ≥ 2.</param>
    /// <param name="axis1">First axis; negative counts from the end.</param>
    /// <param name="axis2">Second axis.</param>
    /// <returns>The transposed tensor.</returns>
    /// <exception cref="ArgumentException">An axis is out of range.</exception>
    public Tensor<T> Transpose(Tensor<T> x, int axis1 = -2, int axis2 = -1)
    {
        ArgumentNullException.ThrowIfNull(x);
        int a1 = ShapeUtil.Axis(axis1, x.Rank, nameof(Transpose), x.Dims), a2 = ShapeUtil.Axis(axis2, x.Rank, nameof(Transpose), x.Dims);
        var axes = new int[x.Rank];
        for (var i = 0; i < axes.Length; i++) axes[i] = i;
        (axes[a1], axes[a2]) = (axes[a2], axes[a1]);
        return Permute(x, axes);
    }

    /// <summary>The elements start..start+length−1 along one axis.</summary>
    /// <param name="x">Any shape.</param>
    /// <param name="axis">Axis to slice; negative counts from the end.</param>
    /// <param name="start">First index kept, ≥ 0.</param>
    /// <param name="length">Number kept, ≥ 0, with start + length ≤ size of the axis.</param>
    /// <returns>x's shape with that axis of size <paramref name="length"/>.</returns>
    /// <exception cref="ArgumentException">The range leaves the axis; the message gives shape, start and length.</exception>
    public Tensor<T> Slice(Tensor<T> x, int axis, int start, int length)
    {
        ArgumentNullException.ThrowIfNull(x);
        var ax = ShapeUtil.Axis(axis, x.Rank, nameof(Slice), x.Dims);
        var (outer, size, inner) = ShapeUtil.Split(x.Dims, ax);
        if (start < 0 || length < 0 || start + length > size)
            throw new ArgumentException($"Slice: x is {ShapeUtil.Format(x.Dims)}; [{start}, {start + length}) is outside axis {axis} of size {size}.");
        var outShape = (int[])x.Dims.Clone();
        outShape[ax] = length;
        var y = ResultOverwritten(outShape, x);
        var block = length * inner;
        for (var o = 0; o < outer; o++) Array.Copy(x.Data, (o * size + start) * inner, y.Data, o * block, block);
        Record(y, () =>
        {
            var gx = x.Grad!;
            var gy = y.Grad!;
            for (var o = 0; o < outer; o++)
            {
                var dst = gx.AsSpan((o * size + start) * inner, block);
                System.Numerics.Tensors.TensorPrimitives.Add(dst, gy.AsSpan(o * block, block), dst);
            }
        });
        return y;
    }

    /// <summary>Joins tensors along one axis.</summary>
    /// <param name="xs">One or more tensors whose shapes agree except along <paramref name="axis"/>.</param>
    /// <param name="axis">Axis to join along; negative counts from the end.</param>
    /// <returns>The joined tensor; its axis size is the sum of the inputs'.</returns>
    /// <exception cref="ArgumentException">No inputs, or shapes differ off the axis; the message gives both shapes.</exception>
    public Tensor<T> Concat(IReadOnlyList<Tensor<T>> xs, int axis)
    {
        ArgumentNullException.ThrowIfNull(xs);
        if (xs.Count == 0) throw new ArgumentException("Concat: no tensors given.", nameof(xs));
        var first = xs[0];
        var ax = ShapeUtil.Axis(axis, first.Rank, nameof(Concat), first.Dims);
        var total = 0;
        foreach (var t in xs)
        {
            var ok = t.Rank == first.Rank;
            for (var i = 0; ok && i < t.Rank; i++) ok = i == ax || t.Dims[i] == first.Dims[i];
            if (!ok) throw new ArgumentException($"Concat: {ShapeUtil.Format(first.Dims)} and {ShapeUtil.Format(t.Dims)} differ off axis {axis}.", nameof(xs));
            total += t.Dims[ax];
        }
        var outShape = (int[])first.Dims.Clone();
        outShape[ax] = total;
        var y = ResultOverwritten(outShape, xs);
        var (outer, _, inner) = ShapeUtil.Split(outShape, ax);
        var offset = 0;
        var offsets = new int[xs.Count];
        for (var j = 0; j < xs.Count; j++)
        {
            offsets[j] = offset;
            var block = xs[j].Dims[ax] * inner;
            for (var o = 0; o < outer; o++) Array.Copy(xs[j].Data, o * block, y.Data, o * total * inner + offset * inner, block);
            offset += xs[j].Dims[ax];
        }
        var inputs = xs.ToArray();
        Record(y, () =>
        {
            var gy = y.Grad!;
            for (var j = 0; j < inputs.Length; j++)
            {
                var gx = inputs[j].Grad;
                if (gx is null) continue;
                var block = inputs[j].Dims[ax] * inner;
                for (var o = 0; o < outer; o++)
                {
                    var dst = gx.AsSpan(o * block, block);
                    System.Numerics.Tensors.TensorPrimitives.Add(dst, gy.AsSpan(o * total * inner + offsets[j] * inner, block), dst);
                }
            }
        });
        return y;
    }

    /// <summary>Selects entries along one axis by index (an embedding lookup with axis 0); repeated indices are allowed
    /// and their gradients add up.</summary>
    /// <param name="x">Any shape.</param>
    /// <param name="indices">Indices into <paramref name="axis"/>, each in [0, size).</param>
    /// <param name="axis">Axis to gather along; negative counts from the end.</param>
    /// <returns>x's shape with that axis replaced by <c>indices.Length</c>.</returns>
    /// <exception cref="ArgumentException">An index is out of range; the message gives it, its position and the shape.</exception>
    public Tensor<T> Gather(Tensor<T> x, ReadOnlySpan<int> indices, int axis = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        var ax = ShapeUtil.Axis(axis, x.Rank, nameof(Gather), x.Dims);
        var (outer, size, inner) = ShapeUtil.Split(x.Dims, ax);
        for (var i = 0; i < indices.Length; i++)
            if ((uint)indices[i] >= (uint)size)
                throw new ArgumentException($"Gather: index {indices[i]} at position {i} is outside axis {axis} of size {size} (x is {ShapeUtil.Format(x.Dims)}).", nameof(indices));
        var idx = indices.ToArray();
        var outShape = (int[])x.Dims.Clone();
        outShape[ax] = idx.Length;
        var y = ResultOverwritten(outShape, x);
        for (var o = 0; o < outer; o++)
            for (var j = 0; j < idx.Length; j++)
                Array.Copy(x.Data, (o * size + idx[j]) * inner, y.Data, (o * idx.Length + j) * inner, inner);
        Record(y, () =>
        {
            var gx = x.Grad!;
            var gy = y.Grad!;
            for (var o = 0; o < outer; o++)
                for (var j = 0; j < idx.Length; j++)
                {
                    int src = (o * idx.Length + j) * inner, dst = (o * size + idx[j]) * inner;
                    for (var i = 0; i < inner; i++) gx[dst + i] += gy[src + i];
                }
        });
        return y;
    }

    /// <summary>Element-wise choice: condition[i] ? a[i] : b[i]. The gradient goes to the chosen side only.</summary>
    /// <param name="condition">One flag per element, same length as a and b.</param>
    /// <param name="a">Values where the condition holds.</param>
    /// <param name="b">Values elsewhere; same shape as <paramref name="a"/>.</param>
    /// <returns>a's shape.</returns>
    /// <exception cref="ArgumentException">Shapes or the condition length differ; the message gives them.</exception>
    public Tensor<T> Where(ReadOnlySpan<bool> condition, Tensor<T> a, Tensor<T> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!ShapeUtil.SameShape(a.Dims, b.Dims) || condition.Length != a.Length)
            throw new ArgumentException($"Where: a is {ShapeUtil.Format(a.Dims)}, b is {ShapeUtil.Format(b.Dims)}, condition has {condition.Length} flags; all must agree.");
        var cond = condition.ToArray();
        var y = ResultOverwritten(a.Dims, a, b);
        for (var i = 0; i < cond.Length; i++) y.Data[i] = cond[i] ? a.Data[i] : b.Data[i];
        Record(y, () =>
        {
            var gy = y.Grad!;
            for (var i = 0; i < cond.Length; i++)
            {
                if (cond[i]) { if (a.Grad is not null) a.Grad[i] += gy[i]; }
                else if (b.Grad is not null) b.Grad[i] += gy[i];
            }
        });
        return y;
    }

    /// <summary>Replaces masked elements by a constant (e.g. −∞ before a softmax); their gradient is zero.</summary>
    /// <param name="x">Any shape whose length is a multiple of the mask's.</param>
    /// <param name="mask">Flags over x's trailing elements, repeated over the leading ones (a [Tq, Tk] mask for [B, Tq, Tk] scores).
    /// True means replace.</param>
    /// <param name="value">Replacement value.</param>
    /// <returns>x's shape.</returns>
    /// <exception cref="ArgumentException">The mask is empty or does not divide x's length.</exception>
    public Tensor<T> MaskedFill(Tensor<T> x, ReadOnlySpan<bool> mask, double value)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (mask.Length == 0 || x.Length % mask.Length != 0)
            throw new ArgumentException($"MaskedFill: x is {ShapeUtil.Format(x.Dims)} ({x.Length} elements); the mask's {mask.Length} flags must divide it.");
        var m = mask.ToArray();
        var v = C(value);
        var y = ResultOverwritten(x.Dims, x);
        for (var i = 0; i < x.Length; i++) y.Data[i] = m[i % m.Length] ? v : x.Data[i];
        Record(y, () =>
        {
            var gx = x.Grad!;
            var gy = y.Grad!;
            for (var i = 0; i < gx.Length; i++) if (!m[i % m.Length]) gx[i] += gy[i];
        });
        return y;
    }

    /// <summary>Inverted dropout (Srivastava et al. 2014): in training each element is zeroed with probability p and the
    /// survivors scaled by 1/(1 − p), so evaluation is the identity. One 64-bit seed is drawn from <see cref="Rng"/> per call;
    /// element i is dropped when the top 24 bits of the counter-based hash (<see cref="Kernels.CounterHash"/>) of (seed, i) are
    /// below ⌊p·2²⁴⌉. No mask is stored: backward regenerates the keep decisions from the seed, so the op is the same at any
    /// thread count and runs on the tape's threads in fixed element blocks.</summary>
    /// <param name="x">Any shape.</param>
    /// <param name="p">Drop probability in [0, 1).</param>
    /// <returns>x itself when not training or p = 0; otherwise a new tensor of x's shape.</returns>
    /// <exception cref="ArgumentOutOfRangeException">p is outside [0, 1).</exception>
    /// <exception cref="InvalidOperationException">Training with p &gt; 0 on a tape without a generator.</exception>
    public Tensor<T> Dropout(Tensor<T> x, double p)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!(p >= 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout: p must be in [0, 1).");
        if (!IsTraining || p == 0) return x;
        var (seed, threshold, scale) = DropoutSeed(p);
        var y = ResultOverwritten(x.Dims, x);
        T[] xd = x.Data, yd = y.Data;
        var tier = Kernels.EngineSimd.Tier;                                      // one tier for forward and backward
        ParallelFor(xd.Length, ParallelGrain, (s, e) => DropoutApply(tier, seed, s, threshold, scale, xd.AsSpan(s, e - s), yd.AsSpan(s, e - s)));
        Record(y, () =>
        {
            T[] gx = x.Grad!, gy = y.Grad!;
            ParallelFor(gy.Length, ParallelGrain, (s, e) => DropoutBackward(tier, seed, s, threshold, scale, gy.AsSpan(s, e - s), gx.AsSpan(s, e - s)));
        });
        return y;
    }

    /// <summary>Residual add of a dropped-out branch, fused: residual + <see cref="Dropout"/>(x, p) in one pass, with no stored
    /// mask (backward regenerates it from the seed). Draws the same single seed as <see cref="Dropout"/>, so the result is
    /// bit-identical to <c>Add(residual, Dropout(x, p))</c> on the same generator.</summary>
    /// <param name="residual">Any shape.</param>
    /// <param name="x">The branch, same shape as <paramref name="residual"/>.</param>
    /// <param name="p">Drop probability in [0, 1).</param>
    /// <returns>residual's shape; <c>Add(residual, x)</c> when not training or p = 0.</returns>
    /// <exception cref="ArgumentException">The shapes differ; the message gives both.</exception>
    /// <exception cref="ArgumentOutOfRangeException">p is outside [0, 1).</exception>
    /// <exception cref="InvalidOperationException">Training with p &gt; 0 on a tape without a generator.</exception>
    public Tensor<T> AddDropout(Tensor<T> residual, Tensor<T> x, double p)
    {
        ArgumentNullException.ThrowIfNull(residual);
        ArgumentNullException.ThrowIfNull(x);
        if (!ShapeUtil.SameShape(residual.Dims, x.Dims))
            throw new ArgumentException($"AddDropout: residual is {ShapeUtil.Format(residual.Dims)}, x is {ShapeUtil.Format(x.Dims)}; they must have the same shape.");
        if (!(p >= 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "AddDropout: p must be in [0, 1).");
        if (!IsTraining || p == 0) return Add(residual, x);
        var (seed, threshold, scale) = DropoutSeed(p);
        var y = ResultOverwritten(x.Dims, residual, x);
        T[] rd = residual.Data, xd = x.Data, yd = y.Data;
        var tier = Kernels.EngineSimd.Tier;
        ParallelFor(yd.Length, ParallelGrain, (s, e) =>
        {
            if (typeof(T) == typeof(float))
                Kernels.Activations.AddDropoutForward(tier, seed, (uint)s, threshold, float.CreateTruncating(scale), AsFloat(rd.AsSpan(s, e - s)),
                    AsFloat(xd.AsSpan(s, e - s)), AsFloat(yd.AsSpan(s, e - s)));
            else
                for (var i = s; i < e; i++) yd[i] = rd[i] + xd[i] * Kernels.CounterHash.KeepScale(seed, (uint)i, threshold, scale);
        });
        Record(y, () =>
        {
            T[]? gr = residual.Grad, gx = x.Grad;
            var gy = y.Grad!;
            ParallelFor(gy.Length, ParallelGrain, (s, e) =>
            {
                if (gr is not null) System.Numerics.Tensors.TensorPrimitives.Add(gr.AsSpan(s, e - s), gy.AsSpan(s, e - s), gr.AsSpan(s, e - s));
                if (gx is not null) DropoutBackward(tier, seed, s, threshold, scale, gy.AsSpan(s, e - s), gx.AsSpan(s, e - s));
            });
        });
        return y;
    }

    /// <summary>GELU followed by inverted dropout, fused: <see cref="Dropout"/>(<see cref="Gelu"/>(x), p) in one pass with no
    /// stored mask; draws the same seed as <see cref="Dropout"/>, so it is bit-identical to the composed ops.</summary>
    /// <param name="x">Any shape.</param>
    /// <param name="p">Drop probability in [0, 1).</param>
    /// <returns>x's shape; <c>Gelu(x)</c> when not training or p = 0.</returns>
    /// <exception cref="ArgumentOutOfRangeException">p is outside [0, 1).</exception>
    /// <exception cref="InvalidOperationException">Training with p &gt; 0 on a tape without a generator.</exception>
    public Tensor<T> GeluDropout(Tensor<T> x, double p)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!(p >= 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "GeluDropout: p must be in [0, 1).");
        if (!IsTraining || p == 0) return Gelu(x);
        var (seed, threshold, scale) = DropoutSeed(p);
        var y = ResultOverwritten(x.Dims, x);
        T[] xd = x.Data, yd = y.Data;
        var tier = Kernels.EngineSimd.Tier;
        ParallelFor(xd.Length, ParallelGrain, (s, e) =>
        {
            if (typeof(T) == typeof(float))
                Kernels.Activations.GeluDropoutForward(tier, seed, (uint)s, threshold, float.CreateTruncating(scale), AsFloat(xd.AsSpan(s, e - s)), AsFloat(yd.AsSpan(s, e - s)));
            else
                for (var i = s; i < e; i++) yd[i] = GeluOp.F(xd[i]) * Kernels.CounterHash.KeepScale(seed, (uint)i, threshold, scale);
        });
        Record(y, () =>
        {
            T[] gx = x.Grad!, gy = y.Grad!;
            ParallelFor(gy.Length, ParallelGrain, (s, e) =>
            {
                if (typeof(T) == typeof(float))
                    Kernels.Activations.GeluDropoutBackwardAccumulate(tier, seed, (uint)s, threshold, float.CreateTruncating(scale), AsFloat(xd.AsSpan(s, e - s)),
                        AsFloat(gy.AsSpan(s, e - s)), AsFloat(gx.AsSpan(s, e - s)));
                else
                    for (var i = s; i < e; i++) gx[i] += gy[i] * Kernels.CounterHash.KeepScale(seed, (uint)i, threshold, scale) * GeluOp.D(xd[i], yd[i]);
            });
        });
        return y;
    }

    /// <summary>Bias add, GELU and inverted dropout fused in one pass: <see cref="Dropout"/>(<see cref="Gelu"/>(x + b), p) with b
    /// broadcast over rows — the first half of a transformer feed-forward block after a bias-free GEMM. No mask is stored; one
    /// seed is drawn as by <see cref="Dropout"/>. Bit-identical in float to <c>GeluDropout(Linear(x₀, W, b), p)</c> when
    /// x = <c>Linear(x₀, W, null)</c> and the inner size is at most 256 (same roundings, same mask, same bias-gradient order).
    /// Backward: dx += (dy ⊙ m) ⊙ GELU′(x + b); db += its column sums in fixed blocks of 1024 rows added in block order.</summary>
    /// <param name="x">[..., C].</param>
    /// <param name="bias">[C].</param>
    /// <param name="p">Drop probability in [0, 1); dropout is skipped when not training or p = 0.</param>
    /// <returns>x's shape.</returns>
    /// <exception cref="ArgumentException">The bias is not [C]; the message gives the shapes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">p is outside [0, 1).</exception>
    /// <exception cref="InvalidOperationException">Training with p &gt; 0 on a tape without a generator.</exception>
    public Tensor<T> BiasGeluDropout(Tensor<T> x, Tensor<T> bias, double p)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(bias);
        if (x.Rank == 0 || x.Dims[^1] == 0 || bias.Rank != 1 || bias.Length != x.Dims[^1])
            throw new ArgumentException($"BiasGeluDropout: x is {ShapeUtil.Format(x.Dims)}, bias {ShapeUtil.Format(bias.Dims)}; the bias must be [C] with C = x's last axis.");
        if (!(p >= 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "BiasGeluDropout: p must be in [0, 1).");
        var dropout = IsTraining && p > 0;
        var (seed, threshold, scale) = dropout ? DropoutSeed(p) : (0UL, 0U, T.One);
        int c = x.Dims[^1], rows = x.Length / c;
        var y = ResultOverwritten(x.Dims, x, bias);
        T[] xd = x.Data, bd = bias.Data, yd = y.Data;
        var vector = typeof(T) == typeof(float);                                 // float: the tier's kernels (scalar included)
        var tier = Kernels.EngineSimd.Tier;
        ParallelRows(rows, c, (r0, r1) =>
        {
            if (vector)
            {
                Kernels.Activations.BiasGeluDropoutForward(tier, seed, threshold, float.CreateTruncating(scale), dropout,
                    AsFloat(xd.AsSpan()), AsFloat(bd.AsSpan()), AsFloat(yd.AsSpan()), r0, r1);
                return;
            }
            for (var i = r0 * c; i < r1 * c; i++)
            {
                var g = GeluOp.F(xd[i] + bd[i % c]);
                yd[i] = dropout ? g * Kernels.CounterHash.KeepScale(seed, (uint)i, threshold, scale) : g;
            }
        });
        Record(y, () =>
        {
            T[]? gx = x.Grad;
            var gy = y.Grad!;
            var blocks = (rows + ReduceBlockRows - 1) / ReduceBlockRows;
            var partial = bias.Grad is null ? null : Alloc(blocks * c);        // per block of rows, summed in block order below
            RunChunksIf(blocks, (long)rows * c >= ParallelMinimum, (b0, b1) =>
            {
                for (var blk = b0; blk < b1; blk++)
                {
                    int r0 = blk * ReduceBlockRows, r1 = Math.Min(rows, r0 + ReduceBlockRows);
                    if (vector)
                    {
                        Kernels.Activations.BiasGeluDropoutBackward(tier, seed, threshold, float.CreateTruncating(scale), dropout, AsFloat(xd.AsSpan()),
                            AsFloat(bd.AsSpan()), AsFloat(gy.AsSpan()), gx is null ? default : AsFloat(gx.AsSpan()),
                            partial is null ? default : AsFloat(partial.AsSpan(blk * c, c)), r0, r1);
                        continue;
                    }
                    for (var i = r0 * c; i < r1 * c; i++)
                    {
                        var g = dropout ? gy[i] * Kernels.CounterHash.KeepScale(seed, (uint)i, threshold, scale) : gy[i];
                        var d = GeluOp.D(xd[i] + bd[i % c], T.Zero);
                        if (gx is not null) gx[i] = T.FusedMultiplyAdd(g, d, gx[i]);
                        if (partial is not null) partial[blk * c + i % c] += g * d;
                    }
                }
            });
            if (partial is null) return;
            for (var blk = 0; blk < blocks; blk++)
                System.Numerics.Tensors.TensorPrimitives.Add(bias.Grad!, partial.AsSpan(blk * c, c), bias.Grad!);
        });
        return y;
    }

    /// <summary>Draws one dropout seed from <see cref="Rng"/> and returns it with the hash threshold and the survivor scale 1/(1 − p).</summary>
    private (ulong Seed, uint Threshold, T Scale) DropoutSeed(double p)
    {
        var rng = Rng ?? throw new InvalidOperationException("Dropout: the tape is in training mode with p > 0 but has no random generator; pass one to the Tape constructor.");
        return (rng.NextUInt64(), Kernels.CounterHash.Threshold(p), C(1.0 / (1.0 - p)));
    }


    private static Span<float> AsFloat(Span<T> s) => System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(s);

    /// <summary>y = x ⊙ m over elements [start, start + x.Length).</summary>
    private static void DropoutApply(Kernels.SimdTier tier, ulong seed, int start, uint threshold, T scale, ReadOnlySpan<T> x, Span<T> y)
    {
        if (typeof(T) == typeof(float))
        {
            Kernels.Activations.DropoutForward(tier, seed, (uint)start, threshold, float.CreateTruncating(scale),
                System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(x), AsFloat(y));
            return;
        }
        for (var i = 0; i < x.Length; i++) y[i] = x[i] * Kernels.CounterHash.KeepScale(seed, (uint)(start + i), threshold, scale);
    }

    /// <summary>gx += gy ⊙ m over elements [start, start + gy.Length).</summary>
    private static void DropoutBackward(Kernels.SimdTier tier, ulong seed, int start, uint threshold, T scale, ReadOnlySpan<T> gy, Span<T> gx)
    {
        if (typeof(T) == typeof(float))
        {
            Kernels.Activations.DropoutBackwardAccumulate(tier, seed, (uint)start, threshold, float.CreateTruncating(scale),
                System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(gy), AsFloat(gx));
            return;
        }
        for (var i = 0; i < gy.Length; i++) gx[i] = T.FusedMultiplyAdd(gy[i], Kernels.CounterHash.KeepScale(seed, (uint)(start + i), threshold, scale), gx[i]);
    }

    /// <summary>Mask of 0 or 1/(1 − p) per element, from one 64-bit seed drawn from <see cref="Rng"/> and the counter-based
    /// hash <see cref="Kernels.CounterHash"/> (element i is dropped when the top 24 bits of hash(seed, i) are below ⌊p·2²⁴⌉),
    /// so the mask is the same whatever the thread count and the vector width.</summary>
    private T[] DropoutMask(int length, double p)
    {
        var rng = Rng ?? throw new InvalidOperationException("Dropout: the tape is in training mode with p > 0 but has no random generator; pass one to the Tape constructor.");
        var scale = C(1.0 / (1.0 - p));
        var threshold = Kernels.CounterHash.Threshold(p);
        var seed = rng.NextUInt64();
        var keep = Alloc(length);
        RunChunks((length + 1023) / 1024, (start, end) =>
        {
            var from = start * 1024;
            var to = Math.Min(length, end * 1024);
            Kernels.CounterHash.FillMask(seed, (uint)from, threshold, scale, keep.AsSpan(from, to - from));
        });
        return keep;
    }
}
