namespace LeanModels.Models.TwoStage;

/// <summary>
/// One model's line of the efficiency study (<see cref="EfficiencyStudy"/>).
/// <b>Memory</b> is measured in the process that trains the model (the CLI's <c>efficiency</c> starts a fresh child process
/// per model unless <c>--isolate false</c>): before the model's run a full blocking, compacting GC gives the baseline; during
/// the run a background thread samples every <see cref="EfficiencyStudy.SampleMilliseconds"/> ms the managed heap
/// (<see cref="GC.GetTotalMemory(bool)"/> without collecting: live objects and not yet collected garbage) and the process
/// working set (<see cref="Environment.WorkingSet"/>: resident memory, managed and native, including the runtime and the data
/// panel both models share). The peaks are the largest samples, so a spike shorter than the interval can be missed; the
/// OS high-water mark is not used because, in one process, it never falls between the two models.
/// </summary>
/// <param name="Model">Research name, e.g. <c>twostage-gru</c>.</param>
/// <param name="Parameters">Trainable scalars (<see cref="TwoStageFlops"/>; the direct model's grow with N).</param>
/// <param name="FlopsPerSample">Forward FLOPs of one training sample (one date's window of all N assets), 2 per multiply-add; the frozen
/// two-stage model counts stage 1 once per date (<see cref="TwoStageFlops.TrainingFlopsPerSample"/>).</param>
/// <param name="SecondsPerEpoch">Median over every epoch of every fold (first seed) of the wall time of its training steps,
/// seconds (validation excluded).</param>
/// <param name="SamplesPerSecond">Median over folds (first seed) of training samples (dates) per second of training steps.</param>
/// <param name="Epochs">Epochs run over all folds (first seed).</param>
/// <param name="Folds">Walk-forward folds.</param>
/// <param name="PeakManagedBytes">Peak managed heap during the run (all seeds), bytes.</param>
/// <param name="PeakWorkingSetBytes">Peak process working set during the run, bytes.</param>
/// <param name="BaselineManagedBytes">Managed heap after the GC before the run, bytes.</param>
/// <param name="BaselineWorkingSetBytes">Working set before the run, bytes.</param>
/// <param name="IC">Out-of-sample IC, mean over seeds (NaN when no date counts).</param>
/// <param name="RankIC">Out-of-sample Rank IC, mean over seeds.</param>
/// <param name="ICPerSeed">[S] IC per seed.</param>
/// <param name="RankICPerSeed">[S] Rank IC per seed.</param>
/// <param name="WallSeconds">Wall time of the whole run (features, every seed and fold, predictions), seconds.</param>
/// <param name="EvaluatedDates">Out-of-sample dates with a finite IC (first seed).</param>
public sealed record EfficiencyRow(string Model, long Parameters, long FlopsPerSample, double SecondsPerEpoch, double SamplesPerSecond,
    int Epochs, int Folds, long PeakManagedBytes, long PeakWorkingSetBytes, long BaselineManagedBytes, long BaselineWorkingSetBytes,
    double IC, double RankIC, IReadOnlyList<double> ICPerSeed, IReadOnlyList<double> RankICPerSeed, double WallSeconds, int EvaluatedDates)
{
    /// <summary>Median over the recorded fits (the same reports as <see cref="SecondsPerEpoch"/>) of the wall time spent before the first epoch, seconds: stage-1 pretraining plus
    /// the per-date embedding cache of <c>twostage-frozen-*</c>; 0 for the other models.</summary>
    public double PretrainSecondsPerFold { get; init; }
}
