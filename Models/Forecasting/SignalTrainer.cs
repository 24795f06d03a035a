using LeanModels.Models.Research;

namespace LeanModels.Models.Forecasting;

/// <summary>"Trains" a rule baseline: returns the rule for the horizon, reading no data (nothing to fit).</summary>
/// <param name="name">Report name.</param>
/// <param name="create">Builds the rule for a horizon.</param>
public sealed class SignalTrainer(string name, Func<int, SignalModel> create) : IForecasterTrainer
{
    /// <inheritdoc />
    public string Name { get; } = name;

    /// <summary>Returns the rule; reads neither features nor labels.</summary>
    /// <param name="features">Unused.</param>
    /// <param name="labels">Unused.</param>
    /// <param name="trainDates">Unused.</param>
    /// <param name="horizon">H ≥ 1.</param>
    /// <returns>The rule model.</returns>
    public IReturnForecaster Fit(FeatureSet features, ReadOnlySpan<double> labels, IReadOnlyList<int> trainDates, int horizon) => create(horizon);
}
