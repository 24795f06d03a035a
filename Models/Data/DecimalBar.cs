namespace LeanModels.Models.Data;

/// <summary>
/// One OHLCV bar in <see cref="decimal"/>, exactly as LEAN carries it in a <c>TradeBar</c>: equity prices are the file's
/// integer deci-cents × 0.0001m, adjusted by decimal factor-file products (LEAN <c>Extensions.Scale</c>). Converting each
/// field with <c>(double)</c> gives the <see cref="Bar"/> our readers return — the same conversion a LEAN module applies,
/// so research, <c>predict</c> and an algorithm see the same doubles.
/// </summary>
/// <param name="Time">Bar start in the exchange time zone.</param>
/// <param name="Open">Open in the quote currency.</param>
/// <param name="High">High.</param>
/// <param name="Low">Low.</param>
/// <param name="Close">Close.</param>
/// <param name="Volume">Volume (adjusted equity volume: ÷ the price scale factor, rounded half to even).</param>
public readonly record struct DecimalBar(DateTime Time, decimal Open, decimal High, decimal Low, decimal Close, decimal Volume)
{
    /// <summary>The bar's date in the exchange time zone.</summary>
    public DateOnly Date => DateOnly.FromDateTime(Time);

    /// <summary>Each field converted with <c>(double)</c>.</summary>
    /// <returns>The double bar.</returns>
    public Bar ToBar() => new(Time, (double)Open, (double)High, (double)Low, (double)Close, (double)Volume);
}
