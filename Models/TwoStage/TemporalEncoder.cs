using System.Numerics;
using LeanModels.Models.Engine;
using LeanModels.Models.Engine.Layers;
using LeanModels.Models.Numerics;

namespace LeanModels.Models.TwoStage;

/// <summary>
/// The temporal model shared by <see cref="TwoStageModel{T}"/> (stage 2, one sequence per asset) and
/// <see cref="DirectModel{T}"/> (one sequence per date window): a sequence [N, T, I] → the hidden state of the last step
/// [N, H]. <see cref="TemporalFamily.Lstm"/> and <see cref="TemporalFamily.Gru"/> are one engine layer each (zero initial
/// state); <see cref="TemporalFamily.Tcn"/> is <c>levels</c> causal <see cref="TcnBlock{T}"/>s of width H, kernel k,
/// dilation 2^l (Bai, Kolter &amp; Koltun 2018, Fig. 1), whose last step sees the last 1 + 2(k − 1)(2^levels − 1) steps
/// (receptive field; older steps are not seen when T is longer). Each layer's initialisation is its own (see the layers).
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
public sealed class TemporalEncoder<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Lstm<T>? _lstm;
    private readonly Gru<T>? _gru;
    private readonly List<TcnBlock<T>> _tcn = new();

    /// <summary>Creates and initialises the encoder from <paramref name="rng"/> (layers in order).</summary>
    /// <param name="family">LSTM, GRU or TCN.</param>
    /// <param name="inputSize">I ≥ 1, inputs per step.</param>
    /// <param name="hidden">H ≥ 1, hidden width (TCN channels).</param>
    /// <param name="tcnLevels">TCN blocks (≥ 1); ignored for LSTM and GRU.</param>
    /// <param name="tcnKernel">TCN taps per convolution (≥ 2); ignored for LSTM and GRU.</param>
    /// <param name="dropout">TCN dropout after each ReLU, in [0, 1); LSTM and GRU have none.</param>
    /// <param name="rng">Generator of the initial weights.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range or the family is unknown.</exception>
    public TemporalEncoder(TemporalFamily family, int inputSize, int hidden, int tcnLevels, int tcnKernel, double dropout, Xoshiro256StarStar rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
        Family = family;
        InputSize = inputSize;
        Hidden = hidden;
        switch (family)
        {
            case TemporalFamily.Lstm: _lstm = AddModule("lstm", new Lstm<T>(inputSize, hidden, rng)); break;
            case TemporalFamily.Gru: _gru = AddModule("gru", new Gru<T>(inputSize, hidden, rng)); break;
            case TemporalFamily.Tcn:
                ArgumentOutOfRangeException.ThrowIfLessThan(tcnLevels, 1);
                ArgumentOutOfRangeException.ThrowIfLessThan(tcnKernel, 2);
                for (var l = 0; l < tcnLevels; l++)
                    _tcn.Add(AddModule($"tcn{l}", new TcnBlock<T>(l == 0 ? inputSize : hidden, hidden, tcnKernel, 1 << l, dropout, rng)));
                break;
            default: throw new ArgumentOutOfRangeException(nameof(family), family, "TemporalEncoder: unknown family.");
        }
    }

    /// <summary>The family.</summary>
    public TemporalFamily Family { get; }

    /// <summary>I, inputs per step.</summary>
    public int InputSize { get; }

    /// <summary>H, the width of the returned state.</summary>
    public int Hidden { get; }

    /// <summary>Runs the sequences and returns the state at the last step.</summary>
    /// <param name="tape">The step's tape.</param>
    /// <param name="x">[N, T, I], time oldest → newest, T ≥ 1.</param>
    /// <returns>[N, H]: h_T (LSTM, GRU) or the last block's output at step T (TCN).</returns>
    /// <exception cref="ArgumentException">x is not [N, T ≥ 1, I]; the message gives both shapes.</exception>
    public Tensor<T> Forward(Tape<T> tape, Tensor<T> x)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 3 || x.Dims[1] < 1 || x.Dims[2] != InputSize)
            throw new ArgumentException($"TemporalEncoder: x is {ShapeUtil.Format(x.Dims)}; expected [N, T ≥ 1, I={InputSize}].", nameof(x));
        if (_lstm is not null) return _lstm.Forward(tape, x).Last;
        if (_gru is not null) return _gru.Forward(tape, x).Last;
        var h = x;
        foreach (var block in _tcn) h = block.Forward(tape, h);
        return tape.Reshape(tape.Slice(h, 1, x.Dims[1] - 1, 1), x.Dims[0], Hidden);
    }

    /// <summary>Multiply-adds of one forward pass over one sequence of <paramref name="steps"/> steps (the matrix products only):
    /// LSTM T·4H·(I + H); GRU T·3H·(I + H); TCN Σ_l T·(k·C_l·H + k·H·H + [C_l ≠ H]·C_l·H) with C_0 = I, C_l = H after.</summary>
    /// <param name="family">The family.</param>
    /// <param name="inputSize">I.</param>
    /// <param name="hidden">H.</param>
    /// <param name="tcnLevels">TCN blocks.</param>
    /// <param name="tcnKernel">TCN taps k.</param>
    /// <param name="steps">T.</param>
    /// <returns>Multiply-adds (not FLOPs).</returns>
    public static long MultiplyAdds(TemporalFamily family, int inputSize, int hidden, int tcnLevels, int tcnKernel, int steps)
    {
        long i = inputSize, h = hidden, t = steps, k = tcnKernel;
        switch (family)
        {
            case TemporalFamily.Lstm: return t * 4 * h * (i + h);
            case TemporalFamily.Gru: return t * 3 * h * (i + h);
            default:
                long macs = 0;
                for (var l = 0; l < tcnLevels; l++)
                {
                    var c = l == 0 ? i : h;
                    macs += t * (k * c * h + k * h * h + (c != h ? c * h : 0));
                }
                return macs;
        }
    }

    /// <summary>Trainable scalars of an encoder: LSTM 4H·(I + H) + 4H; GRU 3H·(I + H) + 6H (two biases);
    /// TCN Σ_l (k·C_l·H + H + k·H·H + H + [C_l ≠ H]·(C_l·H + H)).</summary>
    /// <param name="family">The family.</param>
    /// <param name="inputSize">I.</param>
    /// <param name="hidden">H.</param>
    /// <param name="tcnLevels">TCN blocks.</param>
    /// <param name="tcnKernel">TCN taps k.</param>
    /// <returns>The count.</returns>
    public static long CountParameters(TemporalFamily family, int inputSize, int hidden, int tcnLevels, int tcnKernel)
    {
        long i = inputSize, h = hidden, k = tcnKernel;
        switch (family)
        {
            case TemporalFamily.Lstm: return 4 * h * (i + h) + 4 * h;
            case TemporalFamily.Gru: return 3 * h * (i + h) + 6 * h;
            default:
                long n = 0;
                for (var l = 0; l < tcnLevels; l++)
                {
                    var c = l == 0 ? i : h;
                    n += k * c * h + h + k * h * h + h + (c != h ? c * h + h : 0);
                }
                return n;
        }
    }
}
