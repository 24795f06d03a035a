using System.Diagnostics;

namespace LeanModels.Models.Engine;

/// <summary>Shape arithmetic shared by the ops: products, formatting, broadcasting and axis normalisation.</summary>
internal static class ShapeUtil
{
    public static int Product(ReadOnlySpan<int> shape, string op)
    {
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException($"{op}: shape {Format(shape)} has a negative size.");
            n *= d;
            if (n > Array.MaxLength) throw new ArgumentException($"{op}: shape {Format(shape)} has more than {Array.MaxLength} elements.");
        }
        return (int)n;
    }

    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    public static bool SameShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);

    /// <summary>NumPy broadcasting: align trailing axes; sizes must match or one of them be 1.</summary>
    public static int[] Broadcast(int[] a, int[] b, string op)
    {
        var rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (var i = 0; i < rank; i++)
        {
            var da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            var db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"{op}: a is {Format(a)}, b is {Format(b)}; they do not broadcast (axis {i - rank}: {da} vs {db}).");
            result[i] = da == 1 ? db : da;
        }
        return result;
    }

    /// <summary>For each element of <paramref name="outShape"/> (row-major), the index of the element of
    /// <paramref name="shape"/> it reads under broadcasting. <paramref name="shape"/> must broadcast to outShape.</summary>
    public static int[] BroadcastIndex(int[] shape, int[] outShape)
    {
        var rank = outShape.Length;
        var n = Product(outShape, "Broadcast");
        var strides = new int[rank];                                  // strides of `shape` aligned to outShape; 0 on broadcast axes
        var s = 1;
        for (var i = rank - 1; i >= 0; i--)
        {
            var j = i - (rank - shape.Length);
            var d = j >= 0 ? shape[j] : 1;
            strides[i] = d == 1 ? 0 : s;
            s *= d;
        }
        var map = new int[n];
        var counter = new int[rank];
        var idx = 0;
        for (var i = 0; i < n; i++)
        {
            map[i] = idx;
            for (var ax = rank - 1; ax >= 0; ax--)                    // odometer increment
            {
                counter[ax]++;
                idx += strides[ax];
                if (counter[ax] < outShape[ax]) break;
                idx -= strides[ax] * counter[ax];
                counter[ax] = 0;
            }
        }
        return map;
    }

    /// <summary>Maps a possibly negative axis into [0, rank).</summary>
    public static int Axis(int axis, int rank, string op, ReadOnlySpan<int> shape)
    {
        var a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new ArgumentException($"{op}: axis {axis} is out of range for shape {Format(shape)} (rank {rank}).");
        return a;
    }

    /// <summary>Splits a shape around <paramref name="axis"/> into (outer, size, inner) element counts.</summary>
    public static (int Outer, int Size, int Inner) Split(ReadOnlySpan<int> shape, int axis)
    {
        Debug.Assert(axis >= 0 && axis < shape.Length);
        int outer = 1, inner = 1;
        for (var i = 0; i < axis; i++) outer *= shape[i];
        for (var i = axis + 1; i < shape.Length; i++) inner *= shape[i];
        return (outer, shape[axis], inner);
    }

    /// <summary>Odometer over the output's rows (all axes but the last): for each output row, the offset of the input element
    /// it starts from, given the input's stride for each output axis (0 for broadcast axes). Length = rows.</summary>
    public static int[] RowOffsets(int[] outShape, int[] strides)
    {
        var rank = outShape.Length;
        var rows = 1;
        for (var i = 0; i < rank - 1; i++) rows *= outShape[i];
        var offsets = new int[rows];
        var counter = new int[Math.Max(0, rank - 1)];
        var idx = 0;
        for (var r = 0; r < rows; r++)
        {
            offsets[r] = idx;
            for (var ax = rank - 2; ax >= 0; ax--)
            {
                counter[ax]++;
                idx += strides[ax];
                if (counter[ax] < outShape[ax]) break;
                idx -= strides[ax] * counter[ax];
                counter[ax] = 0;
            }
        }
        return offsets;
    }

    /// <summary>Strides of <paramref name="shape"/> aligned to <paramref name="outShape"/> (right-aligned), 0 on broadcast axes.</summary>
    public static int[] BroadcastStrides(int[] shape, int[] outShape)
    {
        var rank = outShape.Length;
        var strides = new int[rank];
        var s = 1;
        for (var i = rank - 1; i >= 0; i--)
        {
            var j = i - (rank - shape.Length);
            var d = j >= 0 ? shape[j] : 1;
            strides[i] = d == 1 ? 0 : s;
            s *= d;
        }
        return strides;
    }
}
