using System.Numerics;
using LeanModels.Models.Numerics;

namespace LeanModels.Models.Engine.Layers;

/// <summary>Transformer position-wise feed-forward block (Vaswani et al. 2017, eq. 2, with GELU as in the peer model):
/// Linear(D → hidden), GELU, dropout, Linear(hidden → D). The residual add and the dropout after it belong to the caller.</summary>
/// <typeparam name="T">Element type.</typeparam>
public sealed class FeedForward<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Linear<T> _up, _down;
    private readonly double _dropout;

    /// <summary>Creates the block; initialises up then down from <paramref name="rng"/>.</summary>
    /// <param name="model">D, input and output width.</param>
    /// <param name="hidden">Hidden width (4·D in Vaswani et al.).</param>
    /// <param name="dropout">Dropout after the GELU, in [0, 1).</param>
    /// <param name="rng">Generator.</param>
    public FeedForward(int model, int hidden, double dropout, Xoshiro256StarStar rng)
    {
        _up = AddModule("up", new Linear<T>(model, hidden, rng));
        _down = AddModule("down", new Linear<T>(hidden, model, rng));
        _dropout = dropout;
    }

    /// <summary>Applies the block.</summary>
    /// <param name="tape">The step's tape.</param>
    /// <param name="x">[..., D].</param>
    /// <returns>[..., D].</returns>
    /// <exception cref="ArgumentException">x's last axis is not D.</exception>
    public Tensor<T> Forward(Tape<T> tape, Tensor<T> x)
    {
        ArgumentNullException.ThrowIfNull(tape);
        // Bias-free GEMM, then bias + GELU + dropout in one pass (bit-identical to Linear → GELU → dropout), then the down projection.
        var u = tape.Linear(x, _up.Weight, null);
        return _down.Forward(tape, _up.Bias is null ? tape.GeluDropout(u, _dropout) : tape.BiasGeluDropout(u, _up.Bias, _dropout));
    }
}
