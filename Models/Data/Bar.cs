namespace LeanModels.Models.Data;

/// <summary>
/// One OHLCV bar as read from a LEAN data file. Prices are in the quote currency (dollars for US equities, already divided
/// by 10,000), adjusted as requested; volume in shares (equities) or base-currency units (crypto).
/// </summary>
/// <param name="Time">Bar start in the exchange time zone (America/New_York for US equities, UTC for Coinbase crypto); daily
/// bars carry the date at 00:00, as in the file.</param>
/// <param name="Open">First trade price of the bar.</param>
/// <param name="High">Highest trade price.</param>
/// <param name="Low">Lowest trade price.</param>
/// <param name="Close">Last trade price.</param>
/// <param name="Volume">Traded volume; for adjusted equity bars divided by the price scale factor and rounded, as LEAN does.</param>
public readonly record struct Bar(DateTime Time, double Open, double High, double Low, double Close, double Volume)
{
    /// <summary>The bar's date in the exchange time zone.</summary>
    public DateOnly Date => DateOnly.FromDateTime(Time);
}
