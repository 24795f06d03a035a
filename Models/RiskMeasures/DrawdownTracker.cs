namespace LeanModels.Models.RiskMeasures;

/// <summary>
/// Online drawdown of an equity curve: drawdown = 1 − equity / running peak, a fraction in [0, 1) (STYLE §3). Feed one
/// equity value per bar with <see cref="Update"/>; the static <see cref="Drawdowns"/> does a whole series. Not thread-safe.
/// </summary>
public sealed class DrawdownTracker
{
    /// <summary>Running peak of equity (0 before the first update).</summary>
    public double Peak { get; private set; }

    /// <summary>Current drawdown, a fraction in [0, 1).</summary>
    public double Drawdown { get; private set; }

    /// <summary>Largest drawdown seen so far.</summary>
    public double MaxDrawdown { get; private set; }

    /// <summary>Bars since the running peak was set (0 at a new peak).</summary>
    public int BarsSincePeak { get; private set; }

    /// <summary>Longest run of bars spent below a peak so far.</summary>
    public int LongestDrawdownBars { get; private set; }

    /// <summary>Bars consumed.</summary>
    public int Count { get; private set; }

    /// <summary>Consumes one equity value.</summary>
    /// <param name="equity">Portfolio value (any currency unit), finite and &gt; 0.</param>
    /// <returns>The drawdown after this bar.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Equity is not finite or ≤ 0; the tracker is unchanged.</exception>
    public double Update(double equity)
    {
        if (!(equity > 0 && double.IsFinite(equity)))
            throw new ArgumentOutOfRangeException(nameof(equity), equity, $"DrawdownTracker.Update: equity at bar {Count} is {equity}; it must be finite and > 0.");
        Count++;
        if (equity >= Peak)
        {
            Peak = equity;
            Drawdown = 0;
            BarsSincePeak = 0;
            return 0;
        }
        Drawdown = 1 - equity / Peak;
        BarsSincePeak++;
        if (Drawdown > MaxDrawdown) MaxDrawdown = Drawdown;
        if (BarsSincePeak > LongestDrawdownBars) LongestDrawdownBars = BarsSincePeak;
        return Drawdown;
    }

    /// <summary>Drawdown series of an equity curve: destination[t] = 1 − equity[t] / max(equity[0..t]).</summary>
    /// <param name="equity">[T] equity values, finite and &gt; 0, oldest first.</param>
    /// <param name="destination">[T] drawdowns as fractions.</param>
    /// <returns>The maximum drawdown (0 for an empty series).</returns>
    /// <exception cref="ArgumentException">Lengths differ (both given).</exception>
    /// <exception cref="ArgumentOutOfRangeException">An equity value is not finite or ≤ 0 (its index is in the message).</exception>
    public static double Drawdowns(ReadOnlySpan<double> equity, Span<double> destination)
    {
        if (destination.Length != equity.Length)
            throw new ArgumentException($"DrawdownTracker.Drawdowns: equity has {equity.Length} values, destination {destination.Length}.", nameof(destination));
        var tracker = new DrawdownTracker();
        for (var t = 0; t < equity.Length; t++) destination[t] = tracker.Update(equity[t]);
        return tracker.MaxDrawdown;
    }
}
