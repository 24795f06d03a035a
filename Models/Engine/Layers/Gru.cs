using System.Numerics;
using LeanModels.Models.Numerics;

namespace LeanModels.Models.Engine.Layers;

/// <summary>
/// One-layer GRU (Cho et al. 2014) in PyTorch's form, gate order r, z, n: r = σ(x_r + h_r), z = σ(x_z + h_z),
/// n = tanh(x_n + r⊙h_n), h' = (1 − z)⊙n + z⊙h, where x_· = x·W_ih + b_ih and h_· = h·W_hh + b_hh (b_hn sits inside the
/// reset product, so the two biases are kept separate). Initial h is zero. Initialisation: W_ih Xavier-uniform, each gate's
/// [H, H] block of W_hh orthogonal (Saxe et al. 2014), biases zero.
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
public sealed class Gru<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the layer; initialises W_ih, then W_hh gate by gate.</summary>
    /// <param name="inputSize">F.</param>
    /// <param name="hiddenSize">H.</param>
    /// <param name="rng">Generator.</param>
    public Gru(int inputSize, int hiddenSize, Xoshiro256StarStar rng)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenSize, 1);
        HiddenSize = hiddenSize;
        WeightIh = AddParameter("weight_ih", true, inputSize, 3 * hiddenSize);
        WeightHh = AddParameter("weight_hh", true, hiddenSize, 3 * hiddenSize);
        BiasIh = AddParameter("bias_ih", false, 3 * hiddenSize);
        BiasHh = AddParameter("bias_hh", false, 3 * hiddenSize);
        Init.XavierUniform<T>(WeightIh.Data, inputSize, 3 * hiddenSize, rng);
        RecurrentInit.OrthogonalGates(WeightHh.Data, hiddenSize, 3, rng);
    }

    /// <summary>H.</summary>
    public int HiddenSize { get; }

    /// <summary>[F, 3H] input weights, blocks r, z, n.</summary>
    public Tensor<T> WeightIh { get; }

    /// <summary>[H, 3H] recurrent weights.</summary>
    public Tensor<T> WeightHh { get; }

    /// <summary>[3H] input bias.</summary>
    public Tensor<T> BiasIh { get; }

    /// <summary>[3H] recurrent bias.</summary>
    public Tensor<T> BiasHh { get; }

    /// <summary>Runs the sequence from zero state with the fused layer op <see cref="Tape{T}.GruSequence"/> (input projection,
    /// recurrence and backward through time in one op).</summary>
    /// <param name="tape">The step's tape.</param>
    /// <param name="x">[B, T, F], time oldest → newest.</param>
    /// <returns>Outputs [B, T, H] and Last [B, H].</returns>
    /// <exception cref="ArgumentException">x is not [B, T, F] with T ≥ 1.</exception>
    public (Tensor<T> Outputs, Tensor<T> Last) Forward(Tape<T> tape, Tensor<T> x)
    {
        ArgumentNullException.ThrowIfNull(tape);
        Validate(x);
        var outputs = tape.GruSequence(x, WeightIh, BiasIh, WeightHh, BiasHh);                           // [B, T, H]
        var last = tape.Reshape(tape.Slice(outputs, 1, x.Dims[1] - 1, 1), x.Dims[0], HiddenSize);
        return (outputs, last);
    }

    private void Validate(Tensor<T> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 3 || x.Dims[2] != WeightIh.Dims[0] || x.Dims[1] < 1)
            throw new ArgumentException($"Gru: x is {ShapeUtil.Format(x.Dims)}; expected [B, T ≥ 1, {WeightIh.Dims[0]}].", nameof(x));
    }

    /// <summary>The same recurrence composed from primitive tape ops, one step at a time: the test oracle of the fused
    /// <see cref="Forward"/> (slower; kept as llm.c keeps <c>matmul_forward_naive</c>).</summary>
    internal (Tensor<T> Outputs, Tensor<T> Last) ForwardReference(Tape<T> tape, Tensor<T> x)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 3 || x.Dims[2] != WeightIh.Dims[0] || x.Dims[1] < 1)
            throw new ArgumentException($"Gru: x is {ShapeUtil.Format(x.Dims)}; expected [B, T ≥ 1, {WeightIh.Dims[0]}].", nameof(x));
        int b = x.Dims[0], steps = x.Dims[1], h = HiddenSize;
        var xw = tape.Add(tape.MatMul(x, WeightIh), BiasIh);                                 // [B, T, 3H]
        var hidden = Tensor<T>.Zeros(b, h);
        var outputs = new List<Tensor<T>>(steps);
        for (var t = 0; t < steps; t++)
        {
            var xs = tape.Reshape(tape.Slice(xw, 1, t, 1), b, 3 * h);
            var hs = tape.Add(tape.MatMul(hidden, WeightHh), BiasHh);
            var r = tape.Sigmoid(tape.Add(tape.Slice(xs, 1, 0, h), tape.Slice(hs, 1, 0, h)));
            var z = tape.Sigmoid(tape.Add(tape.Slice(xs, 1, h, h), tape.Slice(hs, 1, h, h)));
            var n = tape.Tanh(tape.Add(tape.Slice(xs, 1, 2 * h, h), tape.Mul(r, tape.Slice(hs, 1, 2 * h, h))));
            hidden = tape.Add(n, tape.Mul(z, tape.Sub(hidden, n)));                          // (1 − z)⊙n + z⊙h
            outputs.Add(tape.Reshape(hidden, b, 1, h));
        }
        return (tape.Concat(outputs, 1), hidden);
    }
}
