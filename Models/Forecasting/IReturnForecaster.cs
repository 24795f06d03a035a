using LeanModels.Models.Research;

namespace LeanModels.Models.Forecasting;

/// <summary>
/// A trained cross-sectional return forecaster: the one contract every model implements (the baselines, sequence models
/// such as the Stockformer, tree models), used alike by the research pipeline, the <c>predict</c> command and the LEAN
/// <c>ForecastAlphaModel</c>. Implementations are immutable and thread-safe, so a live algorithm can swap a newly trained
/// model in with one reference write while another thread predicts with the old one.
/// </summary>
/// <remarks>
/// The model declares its input (<see cref="Window"/>: lookback T, feature warm-up, market-proxy days; <see cref="Features"/>:
/// the feature set) and receives, per decision date, the cross-section's window [A, T, F] with its availability mask [A, T]
/// (<see cref="FeatureWindow"/>). It returns per asset the forecast log return over the next <see cref="Horizon"/> bars from
/// the next open (the research label's unit; <see cref="Labels.ForwardLogReturn"/>) and, where it has them, quantiles
/// 0.1/0.5/0.9, an up-probability and an allocation weight in [−1, 1] (<see cref="Forecast"/>). A masked asset on the
/// decision date gets NaN; changing a masked asset's data must change no other asset's forecast. Save with
/// <see cref="ForecasterArtifact"/> through <see cref="State"/>; <see cref="ForecasterCatalog.FromState"/> rebuilds it.
/// </remarks>
public interface IReturnForecaster
{
    /// <summary>Name used for reports and as the LEAN insight source, e.g. <c>ridge</c>.</summary>
    string Name { get; }

    /// <summary>H, bars ahead the forecast covers (≥ 1).</summary>
    int Horizon { get; }

    /// <summary>The input the model needs: T, the feature warm-up and the market-proxy days; <see cref="InputWindow.TotalBars"/> per asset.</summary>
    InputWindow Window { get; }

    /// <summary>The feature set the model was trained on (name, version, [F] names).</summary>
    FeatureSpecification Features { get; }

    /// <summary>Forecasts every asset of the window on its decision date.</summary>
    /// <param name="window">[A, T, F] features and [A, T] mask; T = <see cref="InputWindow.LookbackBars"/> of <see cref="Window"/>.</param>
    /// <returns>The forecast; [A] arrays aligned with <paramref name="window"/>'s tickers; NaN for assets masked on the decision date.</returns>
    /// <exception cref="ArgumentException">The window's T, F or feature set is not the model's; the message gives both.</exception>
    Forecast Predict(FeatureWindow window);

    /// <summary>What the artifact stores: kind, options, normaliser, named arrays, optional blob.</summary>
    /// <returns>The model's state, enough for <see cref="ForecasterCatalog.FromState"/> to rebuild a bit-identical model.</returns>
    ModelState State();
}
