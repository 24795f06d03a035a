using System.Numerics;
using LeanModels.Models.Numerics;

namespace LeanModels.Models.Engine.Layers;

/// <summary>Learned per-asset embedding [A, D], initialised N(0, 0.02²) as the peer Stockformer's; added to every time step
/// of that asset, or looked up by asset index.</summary>
/// <typeparam name="T">Element type.</typeparam>
public sealed class AssetEmbedding<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the table.</summary>
    /// <param name="assets">A, number of assets.</param>
    /// <param name="model">D, embedding width.</param>
    /// <param name="rng">Generator.</param>
    public AssetEmbedding(int assets, int model, Xoshiro256StarStar rng)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(assets, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(model, 1);
        Table = AddParameter("table", true, assets, model);
        Init.Normal<T>(Table.Data, 0.02, rng);
    }

    /// <summary>[A, D] embedding, row a for asset a.</summary>
    public Tensor<T> Table { get; }

    /// <summary>Adds asset a's row to x[b, a, t, :] for every b and t.</summary>
    /// <param name="tape">The step's tape.</param>
    /// <param name="x">[B, A, T, D].</param>
    /// <returns>[B, A, T, D].</returns>
    /// <exception cref="ArgumentException">x is not [B, A, T, D] with this table's A and D.</exception>
    public Tensor<T> Forward(Tape<T> tape, Tensor<T> x)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(x);
        int a = Table.Dims[0], d = Table.Dims[1];
        if (x.Rank != 4 || x.Dims[1] != a || x.Dims[3] != d)
            throw new ArgumentException($"AssetEmbedding: x is {ShapeUtil.Format(x.Dims)}; expected [B, {a}, T, {d}].", nameof(x));
        return tape.Add(x, tape.Reshape(Table, a, 1, d));
    }

    /// <summary>Rows for the given asset indices.</summary>
    /// <param name="tape">The step's tape.</param>
    /// <param name="assets">Indices in [0, A).</param>
    /// <returns>[n, D].</returns>
    /// <exception cref="ArgumentException">An index is out of range.</exception>
    public Tensor<T> Lookup(Tape<T> tape, ReadOnlySpan<int> assets)
    {
        ArgumentNullException.ThrowIfNull(tape);
        return tape.Gather(Table, assets);
    }
}
