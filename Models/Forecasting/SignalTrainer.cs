using LeanModels.Models.Research;

namespace LeanModels.Models.Forecasting;

/// <summary>"Trains" a rule baseline: returns the rule for the horizon, reading no data (nothing to fit).</summary>
/// <param name="name">Report name.</param>
/// <param name="create">Builds the rule for a horizon.</param>
public sealed class SignalTrainer(string name, Func<int, SignalModel> create) : IForecasterTrainer
{
    /// <inheritdoc />
    public string Name { get; } = name;

    /// <summary>Returns the rule for the fold's horizon; reads neither features nor labels.</summary>
    /// <param name="fold">Only its horizon is read.</param>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>The rule model.</returns>
    public IReturnForecaster Fit(TrainingFold fold, CancellationToken cancellationToken = default) => create(fold.Horizon);
}
