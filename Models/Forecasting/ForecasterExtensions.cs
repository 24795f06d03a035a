using LeanModels.Models.Research;

namespace LeanModels.Models.Forecasting;

/// <summary>Prediction from raw bars, shared by the <c>predict</c> command and the LEAN alpha.</summary>
public static class ForecasterExtensions
{
    /// <summary>
    /// Builds the features of <paramref name="window"/> (the model's feature set, found by its feature names) and forecasts its last date. Features are window-local (each uses
    /// the asset's last <see cref="IReturnForecaster.LookbackBars"/> bars and the market proxy on those dates), so a window
    /// holding each asset's last <c>LookbackBars</c> bars gives bit-identical forecasts to a full-history panel, provided
    /// every asset's window reaches back over the last 21 calendar dates of the window (no gap longer than 40 bars).
    /// </summary>
    /// <param name="model">A trained model.</param>
    /// <param name="window">Adjusted daily bars of the cross-section, oldest first; its last date is the decision date.</param>
    /// <returns>Forecasts for the last date.</returns>
    /// <exception cref="ArgumentException">The window has no dates, or the model's features are no feature set of this build.</exception>
    public static Forecast Predict(this IReturnForecaster model, Panel window)
    {
        if (window.DateCount == 0) throw new ArgumentException($"{model.Name}: the bar window is empty.", nameof(window));
        var set = Research.Features.FeatureSets.FromNames(model.FeatureNames)
            ?? throw new ArgumentException($"{model.Name}: no feature set of this build has the model's {model.FeatureNames.Count} features.", nameof(model));
        var features = Research.Features.FeatureSets.Build(set, window);
        var mean = new double[window.AssetCount];
        model.PredictFeatures(features, window.DateCount - 1, mean);
        return new Forecast(window.Dates[^1], window.Tickers, mean, null);
    }
}
