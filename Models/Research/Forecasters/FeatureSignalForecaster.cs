namespace LeanModels.Models.Research.Forecasters;

/// <summary>
/// A rule-based baseline that needs no fitting: the forecast is ±one feature. <see cref="Momentum20"/> is the analogue of
/// LEAN's <c>HistoricalReturnsAlphaModel</c> (rate of change over the lookback predicts its own sign);
/// <see cref="Reversal5"/> is short-term reversal (Jegadeesh 1990, Lehmann 1990).
/// </summary>
public sealed class FeatureSignalForecaster : IForecaster
{
    private readonly string _feature;
    private readonly double _sign;

    /// <summary>Initializes a baseline that forecasts <paramref name="sign"/> × feature.</summary>
    /// <param name="name">Report name.</param>
    /// <param name="feature">Feature name from <see cref="FeatureBuilder.Names"/>.</param>
    /// <param name="sign">+1 (continuation) or −1 (reversal).</param>
    /// <exception cref="ArgumentException"><paramref name="sign"/> is not ±1.</exception>
    public FeatureSignalForecaster(string name, string feature, double sign)
    {
        if (sign is not (1.0 or -1.0)) throw new ArgumentException($"FeatureSignalForecaster: sign must be +1 or −1, got {sign}.", nameof(sign));
        Name = name;
        _feature = feature;
        _sign = sign;
    }

    /// <summary>20-day momentum: forecast = log(C_t / C_{t−20}).</summary>
    public static FeatureSignalForecaster Momentum20() => new("momentum20", "momentum20", 1.0);

    /// <summary>5-day reversal: forecast = −log(C_t / C_{t−5}).</summary>
    public static FeatureSignalForecaster Reversal5() => new("reversal5", "momentum5", -1.0);

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Nothing to fit.</summary>
    /// <param name="features">Unused.</param>
    /// <param name="labels">Unused.</param>
    /// <param name="trainDates">Unused.</param>
    public void Fit(FeatureSet features, ReadOnlySpan<double> labels, IReadOnlyList<int> trainDates) { }

    /// <inheritdoc />
    public void Predict(FeatureSet features, int date, Span<double> forecast)
    {
        var f = features.IndexOf(_feature);
        for (var a = 0; a < features.AssetCount; a++)
            forecast[a] = features.IsValid(date, a) ? _sign * features.Row(date, a)[f] : double.NaN;
    }
}
