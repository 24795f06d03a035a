namespace LeanModels.Models.TwoStage;

/// <summary>
/// Hyperparameters of <see cref="TwoStageModel{T}"/> (issue 16, seed "Quant-Stock-Transformer"). Letters: lookback T bars,
/// F features per bar, D₁ stage-1 width, E embedding width, H stage-2 hidden width. Every value is checked by
/// <see cref="Validate"/> (the model's constructor calls it), with a message naming the field, its value and the rule.
/// </summary>
/// <param name="Lookback">T ≥ 1, bars of history per asset (oldest → newest).</param>
/// <param name="Features">F ≥ 1, features per bar (the model adds an availability flag internally).</param>
/// <param name="StageOneWidth">D₁, the width of the stage-1 tokens, ≥ 1 and a multiple of <paramref name="StageOneHeads"/>.</param>
/// <param name="StageOneHeads">Attention heads of stage 1, ≥ 1.</param>
/// <param name="StageOneLayers">L₁ ≥ 1, pre-LN encoder layers of stage 1.</param>
/// <param name="StageOneFeedForward">d_ff ≥ 1, the stage-1 feed-forward hidden width.</param>
/// <param name="Embedding">E ≥ 1, the width of the stage-1 embedding e [B, T, A, E] (default 32, as the issue asks).</param>
/// <param name="Family">Stage 2's temporal model: LSTM, GRU or TCN.</param>
/// <param name="Hidden">H ≥ 1, stage 2's hidden width (TCN channels).</param>
/// <param name="TcnLevels">TCN blocks ≥ 1 (dilations 1, 2, …, 2^(levels−1)); only read for <see cref="TemporalFamily.Tcn"/>.</param>
/// <param name="TcnKernel">TCN taps ≥ 2; only read for <see cref="TemporalFamily.Tcn"/>. Receptive field
/// 1 + 2(k − 1)(2^levels − 1) steps (29 at the defaults).</param>
/// <param name="Dropout">Dropout in [0, 1) on stage 1's attention weights, residual branches and feed-forward hidden layer, and
/// after each ReLU of the TCN (LSTM and GRU have none).</param>
/// <param name="FreezeStageOne">False (default): end-to-end, the forecast loss trains both stages. True: stage 1 is a fixed
/// feature extractor inside <see cref="TwoStageModel{T}.Forward"/> (run in evaluation mode on a tape that records nothing, so
/// no gradient reaches it) and the model gets a stage-1 pretraining head (<c>stage1.head</c>, Linear(E → 1) on the last date's
/// embedding) to train stage 1 first with <see cref="TwoStageModel{T}.ForwardStageOne"/>.</param>
public sealed record TwoStageOptions(
    int Lookback = 60,
    int Features = 11,
    int StageOneWidth = 32,
    int StageOneHeads = 2,
    int StageOneLayers = 1,
    int StageOneFeedForward = 64,
    int Embedding = 32,
    TemporalFamily Family = TemporalFamily.Lstm,
    int Hidden = 32,
    int TcnLevels = 3,
    int TcnKernel = 3,
    double Dropout = 0.1,
    bool FreezeStageOne = false)
{
    /// <summary>Checks every field.</summary>
    /// <exception cref="ArgumentException">A field is out of range; the message names it, gives its value and the rule.</exception>
    public void Validate()
    {
        static void Require(bool ok, string message)
        {
            if (!ok) throw new ArgumentException("TwoStageOptions: " + message);
        }
        Require(Lookback >= 1, $"Lookback = {Lookback}; must be ≥ 1 bar.");
        Require(Features >= 1, $"Features = {Features}; must be ≥ 1.");
        Require(StageOneHeads >= 1, $"StageOneHeads = {StageOneHeads}; must be ≥ 1.");
        Require(StageOneWidth >= 1 && StageOneWidth % StageOneHeads == 0,
            $"StageOneWidth = {StageOneWidth}; must be a positive multiple of StageOneHeads = {StageOneHeads}.");
        Require(StageOneLayers >= 1, $"StageOneLayers = {StageOneLayers}; must be ≥ 1.");
        Require(StageOneFeedForward >= 1, $"StageOneFeedForward = {StageOneFeedForward}; must be ≥ 1.");
        Require(Embedding >= 1, $"Embedding = {Embedding}; must be ≥ 1.");
        Require(Enum.IsDefined(Family), $"Family = {Family}; must be Lstm, Gru or Tcn.");
        Require(Hidden >= 1, $"Hidden = {Hidden}; must be ≥ 1.");
        Require(TcnLevels >= 1, $"TcnLevels = {TcnLevels}; must be ≥ 1.");
        Require(TcnKernel >= 2, $"TcnKernel = {TcnKernel}; must be ≥ 2 taps.");
        Require(Dropout >= 0 && Dropout < 1, $"Dropout = {Dropout}; must be in [0, 1).");
    }

    /// <summary>I = F + E + 1, stage 2's inputs per day: own features, the stage-1 embedding and the availability flag.</summary>
    public int StageTwoInputs => Features + Embedding + 1;
}
