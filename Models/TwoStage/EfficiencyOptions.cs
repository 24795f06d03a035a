using LeanModels.Models.Research;

namespace LeanModels.Models.TwoStage;

/// <summary>
/// Settings of the efficiency study (<see cref="EfficiencyStudy"/>, the CLI's <c>efficiency</c> command). Both models get the
/// same values: the same lookback, feature set, batch size, epochs, seeds, learning rate, hidden width and walk-forward.
/// The two-stage model samples <b>every</b> asset per training date (K = N), so both see the same data in every step.
/// </summary>
/// <param name="Start">First out-of-sample decision date (inclusive).</param>
/// <param name="End">Last date read and evaluated (inclusive).</param>
/// <param name="Family">The temporal family of both models.</param>
/// <param name="Lookback">T, bars of history per sample, ≥ 1 (the issue asks for 90).</param>
/// <param name="FeatureSet">Feature set name (<see cref="FeatureSetCatalog.Names"/>; <c>alpha158</c> has 157 features a day).</param>
/// <param name="Epochs">Epochs per fold, ≥ 1 (every epoch runs when <paramref name="ValidationDays"/> = 0).</param>
/// <param name="BatchDates">B, dates per optimisation step, ≥ 1.</param>
/// <param name="Seeds">Seeds (≥ 1, distinct); IC and Rank IC are averaged over them, times and memory are the whole run's.</param>
/// <param name="Horizon">H, label horizon in trading days.</param>
/// <param name="TrainWindow">Rolling training window in trading days.</param>
/// <param name="RetrainEvery">Refit every k trading days (test-block length).</param>
/// <param name="ValidationDays">Validation days per fold for early stopping; 0 = none (fixed epochs, the default here).</param>
/// <param name="StageOneWidth">D₁ of the two-stage model.</param>
/// <param name="Embedding">E of the two-stage model.</param>
/// <param name="Hidden">H, hidden width of both temporal models.</param>
/// <param name="LearningRate">AdamW learning rate of both.</param>
/// <param name="Threads">Training threads of both (results identical at any count).</param>
/// <param name="LabelNormalisation">Per-date normalisation of the training label of both.</param>
public sealed record EfficiencyOptions(
    DateOnly Start,
    DateOnly End,
    TemporalFamily Family = TemporalFamily.Gru,
    int Lookback = 90,
    string FeatureSet = "alpha158",
    int Epochs = 2,
    int BatchDates = 8,
    IReadOnlyList<ulong>? Seeds = null,
    int Horizon = 5,
    int TrainWindow = 504,
    int RetrainEvery = 252,
    int ValidationDays = 0,
    int StageOneWidth = 16,
    int Embedding = 32,
    int Hidden = 32,
    double LearningRate = 1e-3,
    int Threads = 2,
    LabelNormalisation LabelNormalisation = LabelNormalisation.CrossSectionalRank)
{
    /// <summary>The training hyperparameters both models read, for a universe of <paramref name="assets"/> (K = N).</summary>
    /// <param name="assets">N ≥ 2.</param>
    /// <returns>The options (validated by <see cref="Research"/>).</returns>
    public TwoStageTrainingOptions Training(int assets) => new(Lookback, StageOneWidth, Embedding: Embedding, Hidden: Hidden, Epochs: Epochs,
        BatchDates: BatchDates, AssetsPerSample: Math.Max(2, assets), LearningRate: LearningRate, Threads: Threads);

    /// <summary>The research settings of one model of the study.</summary>
    /// <param name="model">A two-stage or direct model name.</param>
    /// <param name="training">From <see cref="Training"/>.</param>
    /// <returns>The settings, validated.</returns>
    /// <exception cref="InvalidOptionException">A value is out of range (the message names it).</exception>
    public ResearchOptions Research(string model, TwoStageTrainingOptions training)
    {
        if (!Enum.IsDefined(Family)) throw new InvalidOptionException($"family {Family}; must be lstm, gru or tcn.");
        var r = new ResearchOptions(Start, End, [model], Horizon, TrainWindow, RetrainEvery, FeatureSet: FeatureSet, ValidationDays: ValidationDays,
            LabelNormalisation: LabelNormalisation, Seeds: Seeds, TwoStage: training);
        r.Validate();
        return r;
    }
}
