namespace LeanModels.Models.Engine.Optimizers;

/// <summary>Linear warm-up then cosine decay (Loshchilov &amp; Hutter 2017, SGDR, without restarts; Goyal et al. 2017 for the
/// warm-up): lr(s) = base·s/W for s ≤ W, then min + (base − min)·½(1 + cos(π·(s − W)/(S − W))), constant at min after S.</summary>
public sealed class WarmupCosineSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="baseRate">Peak learning rate, &gt; 0.</param>
    /// <param name="warmupSteps">W ≥ 0 steps of linear warm-up.</param>
    /// <param name="totalSteps">S &gt; W, the step at which the cosine reaches <paramref name="minRate"/>.</param>
    /// <param name="minRate">Floor, in [0, base]; the optimiser needs it &gt; 0 to accept the final rate.</param>
    /// <exception cref="ArgumentException">An argument is out of range.</exception>
    public WarmupCosineSchedule(double baseRate, int warmupSteps, int totalSteps, double minRate = 0)
    {
        if (!(baseRate > 0) || warmupSteps < 0 || totalSteps <= warmupSteps || !(minRate >= 0 && minRate <= baseRate))
            throw new ArgumentException($"WarmupCosineSchedule: base {baseRate}, warm-up {warmupSteps}, total {totalSteps}, min {minRate}; need base > 0, 0 ≤ W < S, 0 ≤ min ≤ base.");
        (BaseRate, WarmupSteps, TotalSteps, MinRate) = (baseRate, warmupSteps, totalSteps, minRate);
    }

    /// <summary>Peak rate.</summary>
    public double BaseRate { get; }

    /// <summary>W.</summary>
    public int WarmupSteps { get; }

    /// <summary>S.</summary>
    public int TotalSteps { get; }

    /// <summary>Floor.</summary>
    public double MinRate { get; }

    /// <summary>Learning rate for a 1-based step.</summary>
    /// <param name="step">Step number, ≥ 1.</param>
    /// <returns>The rate.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> &lt; 1.</exception>
    public double RateAt(int step)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        if (step <= WarmupSteps) return BaseRate * step / WarmupSteps;
        if (step >= TotalSteps) return MinRate;
        var progress = (double)(step - WarmupSteps) / (TotalSteps - WarmupSteps);
        return MinRate + (BaseRate - MinRate) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
