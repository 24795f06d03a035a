using LeanModels.Models.Research.Metrics;

namespace LeanModels.Models.Research;

/// <summary>Turns a run's out-of-sample forecasts into signal and portfolio metrics (Qlib's SigAnaRecord and PortAnaRecord).</summary>
public static class ResearchEvaluation
{
    /// <summary>Gross exposure Σ|w| of an allocation model's own book (<see cref="ModelResult.Allocation"/>).</summary>
    public const double AllocationGross = 1.0;

    /// <summary>True for a model whose forecast is an allocation weight, judged also as its own book.</summary>
    /// <param name="model">A model name.</param>
    /// <returns>True for <c>stockformer-alloc</c>.</returns>
    public static bool IsAllocation(string model) =>
        Forecasting.ForecasterCatalog.TryStockformer(model, out var o) && o == Stockformer.StockformerObjective.Allocation;

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
        var results = new List<ModelResult>();
        foreach (var model in options.Models)
        {
            ModelResult One(double[] all)
            {
                var forecast = all.AsSpan(from * A, D * A);
                var labels = data.Labels.AsSpan(from * A, D * A);
                var returns = data.HoldingReturns.AsSpan(from * A, D * A);
                return new ModelResult(
                    model,
                    SignalAnalysis.Analyse(forecast, labels, D, A, options.Horizon),
                    PortfolioAnalysis.TopkDropout(forecast, returns, D, A, topK, nDrop, options.CostBps, ResearchOptions.TradingDaysPerYear),
                    PortfolioAnalysis.LongShortQuantile(forecast, returns, D, A, options.Quantile, options.CostBps, ResearchOptions.TradingDaysPerYear))
                {
                    Allocation = IsAllocation(model)
                        ? PortfolioAnalysis.Allocation(forecast, returns, D, A, AllocationGross, options.CostBps, ResearchOptions.TradingDaysPerYear)
                        : null,
                };
            }
            var seeds = data.SeedForecasts.TryGetValue(model, out var list) && list.Count > 0 ? list : [data.Forecasts[model]];
            var perSeed = new List<ModelResult>();
            foreach (var f in seeds)
            {
                // A seed-independent trainer shares one forecast array across seeds: evaluate it once.
                var k = seeds.TakeWhile(x => !ReferenceEquals(x, f)).Count();
                perSeed.Add(k < perSeed.Count ? perSeed[k] : One(f));
            }
            results.Add(perSeed[0] with { PerSeed = perSeed });
        }
        var benchmark = PortfolioAnalysis.EqualWeightBenchmark(data.HoldingReturns.AsSpan(from * A, D * A), D, A, options.CostBps, ResearchOptions.TradingDaysPerYear);
        return new ResearchResult(options, data.Panel.Tickers, data.Panel.Dates[from], data.Panel.Dates[to - 1], D, data.Folds.Count,
            topK, nDrop, results, benchmark);
    }
}
