namespace LeanModels.Models.Regime;

/// <summary>Output of <see cref="RegimeAnalysis.Run"/>.</summary>
/// <param name="Dates">[T] return dates (the second bar onwards).</param>
/// <param name="Closes">[T] adjusted closes on those dates, in dollars.</param>
/// <param name="Returns">[T] daily log returns × 100 (percent), the series the models were fitted on.</param>
/// <param name="FitEnd">Last date whose return was used to fit the models; later probabilities are out of sample.</param>
/// <param name="Hmm">The fitted Gaussian HMM (states ordered by variance; the last is the high-volatility state).</param>
/// <param name="HighVolProbability">[T] filtered (not smoothed) probability of the high-volatility state: entry t uses returns up to t only.</param>
/// <param name="Garch">GARCH(1,1) with normal innovations fitted on the same returns.</param>
/// <param name="GarchVolatility">[T] GARCH conditional volatility for day t given returns up to t − 1, annualised (fraction).</param>
/// <param name="Periods">High-volatility runs of at least the requested length, oldest first.</param>
public sealed record RegimeAnalysisResult(
    IReadOnlyList<DateOnly> Dates,
    double[] Closes,
    double[] Returns,
    DateOnly FitEnd,
    GaussianHmm Hmm,
    double[] HighVolProbability,
    GarchModel Garch,
    double[] GarchVolatility,
    IReadOnlyList<RegimePeriod> Periods);
