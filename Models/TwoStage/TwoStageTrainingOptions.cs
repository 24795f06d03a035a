namespace LeanModels.Models.TwoStage;

/// <summary>
/// Hyperparameters of <see cref="TwoStageTrainer"/> (research names <c>twostage-lstm</c>, <c>twostage-gru</c>,
/// <c>twostage-tcn</c>; the family comes from the name). Small defaults on purpose (seconds on the sample data), like
/// <c>StockformerTrainingOptions</c>; the network's remaining sizes are <see cref="TwoStageOptions"/>'s defaults.
/// </summary>
/// <param name="Lookback">T, bars of input history per asset, ≥ 1.</param>
/// <param name="StageOneWidth">D₁, a positive multiple of <paramref name="StageOneHeads"/>.</param>
/// <param name="StageOneHeads">Stage-1 attention heads.</param>
/// <param name="StageOneLayers">L₁, stage-1 encoder layers.</param>
/// <param name="Embedding">E, the stage-1 embedding width (32 as the issue asks).</param>
/// <param name="Hidden">H, stage 2's hidden width.</param>
/// <param name="Dropout">Dropout probability in [0, 1).</param>
/// <param name="Epochs">Maximum epochs (every usable training date once, in a seeded shuffled order), ≥ 1.</param>
/// <param name="BatchDates">B, dates per optimisation step, ≥ 1.</param>
/// <param name="AssetsPerSample">K, random assets per training sample (all present ones when fewer), ≥ 2; prediction always
/// covers the whole cross-section.</param>
/// <param name="LearningRate">AdamW learning rate, finite and &gt; 0.</param>
/// <param name="WeightDecay">AdamW decoupled weight decay, ≥ 0.</param>
/// <param name="ClipNorm">Global gradient-norm clip, &gt; 0.</param>
/// <param name="Patience">Epochs without a validation Rank IC improvement before stopping (with validation days), ≥ 1.</param>
/// <param name="Threads">Threads of the tape's team while training, ≥ 1 (results identical for any count).</param>
/// <param name="FreezeStageOne">False (default, names <c>twostage-*</c>): end to end, the forecast loss trains both stages.
/// True (names <c>twostage-frozen-*</c>): stage 1 is trained first on its own (<paramref name="StageOneEpochs"/> epochs of a
/// linear forecast of the label from the decision date's embedding), then frozen; every date's embedding over the whole
/// cross-section is computed once per fold and stage 2 trains on the cached embeddings (see <see cref="TwoStageTrainer"/>).</param>
/// <param name="StageOneEpochs">Epochs of stage-1 pretraining when <paramref name="FreezeStageOne"/>, ≥ 1 (no early stopping:
/// the validation Rank IC judges the whole model).</param>
public sealed record TwoStageTrainingOptions(
    int Lookback = 20,
    int StageOneWidth = 16,
    int StageOneHeads = 2,
    int StageOneLayers = 1,
    int Embedding = 32,
    int Hidden = 32,
    double Dropout = 0.1,
    int Epochs = 4,
    int BatchDates = 8,
    int AssetsPerSample = 64,
    double LearningRate = 1e-3,
    double WeightDecay = 0.01,
    double ClipNorm = 1.0,
    int Patience = 2,
    int Threads = 2,
    bool FreezeStageOne = false,
    int StageOneEpochs = 2)
{
    /// <summary>Checks every field, including the network options it implies.</summary>
    /// <exception cref="ArgumentException">A field is out of range (the message names it and its value).</exception>
    public void Validate()
    {
        static void Require(bool ok, string message)
        {
            if (!ok) throw new ArgumentException("Two-stage training: " + message);
        }
        Require(Epochs >= 1, $"epochs {Epochs}; must be ≥ 1.");
        Require(BatchDates >= 1, $"batch {BatchDates} dates; must be ≥ 1.");
        Require(AssetsPerSample >= 2, $"assets per sample {AssetsPerSample}; must be ≥ 2 (a cross-section).");
        Require(LearningRate > 0 && double.IsFinite(LearningRate), $"learning rate {LearningRate}; must be finite and > 0.");
        Require(WeightDecay >= 0 && double.IsFinite(WeightDecay), $"weight decay {WeightDecay}; must be finite and ≥ 0.");
        Require(ClipNorm > 0 && double.IsFinite(ClipNorm), $"clip norm {ClipNorm}; must be finite and > 0.");
        Require(Patience >= 1, $"patience {Patience}; must be ≥ 1.");
        Require(Threads >= 1, $"threads {Threads}; must be ≥ 1.");
        Require(StageOneEpochs >= 1, $"stage-1 epochs {StageOneEpochs}; must be ≥ 1.");
        Network(TemporalFamily.Lstm, 1).Validate();
    }

    /// <summary>The network options for a family and F features: d_ff = 2·D₁, TCN 3 levels of kernel 3, end to end or with
    /// stage 1 frozen as <see cref="FreezeStageOne"/> says.</summary>
    /// <param name="family">Stage 2's family.</param>
    /// <param name="features">F.</param>
    /// <returns>The options (not validated).</returns>
    public TwoStageOptions Network(TemporalFamily family, int features) =>
        new(Lookback, features, StageOneWidth, StageOneHeads, StageOneLayers, 2 * StageOneWidth, Embedding, family, Hidden, Dropout: Dropout,
            FreezeStageOne: FreezeStageOne);
}
