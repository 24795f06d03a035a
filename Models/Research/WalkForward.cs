namespace LeanModels.Models.Research;

/// <summary>
/// Walk-forward splits (López de Prado 2018, "Advances in Financial Machine Learning", ch. 7 and 12; Qlib's rolling
/// segments): consecutive test blocks of k days, each with a training set strictly before it. A label dated t covers opens
/// t + 1 … t + 1 + H, so it is known at the open of t + 1 + H; purging the last H + 1 dates before a block (training dates
/// ≤ s − H − 2 for a block starting at s) keeps every training label before the block's first decision, with one day to spare.
/// With <see cref="WalkForwardOptions.ValidationDays"/> &gt; 0 the window's last days become the validation segment and
/// the H + 1 dates before it are purged from training in the same way, so no training label overlaps a validation date's.
/// </summary>
public static class WalkForward
{
    /// <summary>Builds the folds covering test dates [<paramref name="firstTest"/>, <paramref name="endExclusive"/>).</summary>
    /// <param name="firstUsable">First date index whose features and labels may train a model (e.g. after feature warm-up).</param>
    /// <param name="firstTest">First date index that may be tested; the first block starts later if too few training dates precede it.</param>
    /// <param name="endExclusive">One past the last test date index.</param>
    /// <param name="options">Settings; validated.</param>
    /// <returns>Folds in time order; empty when no block can be trained.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range, or an index is negative.</exception>
    public static IReadOnlyList<Fold> Build(int firstUsable, int firstTest, int endExclusive, WalkForwardOptions options)
    {
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(firstUsable);
        ArgumentOutOfRangeException.ThrowIfNegative(firstTest);
        var purge = options.Horizon + 1;
        // Earliest block start s with at least MinTrainDates dates in [firstUsable, s − purge).
        // With a validation segment the training dates also leave room for it and for its own purge.
        var validationSpan = options.ValidationDays > 0 ? options.ValidationDays + purge : 0;
        var start = Math.Max(firstTest, firstUsable + options.MinTrainDates + purge + validationSpan);
        var folds = new List<Fold>();
        var embargoed = new List<(int From, int To)>();                 // [From, To) excluded from later training
        for (var s = start; s < endExclusive; s += options.RetrainEvery)
        {
            var e = Math.Min(s + options.RetrainEvery, endExclusive);
            var trainEnd = s - purge;                                   // exclusive
            var candidates = new List<int>();
            for (var d = firstUsable; d < trainEnd; d++)
                if (!embargoed.Any(r => d >= r.From && d < r.To)) candidates.Add(d);
            var train = options.Expanding || candidates.Count <= options.TrainWindow
                ? candidates
                : candidates.GetRange(candidates.Count - options.TrainWindow, options.TrainWindow);
            if (options.ValidationDays > 0 && train.Count > 0)
            {
                // Validation = the last ValidationDays of the window; training = the dates ≥ H + 1 days before it.
                var validation = train.GetRange(Math.Max(0, train.Count - options.ValidationDays), Math.Min(options.ValidationDays, train.Count));
                var fitted = train.Where(d => d < validation[0] - purge).ToList();
                folds.Add(new Fold(folds.Count, fitted, s, e) { ValidationDates = validation });
            }
            else folds.Add(new Fold(folds.Count, train, s, e));
            if (options.Embargo > 0) embargoed.Add((e, e + options.Embargo));
        }
        return folds;
    }
}
