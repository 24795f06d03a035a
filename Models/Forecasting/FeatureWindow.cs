using LeanModels.Models.Research;

namespace LeanModels.Models.Forecasting;

/// <summary>
/// What a forecaster receives for one decision date: the cross-section's features over the last T dates of the panel's
/// calendar as [A, T, F] (row-major, index (a·T + t)·F + f, time oldest → newest, t = T − 1 the decision date), an
/// availability mask [A, T] (false where the asset has no valid feature row that day: no bar, too little history, or before
/// the data starts), and the last M days of the market proxy. Masked entries are NaN and must not be read: nothing is filled.
/// </summary>
public sealed class FeatureWindow
{
    /// <summary>Initializes a window, checking every shape.</summary>
    /// <param name="date">The decision date.</param>
    /// <param name="tickers">[A] assets, lower case.</param>
    /// <param name="features">The feature specification the values follow ([F] names).</param>
    /// <param name="lookbackBars">T ≥ 1.</param>
    /// <param name="values">[A, T, F] features; NaN where masked.</param>
    /// <param name="mask">[A, T] true where the asset's feature row is valid.</param>
    /// <param name="marketProxy">[M] market proxy log returns, oldest first, the decision date last (NaN where none).</param>
    /// <exception cref="ArgumentException">A length does not match A·T·F, A·T; the message gives the numbers.</exception>
    public FeatureWindow(DateOnly date, IReadOnlyList<string> tickers, FeatureSpecification features, int lookbackBars,
        double[] values, bool[] mask, double[] marketProxy)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lookbackBars, 1);
        int A = tickers.Count, F = features.Count;
        if (values.Length != (long)A * lookbackBars * F || mask.Length != A * lookbackBars)
            throw new ArgumentException($"FeatureWindow: values has {values.Length} elements and mask {mask.Length}; expected [A, T, F] = [{A}, {lookbackBars}, {F}] and [A, T].");
        Date = date;
        Tickers = tickers;
        Features = features;
        LookbackBars = lookbackBars;
        Values = values;
        Mask = mask;
        MarketProxy = marketProxy;
    }

    /// <summary>The decision date (forecasts trade from the next open).</summary>
    public DateOnly Date { get; }

    /// <summary>[A] assets, in the order of <see cref="Values"/>.</summary>
    public IReadOnlyList<string> Tickers { get; }

    /// <summary>The feature set the values follow.</summary>
    public FeatureSpecification Features { get; }

    /// <summary>A.</summary>
    public int AssetCount => Tickers.Count;

    /// <summary>T.</summary>
    public int LookbackBars { get; }

    /// <summary>F.</summary>
    public int FeatureCount => Features.Count;

    /// <summary>[A, T, F] feature values, index (a·T + t)·F + f; NaN where <see cref="Mask"/> is false.</summary>
    public double[] Values { get; }

    /// <summary>[A, T] availability, index a·T + t.</summary>
    public bool[] Mask { get; }

    /// <summary>[M] equal-weight market log return per day, oldest first, the decision date last; NaN where none.</summary>
    public double[] MarketProxy { get; }

    /// <summary>The [F] features of asset <paramref name="asset"/> at window step <paramref name="step"/>.</summary>
    /// <param name="asset">a in [0, A).</param>
    /// <param name="step">t in [0, T); T − 1 is the decision date.</param>
    /// <returns>A view into <see cref="Values"/> (NaN when masked).</returns>
    public ReadOnlySpan<double> Row(int asset, int step) => Values.AsSpan((asset * LookbackBars + step) * FeatureCount, FeatureCount);

    /// <summary>Whether asset <paramref name="asset"/> has a valid feature row at step <paramref name="step"/>.</summary>
    /// <param name="asset">a in [0, A).</param>
    /// <param name="step">t in [0, T).</param>
    /// <returns>The mask entry.</returns>
    public bool IsAvailable(int asset, int step) => Mask[asset * LookbackBars + step];

    /// <summary>
    /// Cuts the window of decision date <paramref name="date"/> out of a feature set: steps t = 0..T−1 are dates
    /// date − T + 1 + t of the feature set's calendar (masked before its first date), and the market proxy covers dates
    /// date − M + 1..date (NaN before the first). Reads nothing dated after <paramref name="date"/>.
    /// </summary>
    /// <param name="features">[D, A, F] features.</param>
    /// <param name="specification">Their specification (its F must equal the feature set's).</param>
    /// <param name="tickers">[A] assets of the feature set.</param>
    /// <param name="dates">[D] calendar of the feature set.</param>
    /// <param name="date">Decision date index in [0, D).</param>
    /// <param name="input">The model's declared window (T and M).</param>
    /// <returns>A new window; its arrays are not shared with <paramref name="features"/>.</returns>
    /// <exception cref="ArgumentException">Counts disagree or <paramref name="date"/> is out of range.</exception>
    public static FeatureWindow FromFeatureSet(FeatureSet features, FeatureSpecification specification, IReadOnlyList<string> tickers,
        IReadOnlyList<DateOnly> dates, int date, InputWindow input)
    {
        int A = features.AssetCount, F = features.FeatureCount, T = input.LookbackBars, M = input.MarketProxyDays;
        if (tickers.Count != A || dates.Count != features.DateCount || specification.Count != F)
            throw new ArgumentException($"FeatureWindow: the feature set is [D, A, F] = [{features.DateCount}, {A}, {F}] but {dates.Count} dates, {tickers.Count} tickers and {specification.Count} feature names were given.");
        ArgumentOutOfRangeException.ThrowIfNegative(date);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(date, features.DateCount);
        var values = new double[(long)A * T * F];
        var mask = new bool[A * T];
        Array.Fill(values, double.NaN);
        for (var t = 0; t < T; t++)
        {
            var d = date - T + 1 + t;
            if (d < 0) continue;
            for (var a = 0; a < A; a++)
            {
                if (!features.IsValid(d, a)) continue;
                mask[a * T + t] = true;
                features.Row(d, a).CopyTo(values.AsSpan((a * T + t) * F, F));
            }
        }
        var proxy = new double[M];
        for (var i = 0; i < M; i++)
        {
            var d = date - M + 1 + i;
            proxy[i] = d >= 0 ? features.MarketProxy[d] : double.NaN;
        }
        return new FeatureWindow(dates[date], tickers, specification, T, values, mask, proxy);
    }
}
