using MathNet.Numerics.Statistics;

namespace LeanModels.Models.Research.Metrics;

/// <summary>
/// Signal analysis over many dates: the daily IC and Rank IC series and their summaries, as Qlib's <c>SigAnaRecord</c>
/// (<c>qlib/workflow/record_temp.py</c>, via <c>calc_ic</c> in <c>qlib/contrib/eva/alpha.py</c>).
/// </summary>
public static class SignalAnalysis
{
    /// <summary>
    /// Computes <see cref="SignalMetrics.IC"/> and <see cref="SignalMetrics.RankIC"/> for every date, then their mean,
    /// sample std (n − 1), ICIR = mean/std (not annualised), share of positive dates and Newey–West t-statistics
    /// (<see cref="SignalMetrics.NeweyWestTStat"/> with <paramref name="neweyWestLags"/> lags). A date is skipped (NaN in
    /// the daily series, not counted in <see cref="SignalReport.Dates"/>) when fewer than 2 assets have both a finite
    /// forecast and a finite label, or either side is constant across those assets.
    /// </summary>
    /// <param name="forecast">[D, A] row-major (index d·A + a), dates oldest → newest; scores on any scale. NaN (or any
    /// non-finite value) = no forecast for that asset on that date.</param>
    /// <param name="label">[D, A] aligned with <paramref name="forecast"/>: realised forward return over the horizon from
    /// the first tradable price after date d. NaN = absent.</param>
    /// <param name="dates">D, number of dates, ≥ 1.</param>
    /// <param name="assets">A, number of assets, ≥ 2.</param>
    /// <param name="neweyWestLags">Lags for the Newey–West variance, ≥ 0. Pass the label horizon H: H-day labels on
    /// consecutive dates overlap, so the daily IC series is autocorrelated up to lag H − 1.</param>
    /// <returns>The report; its daily arrays have length D. All summaries are NaN when no date counts.</returns>
    /// <exception cref="ArgumentException"><paramref name="forecast"/> or <paramref name="label"/> is not D·A long, or
    /// <paramref name="assets"/> &lt; 2; the message gives the numbers.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dates"/> &lt; 1 or <paramref name="neweyWestLags"/> &lt; 0.</exception>
    public static SignalReport Analyse(ReadOnlySpan<double> forecast, ReadOnlySpan<double> label, int dates, int assets,
        int neweyWestLags)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dates, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(neweyWestLags);
        if (assets < 2)
            throw new ArgumentException($"Analyse: assets is {assets}; a cross-sectional correlation needs at least 2.", nameof(assets));
        var expected = (long)dates * assets;
        if (forecast.Length != expected || label.Length != expected)
            throw new ArgumentException(
                $"Analyse: forecast has {forecast.Length} elements, label {label.Length}; expected [D={dates}, A={assets}] = {expected} each.",
                forecast.Length != expected ? nameof(forecast) : nameof(label));

        var dailyIC = new double[dates];                               // [D]
        var dailyRankIC = new double[dates];                           // [D]
        for (var d = 0; d < dates; d++)
        {
            var f = forecast.Slice(d * assets, assets);
            var y = label.Slice(d * assets, assets);
            dailyIC[d] = SignalMetrics.IC(f, y);
            dailyRankIC[d] = SignalMetrics.RankIC(f, y);
        }

        var (count, ic, icStd, icPositive) = Summarise(dailyIC);
        var (_, rankIC, rankICStd, rankICPositive) = Summarise(dailyRankIC);
        return new SignalReport(
            count,
            ic, icStd, Ratio(ic, icStd),
            rankIC, rankICStd, Ratio(rankIC, rankICStd),
            icPositive, rankICPositive,
            SignalMetrics.NeweyWestTStat(dailyIC, neweyWestLags), SignalMetrics.NeweyWestTStat(dailyRankIC, neweyWestLags),
            dailyIC, dailyRankIC);
    }

    // Count, mean, sample std (n − 1) and share of values > 0 over the finite entries.
    private static (int Count, double Mean, double Std, double PositiveShare) Summarise(double[] daily)
    {
        var finite = daily.Where(double.IsFinite).ToArray();
        if (finite.Length == 0) return (0, double.NaN, double.NaN, double.NaN);
        var positive = finite.Count(v => v > 0.0);
        var std = finite.Length >= 2 ? ArrayStatistics.StandardDeviation(finite) : double.NaN;
        return (finite.Length, ArrayStatistics.Mean(finite), std, (double)positive / finite.Length);
    }

    private static double Ratio(double mean, double std) => std > 0.0 ? mean / std : double.NaN;
}
