namespace LeanModels.Models.Engine.Optimizers;

/// <summary>Step decay, as PyTorch's <c>StepLR</c>: lr(e) = base·γ^⌊e / stepSize⌋ for 0-based epoch e.</summary>
public sealed class StepSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="baseRate">Initial rate, &gt; 0.</param>
    /// <param name="stepSize">Epochs between decays, ≥ 1.</param>
    /// <param name="gamma">Factor per decay, in (0, 1].</param>
    /// <exception cref="ArgumentException">An argument is out of range.</exception>
    public StepSchedule(double baseRate, int stepSize, double gamma = 0.1)
    {
        if (!(baseRate > 0) || stepSize < 1 || !(gamma > 0 && gamma <= 1))
            throw new ArgumentException($"StepSchedule: base {baseRate}, step size {stepSize}, gamma {gamma}; need base > 0, step ≥ 1, 0 < gamma ≤ 1.");
        (BaseRate, StepSize, Gamma) = (baseRate, stepSize, gamma);
    }

    /// <summary>Initial rate.</summary>
    public double BaseRate { get; }

    /// <summary>Epochs between decays.</summary>
    public int StepSize { get; }

    /// <summary>γ.</summary>
    public double Gamma { get; }

    /// <summary>Rate for a 0-based epoch.</summary>
    /// <param name="epoch">Epoch ≥ 0.</param>
    /// <returns>The rate.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> &lt; 0.</exception>
    public double RateAt(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        return BaseRate * Math.Pow(Gamma, epoch / StepSize);
    }
}
