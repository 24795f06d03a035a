using LeanModels.Models.Research;

namespace LeanModels.Models.Forecasting;

/// <summary>
/// Trains one model on a history panel ending "now" — what an algorithm's scheduled <c>Train</c> does inside LEAN, and what
/// the last walk-forward fold of <c>research</c> does: the training dates are the last <c>trainWindow</c> usable dates whose
/// label ends before the next decision, i.e. dates ≤ D − H − 2 (the last H + 1 dates are purged).
/// </summary>
public static class ForecasterTraining
{
    /// <summary>Fits <paramref name="trainer"/> on <paramref name="history"/>.</summary>
    /// <param name="history">Adjusted daily bars up to the current date (nothing later).</param>
    /// <param name="trainer">The model's trainer.</param>
    /// <param name="horizon">H ≥ 1 bars.</param>
    /// <param name="trainWindow">Most recent usable training dates to use (≥ 1).</param>
    /// <param name="featureSet">Feature set the model trains on, one of <see cref="FeatureSetCatalog.Names"/>; default <c>basic</c>.</param>
    /// <returns>The trained model and its training record.</returns>
    /// <exception cref="ArgumentException">No usable training date (too little history), fewer than 2 assets, an unknown feature
    /// set, or bad arguments.</exception>
    public static LoadedArtifact Fit(Panel history, IForecasterTrainer trainer, int horizon, int trainWindow, string featureSet = FeatureSetCatalog.Default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(trainWindow, 1);
        if (history.AssetCount < 2) throw new ArgumentException($"training needs at least 2 assets; the history has {history.AssetCount}.", nameof(history));
        var builder = FeatureSetCatalog.Get(featureSet);
        var features = builder.Build(history);
        var labels = Labels.ForwardLogReturn(history, horizon);
        var dates = new List<int>();
        for (var d = 0; d <= history.DateCount - horizon - 2; d++)
        {
            var usable = false;
            for (var a = 0; a < history.AssetCount && !usable; a++) usable = features.IsValid(d, a) && double.IsFinite(labels[d * history.AssetCount + a]);
            if (usable) dates.Add(d);
        }
        if (dates.Count == 0)
            throw new ArgumentException($"no usable training date in {history.DateCount} dates: features need {builder.WarmUpBars} bars and labels {horizon + 2} more.", nameof(history));
        if (dates.Count > trainWindow) dates = dates.GetRange(dates.Count - trainWindow, trainWindow);
        var model = trainer.Fit(new TrainingFold(features, builder.Specification, history.Tickers, history.Dates, labels, dates, [], horizon));
        return new LoadedArtifact(model, new ArtifactTraining(history.Dates[dates[0]], history.Dates[dates[^1]],
            history.Dates[dates[^1] + 1 + horizon], dates.Count, history.Tickers));
    }
}
