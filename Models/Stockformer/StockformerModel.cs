using System.Numerics;
using LeanModels.Models.Engine;
using LeanModels.Models.Engine.Layers;
using LeanModels.Models.Numerics;

namespace LeanModels.Models.Stockformer;

/// <summary>
/// The Stockformer (seed "Chapter 43: Stockformer"): a cross-sectional transformer over a window of bars for many assets,
/// built on the engine's public layers. Input x [B, T, A, F] (B dates, lookback T bars oldest → newest, A assets, F features)
/// with an availability mask [B, T, A] (true = the bar exists). Architecture, in order:
/// <list type="number">
/// <item>Absent bars are zeroed (never filled with invented values; a NaN in an absent bar is fine) and an availability
/// channel (1 present, 0 absent) is appended, F → F + 1.</item>
/// <item>Token embedding: a causal 1-D convolution over time per asset, kernel 3 (step t sees t−2..t), F + 1 → D.</item>
/// <item>A learned time embedding [T, D] (BERT-style, N(0, 0.02²)) added at each lookback position.</item>
/// <item>Asset identity (optional): a learned table [V, D] over the training tickers, row 0 = unknown ticker
/// (<see cref="StockformerVocabulary"/>), added to every token of the asset. No per-position asset embedding exists, so any
/// universe, in any order, can be served.</item>
/// <item>L pre-LayerNorm encoder layers (Xiong et al. 2020), each: temporal self-attention per asset over T (causal by
/// default; absent steps excluded as keys), cross-ticker self-attention per time step over A (absent assets excluded as keys),
/// a GELU feed-forward; each branch x + Dropout(Block(LN(x))). In both attention blocks a query always may attend to its own
/// position (see <see cref="MultiHeadAttention{T}.Forward(Tape{T}, Tensor{T}, ReadOnlySpan{bool}, ReadOnlySpan{bool})"/>), so
/// no softmax row is empty and no present token ever attends to an absent one. Option: ProbSparse temporal attention
/// (Informer, Zhou et al. 2021, §3.1) with self-attention distilling between layers (§3.2): then the temporal block is neither
/// causal nor key-masked within the window (ProbSparse supports no mask), though the forecast still uses only bars ≤ the
/// last date of the window.</item>
/// <item>A final LayerNorm on the last time step, then the heads per asset (<see cref="StockformerHeads"/>): return (linear),
/// direction logit (linear), allocation tanh(linear) ∈ [−1, 1], and quantiles 0.1/0.5/0.9 as
/// (q̂₀.₅ − softplus(o₁), q̂₀.₅, q̂₀.₅ + softplus(o₂)), which cannot cross.</item>
/// </list>
/// Initialisation is seeded: one <see cref="Xoshiro256StarStar"/> built from the constructor's seed initialises every module in
/// registration order (the order of <see cref="Module{T}.Parameters"/>), with each layer's documented scheme (convolution and
/// linear heads Kaiming-uniform a = √5 as PyTorch; attention projections Xavier-uniform, zero biases; embeddings N(0, 0.02²);
/// LayerNorm γ = 1, β = 0), so the same options and seed give bit-identical weights.
/// Scale: attention is permutation-equivariant over assets, so the model can be trained on random subsets of K assets per date
/// (<see cref="StockformerSubsets"/>) and applied to the whole cross-section; cross-ticker attention costs O(T·A²·D) per date
/// (<see cref="StockformerFlops"/>).
/// </summary>
/// <typeparam name="T">Element type: <c>float</c> for training, <c>double</c> for gradchecks (the same code).</typeparam>
public sealed class StockformerModel<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Conv1d<T> _embed;
    private readonly PositionalEmbedding<T> _time;
    private readonly AssetEmbedding<T>? _identity;
    private readonly List<EncoderLayer> _layers = new();
    private readonly LayerNorm<T> _lnOut;
    private readonly Linear<T>? _return, _direction, _allocation, _quantiles;
    private readonly bool[] _causal;

    private sealed record EncoderLayer(LayerNorm<T> LnT, MultiHeadAttention<T> AttnT, LayerNorm<T> LnA, MultiHeadAttention<T> AttnA,
        LayerNorm<T> LnF, FeedForward<T> Ff, DistillingLayer<T>? Distil);

    /// <summary>Builds and initialises the model.</summary>
    /// <param name="options">Hyperparameters; validated here.</param>
    /// <param name="seed">Seed of the initial weights (same seed → same weights, bit for bit).</param>
    /// <exception cref="ArgumentException">An option is invalid (see <see cref="StockformerOptions.Validate"/>).</exception>
    public StockformerModel(StockformerOptions options, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        Seed = seed;
        var rng = new Xoshiro256StarStar(seed);
        int d = options.Model;
        _embed = AddModule("embed", new Conv1d<T>(options.Features + 1, d, options.KernelSize, rng, causal: true));
        _time = AddModule("time", new PositionalEmbedding<T>(options.Lookback, d, rng));
        if (options.IdentityEmbedding) _identity = AddModule("identity", new AssetEmbedding<T>(options.VocabularySize, d, rng));
        for (var l = 0; l < options.Layers; l++)
        {
            var distil = options.Distil && l < options.Layers - 1;
            _layers.Add(new EncoderLayer(
                AddModule($"layer{l}.ln_temporal", new LayerNorm<T>(d)),
                AddModule($"layer{l}.attn_temporal", new MultiHeadAttention<T>(d, options.Heads, options.Dropout, rng, options.ProbSparseFactor)),
                AddModule($"layer{l}.ln_cross", new LayerNorm<T>(d)),
                AddModule($"layer{l}.attn_cross", new MultiHeadAttention<T>(d, options.Heads, options.Dropout, rng)),
                AddModule($"layer{l}.ln_ff", new LayerNorm<T>(d)),
                AddModule($"layer{l}.ff", new FeedForward<T>(d, options.FeedForward, options.Dropout, rng)),
                distil ? AddModule($"layer{l}.distil", new DistillingLayer<T>(d, rng)) : null));
        }
        _lnOut = AddModule("ln_out", new LayerNorm<T>(d));
        var heads = options.Outputs;
        if (heads.HasFlag(StockformerHeads.Return)) _return = AddModule("head_return", new Linear<T>(d, 1, rng));
        if (heads.HasFlag(StockformerHeads.Direction)) _direction = AddModule("head_direction", new Linear<T>(d, 1, rng));
        if (heads.HasFlag(StockformerHeads.Allocation)) _allocation = AddModule("head_allocation", new Linear<T>(d, 1, rng));
        if (heads.HasFlag(StockformerHeads.Quantiles)) _quantiles = AddModule("head_quantiles", new Linear<T>(d, 3, rng));
        var t = options.Lookback;
        _causal = new bool[t * t];
        for (var i = 0; i < t; i++)
            for (var j = 0; j <= i; j++) _causal[i * t + j] = true;
    }

    /// <summary>The options the model was built with.</summary>
    public StockformerOptions Options { get; }

    /// <summary>The initialisation seed.</summary>
    public ulong Seed { get; }

    /// <summary>
    /// Forward pass on a tape (training or inference).
    /// </summary>
    /// <param name="tape">The step's tape. ProbSparse mode needs <see cref="Tape{T}.Rng"/> even in inference (it samples keys);
    /// dropout in training needs it too.</param>
    /// <param name="x">[B, T, A, F] features, time oldest → newest; T and F must equal the options'. Values of absent bars are
    /// ignored (may be NaN); present bars must be finite.</param>
    /// <param name="available">[B, T, A] flags, true where the bar exists.</param>
    /// <param name="assetIds">[B, A] vocabulary rows (<see cref="StockformerVocabulary.IndexOf"/>, 0 = unknown), or empty when
    /// <see cref="StockformerOptions.IdentityEmbedding"/> is false.</param>
    /// <param name="crossTickerAttention">True to also return <see cref="StockformerOutput{T}.CrossTickerAttention"/>.</param>
    /// <param name="allSteps">False (default): the last encoder layer runs its cross-ticker and feed-forward blocks on the last
    /// time step only, the one the heads read (its temporal block still reads every step), so the heads are the same
    /// function at a fraction of the cost (T times less cross-ticker attention in that layer) and
    /// <see cref="StockformerOutput{T}.Encoded"/> is [B, A, 1, D]. True: every step of every layer is computed and Encoded is
    /// [B, A, T_L, D] (for inspecting the encoder states, e.g. the causality test); the heads agree with the default to
    /// rounding (the matrix products have other shapes, so float sums may differ in the last bits).</param>
    /// <returns>The enabled heads' outputs per asset, the prediction mask and the encoder states.</returns>
    /// <exception cref="ArgumentException">A shape or length disagrees with the options (the message gives both), an id is
    /// outside [0, V), ids are given without the identity embedding (or missing with it), or a present bar holds a non-finite
    /// value (the message gives b, t, a, f).</exception>
    public StockformerOutput<T> Forward(Tape<T> tape, Tensor<T> x, ReadOnlySpan<bool> available, ReadOnlySpan<int> assetIds, bool crossTickerAttention = false,
        bool allSteps = false)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(x);
        var o = Options;
        if (x.Rank != 4 || x.Dims[1] != o.Lookback || x.Dims[3] != o.Features || x.Dims[0] < 1 || x.Dims[2] < 1)
            throw new ArgumentException($"Stockformer.Forward: model built for [B, T={o.Lookback}, A, F={o.Features}], got {ShapeUtil.Format(x.Dims)}.", nameof(x));
        int b = x.Dims[0], t = x.Dims[1], a = x.Dims[2], f = x.Dims[3], d = o.Model;
        if (available.Length != b * t * a)
            throw new ArgumentException($"Stockformer.Forward: available has {available.Length} flags; expected [B={b}, T={t}, A={a}] = {b * t * a}.", nameof(available));
        CheckIds(assetIds, b, a);
        var fill = new bool[x.Length];
        var channel = new T[b * t * a];
        for (var r = 0; r < b * t * a; r++)
        {
            if (!available[r]) { fill.AsSpan(r * f, f).Fill(true); continue; }
            channel[r] = T.One;
            for (var k = 0; k < f; k++)
                if (!T.IsFinite(x.Data[r * f + k]))
                    throw new ArgumentException($"Stockformer.Forward: x[b={r / (t * a)}, t={r / a % t}, a={r % a}, f={k}] = {x.Data[r * f + k]} in a bar marked available; mark the bar absent or fix the feature.", nameof(x));
        }

        // token embedding: zero absent bars, append the availability channel, causal Conv1d per asset over time
        var xm = tape.Concat([tape.MaskedFill(x, fill, 0), new Tensor<T>(channel, [b, t, a, 1])], 3);        // [B, T, A, F+1]
        var tokens = tape.Reshape(tape.Permute(xm, 0, 2, 1, 3), b * a, t, f + 1);                             // [B·A, T, F+1]
        var h = tape.Reshape(_embed.Forward(tape, tokens), b, a, t, d);                                       // [B, A, T, D]
        h = _time.Forward(tape, h);
        if (_identity is not null)
            h = tape.Add(h, tape.Reshape(_identity.Lookup(tape, assetIds), b, a, 1, d));

        var present = available.ToArray();                                                                     // [B, T_l, A]
        Tensor<T>? weights = null;
        var steps = t;
        for (var l = 0; l < _layers.Count; l++)
        {
            var layer = _layers[l];
            var seq = tape.Reshape(layer.LnT.Forward(tape, h), b * a, steps, d);                               // temporal, per asset
            var temporal = o.ProbSparseFactor > 0
                ? layer.AttnT.Forward(tape, seq)
                : layer.AttnT.Forward(tape, seq, o.CausalTemporal ? _causal : default, TemporalKeys(present, b, steps, a));
            h = tape.AddDropout(h, tape.Reshape(temporal, b, a, steps, d), o.Dropout);
            if (l == _layers.Count - 1 && !allSteps && steps > 1)
            {
                // The heads read only the last step, and after the last temporal block every remaining block (cross-ticker
                // attention per step, feed-forward per token) maps step s to step s: run them on the last step only.
                h = tape.Slice(h, 2, steps - 1, 1);                                                            // [B, A, 1, D]
                present = LastStep(present, b, steps, a);                                                      // [B, 1, A]
                steps = 1;
            }
            var normed = layer.LnA.Forward(tape, h);                                                           // cross-ticker, per step
            var cross = crossTickerAttention && l == _layers.Count - 1
                ? layer.AttnA.ForwardAcross(tape, normed, default, present, out weights)
                : layer.AttnA.ForwardAcross(tape, normed, default, present);
            h = tape.AddDropout(h, cross, o.Dropout);
            h = tape.AddDropout(h, layer.Ff.Forward(tape, layer.LnF.Forward(tape, h)), o.Dropout);
            if (layer.Distil is not null)
            {
                var next = (steps + 1) / 2;
                h = tape.Reshape(layer.Distil.Forward(tape, tape.Reshape(h, b * a, steps, d)), b, a, next, d);
                present = DistilPresence(present, b, steps, a);
                steps = next;
            }
        }

        var last = _lnOut.Forward(tape, tape.Reshape(tape.Slice(h, 2, steps - 1, 1), b, a, d));                // [B, A, D]
        var mask = new bool[b * a];
        for (var bi = 0; bi < b; bi++)
            for (var ai = 0; ai < a; ai++) mask[bi * a + ai] = available[(bi * t + t - 1) * a + ai];
        Tensor<T>? quantiles = null;
        if (_quantiles is not null)
        {
            var q = _quantiles.Forward(tape, last);                                                            // [B, A, 3]
            var median = tape.Slice(q, 2, 0, 1);
            quantiles = tape.Concat([tape.Sub(median, tape.Softplus(tape.Slice(q, 2, 1, 1))), median,
                tape.Add(median, tape.Softplus(tape.Slice(q, 2, 2, 1)))], 2);
        }
        return new StockformerOutput<T>
        {
            Return = _return is null ? null : tape.Reshape(_return.Forward(tape, last), b, a),
            DirectionLogit = _direction is null ? null : tape.Reshape(_direction.Forward(tape, last), b, a),
            Allocation = _allocation is null ? null : tape.Reshape(tape.Tanh(_allocation.Forward(tape, last)), b, a),
            Quantiles = quantiles,
            PredictionMask = mask,
            Encoded = h,
            CrossTickerAttention = weights is null ? null : HeadAverageAtLastStep(weights, b, steps, o.Heads, a),
        };
    }

    /// <summary>
    /// Inference: runs <see cref="Forward"/> on an evaluation tape that records nothing and returns plain arrays, with
    /// NaN for every asset absent on the last date (no prediction is made for it). ProbSparse mode samples
    /// its keys from a generator seeded with <see cref="Seed"/>, so the same input gives the same output.
    /// </summary>
    /// <param name="x">[B, T, A, F], as <see cref="Forward"/>.</param>
    /// <param name="available">[B, T, A] flags.</param>
    /// <param name="assetIds">[B, A] vocabulary rows, or empty without the identity embedding.</param>
    /// <param name="team">Optional thread team (results are bit-identical for any thread count).</param>
    /// <param name="crossTickerAttention">True to fill <see cref="StockformerPrediction{T}.CrossTickerAttention"/> (the same
    /// kernel runs either way, so the predictions are bit-identical; the map costs T·K·A² extra floats while it is copied out).</param>
    /// <returns>The predictions; heads that are not enabled are null.</returns>
    /// <exception cref="ArgumentException">As <see cref="Forward"/>.</exception>
    public StockformerPrediction<T> Predict(Tensor<T> x, ReadOnlySpan<bool> available, ReadOnlySpan<int> assetIds, Engine.Kernels.ThreadTeam? team = null,
        bool crossTickerAttention = false)
    {
        using var tape = new Tape<T>(training: false, rng: new Xoshiro256StarStar(Seed), recording: false, team: team);
        var y = Forward(tape, x, available, assetIds, crossTickerAttention);
        T[]? Masked(Tensor<T>? v, Func<T, T>? map = null, int width = 1)
        {
            if (v is null) return null;
            var r = new T[v.Length];
            for (var i = 0; i < r.Length; i++)
                r[i] = y.PredictionMask[i / width] ? (map is null ? v.Data[i] : map(v.Data[i])) : T.NaN;
            return r;
        }
        return new StockformerPrediction<T>
        {
            Batch = x.Dims[0],
            Assets = x.Dims[2],
            Return = Masked(y.Return),
            UpProbability = Masked(y.DirectionLogit, v => T.One / (T.One + T.Exp(-v))),
            Allocation = Masked(y.Allocation),
            Quantiles = Masked(y.Quantiles, width: 3),
            Available = y.PredictionMask,
            CrossTickerAttention = y.CrossTickerAttention,
        };
    }

    /// <summary>The parameters as a deterministic ordered list of copies (name, shape, values), in <see cref="Module{T}.Parameters"/>
    /// order: the input of an artifact writer. Names are dotted paths (<c>layer0.attn_cross.wq.weight</c>).</summary>
    /// <returns>A new list of copies.</returns>
    public IReadOnlyList<NamedTensor<T>> NamedParameters() =>
        Parameters().Select(p => new NamedTensor<T>(p.Name, p.Value.Shape.ToArray(), (T[])p.Value.Data.Clone())).ToList();

    /// <summary>Overwrites every parameter from a list written by <see cref="NamedParameters"/> for a model with the same options.</summary>
    /// <param name="values">One entry per parameter, same names, order and shapes; values finite.</param>
    /// <exception cref="ArgumentException">The count, a name, a shape or a length differs (the message names the parameter and
    /// both shapes), or a value is not finite (the message gives the parameter and index). Nothing is changed then.</exception>
    public void LoadNamedParameters(IReadOnlyList<NamedTensor<T>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var mine = Parameters();
        if (values.Count != mine.Count)
            throw new ArgumentException($"Stockformer.LoadNamedParameters: got {values.Count} tensors; this model has {mine.Count} parameters.", nameof(values));
        for (var i = 0; i < mine.Count; i++)
        {
            var (p, v) = (mine[i], values[i]);
            if (v.Name != p.Name || !v.Shape.AsSpan().SequenceEqual(p.Value.Shape) || v.Values.Length != p.Value.Length)
                throw new ArgumentException($"Stockformer.LoadNamedParameters: entry {i} is '{v.Name}' {ShapeUtil.Format(v.Shape)} with {v.Values.Length} values; expected '{p.Name}' {ShapeUtil.Format(p.Value.Shape.ToArray())}.", nameof(values));
            for (var j = 0; j < v.Values.Length; j++)
                if (!T.IsFinite(v.Values[j]))
                    throw new ArgumentException($"Stockformer.LoadNamedParameters: '{v.Name}' value {j} is {v.Values[j]}.", nameof(values));
        }
        for (var i = 0; i < mine.Count; i++) values[i].Values.CopyTo(mine[i].Value.Data, 0);
    }

    private void CheckIds(ReadOnlySpan<int> ids, int b, int a)
    {
        if (_identity is null)
        {
            if (!ids.IsEmpty)
                throw new ArgumentException($"Stockformer.Forward: {ids.Length} asset ids given but the identity embedding is disabled; pass none.", nameof(ids));
            return;
        }
        if (ids.Length != b * a)
            throw new ArgumentException($"Stockformer.Forward: assetIds has {ids.Length} entries; expected [B={b}, A={a}] = {b * a} (0 = unknown ticker).", nameof(ids));
        for (var i = 0; i < ids.Length; i++)
            if ((uint)ids[i] >= (uint)Options.VocabularySize)
                throw new ArgumentException($"Stockformer.Forward: assetIds[b={i / a}, a={i % a}] = {ids[i]} is outside the vocabulary [0, {Options.VocabularySize}).", nameof(ids));
    }

    // [B, T, A] presence → [B·A, T] keys of the temporal attention (sequence b·A + a)
    private static bool[] TemporalKeys(bool[] present, int b, int t, int a)
    {
        var keys = new bool[b * a * t];
        for (var bi = 0; bi < b; bi++)
            for (var ti = 0; ti < t; ti++)
                for (var ai = 0; ai < a; ai++) keys[(bi * a + ai) * t + ti] = present[(bi * t + ti) * a + ai];
        return keys;
    }

    // [B, T, A] presence → the last step's [B, 1, A]
    private static bool[] LastStep(bool[] present, int b, int t, int a)
    {
        var r = new bool[b * a];
        for (var bi = 0; bi < b; bi++) present.AsSpan((bi * t + t - 1) * a, a).CopyTo(r.AsSpan(bi * a));
        return r;
    }

    // After distilling (Conv1d k = 3 same padding, then MaxPool k = 3, stride 2, padding 1), output step k reads input steps
    // 2k − 2 .. 2k + 2: it counts as present when any of them is.
    private static bool[] DistilPresence(bool[] present, int b, int t, int a)
    {
        var next = (t + 1) / 2;
        var r = new bool[b * next * a];
        for (var bi = 0; bi < b; bi++)
            for (var k = 0; k < next; k++)
                for (var ai = 0; ai < a; ai++)
                {
                    var any = false;
                    for (var s = Math.Max(0, 2 * k - 2); s <= Math.Min(t - 1, 2 * k + 2); s++) any |= present[(bi * t + s) * a + ai];
                    r[(bi * next + k) * a + ai] = any;
                }
        return r;
    }

    // weights [B, T, K, A, A] → mean over heads at the last step, [B, A, A]
    private static T[] HeadAverageAtLastStep(Tensor<T> weights, int b, int t, int heads, int a)
    {
        var r = new T[b * a * a];
        var inv = T.One / T.CreateTruncating(heads);
        for (var bi = 0; bi < b; bi++)
            for (var h = 0; h < heads; h++)
            {
                var src = (((long)bi * t + t - 1) * heads + h) * a * a;
                for (var i = 0; i < a * a; i++) r[bi * a * a + i] += weights.Data[src + i] * inv;
            }
        return r;
    }
}
