using LeanModels.Models.Stockformer;

namespace LeanModels.Models.Forecasting;

/// <summary>
/// What the engine's sequence-model trainers (Stockformer, two-stage, direct) share behind <see cref="IForecasterTrainer"/>: a
/// name, a seed per fit (<see cref="UsesSeed"/>) and one <see cref="StockformerFitReport"/> per completed fit, which
/// <c>research</c> prints as its deep-model training table. Each subclass owns its recipe (<see cref="Fit"/>, on
/// <see cref="EpochLoop"/>). <see cref="Reports"/> may be read while another thread fits (the list is locked).
/// </summary>
public abstract class SequenceTrainer : IForecasterTrainer
{
    private readonly List<StockformerFitReport> _reports = [];
    private readonly Lock _lock = new();

    /// <summary>Stores the name.</summary>
    /// <param name="name">Model name (e.g. <c>twostage-gru</c>).</param>
    /// <exception cref="ArgumentException">The name is null or blank.</exception>
    protected SequenceTrainer(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public bool UsesSeed => true;

    /// <summary>One record per completed <see cref="Fit"/>, in call order (a copy).</summary>
    public IReadOnlyList<StockformerFitReport> Reports
    {
        get { lock (_lock) return _reports.ToList(); }
    }

    /// <inheritdoc />
    public abstract IReturnForecaster Fit(TrainingFold fold, CancellationToken cancellationToken = default);

    /// <summary>Appends a completed fit's record to <see cref="Reports"/>.</summary>
    /// <param name="report">The record.</param>
    /// <exception cref="ArgumentNullException">It is null.</exception>
    protected void Record(StockformerFitReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        lock (_lock) _reports.Add(report);
    }
}
