using System.Text;

namespace LeanModels.Models.Forecasting;

/// <summary>
/// One named parameter array of a model as an artifact stores it: a shape and row-major values in <c>float</c> or
/// <c>double</c>, kept bit for bit. Deep models store their engine parameters this way (<see cref="EngineParameters"/>).
/// </summary>
public sealed class NamedArray
{
    /// <summary>Longest name in UTF-8 bytes.</summary>
    public const int MaxNameBytes = 256;

    /// <summary>Highest rank.</summary>
    public const int MaxRank = 8;

    private NamedArray(string name, int[] shape, double[]? doubles, float[]? floats)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (Encoding.UTF8.GetByteCount(name) > MaxNameBytes) throw new ArgumentException($"NamedArray: name '{name[..32]}…' is longer than {MaxNameBytes} UTF-8 bytes.", nameof(name));
        if (shape.Length > MaxRank) throw new ArgumentException($"NamedArray '{name}': rank {shape.Length} exceeds {MaxRank}.", nameof(shape));
        long product = 1;
        foreach (var s in shape)
        {
            if (s < 0) throw new ArgumentException($"NamedArray '{name}': shape [{string.Join(", ", shape)}] has a negative size.", nameof(shape));
            product *= s;
            if (product > int.MaxValue) throw new ArgumentException($"NamedArray '{name}': shape [{string.Join(", ", shape)}] holds more than {int.MaxValue} elements.", nameof(shape));
        }
        var length = doubles?.Length ?? floats!.Length;
        if (product != length)
            throw new ArgumentException($"NamedArray '{name}': shape [{string.Join(", ", shape)}] holds {product} elements but {length} values were given.", nameof(shape));
        Name = name;
        Shape = shape;
        Doubles = doubles;
        Floats = floats;
    }

    /// <summary>A <c>double</c> array.</summary>
    /// <param name="name">Unique name within the model, e.g. <c>beta</c>.</param>
    /// <param name="values">Row-major values (kept by reference, not copied).</param>
    /// <param name="shape">Sizes; empty = a scalar; null = [values.Length].</param>
    /// <returns>The array.</returns>
    /// <exception cref="ArgumentException">Empty name, name over <see cref="MaxNameBytes"/>, rank over <see cref="MaxRank"/>, or a shape whose product is not the length.</exception>
    public static NamedArray Of(string name, double[] values, int[]? shape = null) => new(name, shape ?? [values.Length], values, null);

    /// <summary>A <c>float</c> array.</summary>
    /// <param name="name">Unique name within the model, e.g. <c>encoder.0.wq.weight</c>.</param>
    /// <param name="values">Row-major values (kept by reference, not copied).</param>
    /// <param name="shape">Sizes; empty = a scalar; null = [values.Length].</param>
    /// <returns>The array.</returns>
    /// <exception cref="ArgumentException">As <see cref="Of(string, double[], int[])"/>.</exception>
    public static NamedArray Of(string name, float[] values, int[]? shape = null) => new(name, shape ?? [values.Length], null, values);

    /// <summary>The name.</summary>
    public string Name { get; }

    /// <summary>Sizes, row-major (last axis fastest).</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>The values when stored as <c>double</c>, else null.</summary>
    public double[]? Doubles { get; }

    /// <summary>The values when stored as <c>float</c>, else null.</summary>
    public float[]? Floats { get; }

    /// <summary>Bytes per element: 8 for <c>double</c>, 4 for <c>float</c>.</summary>
    public int ElementBytes => Doubles is not null ? 8 : 4;

    /// <summary>Number of elements.</summary>
    public int Length => Doubles?.Length ?? Floats!.Length;

    /// <summary>Index of the first non-finite value, or −1.</summary>
    /// <returns>An element index or −1.</returns>
    public int FirstNonFinite()
    {
        if (Doubles is { } d) { for (var i = 0; i < d.Length; i++) if (!double.IsFinite(d[i])) return i; }
        else { var f = Floats!; for (var i = 0; i < f.Length; i++) if (!float.IsFinite(f[i])) return i; }
        return -1;
    }

    /// <summary>Shape as text, e.g. <c>[12]</c> or <c>[64, 32]</c>.</summary>
    /// <returns>The text.</returns>
    public string FormatShape() => $"[{string.Join(", ", Shape)}]";
}
