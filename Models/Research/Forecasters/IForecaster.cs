namespace LeanModels.Models.Research.Forecasters;

/// <summary>
/// A cross-sectional return forecaster judged by the research pipeline (Qlib's <c>Model.fit/predict</c>). Fit sees only the
/// training dates a <see cref="Fold"/> gives it; Predict sees the features of one date. Forecasts are scores whose order
/// across assets matters; for the baselines they are in log return per horizon (or a monotone transform of it).
/// </summary>
public interface IForecaster
{
    /// <summary>Short name used in reports (e.g. <c>ridge</c>, <c>momentum20</c>).</summary>
    string Name { get; }

    /// <summary>Fits the model on the valid rows of <paramref name="trainDates"/> whose label is finite.</summary>
    /// <param name="features">The feature set; rows outside <paramref name="trainDates"/> must not be read.</param>
    /// <param name="labels">[D, A] labels (NaN = absent); entries outside <paramref name="trainDates"/> must not be read.</param>
    /// <param name="trainDates">Training date indices, ascending.</param>
    void Fit(FeatureSet features, ReadOnlySpan<double> labels, IReadOnlyList<int> trainDates);

    /// <summary>Forecasts every asset on one date from that date's features.</summary>
    /// <param name="features">The feature set; only rows dated <paramref name="date"/> are read.</param>
    /// <param name="date">Date index.</param>
    /// <param name="forecast">[A] output; NaN for assets whose features are invalid that day.</param>
    void Predict(FeatureSet features, int date, Span<double> forecast);
}
