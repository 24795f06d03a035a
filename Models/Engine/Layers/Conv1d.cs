using System.Numerics;
using LeanModels.Models.Numerics;

namespace LeanModels.Models.Engine.Layers;

/// <summary>1-D convolution over time, channels last (see <see cref="Tape{T}.Conv1d"/>), with same or causal padding and
/// dilation. Initialisation as PyTorch's <c>nn.Conv1d</c>: weight and bias ~ U(±1/√(Cin·K)) (Kaiming-uniform, a = √5).</summary>
/// <typeparam name="T">Element type.</typeparam>
public sealed class Conv1d<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the layer; initialises weight then bias.</summary>
    /// <param name="inChannels">Cin ≥ 1.</param>
    /// <param name="outChannels">Cout ≥ 1.</param>
    /// <param name="kernelSize">K ≥ 1 taps.</param>
    /// <param name="rng">Generator.</param>
    /// <param name="dilation">Tap spacing, ≥ 1.</param>
    /// <param name="causal">Causal (left) padding instead of same padding.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is &lt; 1.</exception>
    public Conv1d(int inChannels, int outChannels, int kernelSize, Xoshiro256StarStar rng, int dilation = 1, bool causal = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dilation, 1);
        Dilation = dilation;
        Causal = causal;
        Weight = AddParameter("weight", true, kernelSize, inChannels, outChannels);
        Bias = AddParameter("bias", false, outChannels);
        Init.KaimingUniformDefault<T>(Weight.Data, inChannels * kernelSize, rng);
        Init.KaimingUniformDefault<T>(Bias.Data, inChannels * kernelSize, rng);
    }

    /// <summary>Tap spacing.</summary>
    public int Dilation { get; }

    /// <summary>True for causal padding.</summary>
    public bool Causal { get; }

    /// <summary>[K, Cin, Cout] weight.</summary>
    public Tensor<T> Weight { get; }

    /// <summary>[Cout] bias.</summary>
    public Tensor<T> Bias { get; }

    /// <summary>Convolves over time.</summary>
    /// <param name="tape">The step's tape.</param>
    /// <param name="x">[N, T, Cin].</param>
    /// <returns>[N, T, Cout].</returns>
    /// <exception cref="ArgumentException">x is not [N, T, Cin].</exception>
    public Tensor<T> Forward(Tape<T> tape, Tensor<T> x)
    {
        ArgumentNullException.ThrowIfNull(tape);
        return tape.Conv1d(x, Weight, Bias, Dilation, Causal);
    }
}
