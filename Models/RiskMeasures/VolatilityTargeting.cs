namespace LeanModels.Models.RiskMeasures;

/// <summary>
/// Volatility targeting (Moreira and Muir 2017, J. Finance 72(4)): scale exposure so forecast volatility equals a
/// target, w = min(σ_target / σ_forecast, maximum leverage).
/// </summary>
public static class VolatilityTargeting
{
    /// <summary>Exposure w = min(target / forecast, maxLeverage) as a fraction of equity (1 = fully invested).</summary>
    /// <param name="forecastVolatility">σ_forecast &gt; 0, in the same unit as the target (e.g. annualised fraction).</param>
    /// <param name="targetVolatility">σ_target ≥ 0, same unit.</param>
    /// <param name="maxLeverage">Cap on w, &gt; 0 (e.g. 1 for no leverage).</param>
    /// <returns>w in [0, maxLeverage].</returns>
    /// <exception cref="ArgumentOutOfRangeException">forecast ≤ 0 or not finite, target &lt; 0, or maxLeverage ≤ 0.</exception>
    public static double Weight(double forecastVolatility, double targetVolatility, double maxLeverage)
    {
        if (!(forecastVolatility > 0 && double.IsFinite(forecastVolatility)))
            throw new ArgumentOutOfRangeException(nameof(forecastVolatility), forecastVolatility, $"VolatilityTargeting.Weight: forecast volatility must be finite and > 0, got {forecastVolatility}.");
        if (!(targetVolatility >= 0 && double.IsFinite(targetVolatility)))
            throw new ArgumentOutOfRangeException(nameof(targetVolatility), targetVolatility, $"VolatilityTargeting.Weight: target volatility must be finite and ≥ 0, got {targetVolatility}.");
        if (!(maxLeverage > 0)) throw new ArgumentOutOfRangeException(nameof(maxLeverage), maxLeverage, $"VolatilityTargeting.Weight: maxLeverage must be > 0, got {maxLeverage}.");
        return Math.Min(targetVolatility / forecastVolatility, maxLeverage);
    }

    /// <summary>Annualised volatility √(variance per bar × bars per year), e.g. a GARCH σ² forecast with 252 bars.</summary>
    /// <param name="variancePerBar">Variance of one bar's return, ≥ 0 (unit², e.g. (log return per day)²).</param>
    /// <param name="barsPerYear">Bars per year, passed explicitly (252 for US daily; STYLE §3), ≥ 1.</param>
    /// <returns>Annualised volatility in the return unit.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Variance negative or not finite, or barsPerYear &lt; 1.</exception>
    public static double AnnualisedVolatility(double variancePerBar, int barsPerYear)
    {
        if (!(variancePerBar >= 0 && double.IsFinite(variancePerBar)))
            throw new ArgumentOutOfRangeException(nameof(variancePerBar), variancePerBar, $"VolatilityTargeting.AnnualisedVolatility: variance must be finite and ≥ 0, got {variancePerBar}.");
        ArgumentOutOfRangeException.ThrowIfLessThan(barsPerYear, 1);
        return Math.Sqrt(variancePerBar * barsPerYear);
    }
}
