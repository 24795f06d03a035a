namespace LeanModels.Models.Research;

/// <summary>
/// Labels and holding returns. Convention: a decision is made after the close of date t and trades at the next open
/// (t + 1), which is how LEAN fills a market order sent after a daily bar. The label is the log return from that open over
/// the next <c>horizon</c> bars: label_t = log(O_{t+1+H} / O_{t+1}). All indices are on the panel's union calendar; a label
/// needs bars at t, t + 1 and t + 1 + H, otherwise it is NaN (absent), never forward-filled.
/// </summary>
public static class Labels
{
    /// <summary>Forward <paramref name="horizon"/>-bar log return from the next open.</summary>
    /// <param name="panel">Adjusted daily bars.</param>
    /// <param name="horizon">H ≥ 1 bars.</param>
    /// <returns>[D, A] log return over H days; NaN where absent (including the last H + 1 dates).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="horizon"/> &lt; 1.</exception>
    public static double[] ForwardLogReturn(Panel panel, int horizon)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        int D = panel.DateCount, A = panel.AssetCount;
        var label = new double[D * A];
        Array.Fill(label, double.NaN);
        for (var d = 0; d + 1 + horizon < D; d++)
            for (var a = 0; a < A; a++)
            {
                int k0 = d * A + a, k1 = (d + 1) * A + a, k2 = (d + 1 + horizon) * A + a;
                if (panel.Available[k0] && panel.Available[k1] && panel.Available[k2])
                    label[k0] = Math.Log(panel.Open[k2] / panel.Open[k1]);
            }
        return label;
    }

    /// <summary>
    /// The simple return a position decided after the close of t earns until the next daily rebalance:
    /// O_{t+2} / O_{t+1} − 1 (enter at the next open, leave at the open after). When the asset has a bar at t + 1 but none
    /// at t + 2 (a halt or delisting), the position is taken to leave at the close of t + 1: C_{t+1} / O_{t+1} − 1. So the
    /// return is defined exactly when the entry open exists, which is known when the order executes: a backtest that only
    /// buys assets with a finite return uses no knowledge of later bars.
    /// </summary>
    /// <param name="panel">Adjusted daily bars.</param>
    /// <returns>[D, A] simple return per day; NaN where the asset has no bar at t + 1 (and on the last date).</returns>
    public static double[] NextOpenToOpenReturn(Panel panel)
    {
        int D = panel.DateCount, A = panel.AssetCount;
        var ret = new double[D * A];
        Array.Fill(ret, double.NaN);
        for (var d = 0; d + 1 < D; d++)
            for (var a = 0; a < A; a++)
            {
                int k1 = (d + 1) * A + a, k2 = (d + 2) * A + a;
                if (!panel.Available[k1]) continue;
                var exit = d + 2 < D && panel.Available[k2] ? panel.Open[k2] : panel.Close[k1];
                ret[d * A + a] = exit / panel.Open[k1] - 1.0;
            }
        return ret;
    }
}
