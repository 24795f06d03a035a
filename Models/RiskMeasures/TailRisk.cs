namespace LeanModels.Models.RiskMeasures;

/// <summary>
/// Value at risk and conditional value at risk at one tail probability α, as positive losses in the unit of the
/// returns they came from (e.g. log return per day): VaR_α = −q_α(R), CVaR_α = −E[R | R ≤ q_α(R)] (Rockafellar and
/// Uryasev 2000, J. Risk 2(3)). CVaR ≥ VaR always.
/// </summary>
/// <param name="ValueAtRisk">VaR_α, a loss (positive when the α-quantile of returns is negative).</param>
/// <param name="ConditionalValueAtRisk">CVaR_α (expected shortfall), the mean loss beyond VaR.</param>
public readonly record struct TailRisk(double ValueAtRisk, double ConditionalValueAtRisk);
