namespace LeanModels.Models.Research.Metrics;

/// <summary>
/// Result of a simulated portfolio over D rebalance periods, built by <see cref="PortfolioAnalysis"/>. Returns are simple
/// returns per period as fractions; a period runs from one rebalance to the next (the caller's return convention, e.g.
/// open(d+1) → open(d+2)). The summary figures are <see cref="RiskFigures"/> of <see cref="NetReturn"/>.
/// </summary>
/// <param name="Name">Strategy and parameters, e.g. <c>"TopkDropout(topK=50, nDrop=5)"</c>.</param>
/// <param name="NetReturn">[D] simple return per period after costs: gross − turnover × cost (bps per side × 1e-4).</param>
/// <param name="GrossReturn">[D] simple return per period before costs: Σ_a w_target,a · r_a (untradable assets earn 0).</param>
/// <param name="Turnover">[D] Σ_a |w_target,a − w_drifted,a| traded at that rebalance, as a fraction of equity, both
/// sides counted (a full switch from one name to another is 2; the first buy from cash of a fully invested book is 1).</param>
/// <param name="AnnualisedReturn">Compounded annualised net return, (Π(1 + r))^(periodsPerYear/n) − 1.</param>
/// <param name="AnnualisedVolatility">Sample std (n − 1) of the net returns × √periodsPerYear; NaN when D = 1.</param>
/// <param name="Sharpe">Mean / sample std of the net returns × √periodsPerYear, risk-free 0; NaN when D = 1 or std = 0.</param>
/// <param name="MaxDrawdown">Max over t of 1 − equity_t / running peak of the net equity (starting at 1), a positive fraction.</param>
/// <param name="MeanTurnover">Mean of <see cref="Turnover"/> per period.</param>
public sealed record PortfolioReport(
    string Name,
    double[] NetReturn,
    double[] GrossReturn,
    double[] Turnover,
    double AnnualisedReturn,
    double AnnualisedVolatility,
    double Sharpe,
    double MaxDrawdown,
    double MeanTurnover);
