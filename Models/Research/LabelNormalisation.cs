namespace LeanModels.Models.Research;

/// <summary>
/// How the training label is normalised per date before a model learns from it, as Qlib's deep-model configs do with
/// their label learn-processors (<c>CSRankNorm</c>, <c>CSZScoreNorm</c> in <c>qlib/data/dataset/processor.py</c>). It is a
/// learn-only step: it needs the label, so it never runs at inference, and every metric stays on the raw label.
/// </summary>
public enum LabelNormalisation
{
    /// <summary>The raw forward log return.</summary>
    None,

    /// <summary>Cross-sectional rank mapped to [−0.5, 0.5]: (rank − 1)/(n − 1) − 0.5 with average ranks for ties; 0 when
    /// n = 1. (Qlib's <c>CSRankNorm</c> uses the pct rank − 0.5, then × 3.46 towards unit std; we keep the plain range.)</summary>
    CrossSectionalRank,

    /// <summary>Cross-sectional z-score (x − mean) / std with the sample std (n − 1), as pandas' <c>std</c> in Qlib's
    /// <c>CSZScoreNorm</c>; 0 when the std is 0 or n = 1.</summary>
    CrossSectionalZScore,
}

/// <summary>Applies a <see cref="LabelNormalisation"/> to one date's labels.</summary>
public static class LabelNormaliser
{
    /// <summary>Normalises one date's cross-section.</summary>
    /// <param name="mode">The normalisation.</param>
    /// <param name="raw">[A] raw labels; NaN = absent (stays NaN and is left out of the statistics).</param>
    /// <param name="destination">[A] normalised labels.</param>
    /// <exception cref="ArgumentException">Lengths differ.</exception>
    public static void Apply(LabelNormalisation mode, ReadOnlySpan<double> raw, Span<double> destination)
    {
        if (raw.Length != destination.Length) throw new ArgumentException($"LabelNormaliser: raw has {raw.Length} elements, destination {destination.Length}.");
        var idx = new List<int>(raw.Length);
        for (var a = 0; a < raw.Length; a++) { if (double.IsFinite(raw[a])) idx.Add(a); else destination[a] = double.NaN; }
        var n = idx.Count;
        switch (mode)
        {
            case LabelNormalisation.None:
                foreach (var a in idx) destination[a] = raw[a];
                break;
            case LabelNormalisation.CrossSectionalRank:
            {
                var sorted = idx.ToArray();
                var keys = new double[n];
                for (var i = 0; i < n; i++) keys[i] = raw[sorted[i]];
                Array.Sort(keys, sorted);
                for (var i = 0; i < n;)
                {
                    var j = i;
                    while (j + 1 < n && keys[j + 1] == keys[i]) j++;
                    var rank = (i + j) / 2.0;                                   // 0-based average rank of the tie group
                    for (var k = i; k <= j; k++) destination[sorted[k]] = n > 1 ? rank / (n - 1) - 0.5 : 0.0;
                    i = j + 1;
                }
                break;
            }
            case LabelNormalisation.CrossSectionalZScore:
            {
                double mean = 0, ss = 0;
                foreach (var a in idx) mean += raw[a];
                mean /= Math.Max(n, 1);
                foreach (var a in idx) ss += (raw[a] - mean) * (raw[a] - mean);
                var std = n > 1 ? Math.Sqrt(ss / (n - 1)) : 0;
                foreach (var a in idx) destination[a] = std > 0 ? (raw[a] - mean) / std : 0.0;
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown label normalisation");
        }
    }
}
