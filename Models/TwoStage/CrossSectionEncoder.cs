using System.Numerics;
using LeanModels.Models.Engine;
using LeanModels.Models.Engine.Layers;
using LeanModels.Models.Numerics;

namespace LeanModels.Models.TwoStage;

/// <summary>
/// Stage 1 of <see cref="TwoStageModel{T}"/> (seed "Quant-Stock-Transformer": cross-stock modelling first): for every date
/// (b, t) on its own, a transformer encoder over that day's cross-section of A assets plus one market token, giving an
/// embedding e [B, T, A, E] per asset and day. Per date:
/// <list type="number">
/// <item>Asset tokens: Linear(F + 1 → D₁) of the asset's features (absent bars zeroed) and its availability flag.</item>
/// <item>The market token: Linear(F → D₁) of the equal-weight mean of the PRESENT assets' features that day
/// (m = (1/n)·Σ_{a present} x[a], n = the present count; m = 0 when no asset is present). It is the last of the A + 1 tokens.</item>
/// <item>L₁ pre-LN encoder layers (Xiong et al. 2020): h += Dropout(MHA(LN(h))), h += Dropout(FF(LN(h))), the attention over
/// the A + 1 tokens with absent assets excluded as keys and the market token always a key (the engine's key-masked
/// <see cref="MultiHeadAttention{T}.Forward(Tape{T}, Tensor{T}, ReadOnlySpan{bool}, ReadOnlySpan{bool})"/>; a query also
/// always sees itself).</item>
/// <item>A final LayerNorm on the A asset tokens (the market token is dropped), then Linear(D₁ → E).</item>
/// <item>The embedding of an absent bar is set to 0: stage 2 never reads a value computed for an asset that had no bar.</item>
/// </list>
/// Nothing mixes dates: every operation is per token, per date's token set or per (b, t) mean, so e[b, t] depends only on
/// x[b, t] and available[b, t] (tested bit for bit). An absent asset influences no other asset: its features never enter the
/// market mean, its token is never a key, and its own embedding is zeroed.
/// Optional pretraining head (for <see cref="TwoStageOptions.FreezeStageOne"/>): Linear(E → 1) on the last date's embedding.
/// Initialisation: Linear layers Kaiming-uniform a = √5, attention Xavier-uniform with zero biases, LN γ = 1, β = 0 (see the
/// engine layers), drawn from the model's generator in registration order.
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
public sealed class CrossSectionEncoder<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Linear<T> _asset, _market, _project;
    private readonly Linear<T>? _head;
    private readonly List<(LayerNorm<T> LnAttn, MultiHeadAttention<T> Attn, LayerNorm<T> LnFf, FeedForward<T> Ff)> _layers = new();
    private readonly LayerNorm<T> _lnOut;
    private readonly double _dropout;

    /// <summary>Creates and initialises stage 1 from <paramref name="rng"/>.</summary>
    /// <param name="options">The model's options (validated by the caller).</param>
    /// <param name="rng">Generator of the initial weights.</param>
    public CrossSectionEncoder(TwoStageOptions options, Xoshiro256StarStar rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        options.Validate();
        int f = options.Features, d = options.StageOneWidth;
        Features = f;
        Embedding = options.Embedding;
        _dropout = options.Dropout;
        _asset = AddModule("asset_token", new Linear<T>(f + 1, d, rng));
        _market = AddModule("market_token", new Linear<T>(f, d, rng));
        for (var l = 0; l < options.StageOneLayers; l++)
            _layers.Add((AddModule($"layer{l}.ln_attn", new LayerNorm<T>(d)),
                AddModule($"layer{l}.attn", new MultiHeadAttention<T>(d, options.StageOneHeads, options.Dropout, rng)),
                AddModule($"layer{l}.ln_ff", new LayerNorm<T>(d)),
                AddModule($"layer{l}.ff", new FeedForward<T>(d, options.StageOneFeedForward, options.Dropout, rng))));
        _lnOut = AddModule("ln_out", new LayerNorm<T>(d));
        _project = AddModule("project", new Linear<T>(d, options.Embedding, rng));
        if (options.FreezeStageOne) _head = AddModule("head", new Linear<T>(options.Embedding, 1, rng));
    }

    /// <summary>F, features per bar.</summary>
    public int Features { get; }

    /// <summary>E, the embedding width.</summary>
    public int Embedding { get; }

    /// <summary>True when the pretraining head exists.</summary>
    public bool HasPretrainHead => _head is not null;

    /// <summary>Embeds every date's cross-section.</summary>
    /// <param name="tape">The step's tape.</param>
    /// <param name="zeroed">[B, T, A, F] features with absent bars already 0.</param>
    /// <param name="available">[B, T, A] flags.</param>
    /// <returns>e [B, T, A, E], 0 in absent bars.</returns>
    /// <exception cref="ArgumentException">A shape disagrees (the message gives it).</exception>
    public Tensor<T> Forward(Tape<T> tape, Tensor<T> zeroed, ReadOnlySpan<bool> available)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(zeroed);
        if (zeroed.Rank != 4 || zeroed.Dims[3] != Features || available.Length != zeroed.Dims[0] * zeroed.Dims[1] * zeroed.Dims[2])
            throw new ArgumentException($"CrossSectionEncoder: x is {ShapeUtil.Format(zeroed.Dims)} with {available.Length} availability flags; expected [B, T, A, F={Features}] and B·T·A flags.", nameof(zeroed));
        int b = zeroed.Dims[0], t = zeroed.Dims[1], a = zeroed.Dims[2], f = Features, dates = b * t;
        var channel = new T[dates * a];
        var inverseCount = new T[dates];
        var keys = new bool[dates * (a + 1)];                                                      // [B·T, A + 1]
        for (var r = 0; r < dates; r++)
        {
            var n = 0;
            for (var ai = 0; ai < a; ai++)
                if (available[r * a + ai]) { n++; channel[r * a + ai] = T.One; keys[r * (a + 1) + ai] = true; }
            keys[r * (a + 1) + a] = true;                                                          // the market token is always a key
            inverseCount[r] = n == 0 ? T.Zero : T.One / T.CreateTruncating(n);
        }
        var tokens = _asset.Forward(tape, tape.Concat([zeroed, new Tensor<T>(channel, [b, t, a, 1])], 3));        // [B, T, A, D]
        var mean = tape.Mul(tape.Sum(zeroed, [2]), new Tensor<T>(inverseCount, [b, t, 1]));                       // [B, T, F]
        var market = tape.Reshape(_market.Forward(tape, mean), b, t, 1, -1);                                     // [B, T, 1, D]
        var h = tape.Concat([tokens, market], 2);                                                                // [B, T, A+1, D]
        var d = h.Dims[3];
        h = tape.Reshape(h, dates, a + 1, d);
        foreach (var (lnAttn, attn, lnFf, ff) in _layers)
        {
            h = tape.AddDropout(h, attn.Forward(tape, lnAttn.Forward(tape, h), ReadOnlySpan<bool>.Empty, keys), _dropout);
            h = tape.AddDropout(h, ff.Forward(tape, lnFf.Forward(tape, h)), _dropout);
        }
        var e = _project.Forward(tape, _lnOut.Forward(tape, tape.Slice(h, 1, 0, a)));                           // [B·T, A, E]
        var absent = new bool[dates * a * Embedding];
        for (var r = 0; r < dates * a; r++)
            if (!available[r]) absent.AsSpan(r * Embedding, Embedding).Fill(true);
        return tape.Reshape(tape.MaskedFill(e, absent, 0), b, t, a, Embedding);
    }

    /// <summary>The pretraining forecast: Linear(E → 1) on the last date's embedding.</summary>
    /// <param name="tape">The step's tape.</param>
    /// <param name="embedding">[B, T, A, E] from <see cref="Forward"/>.</param>
    /// <returns>[B, A], or null without the head.</returns>
    public Tensor<T>? PretrainForecast(Tape<T> tape, Tensor<T> embedding)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(embedding);
        if (_head is null) return null;
        int b = embedding.Dims[0], t = embedding.Dims[1], a = embedding.Dims[2];
        return tape.Reshape(_head.Forward(tape, tape.Slice(embedding, 1, t - 1, 1)), b, a);
    }
}
