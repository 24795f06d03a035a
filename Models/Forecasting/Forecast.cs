namespace LeanModels.Models.Forecasting;

/// <summary>Forecasts for one decision date.</summary>
/// <param name="Date">The decision date (forecasts trade from the next open).</param>
/// <param name="Tickers">[A] assets, in the order of the input panel.</param>
/// <param name="Mean">[A] forecast log return over the model's horizon; NaN where an asset has no forecast (no bar that day,
/// too little history).</param>
/// <param name="Confidence">[A] confidence in [0, 1] when the model has one, else null.</param>
public sealed record Forecast(DateOnly Date, IReadOnlyList<string> Tickers, double[] Mean, double[]? Confidence);
