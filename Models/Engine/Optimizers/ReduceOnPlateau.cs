namespace LeanModels.Models.Engine.Optimizers;

/// <summary>Reduce-on-plateau, as PyTorch's <c>ReduceLROnPlateau</c> (mode "min", relative threshold): when the monitored
/// loss has not improved on the best by more than a relative <see cref="Threshold"/> for more than <see cref="Patience"/>
/// reports, the rate is multiplied by <see cref="Factor"/> (not below <see cref="MinRate"/>) and the count restarts.</summary>
public sealed class ReduceOnPlateau
{
    private double _best = double.PositiveInfinity;
    private int _bad;

    /// <summary>Creates the scheduler.</summary>
    /// <param name="initialRate">Starting rate, &gt; 0.</param>
    /// <param name="factor">Multiplier in (0, 1).</param>
    /// <param name="patience">Reports without improvement tolerated, ≥ 0.</param>
    /// <param name="threshold">Relative improvement that counts, ≥ 0 (1e-4 = 0.01 %).</param>
    /// <param name="minRate">Floor, ≥ 0.</param>
    /// <exception cref="ArgumentException">An argument is out of range.</exception>
    public ReduceOnPlateau(double initialRate, double factor = 0.1, int patience = 10, double threshold = 1e-4, double minRate = 0)
    {
        if (!(initialRate > 0) || !(factor > 0 && factor < 1) || patience < 0 || !(threshold >= 0) || !(minRate >= 0))
            throw new ArgumentException($"ReduceOnPlateau: rate {initialRate}, factor {factor}, patience {patience}, threshold {threshold}, min {minRate} out of range.");
        (Rate, Factor, Patience, Threshold, MinRate) = (initialRate, factor, patience, threshold, minRate);
    }

    /// <summary>Current rate.</summary>
    public double Rate { get; private set; }

    /// <summary>Multiplier.</summary>
    public double Factor { get; }

    /// <summary>Reports tolerated without improvement.</summary>
    public int Patience { get; }

    /// <summary>Relative improvement threshold.</summary>
    public double Threshold { get; }

    /// <summary>Floor.</summary>
    public double MinRate { get; }

    /// <summary>Records one validation loss and returns the rate to use next.</summary>
    /// <param name="loss">Monitored loss (lower is better), finite.</param>
    /// <returns><see cref="Rate"/> after this report.</returns>
    /// <exception cref="ArgumentException"><paramref name="loss"/> is not finite.</exception>
    public double Report(double loss)
    {
        if (!double.IsFinite(loss)) throw new ArgumentException($"ReduceOnPlateau: loss {loss} is not finite.", nameof(loss));
        if (loss < _best * (1 - Threshold) || double.IsPositiveInfinity(_best)) { _best = loss; _bad = 0; }
        else if (++_bad > Patience) { Rate = Math.Max(MinRate, Rate * Factor); _bad = 0; }
        return Rate;
    }
}
