namespace LeanModels.Models.Forecasting;

/// <summary>
/// The input a forecaster declares: a lookback of T feature dates per asset, the bars its feature set needs before the
/// oldest of them, and how many days of the market proxy it reads. <see cref="TotalBars"/> is what a caller (the LEAN
/// alpha's rolling windows, <c>predict</c>) must keep per asset so that the window's features equal research's bit for bit.
/// </summary>
public sealed record InputWindow
{
    /// <summary>Initializes a window declaration.</summary>
    /// <param name="lookbackBars">T ≥ 1: feature dates per asset, the decision date last (1 for a model reading one date).</param>
    /// <param name="warmUpBars">Bars the feature set needs before a feature row is valid (≥ 0; <see cref="Research.IFeatureSetBuilder.WarmUpBars"/>).</param>
    /// <param name="marketProxyDays">Days of the market proxy the model reads, the decision date last (≥ 0).</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public InputWindow(int lookbackBars, int warmUpBars, int marketProxyDays = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lookbackBars, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(warmUpBars);
        ArgumentOutOfRangeException.ThrowIfNegative(marketProxyDays);
        LookbackBars = lookbackBars;
        WarmUpBars = warmUpBars;
        MarketProxyDays = marketProxyDays;
    }

    /// <summary>T, feature dates per asset in the window (the decision date included).</summary>
    public int LookbackBars { get; }

    /// <summary>Bars of history before the oldest window date that the features need.</summary>
    public int WarmUpBars { get; }

    /// <summary>M, days of the market proxy (equal-weight 1-day log return) the model reads, ending on the decision date.</summary>
    public int MarketProxyDays { get; }

    /// <summary>
    /// Bars per asset a prediction needs: max(warm-up + T, M + 1) (the proxy's oldest return needs the bar before it).
    /// 61 for the baselines (warm-up 60, T = 1); 120 for a 60-day lookback on the same features.
    /// </summary>
    public int TotalBars => Math.Max(WarmUpBars + LookbackBars, MarketProxyDays + 1);
}
