namespace LeanModels.Models.Research;

/// <summary>
/// Features of a panel: <see cref="Values"/> is [D, A, F] row-major (index (d·A + a)·F + f), and <see cref="Valid"/> [D, A]
/// says where every feature of a row is defined (the asset has a bar that day and enough history). Values of invalid rows
/// are NaN and must not be read. Every value at date d is computed from bars dated ≤ d only.
/// </summary>
public sealed class FeatureSet
{
    /// <summary>Initializes a feature set.</summary>
    /// <param name="names">[F] feature names.</param>
    /// <param name="dates">D.</param>
    /// <param name="assets">A.</param>
    /// <param name="values">[D, A, F] values.</param>
    /// <param name="valid">[D, A] validity mask.</param>
    /// <param name="marketProxy">[D] equal-weight market log return per day (NaN where none); null = all NaN.</param>
    /// <param name="version">Version of the feature definitions (<see cref="FeatureBuilder.Version"/>,
    /// <see cref="Features.Alpha158.Version"/>); null = <see cref="FeatureBuilder.Version"/>.</param>
    /// <exception cref="ArgumentException">Array lengths do not match D·A·F, D·A and D; the message gives the numbers.</exception>
    public FeatureSet(IReadOnlyList<string> names, int dates, int assets, double[] values, bool[] valid, double[]? marketProxy = null, string? version = null)
    {
        Version = version ?? FeatureBuilder.Version;
        if (values.Length != dates * assets * names.Count || valid.Length != dates * assets || (marketProxy is not null && marketProxy.Length != dates))
            throw new ArgumentException($"FeatureSet: values has {values.Length} elements, valid {valid.Length}, market proxy {marketProxy?.Length}; expected D·A·F = {dates}·{assets}·{names.Count}, D·A and D.");
        if (marketProxy is null) { marketProxy = new double[dates]; Array.Fill(marketProxy, double.NaN); }
        MarketProxy = marketProxy;
        Names = names;
        DateCount = dates;
        AssetCount = assets;
        Values = values;
        Valid = valid;
    }

    /// <summary>
    /// [D] the market proxy (<see cref="FeatureBuilder.MarketProxy"/>): equal-weight mean 1-day log return of the assets that
    /// traded that day; NaN where none. Regime models read it (value at d uses bars ≤ d only).
    /// </summary>
    public double[] MarketProxy { get; }

    /// <summary>Version of the feature definitions these values follow, e.g. <c>features/1</c> or <c>alpha158/1</c>; models record it.</summary>
    public string Version { get; }

    /// <summary>[F] feature names, in storage order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>F.</summary>
    public int FeatureCount => Names.Count;

    /// <summary>D.</summary>
    public int DateCount { get; }

    /// <summary>A.</summary>
    public int AssetCount { get; }

    /// <summary>[D, A, F] feature values; NaN on invalid rows.</summary>
    public double[] Values { get; }

    /// <summary>[D, A] true where every feature is defined.</summary>
    public bool[] Valid { get; }

    /// <summary>The [F] features of asset <paramref name="asset"/> on date index <paramref name="date"/>.</summary>
    /// <param name="date">Date index in [0, D).</param>
    /// <param name="asset">Asset index in [0, A).</param>
    /// <returns>A view into <see cref="Values"/>.</returns>
    public ReadOnlySpan<double> Row(int date, int asset) => Values.AsSpan((date * AssetCount + asset) * FeatureCount, FeatureCount);

    /// <summary>Whether the row of <paramref name="asset"/> on <paramref name="date"/> is valid.</summary>
    /// <param name="date">Date index in [0, D).</param>
    /// <param name="asset">Asset index in [0, A).</param>
    /// <returns>True when all features are defined.</returns>
    public bool IsValid(int date, int asset) => Valid[date * AssetCount + asset];

    /// <summary>Index of a feature by name.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <returns>Its index in [0, F).</returns>
    /// <exception cref="ArgumentException">No such feature; the message lists the names.</exception>
    public int IndexOf(string name)
    {
        for (var f = 0; f < Names.Count; f++) if (Names[f] == name) return f;
        throw new ArgumentException($"FeatureSet: no feature '{name}'; features are {string.Join(", ", Names)}.", nameof(name));
    }
}
