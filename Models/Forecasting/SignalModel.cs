using LeanModels.Models.Research;

namespace LeanModels.Models.Forecasting;

/// <summary>
/// A rule baseline with nothing to fit: forecast = scale × one feature, a naive extrapolation of a past log return to the
/// horizon. <see cref="Momentum20"/> (scale H/20 on log(C_t/C_{t−20})) is the analogue of LEAN's
/// <c>HistoricalReturnsAlphaModel</c>; <see cref="Reversal5"/> (scale −H/5 on log(C_t/C_{t−5})) is short-term reversal
/// (Jegadeesh 1990; Lehmann 1990). The scale is positive for continuation and negative for reversal; it changes no IC.
/// </summary>
public sealed class SignalModel : IReturnForecaster
{
    /// <summary>Initializes a rule model.</summary>
    /// <param name="name">Report name.</param>
    /// <param name="feature">Feature name from <see cref="FeatureBuilder.Names"/>.</param>
    /// <param name="scale">Multiplier turning the feature into a log return over the horizon; finite and ≠ 0.</param>
    /// <param name="horizon">H ≥ 1 bars.</param>
    /// <exception cref="ArgumentException">Unknown feature, scale 0 or not finite, or horizon &lt; 1.</exception>
    public SignalModel(string name, string feature, double scale, int horizon)
    {
        if (!FeatureBuilder.Names.Contains(feature))
            throw new ArgumentException($"SignalModel: unknown feature '{feature}'; features are {string.Join(", ", FeatureBuilder.Names)}.", nameof(feature));
        if (!(double.IsFinite(scale) && scale != 0)) throw new ArgumentException($"SignalModel: scale must be finite and non-zero, got {scale}.", nameof(scale));
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        Name = name;
        Feature = feature;
        Scale = scale;
        Horizon = horizon;
    }

    /// <summary>20-day momentum: forecast = (H/20)·log(C_t/C_{t−20}).</summary>
    /// <param name="horizon">H ≥ 1 bars.</param>
    /// <returns>The model.</returns>
    public static SignalModel Momentum20(int horizon) => new("momentum20", "momentum20", horizon / 20.0, horizon);

    /// <summary>5-day reversal: forecast = −(H/5)·log(C_t/C_{t−5}).</summary>
    /// <param name="horizon">H ≥ 1 bars.</param>
    /// <returns>The model.</returns>
    public static SignalModel Reversal5(int horizon) => new("reversal5", "momentum5", -horizon / 5.0, horizon);

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The feature the forecast is read from.</summary>
    public string Feature { get; }

    /// <summary>Forecast = <see cref="Scale"/> × feature.</summary>
    public double Scale { get; }

    /// <inheritdoc />
    public int Horizon { get; }

    /// <inheritdoc />
    public int LookbackBars => FeatureBuilder.WarmUpBars + 1;

    /// <inheritdoc />
    public IReadOnlyList<string> FeatureNames => FeatureBuilder.Names;

    /// <inheritdoc />
    public void PredictFeatures(FeatureSet features, int date, Span<double> forecast)
    {
        if (forecast.Length != features.AssetCount)
            throw new ArgumentException($"{Name}: forecast has {forecast.Length} elements; the features have A = {features.AssetCount} assets.", nameof(forecast));
        var f = features.IndexOf(Feature);
        for (var a = 0; a < features.AssetCount; a++)
            forecast[a] = features.IsValid(date, a) ? Scale * features.Row(date, a)[f] : double.NaN;
    }

    /// <summary>The scale, so an artifact records it exactly.</summary>
    /// <returns>One array named <c>scale</c>.</returns>
    public IReadOnlyList<(string Name, double[] Values)> Parameters() => [("scale", [Scale])];
}
