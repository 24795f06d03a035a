using LeanModels.Models.Forecasting;

namespace LeanModels.Models.Research;

/// <summary>Runs a trainer through walk-forward folds and collects its out-of-sample forecasts.</summary>
public static class WalkForwardPredictor
{
    /// <summary>
    /// For each fold the trainer fits a new model on the fold's training dates, which then predicts each test date. Forecasts
    /// exist only on test dates, and each fold's model is built from scratch, so nothing learnt later can reach an earlier fold.
    /// </summary>
    /// <param name="features">The feature set.</param>
    /// <param name="labels">[D, A] labels (NaN = absent).</param>
    /// <param name="folds">Walk-forward folds (<see cref="WalkForward.Build"/>), at least one.</param>
    /// <param name="trainer">Fits one model per fold.</param>
    /// <param name="horizon">H of the labels.</param>
    /// <param name="progress">Receives the number of folds done; may be null.</param>
    /// <param name="cancellationToken">Stops between folds.</param>
    /// <returns>[D, A] forecasts (NaN outside test blocks and where features are invalid) and the last fold's model.</returns>
    /// <exception cref="ArgumentException"><paramref name="labels"/> is not D·A long, or no fold is given.</exception>
    public static (double[] Forecasts, IReturnForecaster LastModel) Run(FeatureSet features, double[] labels, IReadOnlyList<Fold> folds,
        IForecasterTrainer trainer, int horizon, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        int D = features.DateCount, A = features.AssetCount;
        if (labels.Length != D * A)
            throw new ArgumentException($"WalkForwardPredictor: labels has {labels.Length} elements; expected D·A = {D}·{A}.", nameof(labels));
        if (folds.Count == 0) throw new ArgumentException("WalkForwardPredictor: no fold to run.", nameof(folds));
        var forecast = new double[D * A];
        Array.Fill(forecast, double.NaN);
        IReturnForecaster? model = null;
        for (var i = 0; i < folds.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var fold = folds[i];
            model = trainer.Fit(features, labels, fold.TrainDates, horizon);
            for (var d = fold.TestStart; d < fold.TestEnd; d++) model.PredictFeatures(features, d, forecast.AsSpan(d * A, A));
            progress?.Report(i + 1);
        }
        return (forecast, model!);
    }
}
