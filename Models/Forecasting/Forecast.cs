namespace LeanModels.Models.Forecasting;

/// <summary>
/// A forecaster's output for one decision date. <see cref="Mean"/> is always there; the other heads are null unless the
/// model has them (a deep model with quantile, direction or allocation heads). Every array is [A], aligned with
/// <see cref="Tickers"/>; NaN marks an asset without a forecast (masked on the decision date, too little history).
/// </summary>
/// <param name="Date">The decision date (forecasts trade from the next open).</param>
/// <param name="Tickers">[A] assets, in the order of the input window.</param>
/// <param name="Mean">[A] forecast log return over the model's horizon H from the next open.</param>
/// <param name="Confidence">[A] confidence in [0, 1] when the model has one, else null (the LEAN insight's confidence).</param>
public sealed record Forecast(DateOnly Date, IReadOnlyList<string> Tickers, double[] Mean, double[]? Confidence)
{
    /// <summary>[A] 0.1 quantile of the log return over H, or null.</summary>
    public double[]? Quantile10 { get; init; }

    /// <summary>[A] median (0.5 quantile) of the log return over H, or null.</summary>
    public double[]? Quantile50 { get; init; }

    /// <summary>[A] 0.9 quantile of the log return over H, or null.</summary>
    public double[]? Quantile90 { get; init; }

    /// <summary>[A] probability in [0, 1] that the log return over H is positive, or null.</summary>
    public double[]? UpProbability { get; init; }

    /// <summary>[A] allocation weight in [−1, 1] (signed fraction of the book before the portfolio's caps), or null.</summary>
    public double[]? Allocation { get; init; }

    /// <summary>
    /// Checks what every consumer relies on: each array is [A]; confidence and up-probability lie in [0, 1], allocations in
    /// [−1, 1]; quantiles do not cross (q10 ≤ q50 ≤ q90); no value is ±∞ (NaN only marks a missing forecast).
    /// </summary>
    /// <param name="model">Model name for the message.</param>
    /// <exception cref="InvalidOperationException">A rule is broken; the message names the model, the head, the ticker and the value.</exception>
    public void Validate(string model)
    {
        var A = Tickers.Count;
        void Check(string head, double[]? values, double lo, double hi)
        {
            if (values is null) return;
            if (values.Length != A) throw new InvalidOperationException($"{model}: head '{head}' has {values.Length} values for {A} assets.");
            for (var a = 0; a < A; a++)
                if (!double.IsNaN(values[a]) && !(values[a] >= lo && values[a] <= hi))
                    throw new InvalidOperationException($"{model}: head '{head}' gives {Tickers[a]} on {Date:yyyy-MM-dd} the value {values[a]}, outside [{lo}, {hi}].");
        }
        Check("mean", Mean, double.MinValue, double.MaxValue);
        Check("confidence", Confidence, 0, 1);
        Check("quantile10", Quantile10, double.MinValue, double.MaxValue);
        Check("quantile50", Quantile50, double.MinValue, double.MaxValue);
        Check("quantile90", Quantile90, double.MinValue, double.MaxValue);
        Check("upProbability", UpProbability, 0, 1);
        Check("allocation", Allocation, -1, 1);
        if (Quantile10 is { } q10 && Quantile50 is { } q50 && Quantile90 is { } q90)
            for (var a = 0; a < A; a++)
                if (q10[a] > q50[a] || q50[a] > q90[a])
                    throw new InvalidOperationException($"{model}: quantiles cross for {Tickers[a]} on {Date:yyyy-MM-dd}: q10 {q10[a]}, q50 {q50[a]}, q90 {q90[a]}.");
    }
}
