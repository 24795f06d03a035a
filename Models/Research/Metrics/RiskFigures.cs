using MathNet.Numerics.Statistics;

namespace LeanModels.Models.Research.Metrics;

/// <summary>
/// Risk and return figures of a series of simple returns, as in Qlib's <c>risk_analysis</c>
/// (<c>qlib/contrib/evaluate.py</c>) but compounded rather than summed, and with the periods per year always passed by
/// the caller (Qlib hides 238 for daily data; pass <c>252</c> for US trading days).
/// </summary>
public static class RiskFigures
{
    /// <summary>Compounded annualised return: (Π_t (1 + r_t))^(periodsPerYear / n) − 1.</summary>
    /// <param name="returns">[n] simple returns per period as fractions (0.01 = 1 %), oldest → newest; all finite.</param>
    /// <param name="periodsPerYear">Periods per year, ≥ 1 (e.g. 252 trading days).</param>
    /// <returns>The annualised simple return as a fraction; −1 when the equity reaches 0 or below (a return ≤ −1).</returns>
    /// <exception cref="ArgumentException"><paramref name="returns"/> is empty or holds a non-finite value (the message
    /// gives its index).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="periodsPerYear"/> &lt; 1.</exception>
    public static double AnnualisedReturn(ReadOnlySpan<double> returns, int periodsPerYear)
    {
        Validate(returns, periodsPerYear, nameof(AnnualisedReturn));
        var equity = 1.0;                                              // Π (1 + r), starting from 1
        foreach (var r in returns)
        {
            equity *= 1.0 + r;
            if (equity <= 0.0) return -1.0;                            // wiped out: no later return brings it back
        }
        return Math.Pow(equity, (double)periodsPerYear / returns.Length) - 1.0;
    }

    /// <summary>Annualised volatility: sample standard deviation (n − 1) of the returns × √periodsPerYear.</summary>
    /// <param name="returns">[n] simple returns per period as fractions, oldest → newest; all finite.</param>
    /// <param name="periodsPerYear">Periods per year, ≥ 1 (e.g. 252 trading days).</param>
    /// <returns>Annualised volatility as a fraction; <see cref="double.NaN"/> when n = 1 (the sample std is undefined).</returns>
    /// <exception cref="ArgumentException"><paramref name="returns"/> is empty or holds a non-finite value.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="periodsPerYear"/> &lt; 1.</exception>
    public static double AnnualisedVolatility(ReadOnlySpan<double> returns, int periodsPerYear)
    {
        Validate(returns, periodsPerYear, nameof(AnnualisedVolatility));
        if (returns.Length < 2) return double.NaN;
        return ArrayStatistics.StandardDeviation(returns.ToArray()) * Math.Sqrt(periodsPerYear);
    }

    /// <summary>Annualised Sharpe ratio with a zero risk-free rate: mean / sample std (n − 1) × √periodsPerYear.</summary>
    /// <param name="returns">[n] simple returns per period as fractions, oldest → newest; all finite.</param>
    /// <param name="periodsPerYear">Periods per year, ≥ 1 (e.g. 252 trading days).</param>
    /// <returns>The Sharpe ratio; <see cref="double.NaN"/> when n = 1 or the returns are all equal (zero std).</returns>
    /// <exception cref="ArgumentException"><paramref name="returns"/> is empty or holds a non-finite value.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="periodsPerYear"/> &lt; 1.</exception>
    public static double Sharpe(ReadOnlySpan<double> returns, int periodsPerYear)
    {
        Validate(returns, periodsPerYear, nameof(Sharpe));
        if (returns.Length < 2) return double.NaN;
        var values = returns.ToArray();
        var (mean, std) = ArrayStatistics.MeanStandardDeviation(values);
        return std > 0.0 ? mean / std * Math.Sqrt(periodsPerYear) : double.NaN;
    }

    /// <summary>
    /// Maximum drawdown: max over t of 1 − equity_t / running peak, where equity starts at 1 (the start counts as a
    /// peak) and equity_t = Π_{s≤t} (1 + r_s).
    /// </summary>
    /// <param name="returns">[n] simple returns per period as fractions, oldest → newest; all finite.</param>
    /// <returns>The maximum drawdown as a positive fraction in [0, 1] (values above 1 only if a return is below −1); 0 when
    /// the equity never falls.</returns>
    /// <exception cref="ArgumentException"><paramref name="returns"/> is empty or holds a non-finite value.</exception>
    public static double MaxDrawdown(ReadOnlySpan<double> returns)
    {
        Validate(returns, 1, nameof(MaxDrawdown));
        double equity = 1.0, peak = 1.0, maxDrawdown = 0.0;
        foreach (var r in returns)
        {
            equity *= 1.0 + r;
            peak = Math.Max(peak, equity);
            maxDrawdown = Math.Max(maxDrawdown, 1.0 - equity / peak);
        }
        return maxDrawdown;
    }

    private static void Validate(ReadOnlySpan<double> returns, int periodsPerYear, string caller)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(periodsPerYear, 1);
        if (returns.IsEmpty)
            throw new ArgumentException($"{caller}: returns is empty; need at least 1 period.", nameof(returns));
        for (var t = 0; t < returns.Length; t++)
            if (!double.IsFinite(returns[t]))
                throw new ArgumentException($"{caller}: returns[{t}] is {returns[t]} (of {returns.Length}); every return must be finite.",
                    nameof(returns));
    }
}
