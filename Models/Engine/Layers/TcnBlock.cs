using System.Numerics;
using LeanModels.Models.Numerics;

namespace LeanModels.Models.Engine.Layers;

/// <summary>Temporal-convolution residual block (Bai, Kolter &amp; Koltun 2018, "An Empirical Evaluation of Generic Convolutional
/// and Recurrent Networks", Fig. 1b): two causal dilated convolutions, each followed by ReLU and dropout, plus a residual
/// (a 1×1 convolution when the widths differ), then ReLU. The paper's weight normalisation is not applied.</summary>
/// <typeparam name="T">Element type.</typeparam>
public sealed class TcnBlock<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Conv1d<T> _conv1, _conv2;
    private readonly Conv1d<T>? _downsample;
    private readonly double _dropout;

    /// <summary>Creates the block; initialises conv1, conv2, then the 1×1 residual projection if any.</summary>
    /// <param name="inChannels">Cin.</param>
    /// <param name="outChannels">Cout.</param>
    /// <param name="kernelSize">K taps per convolution.</param>
    /// <param name="dilation">Dilation of both convolutions (2^level in the paper).</param>
    /// <param name="dropout">Dropout after each ReLU, in [0, 1).</param>
    /// <param name="rng">Generator.</param>
    public TcnBlock(int inChannels, int outChannels, int kernelSize, int dilation, double dropout, Xoshiro256StarStar rng)
    {
        _conv1 = AddModule("conv1", new Conv1d<T>(inChannels, outChannels, kernelSize, rng, dilation, causal: true));
        _conv2 = AddModule("conv2", new Conv1d<T>(outChannels, outChannels, kernelSize, rng, dilation, causal: true));
        if (inChannels != outChannels) _downsample = AddModule("downsample", new Conv1d<T>(inChannels, outChannels, 1, rng));
        _dropout = dropout;
    }

    /// <summary>Applies the block; output at time t depends only on inputs at times ≤ t.</summary>
    /// <param name="tape">The step's tape.</param>
    /// <param name="x">[N, T, Cin].</param>
    /// <returns>[N, T, Cout].</returns>
    /// <exception cref="ArgumentException">x is not [N, T, Cin].</exception>
    public Tensor<T> Forward(Tape<T> tape, Tensor<T> x)
    {
        ArgumentNullException.ThrowIfNull(tape);
        var h = tape.Dropout(tape.Relu(_conv1.Forward(tape, x)), _dropout);
        h = tape.Dropout(tape.Relu(_conv2.Forward(tape, h)), _dropout);
        var residual = _downsample is null ? x : _downsample.Forward(tape, x);
        return tape.Relu(tape.Add(h, residual));
    }
}
