using LeanModels.Models.Research;

namespace LeanModels.Models.Forecasting;

/// <summary>Prediction from raw bars or from a research feature set, shared by <c>predict</c>, research and the LEAN alpha.</summary>
public static class ForecasterExtensions
{
    /// <summary>
    /// Builds the model's features of <paramref name="window"/> (the feature set named in <see cref="IReturnForecaster.Features"/>)
    /// and forecasts its last date. Features are window-local, so a panel holding each asset's last
    /// <see cref="InputWindow.TotalBars"/> bars gives bit-identical forecasts to a full-history panel, provided every asset's
    /// bars reach back over the window's dates (no asset with a gap longer than its spare bars).
    /// </summary>
    /// <param name="model">A trained model.</param>
    /// <param name="window">Adjusted daily bars of the cross-section, oldest first; its last date is the decision date.</param>
    /// <returns>Forecasts for the last date, checked by <see cref="Forecast.Validate"/>.</returns>
    /// <exception cref="ArgumentException">The window has no dates, or this build does not compute the model's feature set.</exception>
    /// <exception cref="InvalidOperationException">The model returned an invalid forecast (wrong length, out-of-range head).</exception>
    public static Forecast Predict(this IReturnForecaster model, Panel window)
    {
        if (window.DateCount == 0) throw new ArgumentException($"{model.Name}: the bar window is empty.", nameof(window));
        if (!FeatureSetCatalog.TryGet(model.Features, out var builder))
            throw new ArgumentException($"{model.Name}: this build does not compute feature set {model.Features}.", nameof(model));
        var features = builder!.Build(window);
        return model.PredictDate(features, window.Tickers, window.Dates, window.DateCount - 1);
    }

    /// <summary>Cuts the model's window of date <paramref name="date"/> out of a feature set (<see cref="FeatureWindow.FromFeatureSet"/>) and predicts it.</summary>
    /// <param name="model">A trained model.</param>
    /// <param name="features">[D, A, F] features of the model's feature set.</param>
    /// <param name="tickers">[A] assets.</param>
    /// <param name="dates">[D] calendar.</param>
    /// <param name="date">Decision date index.</param>
    /// <returns>The validated forecast.</returns>
    /// <exception cref="ArgumentException">Shapes disagree.</exception>
    /// <exception cref="InvalidOperationException">The model returned an invalid forecast.</exception>
    public static Forecast PredictDate(this IReturnForecaster model, FeatureSet features, IReadOnlyList<string> tickers, IReadOnlyList<DateOnly> dates, int date)
    {
        var window = FeatureWindow.FromFeatureSet(features, model.Features, tickers, dates, date, model.Window);
        var forecast = model.Predict(window);
        if (forecast.Tickers.Count != window.AssetCount || forecast.Mean.Length != window.AssetCount)
            throw new InvalidOperationException($"{model.Name}: returned {forecast.Mean.Length} forecasts for {window.AssetCount} assets.");
        forecast.Validate(model.Name);
        return forecast;
    }
}
