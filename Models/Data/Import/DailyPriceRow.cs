namespace LeanModels.Models.Data.Import;

/// <summary>
/// One validated row of an Alpha Vantage <c>TIME_SERIES_DAILY_ADJUSTED</c> CSV
/// (<c>timestamp,open,high,low,close,adjusted_close,volume,dividend_amount,split_coefficient</c>; see
/// ../shared/data/README.md §2).
/// </summary>
/// <param name="Date">Trading day (exchange local, America/New_York).</param>
/// <param name="Open">Raw (unadjusted) open in dollars, exact decimal as written in the file, &gt; 0.</param>
/// <param name="High">Raw high in dollars, ≥ max(open, close).</param>
/// <param name="Low">Raw low in dollars, &gt; 0 and ≤ min(open, close).</param>
/// <param name="Close">Raw close in dollars, &gt; 0.</param>
/// <param name="AdjustedClose">Split- and dividend-adjusted close in dollars as computed by Alpha Vantage, &gt; 0.</param>
/// <param name="Volume">Shares traded, ≥ 0.</param>
/// <param name="DividendAmount">Cash dividend per share in dollars on its ex-date, 0 otherwise; ≥ 0.</param>
/// <param name="SplitCoefficient">New shares per old share on the split's ex-date, 1 otherwise; &gt; 0.</param>
/// <param name="LineNumber">1-based line of the row in its file (the header is line 1), for messages.</param>
public sealed record DailyPriceRow(
    DateOnly Date,
    decimal Open,
    decimal High,
    decimal Low,
    decimal Close,
    double AdjustedClose,
    long Volume,
    double DividendAmount,
    double SplitCoefficient,
    int LineNumber)
{
    /// <summary>adjusted_close / close: the cumulative adjustment Alpha Vantage applied to this day, a positive fraction.</summary>
    public double AdjustmentRatio => AdjustedClose / (double)Close;
}
