using LeanModels.Models.Research.Metrics;

namespace LeanModels.Models.Research;

/// <summary>Turns a run's out-of-sample forecasts into signal and portfolio metrics (Qlib's SigAnaRecord and PortAnaRecord).</summary>
public static class ResearchEvaluation
{
    /// <summary>Evaluates every model over the test dates [EvaluationStart, EvaluationEnd) of <paramref name="data"/>.</summary>
    /// <param name="data">Forecasts, labels and holding returns from <see cref="ResearchPipeline.Run"/>.</param>
    /// <param name="options">The run's settings (costs, book sizes, horizon for the Newey–West lags).</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException">The options are invalid or the data holds no evaluated date.</exception>
    public static ResearchResult Evaluate(ResearchData data, ResearchOptions options)
    {
        options.Validate();
        int A = data.Panel.AssetCount, from = data.EvaluationStart, to = data.EvaluationEnd, D = to - from;
        if (D <= 0) throw new ArgumentException("ResearchEvaluation: no out-of-sample date to evaluate.", nameof(data));
        var topK = options.TopK > 0 ? Math.Min(options.TopK, A) : Math.Clamp(A / 3, 1, 50);          // Qlib's benchmark books: topk 50
        var nDrop = options.NDrop >= 0 ? Math.Min(options.NDrop, topK) : Math.Max(1, topK / 10);    // … and n_drop 5
        var labels = data.Labels.AsSpan(from * A, D * A);
        var returns = data.HoldingReturns.AsSpan(from * A, D * A);
        var results = new List<ModelResult>();
        foreach (var model in options.Models)
        {
            var forecast = data.Forecasts[model].AsSpan(from * A, D * A);
            results.Add(new ModelResult(
                model,
                SignalAnalysis.Analyse(forecast, labels, D, A, options.Horizon),
                PortfolioAnalysis.TopkDropout(forecast, returns, D, A, topK, nDrop, options.CostBps, ResearchOptions.TradingDaysPerYear),
                PortfolioAnalysis.LongShortQuantile(forecast, returns, D, A, options.Quantile, options.CostBps, ResearchOptions.TradingDaysPerYear)));
        }
        var benchmark = PortfolioAnalysis.EqualWeightBenchmark(returns, D, A, options.CostBps, ResearchOptions.TradingDaysPerYear);
        return new ResearchResult(options, data.Panel.Tickers, data.Panel.Dates[from], data.Panel.Dates[to - 1], D, data.Folds.Count,
            topK, nDrop, results, benchmark);
    }
}
