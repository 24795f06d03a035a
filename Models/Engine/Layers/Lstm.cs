using System.Numerics;
using LeanModels.Models.Numerics;

namespace LeanModels.Models.Engine.Layers;

/// <summary>
/// One-layer LSTM (Hochreiter &amp; Schmidhuber 1997, with the forget gate of Gers et al. 2000), gate order i, f, g, o as
/// PyTorch: [i f g o] = x·W_ih + h·W_hh + b; c' = σ(f)⊙c + σ(i)⊙tanh(g); h' = σ(o)⊙tanh(c'). Initial h and c are zero.
/// Initialisation: W_ih Xavier-uniform (Glorot &amp; Bengio 2010); each gate's [H, H] block of W_hh orthogonal (Saxe et al.
/// 2014); bias 0 except the forget gate's, 1 (Jozefowicz, Zaremba &amp; Sutskever 2015). One bias vector (PyTorch's
/// b_ih + b_hh, which only ever appear summed). The forward is one fused tape op with a hand-derived backward through time
/// (<see cref="Tape{T}.LstmSequence"/>); <c>ForwardReference</c> composes the same cell from primitive ops as its oracle.
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
public sealed class Lstm<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the layer; initialises W_ih, then W_hh gate by gate.</summary>
    /// <param name="inputSize">F, features per step.</param>
    /// <param name="hiddenSize">H, hidden width.</param>
    /// <param name="rng">Generator.</param>
    public Lstm(int inputSize, int hiddenSize, Xoshiro256StarStar rng)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenSize, 1);
        HiddenSize = hiddenSize;
        WeightIh = AddParameter("weight_ih", true, inputSize, 4 * hiddenSize);
        WeightHh = AddParameter("weight_hh", true, hiddenSize, 4 * hiddenSize);
        Bias = AddParameter("bias", false, 4 * hiddenSize);
        Init.XavierUniform<T>(WeightIh.Data, inputSize, 4 * hiddenSize, rng);
        RecurrentInit.OrthogonalGates(WeightHh.Data, hiddenSize, 4, rng);
        for (var j = hiddenSize; j < 2 * hiddenSize; j++) Bias.Data[j] = T.One;          // forget gate
    }

    /// <summary>H.</summary>
    public int HiddenSize { get; }

    /// <summary>[F, 4H] input weights, gate blocks i, f, g, o along the columns.</summary>
    public Tensor<T> WeightIh { get; }

    /// <summary>[H, 4H] recurrent weights.</summary>
    public Tensor<T> WeightHh { get; }

    /// <summary>[4H] bias.</summary>
    public Tensor<T> Bias { get; }

    /// <summary>Runs the sequence from zero state with the fused layer op <see cref="Tape{T}.LstmSequence"/> (input projection,
    /// recurrence and backward through time in one op).</summary>
    /// <param name="tape">The step's tape.</param>
    /// <param name="x">[B, T, F], time oldest → newest.</param>
    /// <returns>Outputs [B, T, H] (h at every step) and Last [B, H] (h at the last step).</returns>
    /// <exception cref="ArgumentException">x is not [B, T, F] with T ≥ 1.</exception>
    public (Tensor<T> Outputs, Tensor<T> Last) Forward(Tape<T> tape, Tensor<T> x)
    {
        ArgumentNullException.ThrowIfNull(tape);
        Validate(x);
        var outputs = tape.LstmSequence(x, WeightIh, Bias, WeightHh);                                    // [B, T, H]
        var last = tape.Reshape(tape.Slice(outputs, 1, x.Dims[1] - 1, 1), x.Dims[0], HiddenSize);
        return (outputs, last);
    }

    private void Validate(Tensor<T> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 3 || x.Dims[2] != WeightIh.Dims[0] || x.Dims[1] < 1)
            throw new ArgumentException($"Lstm: x is {ShapeUtil.Format(x.Dims)}; expected [B, T ≥ 1, {WeightIh.Dims[0]}].", nameof(x));
    }

    /// <summary>The same recurrence composed from primitive tape ops, one step at a time: the test oracle of the fused
    /// <see cref="Forward"/> (slower; kept as llm.c keeps <c>matmul_forward_naive</c>).</summary>
    internal (Tensor<T> Outputs, Tensor<T> Last) ForwardReference(Tape<T> tape, Tensor<T> x)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 3 || x.Dims[2] != WeightIh.Dims[0] || x.Dims[1] < 1)
            throw new ArgumentException($"Lstm: x is {ShapeUtil.Format(x.Dims)}; expected [B, T ≥ 1, {WeightIh.Dims[0]}].", nameof(x));
        int b = x.Dims[0], steps = x.Dims[1], h = HiddenSize;
        var xw = tape.Add(tape.MatMul(x, WeightIh), Bias);                                   // [B, T, 4H], all steps at once
        Tensor<T>? hidden = null, cell = null;
        var outputs = new List<Tensor<T>>(steps);
        for (var t = 0; t < steps; t++)
        {
            var gates = tape.Reshape(tape.Slice(xw, 1, t, 1), b, 4 * h);
            if (hidden is not null) gates = tape.Add(gates, tape.MatMul(hidden, WeightHh));
            var i = tape.Sigmoid(tape.Slice(gates, 1, 0, h));
            var f = tape.Sigmoid(tape.Slice(gates, 1, h, h));
            var g = tape.Tanh(tape.Slice(gates, 1, 2 * h, h));
            var o = tape.Sigmoid(tape.Slice(gates, 1, 3 * h, h));
            var ig = tape.Mul(i, g);
            cell = cell is null ? ig : tape.Add(tape.Mul(f, cell), ig);
            hidden = tape.Mul(o, tape.Tanh(cell));
            outputs.Add(tape.Reshape(hidden, b, 1, h));
        }
        return (tape.Concat(outputs, 1), hidden!);
    }
}
