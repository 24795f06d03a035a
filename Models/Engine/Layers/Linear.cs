using System.Numerics;
using LeanModels.Models.Numerics;

namespace LeanModels.Models.Engine.Layers;

/// <summary>Affine map y = x·W + b over the last axis. W is stored [in, out] (PyTorch stores [out, in]) so the forward is one
/// GEMM without a transpose. Initialisation as PyTorch's <c>nn.Linear</c>: W and b ~ U(±1/√in) (Kaiming-uniform, a = √5;
/// He et al. 2015).</summary>
/// <typeparam name="T">Element type.</typeparam>
public sealed class Linear<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the layer and initialises it from <paramref name="rng"/> (weight first, then bias).</summary>
    /// <param name="inFeatures">Input width, ≥ 1.</param>
    /// <param name="outFeatures">Output width, ≥ 1.</param>
    /// <param name="rng">Generator for the initial values.</param>
    /// <param name="bias">False for no bias.</param>
    /// <exception cref="ArgumentOutOfRangeException">A width is &lt; 1.</exception>
    public Linear(int inFeatures, int outFeatures, Xoshiro256StarStar rng, bool bias = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outFeatures, 1);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = AddParameter("weight", true, inFeatures, outFeatures);
        Init.KaimingUniformDefault<T>(Weight.Data, inFeatures, rng);
        if (bias)
        {
            Bias = AddParameter("bias", false, outFeatures);
            Init.KaimingUniformDefault<T>(Bias.Data, inFeatures, rng);
        }
    }

    /// <summary>Input width.</summary>
    public int InFeatures { get; }

    /// <summary>Output width.</summary>
    public int OutFeatures { get; }

    /// <summary>[in, out] weight.</summary>
    public Tensor<T> Weight { get; }

    /// <summary>[out] bias, or null.</summary>
    public Tensor<T>? Bias { get; }

    /// <summary>y = x·W + b.</summary>
    /// <param name="tape">The step's tape.</param>
    /// <param name="x">[..., in].</param>
    /// <returns>[..., out].</returns>
    /// <exception cref="ArgumentException">x's last axis is not <see cref="InFeatures"/>; the message gives the shapes.</exception>
    public Tensor<T> Forward(Tape<T> tape, Tensor<T> x)
    {
        ArgumentNullException.ThrowIfNull(tape);
        return tape.Linear(x, Weight, Bias);
    }
}
