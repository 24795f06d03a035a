using System.Text.Json.Nodes;
using LeanModels.Models.Forecasting;
using LeanModels.Models.Research;

namespace LeanModels.Tests.LeanAlgorithms;

/// <summary>
/// A test sequence model with a T-day lookback: forecast = mean over the asset's available window steps of one basic
/// feature (momentum5 by default), NaN when the asset is masked on the decision date; confidence = share of available
/// steps; allocation = tanh(100 × forecast); quantiles = forecast ∓ 0.01. It reads every step of the window, so a caller
/// that keeps too few bars, or fills instead of masking, changes its numbers.
/// </summary>
public sealed class WindowMeanModel(int lookback, int horizon = 5, string feature = "momentum5") : IReturnForecaster
{
    /// <inheritdoc />
    public string Name => $"window-mean{lookback}";

    /// <inheritdoc />
    public int Horizon => horizon;

    /// <inheritdoc />
    public InputWindow Window { get; } = new(lookback, FeatureBuilder.WarmUpBars);

    /// <inheritdoc />
    public FeatureSpecification Features => FeatureSetCatalog.Get(FeatureSetCatalog.Default).Specification;

    /// <inheritdoc />
    public Forecast Predict(FeatureWindow window)
    {
        int A = window.AssetCount, T = window.LookbackBars;
        var f = window.Features.FeatureNames.ToList().IndexOf(feature);
        double[] mean = new double[A], confidence = new double[A], allocation = new double[A], q10 = new double[A], q90 = new double[A];
        for (var a = 0; a < A; a++)
        {
            if (!window.IsAvailable(a, T - 1))
            {
                mean[a] = confidence[a] = allocation[a] = q10[a] = q90[a] = double.NaN;
                continue;
            }
            double sum = 0;
            var n = 0;
            for (var t = 0; t < T; t++)
                if (window.IsAvailable(a, t)) { sum += window.Row(a, t)[f]; n++; }
            mean[a] = sum / n;
            confidence[a] = (double)n / T;
            allocation[a] = Math.Tanh(100 * mean[a]);
            (q10[a], q90[a]) = (mean[a] - 0.01, mean[a] + 0.01);
        }
        return new Forecast(window.Date, window.Tickers, mean, confidence)
        {
            Quantile10 = q10, Quantile50 = (double[])mean.Clone(), Quantile90 = q90, Allocation = allocation,
        };
    }

    /// <inheritdoc />
    public ModelState State() => new("window-mean", new JsonObject { ["lookback"] = lookback }, null, []);
}
