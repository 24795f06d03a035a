namespace LeanModels.Models.Regime;

/// <summary>Log-space helpers for the regime models (STYLE §7: likelihoods in double, HMM in log space).</summary>
internal static class LogMath
{
    /// <summary>ln 2π.</summary>
    public const double Log2Pi = 1.8378770664093454835606594728112;

    /// <summary>ln Σ exp(v): −∞ when every entry is −∞ (or the span is empty).</summary>
    public static double LogSumExp(ReadOnlySpan<double> v)
    {
        var max = double.NegativeInfinity;
        foreach (var x in v) if (x > max) max = x;
        if (double.IsNegativeInfinity(max)) return double.NegativeInfinity;
        var sum = 0.0;
        foreach (var x in v) sum += Math.Exp(x - max);
        return max + Math.Log(sum);
    }

    /// <summary>ln(e^a + e^b), −∞-safe.</summary>
    public static double LogAddExp(double a, double b)
    {
        if (double.IsNegativeInfinity(a)) return b;
        if (double.IsNegativeInfinity(b)) return a;
        return a > b ? a + Math.Log(1 + Math.Exp(b - a)) : b + Math.Log(1 + Math.Exp(a - b));
    }

    /// <summary>Natural log with ln 0 = −∞ (no exception).</summary>
    public static double SafeLog(double x) => x > 0 ? Math.Log(x) : double.NegativeInfinity;
}
