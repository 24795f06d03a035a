using LeanModels.Models.Research.Metrics;

namespace LeanModels.Models.Research;

/// <summary>The outcome of a research run: its settings, what was evaluated, and every model's metrics against the benchmark.</summary>
/// <param name="Options">The run's settings.</param>
/// <param name="Tickers">[A] assets in the panel.</param>
/// <param name="EvaluatedFrom">First out-of-sample decision date.</param>
/// <param name="EvaluatedTo">Last out-of-sample decision date.</param>
/// <param name="EvaluatedDates">Number of out-of-sample decision dates.</param>
/// <param name="Folds">Number of walk-forward folds (refits).</param>
/// <param name="TopK">TopK-Dropout book size used.</param>
/// <param name="NDrop">TopK-Dropout names swapped per day.</param>
/// <param name="Models">Per-model results, in the order asked for.</param>
/// <param name="Benchmark">Equal-weight universe benchmark over the same dates, with the same costs.</param>
public sealed record ResearchResult(
    ResearchOptions Options,
    IReadOnlyList<string> Tickers,
    DateOnly EvaluatedFrom,
    DateOnly EvaluatedTo,
    int EvaluatedDates,
    int Folds,
    int TopK,
    int NDrop,
    IReadOnlyList<ModelResult> Models,
    PortfolioReport Benchmark);
