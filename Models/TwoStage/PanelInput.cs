using System.Numerics;
using LeanModels.Models.Engine;

namespace LeanModels.Models.TwoStage;

/// <summary>A checked window x [B, T, A, F] with its availability [B, T, A]: the masks both models build from it.</summary>
/// <typeparam name="T">Element type.</typeparam>
internal sealed class PanelInput<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public required int B { get; init; }
    public required int Steps { get; init; }
    public required int A { get; init; }
    public required int F { get; init; }

    /// <summary>[B, T, A, F] flags, true for every feature of an absent bar (to be zeroed).</summary>
    public required bool[] Fill { get; init; }

    /// <summary>[B, T, A] availability channel: 1 present, 0 absent.</summary>
    public required T[] Channel { get; init; }

    /// <summary>[B, A] flags: present on the last date of the window (a prediction exists).</summary>
    public required bool[] LastDate { get; init; }

    /// <summary>Checks shapes and finiteness and builds the masks.</summary>
    /// <exception cref="ArgumentException">x is not [B ≥ 1, T, A ≥ 1, F] with the model's T and F, the mask length differs, or a
    /// present bar holds a non-finite value (the message gives b, t, a, f).</exception>
    public static PanelInput<T> Check(string model, Tensor<T> x, ReadOnlySpan<bool> available, int lookback, int features)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4 || x.Dims[1] != lookback || x.Dims[3] != features || x.Dims[0] < 1 || x.Dims[2] < 1)
            throw new ArgumentException($"{model}.Forward: model built for [B, T={lookback}, A, F={features}], got {ShapeUtil.Format(x.Dims)}.", nameof(x));
        int b = x.Dims[0], t = x.Dims[1], a = x.Dims[2], f = x.Dims[3];
        if (available.Length != b * t * a)
            throw new ArgumentException($"{model}.Forward: available has {available.Length} flags; expected [B={b}, T={t}, A={a}] = {b * t * a}.", nameof(available));
        var fill = new bool[x.Length];
        var channel = new T[b * t * a];
        for (var r = 0; r < b * t * a; r++)
        {
            if (!available[r]) { fill.AsSpan(r * f, f).Fill(true); continue; }
            channel[r] = T.One;
            for (var k = 0; k < f; k++)
                if (!T.IsFinite(x.Data[r * f + k]))
                    throw new ArgumentException($"{model}.Forward: x[b={r / (t * a)}, t={r / a % t}, a={r % a}, f={k}] = {x.Data[r * f + k]} in a bar marked available; mark the bar absent or fix the feature.", nameof(x));
        }
        var last = new bool[b * a];
        for (var bi = 0; bi < b; bi++)
            for (var ai = 0; ai < a; ai++) last[bi * a + ai] = available[(bi * t + t - 1) * a + ai];
        return new PanelInput<T> { B = b, Steps = t, A = a, F = f, Fill = fill, Channel = channel, LastDate = last };
    }

    /// <summary>x with absent bars replaced by 0 (a NaN there never reaches any arithmetic), on the tape: [B, T, A, F].</summary>
    public Tensor<T> Zeroed(Tape<T> tape, Tensor<T> x) => tape.MaskedFill(x, Fill, 0);

    /// <summary>The availability channel as a constant tensor [B, T, A, 1].</summary>
    public Tensor<T> ChannelTensor() => new(Channel, [B, Steps, A, 1]);

    /// <summary>Predictions [B, A] as a new array with NaN where no prediction exists.</summary>
    public static T[] Masked(Tensor<T> y, bool[] mask)
    {
        var r = new T[y.Length];
        for (var i = 0; i < r.Length; i++) r[i] = mask[i] ? y.Data[i] : T.NaN;
        return r;
    }
}
