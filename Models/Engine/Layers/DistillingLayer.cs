using System.Numerics;
using LeanModels.Models.Numerics;

namespace LeanModels.Models.Engine.Layers;

/// <summary>
/// Informer's self-attention distilling step between encoder layers (Zhou et al. 2021, §3.2, Eq. 5; reference code
/// <c>ConvLayer</c>): Conv1d (kernel 3, "same" padding, D → D) → ELU → MaxPool1d (kernel 3, stride 2, padding 1), which
/// halves the time axis (T → ⌈T/2⌉). Differences from the reference code: zero padding instead of circular, and no
/// BatchNorm (the engine has none; Informer applies BatchNorm1d between the convolution and the ELU).
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
public sealed class DistillingLayer<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Conv1d<T> _conv;

    /// <summary>Creates the layer (Kaiming-uniform convolution, see <see cref="Conv1d{T}"/>).</summary>
    /// <param name="model">D, channels in and out (≥ 1).</param>
    /// <param name="rng">Generator for the convolution's initial weights.</param>
    /// <exception cref="ArgumentException">D &lt; 1.</exception>
    public DistillingLayer(int model, Xoshiro256StarStar rng)
    {
        if (model < 1) throw new ArgumentException($"DistillingLayer: model width {model} must be ≥ 1.", nameof(model));
        Model = model;
        _conv = AddModule("conv", new Conv1d<T>(model, model, 3, rng));
    }

    /// <summary>D.</summary>
    public int Model { get; }

    /// <summary>Distils x.</summary>
    /// <param name="tape">The step's tape.</param>
    /// <param name="x">[B, T, D], T ≥ 2.</param>
    /// <returns>[B, ⌈T/2⌉, D].</returns>
    /// <exception cref="ArgumentException">x is not [B, T, D] with T ≥ 2.</exception>
    public Tensor<T> Forward(Tape<T> tape, Tensor<T> x)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 3 || x.Dims[2] != Model || x.Dims[1] < 2)
            throw new ArgumentException($"DistillingLayer: x is {ShapeUtil.Format(x.Dims)}; expected [B, T ≥ 2, {Model}].", nameof(x));
        return tape.MaxPool1d(tape.Elu(_conv.Forward(tape, x)), 3, 2, 1);
    }
}
