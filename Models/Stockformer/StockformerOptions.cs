namespace LeanModels.Models.Stockformer;

/// <summary>
/// Hyperparameters of <see cref="StockformerModel{T}"/> (seed "Chapter 43: Stockformer"). Sizes use the field's letters:
/// lookback T bars, F features per bar, D model width (d_model), K attention heads, L encoder layers. Every value is checked by
/// <see cref="Validate"/> (the model's constructor calls it), with a message that names the field, its value and the rule.
/// </summary>
/// <param name="Lookback">T, bars of input history per asset (oldest → newest), ≥ 1; also the rows of the learned time embedding.</param>
/// <param name="Features">F, features per bar, ≥ 1 (the model adds one availability channel internally).</param>
/// <param name="Model">D (d_model), the token width, ≥ 1 and a multiple of <paramref name="Heads"/>.</param>
/// <param name="Heads">K, attention heads in both attention blocks, ≥ 1.</param>
/// <param name="Layers">L, encoder layers, ≥ 1.</param>
/// <param name="FeedForward">d_ff, the feed-forward hidden width, ≥ 1 (Vaswani et al. 2017 use 4·D).</param>
/// <param name="Dropout">Dropout probability in [0, 1) on attention weights, residual branches and the feed-forward hidden layer.</param>
/// <param name="VocabularySize">Rows of the asset identity table: training tickers + 1, row 0 being "unknown" (see
/// <see cref="StockformerVocabulary"/>); ≥ 1. Ignored when <paramref name="IdentityEmbedding"/> is false.</param>
/// <param name="IdentityEmbedding">True: add a learned per-ticker embedding to every token of that ticker; false: assets are
/// anonymous (the model is then exactly permutation-equivariant over assets whatever their tickers).</param>
/// <param name="CausalTemporal">True (default): temporal attention is causal, so the token at step t sees steps ≤ t only.
/// Must be false with ProbSparse (Informer's ProbSparse selection is not causal; engine README).</param>
/// <param name="KernelSize">Taps of the causal token-embedding convolution over time; 3 (step t sees t−2..t).</param>
/// <param name="ProbSparseFactor">0 (default): full temporal attention. c ≥ 1: Informer's ProbSparse temporal attention
/// with u = c·⌈ln T⌉ active queries (Zhou et al. 2021, §3.1; Informer uses c = 5). Cross-ticker attention stays full.</param>
/// <param name="Distil">With ProbSparse only: Informer's self-attention distilling (§3.2, Eq. 5) between encoder layers,
/// halving the time axis after each layer but the last.</param>
/// <param name="Outputs">Which prediction heads exist; see <see cref="StockformerHeads"/>. At least one.</param>
public sealed record StockformerOptions(
    int Lookback = 60,
    int Features = 11,
    int Model = 32,
    int Heads = 2,
    int Layers = 2,
    int FeedForward = 128,
    double Dropout = 0.1,
    int VocabularySize = 1,
    bool IdentityEmbedding = true,
    bool CausalTemporal = true,
    int KernelSize = 3,
    int ProbSparseFactor = 0,
    bool Distil = false,
    StockformerHeads Outputs = StockformerHeads.All)
{
    /// <summary>Checks every field.</summary>
    /// <exception cref="ArgumentException">A field is out of range; the message names it, gives its value and the rule.</exception>
    public void Validate()
    {
        static void Require(bool ok, string message)
        {
            if (!ok) throw new ArgumentException("StockformerOptions: " + message);
        }
        Require(Lookback >= 1, $"Lookback = {Lookback}; must be ≥ 1 bar.");
        Require(Features >= 1, $"Features = {Features}; must be ≥ 1.");
        Require(Heads >= 1, $"Heads = {Heads}; must be ≥ 1.");
        Require(Model >= 1 && Model % Heads == 0, $"Model (d_model) = {Model}; must be a positive multiple of Heads = {Heads}.");
        Require(Layers >= 1, $"Layers = {Layers}; must be ≥ 1.");
        Require(FeedForward >= 1, $"FeedForward (d_ff) = {FeedForward}; must be ≥ 1.");
        Require(Dropout >= 0 && Dropout < 1, $"Dropout = {Dropout}; must be in [0, 1).");
        Require(VocabularySize >= 1, $"VocabularySize = {VocabularySize}; must be ≥ 1 (row 0 is the unknown ticker).");
        Require(KernelSize == 3, $"KernelSize = {KernelSize}; the Stockformer's token embedding uses 3 taps (t−2..t).");
        Require(ProbSparseFactor >= 0, $"ProbSparseFactor = {ProbSparseFactor}; must be 0 (full attention) or ≥ 1.");
        Require(!(ProbSparseFactor > 0 && CausalTemporal),
            $"ProbSparseFactor = {ProbSparseFactor} with CausalTemporal = true: ProbSparse attention supports no causal mask (its query selection looks at every step); set CausalTemporal = false or ProbSparseFactor = 0.");
        Require(!(Distil && ProbSparseFactor == 0), "Distil = true needs ProbSparseFactor ≥ 1 (Informer's distilling belongs to the ProbSparse encoder).");
        Require(Outputs != StockformerHeads.None && (Outputs & ~StockformerHeads.All) == 0, $"Outputs = {Outputs}; enable at least one of Return, Direction, Allocation, Quantiles.");
    }

    /// <summary>Time steps after encoder layer <paramref name="layer"/> (0-based): T, halved (⌈·/2⌉) after each layer but the
    /// last when <see cref="Distil"/> is on.</summary>
    /// <param name="layer">0 ≤ layer &lt; L; the steps seen by that layer's attention blocks.</param>
    /// <returns>Steps seen by that layer.</returns>
    public int StepsAtLayer(int layer)
    {
        var t = Lookback;
        for (var l = 0; l < layer && Distil; l++) t = (t + 1) / 2;
        return t;
    }
}
