using LeanModels.Models.Research;

namespace LeanModels.Models.Forecasting;

/// <summary>Fits a <see cref="IReturnForecaster"/> on training dates (Qlib's <c>Model.fit</c>); one trainer per model kind.</summary>
public interface IForecasterTrainer
{
    /// <summary>Name of the models it produces, e.g. <c>ridge</c>.</summary>
    string Name { get; }

    /// <summary>Fits a model on the valid rows of <paramref name="trainDates"/> whose label is finite.</summary>
    /// <param name="features">The feature set; rows outside <paramref name="trainDates"/> must not be read.</param>
    /// <param name="labels">[D, A] forward log returns over <paramref name="horizon"/> (NaN = absent); read on the training dates only.</param>
    /// <param name="trainDates">Training date indices, ascending.</param>
    /// <param name="horizon">H of the labels, recorded in the model.</param>
    /// <returns>An immutable trained model.</returns>
    /// <exception cref="ArgumentException">Too few training rows; the message gives the numbers.</exception>
    IReturnForecaster Fit(FeatureSet features, ReadOnlySpan<double> labels, IReadOnlyList<int> trainDates, int horizon);
}
