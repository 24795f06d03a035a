namespace LeanModels.Models.RiskMeasures;

/// <summary>
/// Fractional Kelly position sizing (Kelly 1956, Bell System Technical J. 35; Thorp 2006, "The Kelly criterion in
/// blackjack, sports betting and the stock market", Handbook of Asset and Liability Management, §7). Full Kelly maximises
/// expected log growth but is very sensitive to errors in the mean; practitioners bet a fraction (½ Kelly keeps ≈ 75 % of
/// the growth rate at half the volatility).
/// </summary>
public static class KellySizing
{
    /// <summary>
    /// Continuous-time Kelly leverage f = fraction · μ / σ², clipped to [−maxLeverage, maxLeverage] (Thorp 2006 eq. 7.3;
    /// Merton's growth-optimal portfolio for one asset).
    /// </summary>
    /// <param name="expectedExcessReturn">μ, expected return over the risk-free rate per bar (simple return, fraction).</param>
    /// <param name="variance">σ² of the return per bar, &gt; 0, same bar.</param>
    /// <param name="fraction">Kelly fraction in (0, 1] (0.5 = half Kelly).</param>
    /// <param name="maxLeverage">Cap on |f|, &gt; 0.</param>
    /// <returns>Signed exposure as a fraction of equity.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A non-finite mean, variance ≤ 0, fraction outside (0, 1] or maxLeverage ≤ 0.</exception>
    public static double Continuous(double expectedExcessReturn, double variance, double fraction, double maxLeverage)
    {
        if (!double.IsFinite(expectedExcessReturn)) throw new ArgumentOutOfRangeException(nameof(expectedExcessReturn), expectedExcessReturn, "KellySizing.Continuous: expected return must be finite.");
        if (!(variance > 0 && double.IsFinite(variance))) throw new ArgumentOutOfRangeException(nameof(variance), variance, $"KellySizing.Continuous: variance must be finite and > 0, got {variance}.");
        RequireFraction(fraction);
        if (!(maxLeverage > 0)) throw new ArgumentOutOfRangeException(nameof(maxLeverage), maxLeverage, $"KellySizing.Continuous: maxLeverage must be > 0, got {maxLeverage}.");
        return Math.Clamp(fraction * expectedExcessReturn / variance, -maxLeverage, maxLeverage);
    }

    /// <summary>
    /// Kelly stake for a binary bet: f = fraction · (p − (1 − p)/b), floored at 0 (no bet when the edge is negative).
    /// </summary>
    /// <param name="winProbability">p in [0, 1].</param>
    /// <param name="winLossRatio">b &gt; 0, amount won per unit lost.</param>
    /// <param name="fraction">Kelly fraction in (0, 1].</param>
    /// <returns>Stake as a fraction of equity, in [0, 1].</returns>
    /// <exception cref="ArgumentOutOfRangeException">p outside [0, 1], b ≤ 0 or fraction outside (0, 1].</exception>
    public static double Binary(double winProbability, double winLossRatio, double fraction)
    {
        if (!(winProbability >= 0 && winProbability <= 1)) throw new ArgumentOutOfRangeException(nameof(winProbability), winProbability, $"KellySizing.Binary: p must be in [0, 1], got {winProbability}.");
        if (!(winLossRatio > 0 && double.IsFinite(winLossRatio))) throw new ArgumentOutOfRangeException(nameof(winLossRatio), winLossRatio, $"KellySizing.Binary: b must be finite and > 0, got {winLossRatio}.");
        RequireFraction(fraction);
        return Math.Max(0, fraction * (winProbability - (1 - winProbability) / winLossRatio));
    }

    private static void RequireFraction(double fraction)
    {
        if (!(fraction > 0 && fraction <= 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, $"KellySizing: fraction must be in (0, 1], got {fraction}.");
    }
}
