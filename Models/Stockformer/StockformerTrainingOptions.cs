namespace LeanModels.Models.Stockformer;

/// <summary>
/// Hyperparameters of <see cref="StockformerTrainer"/>. The defaults are small on purpose (a run on the 10-ETF sample data in
/// seconds); for the S&amp;P 500 raise <see cref="Lookback"/> to 60 and <see cref="Model"/> to 32 (the Stockformer README's
/// suggested default).
/// </summary>
/// <param name="Lookback">T, bars of input history per asset, ≥ 1.</param>
/// <param name="Model">D (d_model), a positive multiple of <paramref name="Heads"/>.</param>
/// <param name="Heads">Attention heads.</param>
/// <param name="Layers">Encoder layers L.</param>
/// <param name="FeedForward">d_ff; 0 = 4·D.</param>
/// <param name="Dropout">Dropout probability in [0, 1).</param>
/// <param name="Epochs">Maximum epochs (one epoch = every training date once, in a seeded shuffled order), ≥ 1.</param>
/// <param name="BatchDates">B, dates per optimisation step, ≥ 1.</param>
/// <param name="AssetsPerSample">K, random assets per training sample (all assets present on the date when fewer), ≥ 2;
/// prediction always covers the whole cross-section.</param>
/// <param name="LearningRate">AdamW learning rate.</param>
/// <param name="WeightDecay">AdamW decoupled weight decay.</param>
/// <param name="ClipNorm">Global gradient-norm clip, &gt; 0.</param>
/// <param name="Patience">Epochs without a validation Rank IC improvement before stopping (with validation days).</param>
/// <param name="Threads">Threads of the tape's team while training (1 or more; results identical for any count).</param>
/// <param name="UnknownRate">Identity dropout: share of training tokens mapped to the unknown-ticker row, in [0, 1).</param>
/// <param name="TurnoverPenalty">Allocation loss λ_turn (per unit of Σ|w|, since the previous weights of a random K-asset
/// sample are unknown and taken as 0); default 5 bps = 5e-4.</param>
/// <param name="GrossPenalty">Allocation loss λ_gross per unit of gross exposure above <paramref name="GrossCap"/>.</param>
/// <param name="GrossCap">Allocation loss gross cap G (Σ|w| allowed).</param>
public sealed record StockformerTrainingOptions(
    int Lookback = 20,
    int Model = 16,
    int Heads = 2,
    int Layers = 1,
    int FeedForward = 0,
    double Dropout = 0.1,
    int Epochs = 4,
    int BatchDates = 8,
    int AssetsPerSample = 64,
    double LearningRate = 1e-3,
    double WeightDecay = 0.01,
    double ClipNorm = 1.0,
    int Patience = 2,
    int Threads = 2,
    double UnknownRate = 0.1,
    double TurnoverPenalty = 5e-4,
    double GrossPenalty = 1.0,
    double GrossCap = 1.0)
{
    /// <summary>Checks every field.</summary>
    /// <exception cref="ArgumentException">A field is out of range (the message names it and its value).</exception>
    public void Validate()
    {
        static void Require(bool ok, string message)
        {
            if (!ok) throw new ArgumentException("Stockformer training: " + message);
        }
        Require(Lookback >= 1, $"lookback {Lookback}; must be ≥ 1.");
        Require(Heads >= 1 && Model >= 1 && Model % Heads == 0, $"d_model {Model} must be a positive multiple of heads {Heads}.");
        Require(Layers >= 1, $"layers {Layers}; must be ≥ 1.");
        Require(FeedForward >= 0, $"d_ff {FeedForward}; must be ≥ 0 (0 = 4·d_model).");
        Require(Dropout >= 0 && Dropout < 1, $"dropout {Dropout}; must be in [0, 1).");
        Require(Epochs >= 1, $"epochs {Epochs}; must be ≥ 1.");
        Require(BatchDates >= 1, $"batch {BatchDates} dates; must be ≥ 1.");
        Require(AssetsPerSample >= 2, $"assets per sample {AssetsPerSample}; must be ≥ 2 (a cross-section).");
        Require(LearningRate > 0 && double.IsFinite(LearningRate), $"learning rate {LearningRate}; must be finite and > 0.");
        Require(WeightDecay >= 0 && double.IsFinite(WeightDecay), $"weight decay {WeightDecay}; must be finite and ≥ 0.");
        Require(ClipNorm > 0 && double.IsFinite(ClipNorm), $"clip norm {ClipNorm}; must be finite and > 0.");
        Require(Patience >= 1, $"patience {Patience}; must be ≥ 1.");
        Require(Threads >= 1, $"threads {Threads}; must be ≥ 1.");
        Require(UnknownRate >= 0 && UnknownRate < 1, $"unknown rate {UnknownRate}; must be in [0, 1).");
        Require(TurnoverPenalty >= 0 && GrossPenalty >= 0 && GrossCap >= 0, $"turnover penalty {TurnoverPenalty}, gross penalty {GrossPenalty}, gross cap {GrossCap}; must be ≥ 0.");
    }

    /// <summary>The network options for F features and a vocabulary of V rows, all four heads present.</summary>
    /// <param name="features">F.</param>
    /// <param name="vocabularySize">V (training tickers + 1).</param>
    /// <returns>The options.</returns>
    public StockformerOptions Network(int features, int vocabularySize) =>
        new(Lookback, features, Model, Heads, Layers, FeedForward > 0 ? FeedForward : 4 * Model, Dropout, vocabularySize);
}
