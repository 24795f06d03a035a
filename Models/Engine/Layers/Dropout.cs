using System.Numerics;

namespace LeanModels.Models.Engine.Layers;

/// <summary>Inverted dropout (Srivastava et al. 2014); active only on a training tape, masks from the tape's generator.</summary>
/// <typeparam name="T">Element type.</typeparam>
public sealed class Dropout<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the layer.</summary>
    /// <param name="p">Drop probability in [0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">p outside [0, 1).</exception>
    public Dropout(double p)
    {
        if (!(p >= 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout: p must be in [0, 1).");
        P = p;
    }

    /// <summary>Drop probability.</summary>
    public double P { get; }

    /// <summary>Applies <see cref="Tape{T}.Dropout"/>.</summary>
    /// <param name="tape">The step's tape (its mode decides whether anything is dropped).</param>
    /// <param name="x">Any shape.</param>
    /// <returns>Same shape.</returns>
    /// <exception cref="InvalidOperationException">Training with p &gt; 0 on a tape without a generator.</exception>
    public Tensor<T> Forward(Tape<T> tape, Tensor<T> x)
    {
        ArgumentNullException.ThrowIfNull(tape);
        return tape.Dropout(x, P);
    }
}
