namespace LeanModels.Models.Regime;

/// <summary>A run of consecutive days whose filtered high-volatility probability is at least 0.5.</summary>
/// <param name="From">First day of the run.</param>
/// <param name="To">Last day of the run.</param>
/// <param name="Days">Trading days in the run.</param>
/// <param name="LogReturn">Sum of the daily log returns over the run (log return, not percent).</param>
/// <param name="AnnualisedVolatility">Sample std of the daily log returns × √252 (fraction).</param>
public sealed record RegimePeriod(DateOnly From, DateOnly To, int Days, double LogReturn, double AnnualisedVolatility);
