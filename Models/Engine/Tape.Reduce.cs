namespace LeanModels.Models.Engine;

public sealed partial class Tape<T>
{
    /// <summary>Sum of all elements.</summary>
    /// <param name="x">Any shape; an empty tensor sums to 0.</param>
    /// <returns>A scalar (rank 0).</returns>
    public Tensor<T> Sum(Tensor<T> x) => Reduce(x, AllAxes(x), keepDims: false, ReduceKind.Sum, nameof(Sum));

    /// <summary>Sum over the given axes, in index order (deterministic).</summary>
    /// <param name="x">Any shape.</param>
    /// <param name="axes">Axes to reduce; negative counts from the end. Must be distinct.</param>
    /// <param name="keepDims">True to keep reduced axes as size 1.</param>
    /// <returns>x's shape without (or with size 1 at) the reduced axes.</returns>
    /// <exception cref="ArgumentException">An axis is out of range or repeated; the message gives the shape.</exception>
    public Tensor<T> Sum(Tensor<T> x, int[] axes, bool keepDims = false) => Reduce(x, axes, keepDims, ReduceKind.Sum, nameof(Sum));

    /// <summary>Mean of all elements.</summary>
    /// <param name="x">Any non-empty shape.</param>
    /// <returns>A scalar (rank 0).</returns>
    /// <exception cref="ArgumentException">x is empty (the mean would be NaN).</exception>
    public Tensor<T> Mean(Tensor<T> x) => Reduce(x, AllAxes(x), keepDims: false, ReduceKind.Mean, nameof(Mean));

    /// <summary>Mean over the given axes.</summary>
    /// <param name="x">Any shape.</param>
    /// <param name="axes">Axes to reduce, each of size ≥ 1.</param>
    /// <param name="keepDims">True to keep reduced axes as size 1.</param>
    /// <returns>The reduced shape.</returns>
    /// <exception cref="ArgumentException">An axis is out of range, repeated or of size 0.</exception>
    public Tensor<T> Mean(Tensor<T> x, int[] axes, bool keepDims = false) => Reduce(x, axes, keepDims, ReduceKind.Mean, nameof(Mean));

    /// <summary>Maximum over the given axes. The gradient goes to the first maximal element (in index order) only.</summary>
    /// <param name="x">Any shape; NaN compares false, so a NaN is never chosen unless every element is NaN.</param>
    /// <param name="axes">Axes to reduce, each of size ≥ 1.</param>
    /// <param name="keepDims">True to keep reduced axes as size 1.</param>
    /// <returns>The reduced shape.</returns>
    /// <exception cref="ArgumentException">An axis is out of range, repeated or of size 0.</exception>
    public Tensor<T> Max(Tensor<T> x, int[] axes, bool keepDims = false) => Reduce(x, axes, keepDims, ReduceKind.Max, nameof(Max));

    private enum ReduceKind { Sum, Mean, Max }

    private static int[] AllAxes(Tensor<T> x)
    {
        var axes = new int[x.Rank];
        for (var i = 0; i < axes.Length; i++) axes[i] = i;
        return axes;
    }

    private Tensor<T> Reduce(Tensor<T> x, int[] axes, bool keepDims, ReduceKind kind, string op)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(axes);
        var rank = x.Rank;
        var reduced = new bool[rank];
        var count = 1;
        foreach (var axis in axes)
        {
            var a = ShapeUtil.Axis(axis, rank, op, x.Dims);
            if (reduced[a]) throw new ArgumentException($"{op}: axis {axis} is given twice for shape {ShapeUtil.Format(x.Dims)}.", nameof(axes));
            reduced[a] = true;
            count *= x.Dims[a];
        }
        if (kind != ReduceKind.Sum && count == 0)
            throw new ArgumentException($"{op}: reducing an empty extent of shape {ShapeUtil.Format(x.Dims)}.", nameof(axes));

        var outShape = new List<int>();
        var keptShape = new int[rank];                     // the output shape with reduced axes as 1 (for broadcasting)
        for (var i = 0; i < rank; i++)
        {
            keptShape[i] = reduced[i] ? 1 : x.Dims[i];
            if (!reduced[i]) outShape.Add(x.Dims[i]);
            else if (keepDims) outShape.Add(1);
        }
        var y = Result(outShape.ToArray(), x);
        var map = ShapeUtil.BroadcastIndex(keptShape, x.Dims);   // input element → output element
        var xd = x.Data;
        var yd = y.Data;
        int[]? argmax = null;
        if (kind == ReduceKind.Max)
        {
            argmax = new int[yd.Length];
            Array.Fill(argmax, -1);
            for (var i = 0; i < xd.Length; i++)
            {
                var o = map[i];
                if (argmax[o] < 0 || xd[i] > yd[o]) { yd[o] = xd[i]; argmax[o] = i; }
            }
        }
        else
        {
            for (var i = 0; i < xd.Length; i++) yd[map[i]] += xd[i];
            if (kind == ReduceKind.Mean)
            {
                var inv = T.One / C(count);
                for (var o = 0; o < yd.Length; o++) yd[o] *= inv;
            }
        }
        Record(y, () =>
        {
            var gx = x.Grad!;
            var gy = y.Grad!;
            switch (kind)
            {
                case ReduceKind.Sum:
                    for (var i = 0; i < gx.Length; i++) gx[i] += gy[map[i]];
                    break;
                case ReduceKind.Mean:
                    var inv = T.One / C(count);
                    for (var i = 0; i < gx.Length; i++) gx[i] += gy[map[i]] * inv;
                    break;
                default:
                    for (var o = 0; o < gy.Length; o++) gx[argmax![o]] += gy[o];
                    break;
            }
        });
        return y;
    }
}
