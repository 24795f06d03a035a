using LeanModels.Models.Research;

namespace LeanModels.Models.Forecasting;

/// <summary>
/// A trained cross-sectional return forecaster: the one interface every model implements (the baselines now, the deep
/// models later), used alike by the research pipeline, the <c>predict</c> command and the LEAN <c>ForecastAlphaModel</c>.
/// Implementations are immutable and thread-safe, so a live algorithm can swap a newly trained model in with one reference
/// write while another thread predicts with the old one.
/// </summary>
/// <remarks>
/// Input: the daily bars of the current cross-section (a <see cref="Panel"/> whose last date is the decision date, each
/// asset with at least <see cref="LookbackBars"/> bars). Output: per asset the forecast log return over the next
/// <see cref="Horizon"/> bars from the next open (the research label's unit; see <see cref="Labels.ForwardLogReturn"/>).
/// Ridge forecasts are cross-sectionally demeaned (relative to the average asset); rule baselines extrapolate a past
/// return. Save with <see cref="ForecasterArtifact"/>.
/// </remarks>
public interface IReturnForecaster
{
    /// <summary>Name used for reports and as the LEAN insight source, e.g. <c>ridge</c>.</summary>
    string Name { get; }

    /// <summary>H, bars ahead the forecast covers (≥ 1).</summary>
    int Horizon { get; }

    /// <summary>Bars of history per asset a prediction needs, the decision bar included (<see cref="FeatureBuilder.WarmUpBars"/> + 1).</summary>
    int LookbackBars { get; }

    /// <summary>[F] the feature names the model was trained on, in order (<see cref="FeatureBuilder.Names"/>).</summary>
    IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Forecasts every asset on one date from that date's features.</summary>
    /// <param name="features">Features built by <see cref="FeatureBuilder.Build"/>; only rows dated <paramref name="date"/> are read.</param>
    /// <param name="date">Date index.</param>
    /// <param name="forecast">[A] forecast log return over <see cref="Horizon"/> bars; NaN where the features are invalid.</param>
    /// <exception cref="ArgumentException"><paramref name="forecast"/> is not A long, or the features are not the model's.</exception>
    void PredictFeatures(FeatureSet features, int date, Span<double> forecast);

    /// <summary>The model's parameters as named arrays, for <see cref="ForecasterArtifact"/>; empty for rules without parameters.</summary>
    /// <returns>Name → values, in a fixed order.</returns>
    IReadOnlyList<(string Name, double[] Values)> Parameters();
}
