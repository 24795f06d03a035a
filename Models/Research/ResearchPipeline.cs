using LeanModels.Models.Forecasting;

namespace LeanModels.Models.Research;

/// <summary>
/// The research pipeline up to out-of-sample forecasts (Qlib's handler → dataset → model.fit/predict): features and labels
/// from a panel, walk-forward folds over [Start, End], one fresh forecaster per fold.
/// </summary>
public static class ResearchPipeline
{
    /// <summary>Names accepted in <see cref="ResearchOptions.Models"/> (<see cref="ForecasterCatalog.Names"/>).</summary>
    public static IReadOnlyList<string> KnownModels => ForecasterCatalog.Names;

    /// <summary>Computes features, labels, folds and every model's out-of-sample forecasts.</summary>
    /// <param name="panel">Adjusted daily bars, none dated after <see cref="ResearchOptions.End"/>.</param>
    /// <param name="options">Run options; validated.</param>
    /// <param name="progress">Receives (model, folds done, folds total); may be null.</param>
    /// <param name="cancellationToken">Stops between folds.</param>
    /// <returns>The data of the run.</returns>
    /// <exception cref="ArgumentException">Options invalid, fewer than 2 assets, a bar after End, or no fold can be trained in range.</exception>
    public static ResearchData Run(Panel panel, ResearchOptions options, IProgress<(string Model, int Done, int Total)>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options.Validate();
        if (panel.AssetCount < 2)
            throw new ArgumentException($"cross-sectional metrics need at least 2 assets; the panel has {panel.AssetCount} ({string.Join(", ", panel.Tickers)}).");
        if (panel.DateCount > 0 && panel.Dates[^1] > options.End)
            throw new ArgumentException($"the panel holds bars up to {panel.Dates[^1]:yyyy-MM-dd}, after the run's end {options.End:yyyy-MM-dd}.");
        var builder = FeatureSetCatalog.Get(options.FeatureSet);
        var features = builder.Build(panel);
        var labels = Labels.ForwardLogReturn(panel, options.Horizon);
        var holding = Labels.NextOpenToOpenReturn(panel);
        var firstUsable = FirstValidDate(features);
        var folds = WalkForward.Build(firstUsable, panel.IndexOnOrAfter(options.Start), panel.DateCount, options.WalkForward);
        if (folds.Count == 0)
            throw new ArgumentException(
                $"no walk-forward fold fits in {options.Start:yyyy-MM-dd}..{options.End:yyyy-MM-dd}: the data starts {(panel.DateCount > 0 ? panel.Dates[0].ToString("yyyy-MM-dd") : "nowhere")}, features need {builder.WarmUpBars} bars, "
                + $"training at least {options.WalkForward.MinTrainDates} dates{(options.ValidationDays > 0 ? $", validation {options.ValidationDays} dates and a second purge" : "")} and a purge of {options.Horizon + 1}. Choose a later start or an earlier first date.");
        var forecasts = new Dictionary<string, double[]>();
        var seedForecasts = new Dictionary<string, IReadOnlyList<double[]>>();
        var lastModels = new Dictionary<string, IReturnForecaster>();
        foreach (var name in options.Models)
        {
            var reporter = progress is null ? null : new SyncProgress(i => progress.Report((name, i, folds.Count)));
            var trainer = ForecasterCatalog.CreateTrainer(name, options.RidgeLambda);
            var perSeed = new List<double[]>();
            foreach (var seed in options.SeedList)
            {
                // A trainer that ignores the seed gives the same forecasts for every seed: fit it once.
                if (perSeed.Count > 0 && !trainer.UsesSeed) { perSeed.Add(perSeed[0]); continue; }
                var training = new WalkForwardTrainingOptions(options.LabelNormalisation, seed, options.WarmStart);
                var (f, last) = WalkForwardPredictor.Run(features, builder.Specification, panel.Tickers, panel.Dates, labels, folds, trainer,
                    options.Horizon, training, reporter, cancellationToken);
                perSeed.Add(f);
                if (perSeed.Count == 1) lastModels[name] = last;
            }
            forecasts[name] = perSeed[0];
            seedForecasts[name] = perSeed;
        }
        return new ResearchData(panel, features, labels, holding, folds, forecasts, lastModels) { SeedForecasts = seedForecasts };
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
