namespace LeanModels.Models.Forecasting;

/// <summary>The models the research pipeline, the CLI and the LEAN modules know by name.</summary>
public static class ForecasterCatalog
{
    /// <summary>Model names: <c>momentum20</c>, <c>reversal5</c>, <c>ridge</c>, <c>ridge-regime</c> (ridge with market regime features).</summary>
    public static IReadOnlyList<string> Names { get; } = ["momentum20", "reversal5", "ridge", "ridge-regime"];

    /// <summary>Creates the trainer of a model.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="ridgeLambda">Ridge penalty per training row (ridge models only).</param>
    /// <returns>A trainer.</returns>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static IForecasterTrainer CreateTrainer(string name, double ridgeLambda = 0.01) => name switch
    {
        "momentum20" => new SignalTrainer(name, SignalModel.Momentum20),
        "reversal5" => new SignalTrainer(name, SignalModel.Reversal5),
        "ridge" => new RidgeTrainer(ridgeLambda),
        "ridge-regime" => new RegimeRidgeTrainer(ridgeLambda),
        _ => throw new ArgumentException($"unknown model '{name}'; known models: {string.Join(", ", Names)}.", nameof(name)),
    };
}
