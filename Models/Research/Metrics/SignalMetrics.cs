using MathNet.Numerics.Statistics;

namespace LeanModels.Models.Research.Metrics;

/// <summary>
/// Per-date signal statistics: information coefficients across assets and the Newey–West t-statistic of a daily series.
/// Definitions follow Qlib's <c>calc_ic</c> (<c>qlib/contrib/eva/alpha.py</c>): IC is the Pearson and Rank IC the Spearman
/// correlation between forecast and label across the assets of one date.
/// </summary>
public static class SignalMetrics
{
    /// <summary>
    /// Information coefficient for one date: Pearson correlation between <paramref name="forecast"/> and
    /// <paramref name="label"/> across assets (Qlib <c>calc_ic</c>, the <c>"IC"</c> series). Computed with
    /// <see cref="Correlation.Pearson(IEnumerable{double}, IEnumerable{double})"/> after dropping every asset whose forecast or label is non-finite.
    /// </summary>
    /// <param name="forecast">[A] scores for one date, any scale. A non-finite entry drops that asset.</param>
    /// <param name="label">[A] realised forward return over the horizon (any return unit), aligned with
    /// <paramref name="forecast"/>. A non-finite entry drops that asset.</param>
    /// <returns>IC in [−1, 1]; <see cref="double.NaN"/> when fewer than 2 assets are finite in both, or when the remaining
    /// forecasts or labels are all equal (zero variance). Empty spans give NaN.</returns>
    /// <exception cref="ArgumentException">The lengths differ; the message gives both.</exception>
    public static double IC(ReadOnlySpan<double> forecast, ReadOnlySpan<double> label)
    {
        if (!TryCompactPairs(forecast, label, nameof(IC), out var x, out var y)) return double.NaN;
        return Correlation.Pearson(x, y);
    }

    /// <summary>
    /// Rank information coefficient for one date: Spearman correlation between <paramref name="forecast"/> and
    /// <paramref name="label"/> across assets, average ranks for ties (Qlib <c>calc_ic</c>, the <c>"Rank IC"</c> series,
    /// which uses pandas' <c>rank()</c>, average by default). Ranks come from <see cref="Statistics.Ranks(IEnumerable{double}, RankDefinition)"/> with
    /// <see cref="RankDefinition.Average"/>, then <see cref="Correlation.Pearson(IEnumerable{double}, IEnumerable{double})"/> of the ranks, after dropping every asset
    /// whose forecast or label is non-finite.
    /// </summary>
    /// <param name="forecast">[A] scores for one date, any monotone scale. A non-finite entry drops that asset.</param>
    /// <param name="label">[A] realised forward return over the horizon, aligned with <paramref name="forecast"/>. A
    /// non-finite entry drops that asset.</param>
    /// <returns>Rank IC in [−1, 1]; <see cref="double.NaN"/> when fewer than 2 assets are finite in both, or when the
    /// remaining forecasts or labels are all equal (zero variance). Empty spans give NaN.</returns>
    /// <exception cref="ArgumentException">The lengths differ; the message gives both.</exception>
    public static double RankIC(ReadOnlySpan<double> forecast, ReadOnlySpan<double> label)
    {
        if (!TryCompactPairs(forecast, label, nameof(RankIC), out var x, out var y)) return double.NaN;
        return Correlation.Pearson(Statistics.Ranks(x, RankDefinition.Average), Statistics.Ranks(y, RankDefinition.Average));
    }

    /// <summary>
    /// t-statistic of the mean of <paramref name="series"/> with the Newey–West heteroskedasticity- and
    /// autocorrelation-consistent variance (Newey and West 1987, "A simple, positive semi-definite, heteroskedasticity and
    /// autocorrelation consistent covariance matrix", Econometrica 55(3)), Bartlett weights w_l = 1 − l/(lags+1), l = 1..lags:
    /// γ_l = (1/n) Σ_{t&gt;l} (x_t − x̄)(x_{t−l} − x̄), t = x̄ / sqrt((γ0 + 2 Σ_l w_l γ_l) / n). With <paramref name="lags"/> = 0
    /// this is x̄ / (s_pop / √n), s_pop the population (1/n) standard deviation. Same value as statsmodels
    /// <c>OLS(x, ones).fit(cov_type='HAC', cov_kwds={'maxlags': lags, 'use_correction': False}).tvalues[0]</c> (no small-sample
    /// correction; checked by <c>tests/.../Metrics/reference/newey_west_reference.py</c>). Lags at or beyond n contribute
    /// γ_l = 0.
    /// </summary>
    /// <param name="series">[n] values in time order oldest → newest, e.g. a daily IC series. Non-finite entries are
    /// removed first (the series is compacted, so lags count finite observations, not dates).</param>
    /// <param name="lags">Number of autocovariance lags, ≥ 0; for overlapping H-bar labels pass the horizon H.</param>
    /// <returns>The t-statistic; <see cref="double.NaN"/> when fewer than 2 finite entries remain, or they are all equal
    /// (zero HAC variance).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lags"/> &lt; 0.</exception>
    public static double NeweyWestTStat(ReadOnlySpan<double> series, int lags)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lags);
        var x = new double[series.Length];
        var n = 0;
        foreach (var v in series)
            if (double.IsFinite(v)) x[n++] = v;
        if (n < 2 || IsConstant(x.AsSpan(0, n))) return double.NaN;   // a constant series' mean may round off x_0

        var mean = 0.0;
        for (var t = 0; t < n; t++) mean += x[t];
        mean /= n;
        for (var t = 0; t < n; t++) x[t] -= mean;                     // residuals u_t = x_t − x̄

        var longRun = Autocovariance(x, n, 0);                         // γ0
        var maxLag = Math.Min(lags, n - 1);                            // γ_l = 0 once l ≥ n: the sum is empty
        for (var l = 1; l <= maxLag; l++)
            longRun += 2.0 * (1.0 - l / (lags + 1.0)) * Autocovariance(x, n, l);
        var variance = longRun / n;                                    // Var(x̄)
        return variance > 0.0 ? mean / Math.Sqrt(variance) : double.NaN;
    }

    // γ_l = (1/n) Σ_{t=l}^{n−1} u_t u_{t−l}, u already de-meaned.
    private static double Autocovariance(double[] u, int n, int lag)
    {
        var sum = 0.0;
        for (var t = lag; t < n; t++) sum += u[t] * u[t - lag];
        return sum / n;
    }

    // Keeps the pairs where both values are finite. False when fewer than 2 remain or either side is constant.
    private static bool TryCompactPairs(ReadOnlySpan<double> forecast, ReadOnlySpan<double> label, string caller,
        out double[] x, out double[] y)
    {
        if (forecast.Length != label.Length)
            throw new ArgumentException(
                $"{caller}: forecast has {forecast.Length} elements, label has {label.Length}; they must be equal (one per asset).",
                nameof(label));
        var n = 0;
        for (var a = 0; a < forecast.Length; a++)
            if (double.IsFinite(forecast[a]) && double.IsFinite(label[a])) n++;
        x = new double[n];
        y = new double[n];
        var k = 0;
        for (var a = 0; a < forecast.Length; a++)
        {
            if (!double.IsFinite(forecast[a]) || !double.IsFinite(label[a])) continue;
            x[k] = forecast[a];
            y[k] = label[a];
            k++;
        }
        return n >= 2 && !IsConstant(x) && !IsConstant(y);
    }

    private static bool IsConstant(ReadOnlySpan<double> values)
    {
        for (var i = 1; i < values.Length; i++)
            if (values[i] != values[0]) return false;
        return true;
    }
}
