using LeanModels.Models.Research.Metrics;

namespace LeanModels.Models.Research;

/// <summary>Out-of-sample results of one model over the evaluated dates.</summary>
/// <param name="Model">Forecaster name.</param>
/// <param name="Signal">IC, Rank IC, ICIR, Rank ICIR, positive shares and Newey–West t-statistics (lags = horizon).</param>
/// <param name="TopK">TopK-Dropout long-only book, daily rebalanced at the next open, after costs.</param>
/// <param name="LongShort">Long-short quantile book (+0.5 / −0.5 gross), daily rebalanced at the next open, after costs.</param>
public sealed record ModelResult(string Model, SignalReport Signal, PortfolioReport TopK, PortfolioReport LongShort)
{
    /// <summary>Per seed of <see cref="ResearchOptions.SeedList"/>, in order, the same metrics (the first equals this
    /// result); a single entry when one seed was run.</summary>
    public IReadOnlyList<ModelResult> PerSeed { get; init; } = [];

    /// <summary>The model's own allocation book (<see cref="PortfolioAnalysis.Allocation"/>, weights scaled to gross 1), for a
    /// model whose forecast is an allocation weight (<c>stockformer-alloc</c>); null for the others.</summary>
    public PortfolioReport? Allocation { get; init; }
}
