using System.Diagnostics;
using LeanModels.Models.Forecasting;
using LeanModels.Models.Research;

namespace LeanModels.Models.TwoStage;

/// <summary>
/// The issue-16 efficiency study: the two-stage model and the direct model of the same temporal family trained on the same
/// panel, feature set, lookback, walk-forward folds, batch size, epochs and seeds, through the research pipeline's own code
/// path (<see cref="ResearchPipeline.Run"/>, then <see cref="ResearchEvaluation.Evaluate"/>), one model at a time
/// (<see cref="RunOne"/>; the CLI runs each in a fresh child process). For each model it records the parameter count and forward FLOPs per sample (<see cref="TwoStageFlops"/>), the
/// median wall time of an epoch's training steps, training samples per second, out-of-sample IC and Rank IC (mean over seeds)
/// and the peak memory of its run (<see cref="EfficiencyRow"/> says how memory is measured).
/// </summary>
public static class EfficiencyStudy
{
    /// <summary>Interval between two memory samples, milliseconds.</summary>
    public const int SampleMilliseconds = 20;

    /// <summary>The models of the study, the direct model last: <c>twostage-{family}</c> (end to end),
    /// <c>twostage-frozen-{family}</c> (stage 1 pretrained, frozen and its embeddings cached per date) and
    /// <c>direct-{family}</c>.</summary>
    /// <param name="family">The temporal family.</param>
    /// <returns>[3] research names.</returns>
    public static IReadOnlyList<string> ModelNames(TemporalFamily family)
    {
        var f = family.ToString().ToLowerInvariant();
        return ["twostage-" + f, "twostage-frozen-" + f, "direct-" + f];
    }

    /// <summary>Runs the study in this process: the models of <see cref="ModelNames"/> one after another (a later model's
    /// working set then includes what the earlier ones left resident; the CLI runs each in a fresh child process instead).</summary>
    /// <param name="panel">Adjusted daily bars of the N assets, none after <see cref="EfficiencyOptions.End"/>.</param>
    /// <param name="options">The study's settings; validated.</param>
    /// <param name="progress">Receives one line per stage (may be null).</param>
    /// <param name="cancellationToken">Stops between folds.</param>
    /// <returns>One row per model (in <see cref="ModelNames"/> order) and the research settings used.</returns>
    /// <exception cref="InvalidOptionException">A setting is out of range, or does not fit the data (as <c>research</c>).</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static EfficiencyResult Run(Panel panel, EfficiencyOptions options, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(options);
        var rows = ModelNames(options.Family).Select(name => RunOne(panel, options, name, progress, cancellationToken)).ToList();
        return new EfficiencyResult(options, panel.Tickers, options.Research(rows[^1].Model, options.Training(panel.AssetCount)), rows);
    }

    /// <summary>Runs one model of the study: the research walk-forward with the study's settings, measured.</summary>
    /// <param name="panel">Adjusted daily bars of the N assets.</param>
    /// <param name="options">The study's settings; validated.</param>
    /// <param name="name">One of <see cref="ModelNames"/>.</param>
    /// <param name="progress">Receives one line per stage (may be null).</param>
    /// <param name="cancellationToken">Stops between folds.</param>
    /// <returns>The model's row.</returns>
    /// <exception cref="InvalidOptionException">A setting is out of range or does not fit the data, or the name is not a
    /// two-stage or direct model.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static EfficiencyRow RunOne(Panel panel, EfficiencyOptions options, string name, IProgress<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(options);
        if (!ForecasterCatalog.TryTwoStage(name, out _) && !ForecasterCatalog.TryDirect(name, out _))
            throw new InvalidOptionException($"efficiency: model '{name}' is not a two-stage or direct model.");
        var research = options.Research(name, options.Training(panel.AssetCount));
        research.ValidateAgainst(panel);
        progress?.Report($"{name}: training {research.SeedList.Count} seed(s) walk-forward on {panel.AssetCount} assets");
        using var sampler = MemorySampler.Start();
        var clock = Stopwatch.StartNew();
        var data = ResearchPipeline.Run(panel, research, null, cancellationToken);
        var wall = clock.Elapsed.TotalSeconds;
        var (managed, workingSet, baseManaged, baseWorkingSet) = sampler.Stop();
        var result = ResearchEvaluation.Evaluate(data, research).Models[0];
        var reports = data.TrainingReports[name];
        var epochs = reports.SelectMany(r => r.EpochTrainSeconds).ToArray();
        var (parameters, flops) = data.LastModels[name] switch
        {
            TwoStageForecaster t => (TwoStageFlops.Parameters(t.Options), TwoStageFlops.TrainingFlopsPerSample(t.Options, panel.AssetCount)),
            DirectForecaster d => (TwoStageFlops.Parameters(d.Options), TwoStageFlops.FlopsPerSample(d.Options)),
            var other => throw new InvalidOperationException($"{name}: the study trains two-stage and direct models only, got {other.GetType().Name}."),
        };
        progress?.Report($"{name}: done in {wall:0.0} s");
        return new EfficiencyRow(name, parameters, flops, Median(epochs), Median(reports.Select(r => r.SamplesPerSecond).ToArray()),
            epochs.Length, reports.Count, managed, workingSet, baseManaged, baseWorkingSet,
            result.PerSeed.Average(s => s.Signal.IC), result.PerSeed.Average(s => s.Signal.RankIC),
            result.PerSeed.Select(s => s.Signal.IC).ToArray(), result.PerSeed.Select(s => s.Signal.RankIC).ToArray(), wall,
            result.Signal.Dates)
        {
            PretrainSecondsPerFold = Median(reports.Select(r => r.PretrainSeconds).ToArray()),
        };
    }

    /// <summary>Median of the finite values; NaN when none.</summary>
    private static double Median(double[] values)
    {
        var v = values.Where(double.IsFinite).Order().ToArray();
        if (v.Length == 0) return double.NaN;
        return v.Length % 2 == 1 ? v[v.Length / 2] : 0.5 * (v[v.Length / 2 - 1] + v[v.Length / 2]);
    }

    /// <summary>Samples the managed heap and the process working set on a background thread while a model runs.</summary>
    private sealed class MemorySampler : IDisposable
    {
        private readonly Thread _thread;
        private readonly long _baseManaged;
        private readonly long _baseWorkingSet;
        private volatile bool _stop;
        private long _managed;
        private long _workingSet;

        private MemorySampler()
        {
            // Start from a clean heap: a full blocking, compacting collection, so the previous model's garbage is not counted.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            _baseManaged = GC.GetTotalMemory(false);
            _baseWorkingSet = Environment.WorkingSet;
            (_managed, _workingSet) = (_baseManaged, _baseWorkingSet);
            _thread = new Thread(Loop) { IsBackground = true, Name = "efficiency memory sampler", Priority = ThreadPriority.AboveNormal };
        }

        public static MemorySampler Start()
        {
            var s = new MemorySampler();
            s._thread.Start();
            return s;
        }

        private void Sample()
        {
            _managed = Math.Max(_managed, GC.GetTotalMemory(false));
            _workingSet = Math.Max(_workingSet, Environment.WorkingSet);
        }

        private void Loop()
        {
            while (!_stop)
            {
                Sample();
                Thread.Sleep(SampleMilliseconds);
            }
        }

        public (long Managed, long WorkingSet, long BaseManaged, long BaseWorkingSet) Stop()
        {
            _stop = true;
            _thread.Join();
            Sample();
            return (_managed, _workingSet, _baseManaged, _baseWorkingSet);
        }

        public void Dispose()
        {
            _stop = true;
            if (_thread.IsAlive) _thread.Join();
        }
    }
}
