using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using MathNet.Numerics;

namespace LeanModels.Models.Engine;

public sealed partial class Tape<T>
{
    // Backward rules, one line per primitive (tinygrad's table): F is the forward, Da/Db (or D) the partial derivatives
    // given the inputs and the output y. The drivers below apply them with broadcasting and accumulate with +=.
    // TryApply is an optional vectorised forward over whole spans (TensorPrimitives, §1a "use it first"); false means loop over F.
    private interface IBinaryOp
    {
        static abstract T F(T a, T b); static abstract T Da(T a, T b, T y); static abstract T Db(T a, T b, T y);
        static virtual bool TryApply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) => false;
        // Vectorised backward over equal-length spans: ga += gy·∂y/∂a, gb += gy·∂y/∂b (either may be empty = no gradient).
        static virtual bool TryBackward(ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> gy, Span<T> ga, Span<T> gb) => false;
    }

    private interface IUnaryOp
    {
        static abstract T F(T x); static abstract T D(T x, T y);
        static virtual bool TryApply(ReadOnlySpan<T> x, Span<T> y) => false;
        static virtual bool TryBackward(ReadOnlySpan<T> x, ReadOnlySpan<T> gy, Span<T> gx) => false;
    }

    private readonly struct AddOp : IBinaryOp { public static bool TryBackward(ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> gy, Span<T> ga, Span<T> gb) { if (!ga.IsEmpty) TensorPrimitives.Add(ga, gy, ga); if (!gb.IsEmpty) TensorPrimitives.Add(gb, gy, gb); return true; } public static bool TryApply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) { TensorPrimitives.Add(a, b, y); return true; } public static T F(T a, T b) => a + b; public static T Da(T a, T b, T y) => T.One; public static T Db(T a, T b, T y) => T.One; }
    private readonly struct SubOp : IBinaryOp { public static bool TryBackward(ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> gy, Span<T> ga, Span<T> gb) { if (!ga.IsEmpty) TensorPrimitives.Add(ga, gy, ga); if (!gb.IsEmpty) TensorPrimitives.Subtract(gb, gy, gb); return true; } public static bool TryApply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) { TensorPrimitives.Subtract(a, b, y); return true; } public static T F(T a, T b) => a - b; public static T Da(T a, T b, T y) => T.One; public static T Db(T a, T b, T y) => -T.One; }
    private readonly struct MulOp : IBinaryOp { public static bool TryBackward(ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> gy, Span<T> ga, Span<T> gb) { if (!ga.IsEmpty) TensorPrimitives.FusedMultiplyAdd(gy, b, ga, ga); if (!gb.IsEmpty) TensorPrimitives.FusedMultiplyAdd(gy, a, gb, gb); return true; } public static bool TryApply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) { TensorPrimitives.Multiply(a, b, y); return true; } public static T F(T a, T b) => a * b; public static T Da(T a, T b, T y) => b; public static T Db(T a, T b, T y) => a; }
    private readonly struct DivOp : IBinaryOp { public static bool TryApply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) { TensorPrimitives.Divide(a, b, y); return true; } public static T F(T a, T b) => a / b; public static T Da(T a, T b, T y) => T.One / b; public static T Db(T a, T b, T y) => -y / b; }

    private readonly struct NegOp : IUnaryOp { public static bool TryApply(ReadOnlySpan<T> x, Span<T> y) { TensorPrimitives.Negate(x, y); return true; } public static T F(T x) => -x; public static T D(T x, T y) => -T.One; }
    private readonly struct ExpOp : IUnaryOp { public static bool TryApply(ReadOnlySpan<T> x, Span<T> y) { TensorPrimitives.Exp(x, y); return true; } public static T F(T x) => T.Exp(x); public static T D(T x, T y) => y; }
    private readonly struct LogOp : IUnaryOp { public static bool TryApply(ReadOnlySpan<T> x, Span<T> y) { TensorPrimitives.Log(x, y); return true; } public static T F(T x) => T.Log(x); public static T D(T x, T y) => T.One / x; }
    private readonly struct SqrtOp : IUnaryOp { public static bool TryApply(ReadOnlySpan<T> x, Span<T> y) { TensorPrimitives.Sqrt(x, y); return true; } public static T F(T x) => T.Sqrt(x); public static T D(T x, T y) => T.One / (y + y); }
    private readonly struct TanhOp : IUnaryOp { public static bool TryApply(ReadOnlySpan<T> x, Span<T> y) { TensorPrimitives.Tanh(x, y); return true; } public static T F(T x) => T.Tanh(x); public static T D(T x, T y) => T.One - y * y; }
    private readonly struct SigmoidOp : IUnaryOp { public static bool TryApply(ReadOnlySpan<T> x, Span<T> y) { TensorPrimitives.Sigmoid(x, y); return true; } public static T F(T x) => T.One / (T.One + T.Exp(-x)); public static T D(T x, T y) => y * (T.One - y); }
    private readonly struct ReluOp : IUnaryOp { public static bool TryApply(ReadOnlySpan<T> x, Span<T> y) { TensorPrimitives.Max(x, T.Zero, y); return true; } public static T F(T x) => x > T.Zero ? x : T.Zero; public static T D(T x, T y) => x > T.Zero ? T.One : T.Zero; }
    private readonly struct AbsOp : IUnaryOp { public static bool TryApply(ReadOnlySpan<T> x, Span<T> y) { TensorPrimitives.Abs(x, y); return true; } public static T F(T x) => T.Abs(x); public static T D(T x, T y) => x > T.Zero ? T.One : x < T.Zero ? -T.One : T.Zero; }

    // softplus(x) = log(1 + eˣ) = max(x, 0) + log1p(e^−|x|) (no overflow); d/dx = σ(x).
    private readonly struct SoftplusOp : IUnaryOp
    {
        public static T F(T x) => T.Max(x, T.Zero) + T.LogP1(T.Exp(-T.Abs(x)));
        public static T D(T x, T y) => T.One / (T.One + T.Exp(-x));
    }

    // Exact GELU (Hendrycks & Gimpel 2016; PyTorch nn.GELU default): x·Φ(x), Φ(x) = ½(1 + erf(x/√2)); d/dx = Φ(x) + x·φ(x).
    // In float, GELU runs the vectorised Kernels.Activations (erf by Abramowitz & Stegun 7.1.26, |error| ≤ 1.5e-7, below float
    // resolution near 1) because the exact double erf costs ~30 ns per element; in double (gradchecks) MathNet's exact erf is used.
    private readonly struct GeluOp : IUnaryOp
    {
        public static T F(T x)
        {
            if (typeof(T) == typeof(float))
            {
                var f = float.CreateTruncating(x);
                return T.CreateTruncating(0.5f * f * (1f + Kernels.Activations.Erf(f * 0.70710678f)));
            }
            var d = double.CreateTruncating(x);
            return C(0.5 * d * (1.0 + SpecialFunctions.Erf(d * 0.7071067811865476)));
        }

        public static T D(T x, T y)
        {
            if (typeof(T) == typeof(float))
            {
                var f = float.CreateTruncating(x);
                return T.CreateTruncating(0.5f * (1f + Kernels.Activations.Erf(f * 0.70710678f)) + f * MathF.Exp(-0.5f * f * f) * 0.39894228f);
            }
            var d = double.CreateTruncating(x);
            var cdf = 0.5 * (1.0 + SpecialFunctions.Erf(d * 0.7071067811865476));
            var pdf = Math.Exp(-0.5 * d * d) * 0.3989422804014327;   // 1/√(2π)
            return C(cdf + d * pdf);
        }
    }

    /// <summary>Element-wise a + b with NumPy broadcasting.</summary>
    /// <param name="a">Any shape.</param>
    /// <param name="b">A shape that broadcasts with <paramref name="a"/> (trailing axes equal or 1).</param>
    /// <returns>The broadcast shape; a broadcast input's gradient is summed back to its shape.</returns>
    /// <exception cref="ArgumentException">The shapes do not broadcast; the message gives both.</exception>
    public Tensor<T> Add(Tensor<T> a, Tensor<T> b) => Binary<AddOp>(a, b, nameof(Add));

    /// <summary>Element-wise a − b with broadcasting (see <see cref="Add"/>).</summary>
    /// <param name="a">Any shape.</param>
    /// <param name="b">A shape that broadcasts with <paramref name="a"/>.</param>
    /// <returns>The broadcast shape.</returns>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public Tensor<T> Sub(Tensor<T> a, Tensor<T> b) => Binary<SubOp>(a, b, nameof(Sub));

    /// <summary>Element-wise a ⊙ b with broadcasting (see <see cref="Add"/>).</summary>
    /// <param name="a">Any shape.</param>
    /// <param name="b">A shape that broadcasts with <paramref name="a"/>.</param>
    /// <returns>The broadcast shape.</returns>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public Tensor<T> Mul(Tensor<T> a, Tensor<T> b) => Binary<MulOp>(a, b, nameof(Mul));

    /// <summary>Element-wise a / b with broadcasting; division by zero gives ±∞ or NaN as IEEE 754 says.</summary>
    /// <param name="a">Any shape.</param>
    /// <param name="b">A shape that broadcasts with <paramref name="a"/>.</param>
    /// <returns>The broadcast shape.</returns>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public Tensor<T> Div(Tensor<T> a, Tensor<T> b) => Binary<DivOp>(a, b, nameof(Div));

    /// <summary>−x.</summary><param name="x">Any shape.</param><returns>Same shape.</returns>
    public Tensor<T> Neg(Tensor<T> x) => Unary<NegOp>(x);

    /// <summary>eˣ.</summary><param name="x">Any shape.</param><returns>Same shape.</returns>
    public Tensor<T> Exp(Tensor<T> x) => Unary<ExpOp>(x);

    /// <summary>Natural logarithm; x ≤ 0 gives −∞ or NaN (IEEE 754), not an exception.</summary><param name="x">Any shape, positive.</param><returns>Same shape.</returns>
    public Tensor<T> Log(Tensor<T> x) => Unary<LogOp>(x);

    /// <summary>√x; negative x gives NaN.</summary><param name="x">Any shape, ≥ 0 (&gt; 0 for a finite gradient).</param><returns>Same shape.</returns>
    public Tensor<T> Sqrt(Tensor<T> x) => Unary<SqrtOp>(x);

    /// <summary>Hyperbolic tangent.</summary><param name="x">Any shape.</param><returns>Same shape, in (−1, 1).</returns>
    public Tensor<T> Tanh(Tensor<T> x) => Unary<TanhOp>(x);

    /// <summary>Logistic sigmoid 1 / (1 + e⁻ˣ).</summary><param name="x">Any shape.</param><returns>Same shape, in (0, 1).</returns>
    public Tensor<T> Sigmoid(Tensor<T> x) => Unary<SigmoidOp>(x);

    /// <summary>max(x, 0); the gradient at exactly 0 is taken as 0.</summary><param name="x">Any shape.</param><returns>Same shape.</returns>
    public Tensor<T> Relu(Tensor<T> x) => Unary<ReluOp>(x);

    /// <summary>|x|; the gradient at exactly 0 is taken as 0.</summary><param name="x">Any shape.</param><returns>Same shape.</returns>
    public Tensor<T> Abs(Tensor<T> x) => Unary<AbsOp>(x);

    /// <summary>Exact GELU x·Φ(x) with the normal CDF via erf (Hendrycks &amp; Gimpel 2016; PyTorch's default <c>nn.GELU</c>).</summary>
    /// <param name="x">Any shape.</param><returns>Same shape.</returns>
    public Tensor<T> Gelu(Tensor<T> x)
    {
        if (typeof(T) != typeof(float)) return Unary<GeluOp>(x);
        ArgumentNullException.ThrowIfNull(x);
        var y = ResultOverwritten(x.Dims, x);
        T[] xd = x.Data, yd = y.Data;
        var tier = Kernels.EngineSimd.Tier;                                      // one tier for forward and backward
        ParallelFor(xd.Length, ParallelGrain, (s, e) =>
            Kernels.Activations.GeluForward(MemoryMarshal.Cast<T, float>(xd.AsSpan(s, e - s)), MemoryMarshal.Cast<T, float>(yd.AsSpan(s, e - s)), tier));
        Record(y, () =>
        {
            T[] gx = x.Grad!, gy = y.Grad!;
            ParallelFor(gx.Length, ParallelGrain, (s, e) => Kernels.Activations.GeluBackwardAccumulate(MemoryMarshal.Cast<T, float>(xd.AsSpan(s, e - s)),
                MemoryMarshal.Cast<T, float>(gy.AsSpan(s, e - s)), MemoryMarshal.Cast<T, float>(gx.AsSpan(s, e - s)), tier));
        });
        return y;
    }

    /// <summary>softplus(x) = log(1 + eˣ), computed as max(x, 0) + log1p(e^−|x|) so it never overflows.</summary>
    /// <param name="x">Any shape.</param><returns>Same shape, &gt; 0.</returns>
    public Tensor<T> Softplus(Tensor<T> x) => Unary<SoftplusOp>(x);

    /// <summary>x^p for a constant exponent p; d/dx = p·x^(p−1). Negative x with a non-integer p gives NaN.</summary>
    /// <param name="x">Any shape.</param>
    /// <param name="p">Constant exponent.</param>
    /// <returns>Same shape.</returns>
    public Tensor<T> Pow(Tensor<T> x, double p)
    {
        var y = ResultOverwritten(x.Dims, x);
        var pt = C(p);
        for (var i = 0; i < x.Length; i++) y.Data[i] = T.Pow(x.Data[i], pt);
        Record(y, () =>
        {
            var gx = x.Grad!;
            var pm1 = C(p - 1);
            for (var i = 0; i < gx.Length; i++) gx[i] += y.Grad![i] * pt * T.Pow(x.Data[i], pm1);
        });
        return y;
    }

    /// <summary>s·x for a constant s.</summary>
    /// <param name="x">Any shape.</param>
    /// <param name="s">Constant factor.</param>
    /// <returns>Same shape.</returns>
    public Tensor<T> Scale(Tensor<T> x, double s)
    {
        var y = ResultOverwritten(x.Dims, x);
        var st = C(s);
        T[] xd = x.Data, yd = y.Data;
        ParallelFor(xd.Length, ParallelGrain, (s0, e) => TensorPrimitives.Multiply(xd.AsSpan(s0, e - s0), st, yd.AsSpan(s0, e - s0)));
        Record(y, () =>
        {
            T[] gx = x.Grad!, gy = y.Grad!;
            ParallelFor(gx.Length, ParallelGrain, (s0, e) => TensorPrimitives.MultiplyAdd(gy.AsSpan(s0, e - s0), st, gx.AsSpan(s0, e - s0), gx.AsSpan(s0, e - s0)));
        });
        return y;
    }

    /// <summary>x + s for a constant s.</summary>
    /// <param name="x">Any shape.</param>
    /// <param name="s">Constant offset.</param>
    /// <returns>Same shape.</returns>
    public Tensor<T> AddScalar(Tensor<T> x, double s)
    {
        var y = ResultOverwritten(x.Dims, x);
        var st = C(s);
        T[] xd = x.Data, yd = y.Data;
        ParallelFor(xd.Length, ParallelGrain, (s0, e) => TensorPrimitives.Add(xd.AsSpan(s0, e - s0), st, yd.AsSpan(s0, e - s0)));
        Record(y, () =>
        {
            T[] gx = x.Grad!, gy = y.Grad!;
            ParallelFor(gx.Length, ParallelGrain, (s0, e) => TensorPrimitives.Add(gx.AsSpan(s0, e - s0), gy.AsSpan(s0, e - s0), gx.AsSpan(s0, e - s0)));
        });
        return y;
    }

    private Tensor<T> Unary<TOp>(Tensor<T> x) where TOp : IUnaryOp
    {
        ArgumentNullException.ThrowIfNull(x);
        var y = ResultOverwritten(x.Dims, x);
        var xd = x.Data;
        var yd = y.Data;
        ParallelFor(xd.Length, ParallelGrain, (s, e) =>                   // independent elements, fixed blocks
        {
            if (!TOp.TryApply(xd.AsSpan(s, e - s), yd.AsSpan(s, e - s)))
                for (var i = s; i < e; i++) yd[i] = TOp.F(xd[i]);
        });
        Record(y, () =>
        {
            var gx = x.Grad!;
            var gy = y.Grad!;
            ParallelFor(gx.Length, ParallelGrain, (s, e) =>
            {
                if (TOp.TryBackward(xd.AsSpan(s, e - s), gy.AsSpan(s, e - s), gx.AsSpan(s, e - s))) return;
                for (var i = s; i < e; i++) gx[i] += gy[i] * TOp.D(xd[i], yd[i]);
            });
        });
        return y;
    }

    private Tensor<T> Binary<TOp>(Tensor<T> a, Tensor<T> b, string op) where TOp : IBinaryOp
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var same = ShapeUtil.SameShape(a.Dims, b.Dims);
        var shape = same ? a.Dims : ShapeUtil.Broadcast(a.Dims, b.Dims, op);
        var y = ResultOverwritten(shape, a, b);
        // How each output element finds its input element: identity (same shape), modulo (the input's shape is a suffix of the
        // output's, e.g. a bias [C] on [N, C]), or a precomputed index map for general broadcasting.
        int aMod = 0, bMod = 0;
        int[]? ia = null, ib = null;
        var rowWise = shape.Length > 0 && shape[^1] > 1 && a.Rank > 0 && b.Rank > 0 && a.Dims[^1] == shape[^1] && b.Dims[^1] == shape[^1];
        if (!ShapeUtil.SameShape(a.Dims, shape)) { if (IsSuffix(a.Dims, shape)) aMod = Math.Max(1, a.Length); else if (rowWise) return RowBroadcast<TOp>(a, b, y, shape[^1]); else ia = ShapeUtil.BroadcastIndex(a.Dims, shape); }
        if (!ShapeUtil.SameShape(b.Dims, shape)) { if (IsSuffix(b.Dims, shape)) bMod = Math.Max(1, b.Length); else if (rowWise) return RowBroadcast<TOp>(a, b, y, shape[^1]); else ib = ShapeUtil.BroadcastIndex(b.Dims, shape); }
        T[] ad = a.Data, bd = b.Data, yd = y.Data;
        if (ia is null && ib is null && aMod == 0 && bMod == 0)
        {
            ParallelFor(yd.Length, ParallelGrain, (s, e) =>
            {
                if (!TOp.TryApply(ad.AsSpan(s, e - s), bd.AsSpan(s, e - s), yd.AsSpan(s, e - s)))
                    for (var i = s; i < e; i++) yd[i] = TOp.F(ad[i], bd[i]);
            });
        }
        else if (ia is null && ib is null && aMod == 0 && bMod > 0 && yd.Length > 0)
        {
            for (var row = 0; row < yd.Length; row += bMod)                 // b repeats along leading axes: one span call per row
                if (!TOp.TryApply(ad.AsSpan(row, bMod), bd, yd.AsSpan(row, bMod)))
                    for (var i = 0; i < bMod; i++) yd[row + i] = TOp.F(ad[row + i], bd[i]);
        }
        else
            for (var i = 0; i < yd.Length; i++)
                yd[i] = TOp.F(ad[ia?[i] ?? (aMod == 0 ? i : i % aMod)], bd[ib?[i] ?? (bMod == 0 ? i : i % bMod)]);
        Record(y, () =>
        {
            var gy = y.Grad!;
            T[]? ga = a.Grad, gb = b.Grad;
            if (ia is null && ib is null && aMod == 0 && bMod == 0 && gy.Length >= ParallelMinimum && Threads > 1
                && TOp.TryBackward(default, default, default, default, default))
            {
                // Same shape with a vectorised backward: independent elements, fixed blocks on the tape's threads.
                ParallelFor(gy.Length, ParallelGrain, (s, e) => TOp.TryBackward(ad.AsSpan(s, e - s), bd.AsSpan(s, e - s), gy.AsSpan(s, e - s),
                    ga is null ? default : ga.AsSpan(s, e - s), gb is null ? default : gb.AsSpan(s, e - s)));
                return;
            }
            if (ia is null && ib is null && aMod == 0 && (bMod == 0 || gy.Length % bMod == 0))
            {
                var width = bMod == 0 ? gy.Length : bMod;                   // identity, or b repeated per row: no index arithmetic
                if (width > 0 && TOp.TryBackward(ad.AsSpan(0, width), bd.AsSpan(0, width), gy.AsSpan(0, width),
                        ga is null ? default : ga.AsSpan(0, width), gb is null ? default : gb.AsSpan(0, width)))
                {
                    for (var row = width; row < gy.Length; row += width)
                        TOp.TryBackward(ad.AsSpan(row, width), bd.AsSpan(bMod == 0 ? row : 0, width), gy.AsSpan(row, width),
                            ga is null ? default : ga.AsSpan(row, width), gb is null ? default : gb.AsSpan(bMod == 0 ? row : 0, width));
                    return;
                }
                for (var row = 0; row < gy.Length; row += Math.Max(1, width))
                    for (var k = 0; k < width; k++)
                    {
                        var i = row + k;
                        if (ga is not null) ga[i] += gy[i] * TOp.Da(ad[i], bd[bMod == 0 ? i : k], yd[i]);
                        if (gb is not null) gb[bMod == 0 ? i : k] += gy[i] * TOp.Db(ad[i], bd[bMod == 0 ? i : k], yd[i]);
                    }
                return;
            }
            for (var i = 0; i < gy.Length; i++)
            {
                int j = ia?[i] ?? (aMod == 0 ? i : i % aMod), k = ib?[i] ?? (bMod == 0 ? i : i % bMod);
                if (ga is not null) ga[j] += gy[i] * TOp.Da(ad[j], bd[k], yd[i]);   // summed over broadcast copies
                if (gb is not null) gb[k] += gy[i] * TOp.Db(ad[j], bd[k], yd[i]);
            }
        });
        return y;
    }

    /// <summary>True when <paramref name="shape"/>, left-padded with nothing, equals the trailing axes of <paramref name="outShape"/>
    /// (so input index = output index mod its length).</summary>
    private static bool IsSuffix(int[] shape, int[] outShape)
    {
        if (shape.Length > outShape.Length) return false;
        var offset = outShape.Length - shape.Length;
        for (var i = 0; i < shape.Length; i++) if (shape[i] != outShape[offset + i]) return false;
        return true;
    }

    /// <summary>Broadcasting where both inputs keep the output's last axis (e.g. [B, A, T, D] + [A, 1, D]): one offset per row
    /// of D elements instead of one index per element.</summary>
    private Tensor<T> RowBroadcast<TOp>(Tensor<T> a, Tensor<T> b, Tensor<T> y, int width) where TOp : IBinaryOp
    {
        var sa = ShapeUtil.BroadcastStrides(a.Dims, y.Dims);          // row offsets are computed per row: no rows-long index array
        var sb = ShapeUtil.BroadcastStrides(b.Dims, y.Dims);
        var dims = y.Dims;
        var rows = y.Length / width;
        T[] ad = a.Data, bd = b.Data, yd = y.Data;
        ParallelRows(rows, width, (r0, r1) =>                          // output rows are independent
        {
            for (var r = r0; r < r1; r++)
            {
                ReadOnlySpan<T> xa = ad.AsSpan(RowOffset(r, dims, sa), width), xb = bd.AsSpan(RowOffset(r, dims, sb), width);
                var yo = yd.AsSpan(r * width, width);
                if (!TOp.TryApply(xa, xb, yo))
                    for (var i = 0; i < width; i++) yo[i] = TOp.F(xa[i], xb[i]);
            }
        });
        Record(y, () =>
        {
            var gy = y.Grad!;
            T[]? ga = a.Grad, gb = b.Grad;
            for (var r = 0; r < rows; r++)                               // serial, rows in order: broadcast gradients sum in a fixed order
            {
                int oa = RowOffset(r, dims, sa), ob = RowOffset(r, dims, sb), o = r * width;
                if (TOp.TryBackward(ad.AsSpan(oa, width), bd.AsSpan(ob, width), gy.AsSpan(o, width),
                        ga is null ? default : ga.AsSpan(oa, width), gb is null ? default : gb.AsSpan(ob, width)))
                    continue;
                for (var i = 0; i < width; i++)
                {
                    int j = oa + i, k = ob + i;
                    if (ga is not null) ga[j] += gy[o + i] * TOp.Da(ad[j], bd[k], yd[o + i]);
                    if (gb is not null) gb[k] += gy[o + i] * TOp.Db(ad[j], bd[k], yd[o + i]);
                }
            }
        });
        return y;
    }

    /// <summary>Offset of the input element that output row <paramref name="row"/> (all axes but the last) starts from, given
    /// the input's stride per output axis (0 on broadcast axes).</summary>
    private static int RowOffset(int row, int[] outShape, int[] strides)
    {
        var offset = 0;
        for (var ax = outShape.Length - 2; ax >= 0 && row > 0; ax--)
        {
            var d = outShape[ax];
            offset += row % d * strides[ax];
            row /= d;
        }
        return offset;
    }
}
