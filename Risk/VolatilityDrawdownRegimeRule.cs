// SPDX-License-Identifier: Apache-2.0
using System.Globalization;

namespace LeanModels.Risk;

/// <summary>
/// The default regime rule: three regimes from the market's realised volatility and drawdown. <c>Crash</c> (the market
/// index is more than <c>crashDrawdown</c> below its running peak over the input) allows 0; <c>HighVol</c> (annualised
/// volatility of the last <c>lookbackDays</c> returns above <c>highVolatility</c>) allows <c>highVolatilityExposure</c>;
/// <c>Calm</c> allows 1. Volatility = sample standard deviation (n − 1) × √252.
/// </summary>
public sealed class VolatilityDrawdownRegimeRule : IMarketRegimeRule
{
    private const double TradingDaysPerYear = 252;
    private readonly double _highVolatility;
    private readonly double _highVolatilityExposure;
    private readonly double _crashDrawdown;
    private readonly int _lookbackDays;

    /// <summary>Initializes a new instance of the <see cref="VolatilityDrawdownRegimeRule"/> class.</summary>
    /// <param name="highVolatility">Annualised volatility above which the regime is HighVol (&gt; 0); defaults to 0.30.</param>
    /// <param name="highVolatilityExposure">Exposure multiplier in HighVol, in [0, 1]; defaults to 0.5.</param>
    /// <param name="crashDrawdown">Market drawdown (fraction below the running peak) from which the regime is Crash, in (0, 1]; defaults to 0.20.</param>
    /// <param name="lookbackDays">Returns used for the volatility (≥ 2); defaults to 21.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of its range.</exception>
    public VolatilityDrawdownRegimeRule(double highVolatility = 0.30, double highVolatilityExposure = 0.5, double crashDrawdown = 0.20, int lookbackDays = 21)
    {
        if (!(highVolatility > 0) || !double.IsFinite(highVolatility)) throw new ArgumentOutOfRangeException(nameof(highVolatility), highVolatility, "must be > 0.");
        if (!(highVolatilityExposure >= 0 && highVolatilityExposure <= 1)) throw new ArgumentOutOfRangeException(nameof(highVolatilityExposure), highVolatilityExposure, "must be in [0, 1].");
        if (!(crashDrawdown > 0 && crashDrawdown <= 1)) throw new ArgumentOutOfRangeException(nameof(crashDrawdown), crashDrawdown, "must be in (0, 1].");
        ArgumentOutOfRangeException.ThrowIfLessThan(lookbackDays, 2);
        _highVolatility = highVolatility;
        _highVolatilityExposure = highVolatilityExposure;
        _crashDrawdown = crashDrawdown;
        _lookbackDays = lookbackDays;
        Name = string.Create(CultureInfo.InvariantCulture, $"{nameof(VolatilityDrawdownRegimeRule)}({highVolatility},{highVolatilityExposure},{crashDrawdown},{lookbackDays})");
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public double Exposure(ReadOnlySpan<double> marketLogReturns)
    {
        // Drawdown of the index exp(Σ r) below its running peak over the whole input.
        double level = 0, peak = 0;
        foreach (var r in marketLogReturns)
        {
            level += r;
            peak = Math.Max(peak, level);
        }
        if (1 - Math.Exp(level - peak) >= _crashDrawdown) return 0;
        if (marketLogReturns.Length < _lookbackDays) return 1;
        var recent = marketLogReturns[^_lookbackDays..];
        double mean = 0;
        foreach (var r in recent) mean += r;
        mean /= recent.Length;
        double ss = 0;
        foreach (var r in recent) ss += (r - mean) * (r - mean);
        var volatility = Math.Sqrt(ss / (recent.Length - 1) * TradingDaysPerYear);
        return volatility > _highVolatility ? _highVolatilityExposure : 1;
    }
}
