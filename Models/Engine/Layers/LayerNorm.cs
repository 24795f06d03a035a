using System.Numerics;

namespace LeanModels.Models.Engine.Layers;

/// <summary>Layer normalisation over the last axis (Ba, Kiros &amp; Hinton 2016) with gain γ = 1 and offset β = 0 at start, as
/// PyTorch's <c>reset_parameters</c>; neither is weight-decayed. The math is <see cref="Tape{T}.LayerNorm"/>.</summary>
/// <typeparam name="T">Element type.</typeparam>
public sealed class LayerNorm<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the layer.</summary>
    /// <param name="features">C, the normalised width, ≥ 1.</param>
    /// <param name="eps">ε added to the variance (PyTorch's 1e-5).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="features"/> &lt; 1.</exception>
    public LayerNorm(int features, double eps = 1e-5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        Eps = eps;
        Gain = AddParameter("gain", false, features);
        Offset = AddParameter("offset", false, features);
        Array.Fill(Gain.Data, T.One);
    }

    /// <summary>ε.</summary>
    public double Eps { get; }

    /// <summary>[C] gain γ.</summary>
    public Tensor<T> Gain { get; }

    /// <summary>[C] offset β.</summary>
    public Tensor<T> Offset { get; }

    /// <summary>Normalises each row of the last axis.</summary>
    /// <param name="tape">The step's tape.</param>
    /// <param name="x">[..., C].</param>
    /// <returns>[..., C].</returns>
    /// <exception cref="ArgumentException">x's last axis is not C.</exception>
    public Tensor<T> Forward(Tape<T> tape, Tensor<T> x)
    {
        ArgumentNullException.ThrowIfNull(tape);
        return tape.LayerNorm(x, Gain, Offset, Eps);
    }
}
