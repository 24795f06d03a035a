using LeanModels.Models.Forecasting;

namespace LeanModels.Models.Research;

/// <summary>
/// The research pipeline up to out-of-sample forecasts (Qlib's handler → dataset → model.fit/predict): features and labels
/// from a panel, walk-forward folds over [Start, End], one fresh forecaster per fold.
/// </summary>
public static class ResearchPipeline
{
    /// <summary>Names accepted in <see cref="ResearchOptions.Models"/> (<see cref="ForecasterCatalog.AllNames"/>: the baselines, the
    /// opt-in <c>lightgbm</c> and the Stockformers).</summary>
    public static IReadOnlyList<string> KnownModels => ForecasterCatalog.AllNames;

    /// <summary>The default model list (<see cref="ForecasterCatalog.Names"/>, the baselines).</summary>
    public static IReadOnlyList<string> DefaultModels => ForecasterCatalog.Names;

    /// <summary>Computes features, labels, folds and every model's out-of-sample forecasts.</summary>
    /// <param name="panel">Adjusted daily bars, none dated after <see cref="ResearchOptions.End"/>.</param>
    /// <param name="options">Run options; validated.</param>
    /// <param name="progress">Receives (model, folds done, folds total); may be null.</param>
    /// <param name="cancellationToken">Stops between folds.</param>
    /// <returns>The data of the run.</returns>
    /// <exception cref="InvalidOptionException">Options invalid or out of range for the data (<see cref="ResearchOptions.ValidateAgainst"/>),
    /// fewer than 2 assets, or no fold can be trained in range; the message gives advice that matches the case.</exception>
    /// <exception cref="ArgumentException">The panel holds a bar after End (a caller's bug).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static ResearchData Run(Panel panel, ResearchOptions options, IProgress<(string Model, int Done, int Total)>? progress = null,
        CancellationToken cancellationToken = default)
    {
        if (panel.AssetCount < 2)
            throw new InvalidOptionException($"cross-sectional metrics need at least 2 assets; the panel has {panel.AssetCount} ({string.Join(", ", panel.Tickers)}).");
        if (panel.DateCount > 0 && panel.Dates[^1] > options.End)
            throw new ArgumentException($"the panel holds bars up to {panel.Dates[^1]:yyyy-MM-dd}, after the run's end {options.End:yyyy-MM-dd}.");
        options.ValidateAgainst(panel);
        cancellationToken.ThrowIfCancellationRequested();
        var builder = FeatureSetCatalog.Get(options.FeatureSet);
        var features = builder.Build(panel);
        var labels = Labels.ForwardLogReturn(panel, options.Horizon);
        var holding = Labels.NextOpenToOpenReturn(panel);
        var firstUsable = FirstValidDate(features);
        var folds = WalkForward.Build(firstUsable, panel.IndexOnOrAfter(options.Start), panel.DateCount, options.WalkForward);
        if (folds.Count == 0) throw new InvalidOptionException(NoFoldMessage(panel, options, firstUsable, builder.WarmUpBars));
        RequireLabelledTestDays(panel, labels, folds[0].TestStart, folds[^1].TestEnd, options);
        var forecasts = new Dictionary<string, double[]>();
        var seedForecasts = new Dictionary<string, IReadOnlyList<double[]>>();
        var lastModels = new Dictionary<string, IReturnForecaster>();
        var reports = new Dictionary<string, IReadOnlyList<Stockformer.StockformerFitReport>>();
        var seconds = new Dictionary<string, double>();
        foreach (var name in options.Models)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var reporter = progress is null ? null : new SyncProgress(i => progress.Report((name, i, folds.Count)));
            var trainer = ForecasterCatalog.CreateTrainer(name, options.RidgeLambda, options.LightGbm, options.Stockformer, options.TwoStage);
            var perSeed = new List<double[]>();
            foreach (var seed in options.SeedList)
            {
                // A trainer that ignores the seed gives the same forecasts for every seed: fit it once.
                if (perSeed.Count > 0 && !trainer.UsesSeed) { perSeed.Add(perSeed[0]); continue; }
                var training = new WalkForwardTrainingOptions(options.LabelNormalisation, seed, options.WarmStart, Environment.ProcessorCount);
                var (f, last) = WalkForwardPredictor.Run(features, builder.Specification, panel.Tickers, panel.Dates, labels, folds, trainer,
                    options.Horizon, training, reporter, cancellationToken);
                perSeed.Add(f);
                if (perSeed.Count == 1)
                {
                    lastModels[name] = last;
                    if (trainer is SequenceTrainer deep) reports[name] = deep.Reports;
                }
            }
            forecasts[name] = perSeed[0];
            seedForecasts[name] = perSeed;
            seconds[name] = clock.Elapsed.TotalSeconds;
        }
        return new ResearchData(panel, features, labels, holding, folds, forecasts, lastModels)
        {
            SeedForecasts = seedForecasts, TrainingReports = reports, ModelSeconds = seconds,
        };
    }

    /// <summary>Why no walk-forward fold fits, with advice for the case: too little data before the end, or a start so late
    /// that nothing is left to test.</summary>
    private static string NoFoldMessage(Panel panel, ResearchOptions options, int firstUsable, int warmUpBars)
    {
        var wf = options.WalkForward;
        var purge = options.Horizon + 1;
        var needed = warmUpBars + wf.MinTrainDates + purge + 1;
        var span = $"the data up to {options.End:yyyy-MM-dd} holds {panel.DateCount} trading days ({panel.Dates[0]:yyyy-MM-dd}..{panel.Dates[^1]:yyyy-MM-dd})";
        var rule = $"a fold needs {warmUpBars} days of feature warm-up, {wf.MinTrainDates} training days{(options.ValidationDays > 0 ? $", {options.ValidationDays} validation days and a second purge" : "")} and a purge of {purge} before its first test day";
        if (firstUsable >= panel.DateCount || panel.DateCount < needed)
            return $"no walk-forward fold fits: {span}; {rule} ({needed} days in all). Choose a later end, or a shorter horizon.";
        var firstTestable = Math.Min(panel.DateCount - 1, firstUsable + wf.MinTrainDates + purge);
        return $"no walk-forward fold fits in {options.Start:yyyy-MM-dd}..{options.End:yyyy-MM-dd}: {span}; {rule}, so the first day that can be tested is {panel.Dates[firstTestable]:yyyy-MM-dd}. Choose a later end.";
    }

    /// <summary>Refuses a run whose test days hold fewer than 2 days with labels for at least 2 assets: its IC, ICIR and
    /// books would be undefined (a table of NaN with exit 0).</summary>
    private static void RequireLabelledTestDays(Panel panel, double[] labels, int from, int to, ResearchOptions options)
    {
        int A = panel.AssetCount, labelled = 0;
        for (var d = from; d < to && labelled < 2; d++)
        {
            var n = 0;
            for (var a = 0; a < A; a++) if (double.IsFinite(labels[d * A + a])) n++;
            if (n >= 2) labelled++;
        }
        if (labelled < 2)
            throw new InvalidOptionException(
                $"horizon {options.Horizon}: fewer than 2 of the test days {panel.Dates[from]:yyyy-MM-dd}..{panel.Dates[to - 1]:yyyy-MM-dd} have labels for 2 assets "
                + $"(a label needs the open {options.Horizon + 1} trading days after its decision day; the data ends {panel.Dates[^1]:yyyy-MM-dd}). Choose a shorter horizon or a later end.");
    }

    /// <summary>First date index on which any asset has a valid feature row; D when none.</summary>
    private static int FirstValidDate(FeatureSet features)
    {
        for (var d = 0; d < features.DateCount; d++)
            for (var a = 0; a < features.AssetCount; a++)
                if (features.IsValid(d, a)) return d;
        return features.DateCount;
    }

    /// <summary>An <see cref="IProgress{T}"/> that reports on the calling thread (no synchronisation context).</summary>
    private sealed class SyncProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
