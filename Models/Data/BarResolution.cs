namespace LeanModels.Models.Data;

/// <summary>Bar size of a LEAN data file (LEAN's <c>Resolution</c> without Tick and Second, which the project does not read).</summary>
public enum BarResolution
{
    /// <summary>One-minute bars, one zip per ticker and day: <c>minute/&lt;ticker&gt;/&lt;yyyyMMdd&gt;_trade.zip</c>.</summary>
    Minute,

    /// <summary>Hour bars, one zip per ticker: <c>hour/&lt;ticker&gt;.zip</c>; the label is the bar start (09:00 holds 09:30–10:00).</summary>
    Hour,

    /// <summary>Daily bars, one zip per ticker: <c>daily/&lt;ticker&gt;.zip</c>, one regular session per row.</summary>
    Daily,
}
