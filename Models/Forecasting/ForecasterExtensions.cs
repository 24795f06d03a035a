using System.Runtime.ExceptionServices;
using LeanModels.Models.Research;

namespace LeanModels.Models.Forecasting;

/// <summary>Prediction from raw bars or from a research feature set, shared by <c>predict</c>, research and the LEAN alpha.</summary>
public static class ForecasterExtensions
{
    /// <summary>
    /// Builds the model's features of <paramref name="window"/> (the feature set named in <see cref="IReturnForecaster.Features"/>)
    /// and forecasts its last date. Features are window-local, so a panel holding each asset's last
    /// <see cref="InputWindow.TotalBars"/> bars gives bit-identical forecasts to a full-history panel, provided every asset's
    /// bars reach back over the window's dates (no asset with a gap longer than its spare bars).
    /// </summary>
    /// <param name="model">A trained model.</param>
    /// <param name="window">Adjusted daily bars of the cross-section, oldest first; its last date is the decision date.</param>
    /// <returns>Forecasts for the last date, checked by <see cref="Forecast.Validate"/>.</returns>
    /// <exception cref="ArgumentException">The window has no dates, or this build does not compute the model's feature set.</exception>
    /// <exception cref="InvalidOperationException">The model returned an invalid forecast (wrong length, out-of-range head).</exception>
    public static Forecast Predict(this IReturnForecaster model, Panel window)
    {
        if (window.DateCount == 0) throw new ArgumentException($"{model.Name}: the bar window is empty.", nameof(window));
        if (!FeatureSetCatalog.TryGet(model.Features, out var builder))
            throw new ArgumentException($"{model.Name}: this build does not compute feature set {model.Features}.", nameof(model));
        var features = builder!.Build(window);
        return model.PredictDate(features, window.Tickers, window.Dates, window.DateCount - 1);
    }

    /// <summary>Cuts the model's window of date <paramref name="date"/> out of a feature set (<see cref="FeatureWindow.FromFeatureSet"/>) and predicts it.</summary>
    /// <param name="model">A trained model.</param>
    /// <param name="features">[D, A, F] features of the model's feature set.</param>
    /// <param name="tickers">[A] assets.</param>
    /// <param name="dates">[D] calendar.</param>
    /// <param name="date">Decision date index.</param>
    /// <returns>The validated forecast.</returns>
    /// <exception cref="ArgumentException">Shapes disagree.</exception>
    /// <exception cref="InvalidOperationException">The model returned an invalid forecast.</exception>
    public static Forecast PredictDate(this IReturnForecaster model, FeatureSet features, IReadOnlyList<string> tickers, IReadOnlyList<DateOnly> dates, int date)
    {
        var window = FeatureWindow.FromFeatureSet(features, model.Features, tickers, dates, date, model.Window);
        var forecast = model.Predict(window);
        if (forecast.Tickers.Count != window.AssetCount || forecast.Mean.Length != window.AssetCount)
            throw new InvalidOperationException($"{model.Name}: returned {forecast.Mean.Length} forecasts for {window.AssetCount} assets.");
        forecast.Validate(model.Name);
        return forecast;
    }
    /// <summary>
    /// Runs <paramref name="predict"/> for every date index in [<paramref name="from"/>, <paramref name="to"/>) on up to
    /// <paramref name="threads"/> threads. Each date is predicted on its own (the forecasters' <see cref="IReturnForecaster.Predict"/>
    /// is thread-safe and a pure function of the date's window), so the results are bit-identical to a sequential loop at any
    /// thread count; only the order in which dates run differs. Used for the test days of a walk-forward fold and the
    /// validation days of a deep model's early stopping, where predicting the whole cross-section dominates the run time.
    /// </summary>
    /// <param name="from">First date index.</param>
    /// <param name="to">End date index (exclusive), ≥ <paramref name="from"/>.</param>
    /// <param name="threads">Maximum threads, ≥ 1 (1 = a plain loop on the calling thread).</param>
    /// <param name="predict">Maps a date index to its result; called once per date.</param>
    /// <typeparam name="TResult">The result per date.</typeparam>
    /// <returns>[to − from] results in date order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> &lt; 1 or <paramref name="to"/> &lt; <paramref name="from"/>.</exception>
    /// <remarks>An exception thrown for a date is rethrown as itself (the first one observed), not wrapped.</remarks>
    public static TResult[] ForEachDate<TResult>(int from, int to, int threads, Func<int, TResult> predict)
    {
        ArgumentNullException.ThrowIfNull(predict);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(to, from);
        var results = new TResult[to - from];
        if (threads == 1 || to - from < 2)
        {
            for (var d = from; d < to; d++) results[d - from] = predict(d);
            return results;
        }
        try
        {
            Parallel.For(from, to, new ParallelOptions { MaxDegreeOfParallelism = threads }, d => results[d - from] = predict(d));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        return results;
    }
}
