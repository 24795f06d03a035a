using LeanModels.Models.Forecasting;

namespace LeanModels.Tests.Models.Forecasting;

/// <summary>
/// A test trainer that uses the validation segment as a deep-model trainer does: each "epoch" fits ridge with the next
/// λ of a grid on the training dates (normalised labels), scores it by validation Rank IC on the raw label through
/// <see cref="ValidationEarlyStopping"/>, keeps the best, and stops when patience runs out. The best validation Rank IC
/// is then added (× 1e-3) to the intercept, so every bit of every validation label reaches the forecasts: a look-ahead
/// test sees a leak through the validation segment even when it would not flip the choice of λ.
/// </summary>
internal sealed class ValidatedRidgeTrainer(int patience = 2) : IForecasterTrainer
{
    public static readonly double[] Grid = [10, 1, 0.1, 0.01, 0.001];

    public string Name => "ridge-validated";

    public ValidationEarlyStopping? LastMonitor { get; private set; }

    public IReturnForecaster Fit(TrainingFold fold, CancellationToken cancellationToken = default)
    {
        var monitor = new ValidationEarlyStopping(maximise: true, patience);
        IReturnForecaster? best = null;
        foreach (var lambda in Grid)
        {
            var model = new RidgeTrainer(lambda).Fit(fold, cancellationToken);
            var ic = ValidationEarlyStopping.ValidationRankIC(model, fold);
            monitor.Report(double.IsNaN(ic) ? -1 : ic, () => best = model);
            if (monitor.ShouldStop) break;
        }
        LastMonitor = monitor;
        var ridge = (RidgeModel)best!;
        var beta = ridge.Coefficients.ToArray();
        beta[^1] += 1e-3 * monitor.Best;
        return new RidgeModel(ridge.Normaliser, beta, ridge.Horizon, ridge.Features, ridge.Window.WarmUpBars);
    }
}
