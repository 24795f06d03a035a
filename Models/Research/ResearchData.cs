namespace LeanModels.Models.Research;

/// <summary>Everything a research run computes before metrics: panel, features, labels, folds and out-of-sample forecasts.</summary>
/// <param name="Panel">Adjusted daily bars dated ≤ the run's end.</param>
/// <param name="Features">[D, A, F] features.</param>
/// <param name="Labels">[D, A] forward log return over the horizon from the next open (NaN = absent).</param>
/// <param name="HoldingReturns">[D, A] simple return from the next open to the open after (NaN = not tradable).</param>
/// <param name="Folds">Walk-forward folds; together their test blocks are the evaluated dates.</param>
/// <param name="Forecasts">Model name → [D, A] out-of-sample forecasts (NaN outside test blocks or where features are invalid).</param>
/// <param name="LastModels">Model name → the model of the last fold with the first seed (what <c>research --save-artifacts</c> saves).</param>
public sealed record ResearchData(
    Panel Panel,
    FeatureSet Features,
    double[] Labels,
    double[] HoldingReturns,
    IReadOnlyList<Fold> Folds,
    IReadOnlyDictionary<string, double[]> Forecasts,
    IReadOnlyDictionary<string, Forecasting.IReturnForecaster> LastModels)
{
    /// <summary>Model name → per seed (in <see cref="ResearchOptions.SeedList"/> order) the [D, A] out-of-sample forecasts;
    /// the first equals <see cref="Forecasts"/>. Empty when not computed.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<double[]>> SeedForecasts { get; init; } = new Dictionary<string, IReadOnlyList<double[]>>();

    /// <summary>Model name → what each fit of a deep model recorded (first seed, in fold order): parameter count, epochs,
    /// time per epoch, validation curve. Empty for models that record nothing (the baselines).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Stockformer.StockformerFitReport>> TrainingReports { get; init; } =
        new Dictionary<string, IReadOnlyList<Stockformer.StockformerFitReport>>();

    /// <summary>Model name → wall-clock seconds of its walk-forward over every seed (fits and test-day predictions; not the
    /// features, shared by all models). Empty when not measured.</summary>
    public IReadOnlyDictionary<string, double> ModelSeconds { get; init; } = new Dictionary<string, double>();

    /// <summary>First evaluated date index (inclusive).</summary>
    public int EvaluationStart => Folds.Count > 0 ? Folds[0].TestStart : Panel.DateCount;

    /// <summary>Last evaluated date index + 1.</summary>
    public int EvaluationEnd => Folds.Count > 0 ? Folds[^1].TestEnd : Panel.DateCount;
}
