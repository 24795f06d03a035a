using System.Text.Json.Nodes;
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

    /// <summary>One date (T = 1) of the basic features: 61 bars per asset.</summary>
    public InputWindow Window { get; } = new(1, FeatureBuilder.WarmUpBars);

    /// <inheritdoc />
    public FeatureSpecification Features => FeatureSetCatalog.Get(FeatureSetCatalog.Default).Specification;

    /// <summary>Forecast = scale × the feature on the decision date; NaN for an asset masked that day.</summary>
    /// <param name="window">T = 1 window of the basic features.</param>
    /// <returns>The mean forecast only.</returns>
    /// <exception cref="ArgumentException">The window is not T = 1 or not the model's features.</exception>
    public Forecast Predict(FeatureWindow window)
    {
        BaselineWindow.Check(this, window);
        var f = window.Features.FeatureNames.ToList().IndexOf(Feature);
        var forecast = new double[window.AssetCount];
        for (var a = 0; a < window.AssetCount; a++)
            forecast[a] = window.IsAvailable(a, 0) ? Scale * window.Row(a, 0)[f] : double.NaN;
        return new Forecast(window.Date, window.Tickers, forecast, null);
    }

    /// <summary>Kind <c>signal</c>: option <c>feature</c> and one array <c>scale</c> [1], so the artifact records it exactly.</summary>
    /// <returns>The state.</returns>
    public ModelState State() => new("signal", new JsonObject { ["feature"] = Feature }, null, [NamedArray.Of("scale", [Scale])]);
}
