namespace LeanModels.Models.Data.Import;

/// <summary>
/// Builds a LEAN factor file that reproduces a CSV's <c>adjusted_close</c> from the <c>adjusted_close / close</c> ratio.
/// </summary>
/// <remarks>
/// <para><b>Why the ratio.</b> On the S&amp;P 500 CSVs (../shared/data/README.md §2) factors rebuilt from the ratio reproduce
/// <c>adjusted_close</c> on 100% of 2.4 M rows within 0.5% (504/504 tickers), while factors built from the
/// dividend/split columns with LEAN's own CRSP convention reach only 94.23% (442/504 tickers; 75.40% within 0.1%).
/// The cause: LEAN's factor files multiply earlier price factors by <c>1 − D / C_prev</c> (dividend over the previous
/// day's close; AAPL: 0.9949942 / 0.9967882 = 1 − 0.82/455.61), whereas Alpha Vantage applies <c>C_ex / (C_ex + D)</c>
/// (ex-date close), which matches 99.33% of its dividend events within 1e-6. The two differ slightly per ordinary
/// dividend, compound over ~88 quarterly dividends, and differ by 1–7% on spin-offs recorded as cash dividends
/// (EBAY 2015-07-20: 0.42088 vs 0.42667). Even Alpha Vantage's formula on the columns fails three tickers (TMUS, TRMB,
/// ZBRA) whose split column disagrees with <c>adjusted_close</c>. So the factor files written here are <i>Alpha Vantage's</i>
/// adjustment in LEAN's format, not what LEAN's own data would contain; LEAN and these files differ slightly.</para>
/// <para><b>Rows.</b> For the rows ordered oldest → newest (index i):
/// splitFactor[i] = ∏ 1 / split_coefficient[j] over rows j &gt; i (later split ex-dates; LEAN's cumulative split factor);
/// priceFactor[i] = (adjusted_close[i] / close[i]) / splitFactor[i], so priceFactor × splitFactor = the ratio exactly.
/// A factor "changes" between i and i+1 when either factor's relative change exceeds <c>changeThreshold</c>. Consecutive
/// rows without a change form a segment. Emitted, ascending:
/// (1) a start row dated at the first CSV date with reference price 1 and the first segment's factors, as LEAN's files
/// begin (omitted when the first segment is a single day, whose own row then has that date);
/// (2) for every segment except the last, a row dated on its last trading day (the day before the change's ex-date)
/// with that day's factors and its raw close as reference price (LEAN <c>CorporateFactorRow</c> semantics);
/// (3) for the last segment, a row at the last CSV date only if its factors are not both 1 (adjusted_close normally
/// equals close after the last event);
/// (4) LEAN's sentinel <c>20501231,1,1,0</c>.
/// With LEAN's rule (a bar dated d uses the earliest row dated ≥ d, <see cref="FactorFile.PriceScaleFactor"/>) every CSV row
/// gets its own segment's factors back, so close × scale = adjusted_close up to the segment's drift below the threshold
/// and the 15-decimal text format.</para>
/// <para>Besides real events the ratio changes on a few glitch rows (TRMB 2007-02-23, ZBRA 2003-08-21 and 2004-08-25, WDC
/// 2020-07-17, data/README.md §2); they get rows too. When the split column disagrees with the ratio (TMUS 2013-05-01's
/// reverse split missing from the column), the price factor absorbs the difference and may exceed 1.</para>
/// </remarks>
public static class RatioFactorBuilder
{
    /// <summary>Relative change of a factor between consecutive days above which a new factor row is emitted.</summary>
    public const double DefaultChangeThreshold = 1e-9;

    /// <summary>Builds the factor rows for one ticker as described on <see cref="RatioFactorBuilder"/>.</summary>
    /// <param name="rows">[N] validated rows, strictly ascending by date, N ≥ 1 (as returned by <see cref="AlphaVantageCsv.Read"/>).</param>
    /// <param name="source">Name for the factor file's messages (e.g. the ticker).</param>
    /// <param name="changeThreshold">Relative change that starts a new row, a fraction &gt; 0; default 1e-9.</param>
    /// <returns>The factor file: start row, one row per factor change, the sentinel; factors finite and &gt; 0.</returns>
    /// <exception cref="ArgumentException"><paramref name="rows"/> is empty or not strictly ascending (the message gives the
    /// dates), or <paramref name="changeThreshold"/> is not finite and &gt; 0.</exception>
    public static FactorFile Build(IReadOnlyList<DailyPriceRow> rows, string source, double changeThreshold = DefaultChangeThreshold)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) throw new ArgumentException($"{source}: no rows to build factors from.", nameof(rows));
        if (!(double.IsFinite(changeThreshold) && changeThreshold > 0))
            throw new ArgumentOutOfRangeException(nameof(changeThreshold), changeThreshold, "must be finite and > 0.");
        for (var i = 1; i < rows.Count; i++)
            if (rows[i].Date <= rows[i - 1].Date)
                throw new ArgumentException($"{source}: rows must be strictly ascending; row {i} is {rows[i].Date:yyyy-MM-dd} after {rows[i - 1].Date:yyyy-MM-dd}.", nameof(rows));

        var n = rows.Count;
        var splitFactor = new double[n];                         // [N] ∏ 1/split over later ex-dates
        var priceFactor = new double[n];                         // [N] ratio / splitFactor
        var cumulative = 1.0;
        for (var i = n - 1; i >= 0; i--)
        {
            splitFactor[i] = cumulative;
            cumulative /= rows[i].SplitCoefficient;               // a split on ex-date i applies to the rows before i
        }
        for (var i = 0; i < n; i++) priceFactor[i] = rows[i].AdjustmentRatio / splitFactor[i];

        static bool Changed(double a, double b, double threshold) => Math.Abs(b / a - 1.0) > threshold;

        var result = new List<FactorRow>();
        for (var i = 0; i < n - 1; i++)
        {
            if (!Changed(priceFactor[i], priceFactor[i + 1], changeThreshold) && !Changed(splitFactor[i], splitFactor[i + 1], changeThreshold)) continue;
            if (result.Count == 0 && i > 0)                       // start row with the first segment's factors
                result.Add(new FactorRow(rows[0].Date, priceFactor[i], splitFactor[i], 1.0));
            result.Add(new FactorRow(rows[i].Date, priceFactor[i], splitFactor[i], (double)rows[i].Close));
        }
        var last = n - 1;
        var lastIsIdentity = !Changed(1.0, priceFactor[last], changeThreshold) && !Changed(1.0, splitFactor[last], changeThreshold);
        if (result.Count == 0)                                    // a single segment: start row with its factors
            result.Add(new FactorRow(rows[0].Date, priceFactor[last], splitFactor[last], 1.0));
        if (!lastIsIdentity && rows[last].Date > result[^1].Date)
            result.Add(new FactorRow(rows[last].Date, priceFactor[last], splitFactor[last], (double)rows[last].Close));
        result.Add(new FactorRow(AlphaVantageCsv.Sentinel, 1.0, 1.0, 0.0));
        return new FactorFile(result, source);
    }
}
