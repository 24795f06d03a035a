using LeanModels.Models.Research.Forecasters;

namespace LeanModels.Models.Research;

/// <summary>Runs a forecaster through walk-forward folds and collects its out-of-sample forecasts.</summary>
public static class WalkForwardPredictor
{
    /// <summary>
    /// For each fold: a fresh model from <paramref name="createModel"/> is fitted on the fold's training dates, then predicts
    /// each test date. Forecasts exist only on test dates; a fresh model per fold means nothing learnt on a later fold can
    /// reach an earlier one.
    /// </summary>
    /// <param name="features">The feature set.</param>
    /// <param name="labels">[D, A] labels (NaN = absent).</param>
    /// <param name="folds">Walk-forward folds (<see cref="WalkForward.Build"/>).</param>
    /// <param name="createModel">Creates an untrained model.</param>
    /// <param name="progress">Receives the number of folds done; may be null.</param>
    /// <param name="cancellationToken">Stops between folds.</param>
    /// <returns>[D, A] forecasts; NaN outside test blocks and where features are invalid.</returns>
    /// <exception cref="ArgumentException"><paramref name="labels"/> is not D·A long.</exception>
    public static double[] Run(FeatureSet features, double[] labels, IReadOnlyList<Fold> folds, Func<IForecaster> createModel,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        int D = features.DateCount, A = features.AssetCount;
        if (labels.Length != D * A)
            throw new ArgumentException($"WalkForwardPredictor: labels has {labels.Length} elements; expected D·A = {D}·{A}.", nameof(labels));
        var forecast = new double[D * A];
        Array.Fill(forecast, double.NaN);
        for (var i = 0; i < folds.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var fold = folds[i];
            var model = createModel();
            model.Fit(features, labels, fold.TrainDates);
            for (var d = fold.TestStart; d < fold.TestEnd; d++) model.Predict(features, d, forecast.AsSpan(d * A, A));
            progress?.Report(i + 1);
        }
        return forecast;
    }
}
