namespace LeanModels.Models.Research;

/// <summary>
/// Builds the daily features of a <see cref="Panel"/>. Each asset's features are computed on its own bar sequence (the bars
/// it has, as a LEAN indicator sees them), using only bars dated ≤ the feature's date; the market proxy is the equal-weight
/// cross-sectional mean of the 1-day log returns of the assets that traded that day. A row is valid once the asset has
/// <see cref="WarmUpBars"/> previous bars and every feature is finite.
/// </summary>
/// <remarks>
/// Features (r = 1-day close-to-close log return, C/O/H/L/V = adjusted close/open/high/low/volume; j = the asset's bar index):
/// <list type="number">
/// <item><c>logCloseOpen</c> = log(C_j / O_j), the seeds' "log percent change".</item>
/// <item><c>logReturn1</c> = r_j = log(C_j / C_{j−1}).</item>
/// <item><c>logHighLow</c> = log(H_j / L_j), the high-low range.</item>
/// <item><c>logVolumeRatio20</c> = log((V_j + 1) / (mean(V_{j−19..j}) + 1)): volume over its 20-day mean, logged (+1 keeps zero volume finite).</item>
/// <item><c>volatility20</c> = sample std (n − 1) of r_{j−19..j}, log return per day.</item>
/// <item><c>rsi14</c> = Wilder's RSI(14) / 100 on close changes (Wilder 1978), restarted on each row's own window of the
/// last 60 changes: the first averages are means of the first 14 changes, then avg ← (13·avg + x) / 14 over the other 46;
/// RSI = 100 − 100 / (1 + avgGain / avgLoss), 100 when avgLoss = 0, as LEAN's RelativeStrengthIndex. (A recursion over the
/// whole history would make the value depend on where the data starts; the window keeps every feature a function of the
/// last 61 bars, so a LEAN rolling window reproduces research features bit for bit.)</item>
/// <item><c>corrMarket20</c> = Pearson correlation of r_{j−19..j} with the market proxy on the same dates.</item>
/// <item><c>momentum5</c>, <c>momentum20</c>, <c>momentum60</c> = log(C_j / C_{j−n}), n = 5, 20, 60.</item>
/// <item><c>distanceMa20</c> = log(C_j / mean(C_{j−19..j})).</item>
/// </list>
/// </remarks>
public static class FeatureBuilder
{
    /// <summary>Feature names in storage order.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "logCloseOpen", "logReturn1", "logHighLow", "logVolumeRatio20", "volatility20", "rsi14", "corrMarket20",
        "momentum5", "momentum20", "momentum60", "distanceMa20",
    ];

    /// <summary>
    /// Version of the feature definitions, recorded in model artifacts: a model trained on one version is refused by a build
    /// that computes another. Bump it whenever a feature's definition or order changes.
    /// </summary>
    public const string Version = "features/1";

    /// <summary>Bars of history an asset needs before its first valid row (momentum60 needs 60 previous closes).</summary>
    public const int WarmUpBars = 60;

    /// <summary>Computes all features.</summary>
    /// <param name="panel">Adjusted daily bars.</param>
    /// <returns>[D, A, F] features with their validity mask.</returns>
    public static FeatureSet Build(Panel panel)
    {
        int D = panel.DateCount, A = panel.AssetCount, F = Names.Count;
        var values = new double[D * A * F];
        Array.Fill(values, double.NaN);
        var valid = new bool[D * A];
        var market = MarketProxy(panel);
        Parallel.For(0, A, a => BuildAsset(panel, market, a, values, valid));
        return new FeatureSet(Names, D, A, values, valid, market);
    }

    /// <summary>
    /// [D] equal-weight mean of the 1-day log returns of the assets with a bar on d and on their previous bar; NaN when none.
    /// Summed in ordinal ticker order, so the result does not depend on the order of the panel's assets.
    /// </summary>
    /// <param name="panel">Adjusted daily bars.</param>
    /// <returns>Market proxy log return per day.</returns>
    public static double[] MarketProxy(Panel panel)
    {
        int D = panel.DateCount, A = panel.AssetCount;
        var sum = new double[D];
        var count = new int[D];
        // Sum in ordinal ticker order whatever the panel's asset order, so the proxy's bits do not depend on it.
        var order = Enumerable.Range(0, A).OrderBy(a => panel.Tickers[a], StringComparer.Ordinal).ToArray();
        foreach (var a in order)
        {
            var previous = double.NaN;
            for (var d = 0; d < D; d++)
            {
                if (!panel.Available[d * A + a]) continue;
                var close = panel.Close[d * A + a];
                if (!double.IsNaN(previous)) { sum[d] += Math.Log(close / previous); count[d]++; }
                previous = close;
            }
        }
        var proxy = new double[D];
        for (var d = 0; d < D; d++) proxy[d] = count[d] > 0 ? sum[d] / count[d] : double.NaN;
        return proxy;
    }

    private static void BuildAsset(Panel panel, double[] market, int a, double[] values, bool[] valid)
    {
        int D = panel.DateCount, A = panel.AssetCount, F = Names.Count;
        var dates = new List<int>();
        for (var d = 0; d < D; d++) if (panel.Available[d * A + a]) dates.Add(d);
        var n = dates.Count;
        if (n == 0) return;
        double[] o = new double[n], h = new double[n], l = new double[n], c = new double[n], v = new double[n], r = new double[n], m = new double[n];
        for (var j = 0; j < n; j++)
        {
            var k = dates[j] * A + a;
            (o[j], h[j], l[j], c[j], v[j]) = (panel.Open[k], panel.High[k], panel.Low[k], panel.Close[k], panel.Volume[k]);
            r[j] = j > 0 ? Math.Log(c[j] / c[j - 1]) : double.NaN;
            m[j] = market[dates[j]];
        }
        Span<double> row = stackalloc double[F];
        for (var j = WarmUpBars; j < n; j++)
        {
            row[0] = Math.Log(c[j] / o[j]);
            row[1] = r[j];
            row[2] = Math.Log(h[j] / l[j]);
            row[3] = Math.Log((v[j] + 1) / (Mean(v, j - 19, j) + 1));
            row[4] = SampleStd(r, j - 19, j);
            row[5] = WilderRsiLast(c.AsSpan(j - WarmUpBars, WarmUpBars + 1), 14) / 100.0;
            row[6] = Correlation(r, m, j - 19, j);
            row[7] = Math.Log(c[j] / c[j - 5]);
            row[8] = Math.Log(c[j] / c[j - 20]);
            row[9] = Math.Log(c[j] / c[j - 60]);
            row[10] = Math.Log(c[j] / Mean(c, j - 19, j));
            var ok = true;
            foreach (var x in row) ok &= double.IsFinite(x);
            if (!ok) continue;
            var k = dates[j] * A + a;
            row.CopyTo(values.AsSpan(k * F, F));
            valid[k] = true;
        }
    }

    /// <summary>Wilder's RSI of the last close of <paramref name="close"/> (which holds more than <paramref name="period"/> closes), without allocating.</summary>
    internal static double WilderRsiLast(ReadOnlySpan<double> close, int period)
    {
        double avgGain = 0, avgLoss = 0;
        for (var j = 1; j < close.Length; j++)
        {
            var change = close[j] - close[j - 1];
            double gain = Math.Max(change, 0), loss = Math.Max(-change, 0);
            if (j <= period) { avgGain += gain / period; avgLoss += loss / period; }
            else { avgGain = (avgGain * (period - 1) + gain) / period; avgLoss = (avgLoss * (period - 1) + loss) / period; }
        }
        return avgLoss == 0 ? 100.0 : 100.0 - 100.0 / (1.0 + avgGain / avgLoss);
    }

    /// <summary>Wilder's RSI on closes; NaN before <paramref name="period"/> changes exist.</summary>
    internal static double[] WilderRsi(ReadOnlySpan<double> close, int period)
    {
        var rsi = new double[close.Length];
        Array.Fill(rsi, double.NaN);
        double avgGain = 0, avgLoss = 0;
        for (var j = 1; j < close.Length; j++)
        {
            var change = close[j] - close[j - 1];
            double gain = Math.Max(change, 0), loss = Math.Max(-change, 0);
            if (j <= period)
            {
                avgGain += gain / period;
                avgLoss += loss / period;
                if (j < period) continue;
            }
            else
            {
                avgGain = (avgGain * (period - 1) + gain) / period;
                avgLoss = (avgLoss * (period - 1) + loss) / period;
            }
            rsi[j] = avgLoss == 0 ? 100.0 : 100.0 - 100.0 / (1.0 + avgGain / avgLoss);
        }
        return rsi;
    }

    private static double Mean(double[] x, int from, int to)
    {
        var s = 0.0;
        for (var i = from; i <= to; i++) s += x[i];
        return s / (to - from + 1);
    }

    private static double SampleStd(double[] x, int from, int to)
    {
        var mean = Mean(x, from, to);
        var s = 0.0;
        for (var i = from; i <= to; i++) s += (x[i] - mean) * (x[i] - mean);
        return Math.Sqrt(s / (to - from));
    }

    private static double Correlation(double[] x, double[] y, int from, int to)
    {
        double mx = Mean(x, from, to), my = Mean(y, from, to), sxy = 0, sxx = 0, syy = 0;
        for (var i = from; i <= to; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : double.NaN;
    }
}
