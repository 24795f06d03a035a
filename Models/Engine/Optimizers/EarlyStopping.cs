namespace LeanModels.Models.Engine.Optimizers;

/// <summary>Early stopping on a validation loss (Prechelt 1998): stop after <see cref="Patience"/> consecutive reports that do
/// not improve the best by more than <see cref="MinDelta"/>. The caller keeps the best weights (e.g. saves them when
/// <see cref="Report"/> says it improved).</summary>
public sealed class EarlyStopping
{
    private int _bad;

    /// <summary>Creates the monitor.</summary>
    /// <param name="patience">Reports without improvement before stopping, ≥ 1.</param>
    /// <param name="minDelta">Smallest absolute decrease that counts as an improvement, ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public EarlyStopping(int patience, double minDelta = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(patience, 1);
        if (!(minDelta >= 0)) throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta, "EarlyStopping: minDelta must be ≥ 0.");
        (Patience, MinDelta) = (patience, minDelta);
    }

    /// <summary>Reports tolerated without improvement.</summary>
    public int Patience { get; }

    /// <summary>Smallest improvement.</summary>
    public double MinDelta { get; }

    /// <summary>Best loss so far (+∞ before the first report).</summary>
    public double Best { get; private set; } = double.PositiveInfinity;

    /// <summary>0-based index of the report that set <see cref="Best"/>; −1 before any.</summary>
    public int BestIndex { get; private set; } = -1;

    /// <summary>Number of reports so far.</summary>
    public int Reports { get; private set; }

    /// <summary>True once patience has run out.</summary>
    public bool ShouldStop => _bad >= Patience;

    /// <summary>Records one validation loss.</summary>
    /// <param name="loss">Monitored loss, finite.</param>
    /// <returns>True when this report improved on the best (save the weights now).</returns>
    /// <exception cref="ArgumentException"><paramref name="loss"/> is not finite.</exception>
    public bool Report(double loss)
    {
        if (!double.IsFinite(loss)) throw new ArgumentException($"EarlyStopping: loss {loss} is not finite.", nameof(loss));
        Reports++;
        if (loss < Best - MinDelta) { Best = loss; BestIndex = Reports - 1; _bad = 0; return true; }
        _bad++;
        return false;
    }
}
