namespace LeanModels.Models.Data.Import;

/// <summary>
/// One imported ticker and its agreement check: the factor file as written (read back with <see cref="FactorFile.Read"/>)
/// applied with LEAN's rule to every CSV row, compared with the CSV's <c>adjusted_close</c>.
/// </summary>
/// <param name="Ticker">Lower-case ticker, the LEAN file name stem (<c>brk.b</c>).</param>
/// <param name="SourceFile">Input file name (no folder).</param>
/// <param name="Rows">Price rows imported (= daily bars written).</param>
/// <param name="FirstDate">First trading day.</param>
/// <param name="LastDate">Last trading day.</param>
/// <param name="FactorRows">Rows in the factor file, start and 2050-12-31 sentinel rows included.</param>
/// <param name="DividendEvents">Rows with dividend_amount &gt; 0.</param>
/// <param name="SplitEvents">Rows with split_coefficient ≠ 1.</param>
/// <param name="AgreeingRows">Rows whose |close × PriceScaleFactor(date) / adjusted_close − 1| ≤ the tolerance.</param>
/// <param name="WorstRelativeError">The signed close × PriceScaleFactor(date) / adjusted_close − 1 of largest magnitude, a fraction.</param>
/// <param name="WorstDate">Date of <paramref name="WorstRelativeError"/> (the first such date on ties).</param>
public sealed record TickerResult(
    string Ticker,
    string SourceFile,
    int Rows,
    DateOnly FirstDate,
    DateOnly LastDate,
    int FactorRows,
    int DividendEvents,
    int SplitEvents,
    int AgreeingRows,
    double WorstRelativeError,
    DateOnly WorstDate)
{
    /// <summary>Whether every row agrees within the tolerance.</summary>
    public bool AllAgree => AgreeingRows == Rows;
}
