using LeanModels.Models.Research.Metrics;

namespace LeanModels.Models.Forecasting;

/// <summary>
/// Early stopping on the validation segment for a deep-model trainer: after each epoch, report the validation Rank IC
/// (mean over validation dates of the Spearman correlation between forecast and raw label; higher is better) or a
/// validation loss (lower is better). On an improvement the trainer's <c>saveBest</c> callback runs (copy the weights,
/// e.g. with <see cref="ParameterSnapshot{T}"/>); once <see cref="ShouldStop"/> the trainer restores them. The validation
/// curve is kept for the report.
/// </summary>
public sealed class ValidationEarlyStopping
{
    private readonly Engine.Optimizers.EarlyStopping _monitor;
    private readonly List<double> _curve = [];

    /// <summary>Creates the monitor.</summary>
    /// <param name="maximise">True for Rank IC (higher is better), false for a loss.</param>
    /// <param name="patience">Epochs without improvement before stopping, ≥ 1.</param>
    /// <param name="minDelta">Smallest improvement that counts, ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public ValidationEarlyStopping(bool maximise, int patience, double minDelta = 0)
    {
        Maximise = maximise;
        _monitor = new Engine.Optimizers.EarlyStopping(patience, minDelta);
    }

    /// <summary>True when higher values are better (Rank IC).</summary>
    public bool Maximise { get; }

    /// <summary>0-based epoch of the best value; −1 before any report.</summary>
    public int BestEpoch => _monitor.BestIndex;

    /// <summary>Best validation value so far (NaN before any report).</summary>
    public double Best => _monitor.Reports == 0 ? double.NaN : Maximise ? -_monitor.Best : _monitor.Best;

    /// <summary>True once patience has run out.</summary>
    public bool ShouldStop => _monitor.ShouldStop;

    /// <summary>Validation value per epoch, in order.</summary>
    public IReadOnlyList<double> Curve => _curve;

    /// <summary>Records one epoch's validation value; calls <paramref name="saveBest"/> when it improves on the best.</summary>
    /// <param name="value">Validation Rank IC or loss; finite.</param>
    /// <param name="saveBest">Saves the current weights as the best; may be null.</param>
    /// <returns>True when this epoch is the new best.</returns>
    /// <exception cref="ArgumentException"><paramref name="value"/> is not finite.</exception>
    public bool Report(double value, Action? saveBest = null)
    {
        if (!double.IsFinite(value)) throw new ArgumentException($"ValidationEarlyStopping: validation value {value} at epoch {_curve.Count} is not finite.", nameof(value));
        _curve.Add(value);
        var improved = _monitor.Report(Maximise ? -value : value);
        if (improved) saveBest?.Invoke();
        return improved;
    }

    /// <summary>Mean Rank IC of <paramref name="model"/> over the fold's validation dates, on the raw label (dates with
    /// fewer than 2 assets finite in both are skipped).</summary>
    /// <param name="model">The model after an epoch.</param>
    /// <param name="fold">The fold; <see cref="TrainingFold.ValidationDates"/> must not be empty.</param>
    /// <param name="threads">Threads predicting validation dates concurrently, ≥ 1 (each date on its own; the result is
    /// bit-identical at any count, the Rank ICs being summed in date order).</param>
    /// <returns>Mean Rank IC in [−1, 1]; NaN when no date has 2 assets.</returns>
    /// <exception cref="ArgumentException">The fold has no validation date.</exception>
    public static double ValidationRankIC(IReturnForecaster model, TrainingFold fold, int threads = 1)
    {
        if (fold.ValidationDates.Count == 0) throw new ArgumentException("ValidationRankIC: the fold has no validation date (set ValidationDays > 0).", nameof(fold));
        double sum = 0;
        var n = 0;
        var dates = fold.ValidationDates;
        var ics = ForecasterExtensions.ForEachDate(0, dates.Count, threads,
            i => SignalMetrics.RankIC(model.Predict(fold.Window(dates[i], model.Window)).Mean, fold.RawLabels(dates[i])));
        foreach (var ic in ics)
        {
            if (double.IsNaN(ic)) continue;
            sum += ic;
            n++;
        }
        return n > 0 ? sum / n : double.NaN;
    }
}
