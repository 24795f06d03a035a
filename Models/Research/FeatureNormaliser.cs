namespace LeanModels.Models.Research;

/// <summary>
/// Per-feature z-score (x − mean) / std fitted on training rows only (Qlib's <c>ZScoreNorm</c> with <c>fit_start_time</c>..
/// <c>fit_end_time</c>): statistics come from the valid rows of the training dates and are then applied unchanged to any
/// date, so nothing from the test range leaks into the transform.
/// </summary>
public sealed class FeatureNormaliser
{
    private FeatureNormaliser(double[] mean, double[] std)
    {
        Mean = mean;
        Std = std;
    }

    /// <summary>Rebuilds a fitted normaliser from stored statistics (e.g. a model artifact).</summary>
    /// <param name="mean">[F] means.</param>
    /// <param name="std">[F] standard deviations, each finite and &gt; 0.</param>
    /// <returns>The normaliser.</returns>
    /// <exception cref="ArgumentException">Lengths differ, or a value is not finite, or a std is ≤ 0.</exception>
    public static FeatureNormaliser FromStatistics(IReadOnlyList<double> mean, IReadOnlyList<double> std)
    {
        if (mean.Count != std.Count) throw new ArgumentException($"FeatureNormaliser: {mean.Count} means but {std.Count} stds.");
        for (var f = 0; f < mean.Count; f++)
            if (!double.IsFinite(mean[f]) || !(std[f] > 0 && double.IsFinite(std[f])))
                throw new ArgumentException($"FeatureNormaliser: feature {f} has mean {mean[f]} and std {std[f]}; need finite values and std > 0.");
        return new FeatureNormaliser(mean.ToArray(), std.ToArray());
    }

    /// <summary>[F] training mean per feature.</summary>
    public IReadOnlyList<double> Mean { get; }

    /// <summary>[F] training population std per feature; 1 where the feature is constant on the training rows.</summary>
    public IReadOnlyList<double> Std { get; }

    /// <summary>Fits mean and std per feature over the valid rows of <paramref name="trainDates"/>.</summary>
    /// <param name="features">The feature set.</param>
    /// <param name="trainDates">Training date indices.</param>
    /// <returns>The fitted normaliser.</returns>
    /// <exception cref="ArgumentException">No valid row on the training dates.</exception>
    public static FeatureNormaliser Fit(FeatureSet features, IReadOnlyList<int> trainDates)
    {
        var F = features.FeatureCount;
        var sum = new double[F];
        var sumSq = new double[F];
        long n = 0;
        foreach (var d in trainDates)
            for (var a = 0; a < features.AssetCount; a++)
            {
                if (!features.IsValid(d, a)) continue;
                var row = features.Row(d, a);
                for (var f = 0; f < F; f++) { sum[f] += row[f]; sumSq[f] += row[f] * row[f]; }
                n++;
            }
        if (n == 0) throw new ArgumentException($"FeatureNormaliser: no valid feature row on the {trainDates.Count} training dates.", nameof(trainDates));
        var mean = new double[F];
        var std = new double[F];
        for (var f = 0; f < F; f++)
        {
            mean[f] = sum[f] / n;
            var variance = Math.Max(sumSq[f] / n - mean[f] * mean[f], 0);
            std[f] = variance > 1e-24 ? Math.Sqrt(variance) : 1.0;
        }
        return new FeatureNormaliser(mean, std);
    }

    /// <summary>Writes the normalised row.</summary>
    /// <param name="row">[F] raw features.</param>
    /// <param name="destination">[F] z-scores.</param>
    /// <exception cref="ArgumentException">Lengths differ from F.</exception>
    public void Transform(ReadOnlySpan<double> row, Span<double> destination)
    {
        if (row.Length != Mean.Count || destination.Length != Mean.Count)
            throw new ArgumentException($"FeatureNormaliser: row has {row.Length} and destination {destination.Length} elements; expected F = {Mean.Count}.");
        for (var f = 0; f < row.Length; f++) destination[f] = (row[f] - Mean[f]) / Std[f];
    }
}
