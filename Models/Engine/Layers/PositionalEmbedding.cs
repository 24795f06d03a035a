using System.Numerics;
using LeanModels.Models.Numerics;

namespace LeanModels.Models.Engine.Layers;

/// <summary>Learned time-position embedding [T, D] added to a sequence, initialised N(0, 0.02²) as the peer Stockformer's
/// (BERT-style, Devlin et al. 2019). Sinusoidal encodings (Vaswani et al. 2017, §3.5) are available from
/// <see cref="Sinusoidal"/> as a constant table.</summary>
/// <typeparam name="T">Element type.</typeparam>
public sealed class PositionalEmbedding<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the table.</summary>
    /// <param name="length">T, the number of positions (lookback bars).</param>
    /// <param name="model">D, the embedding width.</param>
    /// <param name="rng">Generator.</param>
    public PositionalEmbedding(int length, int model, Xoshiro256StarStar rng)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(model, 1);
        Table = AddParameter("table", true, length, model);
        Init.Normal<T>(Table.Data, 0.02, rng);
    }

    /// <summary>[T, D] embedding, row t for time position t (oldest = 0).</summary>
    public Tensor<T> Table { get; }

    /// <summary>x + table, broadcast over leading axes.</summary>
    /// <param name="tape">The step's tape.</param>
    /// <param name="x">[..., T, D].</param>
    /// <returns>[..., T, D].</returns>
    /// <exception cref="ArgumentException">x's last two axes are not [T, D].</exception>
    public Tensor<T> Forward(Tape<T> tape, Tensor<T> x)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank < 2 || x.Dims[^2] != Table.Dims[0] || x.Dims[^1] != Table.Dims[1])
            throw new ArgumentException($"PositionalEmbedding: x is {ShapeUtil.Format(x.Dims)}; its last axes must be {ShapeUtil.Format(Table.Dims)}.", nameof(x));
        return tape.Add(x, Table);
    }

    /// <summary>Sinusoidal table PE[t, 2i] = sin(t / 10000^(2i/D)), PE[t, 2i+1] = cos(·) (Vaswani et al. 2017, §3.5).</summary>
    /// <param name="length">T.</param>
    /// <param name="model">D.</param>
    /// <returns>[T, D] constant (no gradient).</returns>
    public static Tensor<T> Sinusoidal(int length, int model)
    {
        var table = Tensor<T>.Zeros(length, model);
        for (var t = 0; t < length; t++)
            for (var i = 0; i < model; i++)
            {
                var angle = t / Math.Pow(10000, 2 * (i / 2) / (double)model);
                table.Data[t * model + i] = T.CreateTruncating(i % 2 == 0 ? Math.Sin(angle) : Math.Cos(angle));
            }
        return table;
    }
}
