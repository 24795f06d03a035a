using LeanModels.Models.Forecasting;

namespace LeanModels.Models.Research;

/// <summary>
/// The research pipeline up to out-of-sample forecasts (Qlib's handler → dataset → model.fit/predict): features and labels
/// from a panel, walk-forward folds over [Start, End], one fresh forecaster per fold.
/// </summary>
public static class ResearchPipeline
{
    /// <summary>Models run by default (<see cref="ForecasterCatalog.Names"/>); <see cref="ForecasterCatalog.AllNames"/> lists every accepted one.</summary>
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
        // Each feature set a model asks for is built once; the default set is always built (regime models and reports read it).
        var featureSets = new Dictionary<string, FeatureSet> { [Features.FeatureSets.Default] = FeatureBuilder.Build(panel) };
        foreach (var spec in options.Models)
        {
            var set = ForecasterCatalog.Parse(spec, options.Features).Features;
            if (!featureSets.ContainsKey(set)) featureSets[set] = Features.FeatureSets.Build(set, panel);
        }
        var features = featureSets[Features.FeatureSets.Default];
        var labels = Labels.ForwardLogReturn(panel, options.Horizon);
        var holding = Labels.NextOpenToOpenReturn(panel);
        var firstUsable = featureSets.Values.Max(FirstValidDate);
        var folds = WalkForward.Build(firstUsable, panel.IndexOnOrAfter(options.Start), panel.DateCount, options.WalkForward);
        if (folds.Count == 0)
            throw new ArgumentException(
                $"no walk-forward fold fits in {options.Start:yyyy-MM-dd}..{options.End:yyyy-MM-dd}: the data starts {(panel.DateCount > 0 ? panel.Dates[0].ToString("yyyy-MM-dd") : "nowhere")}, features need {FeatureBuilder.WarmUpBars} bars, "
                + $"training at least {options.WalkForward.MinTrainDates} dates and a purge of {options.Horizon + 1}. Choose a later start or an earlier first date.");
        var forecasts = new Dictionary<string, double[]>();
        var lastModels = new Dictionary<string, IReturnForecaster>();
        foreach (var name in options.Models)
        {
            var reporter = progress is null ? null : new SyncProgress(i => progress.Report((name, i, folds.Count)));
            var (model, set) = ForecasterCatalog.Parse(name, options.Features);
            var trainer = ForecasterCatalog.CreateTrainer(model, options.RidgeLambda, options.LightGbm);
            (forecasts[name], lastModels[name]) = WalkForwardPredictor.Run(featureSets[set], labels, folds, trainer, options.Horizon, reporter, cancellationToken);
        }
        return new ResearchData(panel, features, labels, holding, folds, forecasts, lastModels);
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
