using LeanModels.Models.Forecasting;

namespace LeanModels.Models.Research;

/// <summary>Runs a trainer through walk-forward folds and collects its out-of-sample forecasts.</summary>
public static class WalkForwardPredictor
{
    /// <summary>
    /// For each fold the trainer fits a model on the fold's training (and validation) dates, which then predicts each test
    /// date through the contract (<see cref="IReturnForecaster.Predict"/> on the date's <see cref="FeatureWindow"/>).
    /// Forecasts exist only on test dates; a fold sees the previous fold's model only with
    /// <see cref="WalkForwardTrainingOptions.WarmStart"/>, and that model was itself fitted on earlier dates only.
    /// </summary>
    /// <param name="features">The feature set.</param>
    /// <param name="specification">Its specification.</param>
    /// <param name="tickers">[A] assets.</param>
    /// <param name="dates">[D] calendar.</param>
    /// <param name="labels">[D, A] labels (NaN = absent).</param>
    /// <param name="folds">Walk-forward folds (<see cref="WalkForward.Build"/>), at least one.</param>
    /// <param name="trainer">Fits one model per fold.</param>
    /// <param name="horizon">H of the labels.</param>
    /// <param name="training">Label normalisation, seed, warm start; null = defaults.</param>
    /// <param name="progress">Receives the number of folds done; may be null.</param>
    /// <param name="cancellationToken">Stops between folds.</param>
    /// <returns>[D, A] mean forecasts (NaN outside test blocks and where features are invalid) and the last fold's model.</returns>
    /// <exception cref="ArgumentException"><paramref name="labels"/> is not D·A long, or no fold is given.</exception>
    public static (double[] Forecasts, IReturnForecaster LastModel) Run(FeatureSet features, FeatureSpecification specification,
        IReadOnlyList<string> tickers, IReadOnlyList<DateOnly> dates, double[] labels, IReadOnlyList<Fold> folds,
        IForecasterTrainer trainer, int horizon, WalkForwardTrainingOptions? training = null, IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        int D = features.DateCount, A = features.AssetCount;
        if (labels.Length != D * A)
            throw new ArgumentException($"WalkForwardPredictor: labels has {labels.Length} elements; expected D·A = {D}·{A}.", nameof(labels));
        if (folds.Count == 0) throw new ArgumentException("WalkForwardPredictor: no fold to run.", nameof(folds));
        training ??= new WalkForwardTrainingOptions();
        var forecast = new double[D * A];
        Array.Fill(forecast, double.NaN);
        IReturnForecaster? model = null;
        for (var i = 0; i < folds.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var fold = folds[i];
            var data = new TrainingFold(features, specification, tickers, dates, labels, fold.TrainDates, fold.ValidationDates, horizon,
                training.LabelNormalisation, training.Seed, training.WarmStart ? model : null);
            model = trainer.Fit(data, cancellationToken);
            var fitted = model;
            var test = ForecasterExtensions.ForEachDate(fold.TestStart, fold.TestEnd, Math.Max(1, training.PredictionThreads),
                d => fitted.PredictDate(features, tickers, dates, d).Mean);
            for (var d = fold.TestStart; d < fold.TestEnd; d++) test[d - fold.TestStart].CopyTo(forecast.AsSpan(d * A, A));
            progress?.Report(i + 1);
        }
        return (forecast, model!);
    }
}
