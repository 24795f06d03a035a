using LeanModels.Models.Data;

namespace LeanModels.Models.Regime;

/// <summary>
/// Regimes of one asset's daily returns, as the <c>regime</c> command reports them: a Gaussian HMM (Hamilton 1989; fitted
/// by Baum–Welch with seeded restarts) and a GARCH(1,1) (Bollerslev 1986) fitted on the daily log returns in percent up to
/// <c>fitEnd</c>, then run over the whole series as filters, so each day's probability and volatility use data up to that
/// day only (parameters from data up to <c>fitEnd</c>; choose an earlier <c>fitEnd</c> for a fully out-of-sample view).
/// </summary>
public static class RegimeAnalysis
{
    /// <summary>Runs the analysis.</summary>
    /// <param name="bars">Adjusted daily bars, oldest first.</param>
    /// <param name="fitEnd">Last date used for fitting; null = all.</param>
    /// <param name="options">HMM settings (states, restarts, seed); null = 2 states, defaults.</param>
    /// <param name="minimumPeriodDays">Shortest high-volatility run listed in <see cref="RegimeAnalysisResult.Periods"/> (≥ 1).</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException">Too few bars before <paramref name="fitEnd"/> for the models (the message gives the counts), or bad arguments.</exception>
    public static RegimeAnalysisResult Run(IReadOnlyList<Bar> bars, DateOnly? fitEnd = null, GaussianHmmOptions? options = null, int minimumPeriodDays = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumPeriodDays, 1);
        options ??= new GaussianHmmOptions();
        var n = bars.Count - 1;
        if (n < 2) throw new ArgumentException($"regime analysis needs at least 3 bars, got {bars.Count}.", nameof(bars));
        var dates = new DateOnly[n];
        var closes = new double[n];
        var returns = new double[n];
        for (var t = 0; t < n; t++)
        {
            dates[t] = bars[t + 1].Date;
            closes[t] = bars[t + 1].Close;
            returns[t] = 100.0 * Math.Log(bars[t + 1].Close / bars[t].Close);
        }
        var end = fitEnd ?? dates[^1];
        var fitCount = 0;
        while (fitCount < n && dates[fitCount] <= end) fitCount++;
        var minimum = Math.Max(GaussianHmm.MinimumObservations(options.States, 1, options.Covariance), GarchModel.MinimumObservations);
        if (fitCount < minimum)
            throw new ArgumentException($"regime analysis: {fitCount} returns up to {end:yyyy-MM-dd}; the models need at least {minimum}.", nameof(fitEnd));
        var fitReturns = returns.AsSpan(0, fitCount);
        var hmm = GaussianHmm.Fit(fitReturns, 1, options with { ReturnScale = 100 });   // percent log returns
        var filtered = hmm.Filter(returns);
        var high = new double[n];
        for (var t = 0; t < n; t++) high[t] = filtered[t * hmm.States + hmm.HighVolState];
        var garch = GarchModel.Fit(fitReturns);
        var variance = garch.ConditionalVariance(returns);
        var garchVol = variance.Select(v => Math.Sqrt(v * 252) / 100.0).ToArray();
        return new RegimeAnalysisResult(dates, closes, returns, dates[fitCount - 1], hmm, high, garch, garchVol, Periods(dates, returns, high, minimumPeriodDays));
    }

    private static List<RegimePeriod> Periods(DateOnly[] dates, double[] returns, double[] high, int minimumDays)
    {
        var periods = new List<RegimePeriod>();
        var start = -1;
        for (var t = 0; t <= dates.Length; t++)
        {
            var inHigh = t < dates.Length && high[t] >= 0.5;
            if (inHigh && start < 0) start = t;
            if (inHigh || start < 0) continue;
            var days = t - start;
            if (days >= minimumDays)
            {
                var slice = returns.AsSpan(start, days);
                double sum = 0, sumSq = 0;
                foreach (var r in slice) { sum += r; sumSq += r * r; }
                var mean = sum / days;
                var std = days > 1 ? Math.Sqrt(Math.Max(sumSq - days * mean * mean, 0) / (days - 1)) : 0;
                periods.Add(new RegimePeriod(dates[start], dates[t - 1], days, sum / 100.0, std / 100.0 * Math.Sqrt(252)));
            }
            start = -1;
        }
        return periods;
    }
}
