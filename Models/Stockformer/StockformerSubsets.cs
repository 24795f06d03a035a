using System.Numerics;
using LeanModels.Models.Numerics;

namespace LeanModels.Models.Stockformer;

/// <summary>
/// Training on random subsets of assets. Cross-ticker attention over the whole S&amp;P 500 (~500 assets) at every step of the
/// window costs O(T·A²·D) per date in time and O(T·K·A²) in memory for the attention weights, too much for two cores. Every
/// block of the Stockformer treats assets as a set — the attention is permutation-equivariant, the other layers act per asset
/// — so a model trained on random subsets of K assets per sample (a new subset per sample and epoch) is a valid model of any
/// cross-section size, and at prediction time it runs on the whole cross-section (A = all assets, batch 1). The attention then
/// averages over more assets than in training, which shifts its inputs somewhat; K = 64 to 128 keeps the training cost near
/// that of a 50-asset universe (see <see cref="StockformerFlops"/>). Sampling only among assets present on the last date keeps
/// every sampled asset useful for the loss.
/// </summary>
public static class StockformerSubsets
{
    /// <summary>Draws up to K distinct assets uniformly among those with a prediction (present on the last date), by a partial
    /// Fisher–Yates shuffle from <paramref name="rng"/>; returned in increasing index order (the order does not matter to the
    /// model). All present assets are returned when there are K or fewer.</summary>
    /// <param name="presentOnLastDate">[A] flags.</param>
    /// <param name="k">K ≥ 2, the subset size.</param>
    /// <param name="rng">Generator (seeded by the caller; same seed → same subsets).</param>
    /// <returns>Indices into A, increasing.</returns>
    /// <exception cref="ArgumentOutOfRangeException">K &lt; 2.</exception>
    public static int[] Sample(ReadOnlySpan<bool> presentOnLastDate, int k, Xoshiro256StarStar rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 2);
        var pool = new List<int>();
        for (var a = 0; a < presentOnLastDate.Length; a++) if (presentOnLastDate[a]) pool.Add(a);
        var n = Math.Min(k, pool.Count);
        for (var i = 0; i < n; i++)
        {
            var j = i + rng.NextInt(pool.Count - i);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        var r = pool.GetRange(0, n).ToArray();
        Array.Sort(r);
        return r;
    }

    /// <summary>Copies the chosen assets of one date's window into a sample of the batch.</summary>
    /// <param name="x">[T, A, F] window of one date.</param>
    /// <param name="available">[T, A] flags.</param>
    /// <param name="assets">A, assets in the window.</param>
    /// <param name="chosen">K′ indices into A (from <see cref="Sample"/>).</param>
    /// <param name="xOut">[T, K, F] destination, K ≥ K′; columns beyond K′ are left absent (flags false, values 0).</param>
    /// <param name="availableOut">[T, K] destination flags.</param>
    /// <exception cref="ArgumentException">A length disagrees (the message gives the sizes) or an index is out of range.</exception>
    public static void Take<T>(ReadOnlySpan<T> x, ReadOnlySpan<bool> available, int assets, ReadOnlySpan<int> chosen, Span<T> xOut, Span<bool> availableOut)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(assets, 1);
        if (available.Length % assets != 0 || available.Length == 0)
            throw new ArgumentException($"StockformerSubsets.Take: available has {available.Length} flags, not a multiple of A = {assets}.", nameof(available));
        var t = available.Length / assets;
        if (x.Length % (t * assets) != 0)
            throw new ArgumentException($"StockformerSubsets.Take: x has {x.Length} values; expected [T={t}, A={assets}, F].", nameof(x));
        var f = x.Length / (t * assets);
        var k = availableOut.Length / Math.Max(t, 1);
        if (availableOut.Length != t * k || xOut.Length != t * k * f || k < chosen.Length)
            throw new ArgumentException($"StockformerSubsets.Take: outputs hold {availableOut.Length} flags and {xOut.Length} values; expected [T={t}, K ≥ {chosen.Length}] and [T, K, F={f}].");
        foreach (var c in chosen)
            if ((uint)c >= (uint)assets) throw new ArgumentException($"StockformerSubsets.Take: asset index {c} is outside [0, {assets}).", nameof(chosen));
        xOut.Clear();
        availableOut.Clear();
        for (var ti = 0; ti < t; ti++)
            for (var j = 0; j < chosen.Length; j++)
            {
                availableOut[ti * k + j] = available[ti * assets + chosen[j]];
                x.Slice((ti * assets + chosen[j]) * f, f).CopyTo(xOut.Slice((ti * k + j) * f, f));
            }
    }
    /// <summary>K of <paramref name="candidates"/> in a random order (all of them, shuffled, when fewer): a partial
    /// Fisher–Yates shuffle of a copy, one <see cref="Xoshiro256StarStar.NextInt"/> draw per chosen element. The trainers'
    /// per-date asset subsets (candidates from <see cref="Forecasting.TrainingFold.LabelledTrainingAssets"/>).</summary>
    /// <param name="candidates">Asset indices to choose from (not changed).</param>
    /// <param name="k">K ≥ 1, assets wanted.</param>
    /// <param name="rng">Generator (advanced by min(K, count) draws).</param>
    /// <returns>min(K, count) distinct candidates.</returns>
    public static int[] Choose(int[] candidates, int k, Xoshiro256StarStar rng)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(rng);
        var order = (int[])candidates.Clone();
        var n = Math.Min(k, order.Length);
        for (var i = 0; i < n; i++)
        {
            var j = i + rng.NextInt(order.Length - i);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order[..n];
    }
}
