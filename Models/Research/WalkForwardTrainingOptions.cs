namespace LeanModels.Models.Research;

/// <summary>How each fold's model is fitted (beyond the fold's dates): what deep models need from the walk-forward.</summary>
/// <param name="LabelNormalisation">Per-date normalisation of the training label (learn-only; metrics use the raw label).</param>
/// <param name="Seed">Seed handed to every fold's trainer (fold i gets <c>Seed</c>; the trainer derives its streams from it).</param>
/// <param name="WarmStart">Hand each fold's trainer the previous fold's model, to start from its weights.</param>
/// <param name="PredictionThreads">Threads that predict a fold's test days concurrently, ≥ 1 (each date on its own, so the
/// forecasts are bit-identical at any count; <see cref="Forecasting.ForecasterExtensions.ForEachDate{TResult}"/>).</param>
public sealed record WalkForwardTrainingOptions(LabelNormalisation LabelNormalisation = LabelNormalisation.None, ulong Seed = 1, bool WarmStart = false,
    int PredictionThreads = 1);
