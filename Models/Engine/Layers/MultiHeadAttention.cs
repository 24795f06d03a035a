using System.Numerics;
using LeanModels.Models.Numerics;

namespace LeanModels.Models.Engine.Layers;

/// <summary>
/// Full multi-head attention (Vaswani et al. 2017, §3.2.2): per head h, softmax(Q_h K_hᵀ/√d_h) V_h over the fused
/// <see cref="Tape{T}.Attention(Tensor{T}, Tensor{T}, Tensor{T}, ReadOnlySpan{bool}, double, double)"/>, heads concatenated,
/// then the output projection. Projections are Xavier-uniform with zero biases, as PyTorch's <c>nn.MultiheadAttention</c>
/// (<c>_reset_parameters</c>). Dropout applies to the attention weights, as PyTorch's.
/// With <c>probSparseFactor</c> c &gt; 0 the core is Informer's ProbSparse attention (Zhou et al. 2021, §3.1, see
/// <see cref="Tape{T}.ProbSparseAttention(Tensor{T}, Tensor{T}, Tensor{T}, int, Xoshiro256StarStar, double, double, bool)"/>):
/// only the c·⌈ln Tq⌉ most "active" queries per head attend, the others output the mean of V; the key sample is drawn from
/// <see cref="Tape{T}.Rng"/>. The default is full attention: with the fused kernel it is as fast as ProbSparse at T = 64
/// (ProbSparse 1.35× faster at T = 256; engine README), it is exact, supports masks and matches the PyTorch peer's model;
/// ProbSparse is an approximation. Full self-attention projects q, k, v with one GEMM (x·[W_q | W_k | W_v]) and runs
/// <see cref="Tape{T}.AttentionHeads(Tensor{T}, int, ReadOnlySpan{bool}, double)"/> on the packed result.
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
public sealed class MultiHeadAttention<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Linear<T> _wq, _wk, _wv, _wo;

    /// <summary>Creates the layer; initialises q, k, v, o in that order.</summary>
    /// <param name="model">D, the model width; must be a multiple of <paramref name="heads"/>.</param>
    /// <param name="heads">K, the number of heads.</param>
    /// <param name="dropout">Dropout on the attention weights in training, in [0, 1).</param>
    /// <param name="rng">Generator.</param>
    /// <param name="probSparseFactor">0 for full attention (default); c ≥ 1 for ProbSparse attention with u = c·⌈ln Tq⌉
    /// selected queries and U = c·⌈ln Tk⌉ sampled keys per query (Informer uses c = 5).</param>
    /// <exception cref="ArgumentException">D is not a positive multiple of the number of heads, or the factor is negative.</exception>
    public MultiHeadAttention(int model, int heads, double dropout, Xoshiro256StarStar rng, int probSparseFactor = 0)
    {
        if (heads < 1 || model < 1 || model % heads != 0)
            throw new ArgumentException($"MultiHeadAttention: model width {model} is not a positive multiple of {heads} heads.");
        if (probSparseFactor < 0)
            throw new ArgumentException($"MultiHeadAttention: ProbSparse factor {probSparseFactor} is negative; use 0 for full attention.", nameof(probSparseFactor));
        ProbSparseFactor = probSparseFactor;
        Model = model;
        Heads = heads;
        Dropout = dropout;
        _wq = AddModule("wq", Projection(model, rng));
        _wk = AddModule("wk", Projection(model, rng));
        _wv = AddModule("wv", Projection(model, rng));
        _wo = AddModule("wo", Projection(model, rng));
    }

    /// <summary>D.</summary>
    public int Model { get; }

    /// <summary>Number of heads.</summary>
    public int Heads { get; }

    /// <summary>Attention-weight dropout probability.</summary>
    public double Dropout { get; }

    /// <summary>0 for full attention; otherwise Informer's ProbSparse factor c.</summary>
    public int ProbSparseFactor { get; }

    private static Linear<T> Projection(int d, Xoshiro256StarStar rng)
    {
        var l = new Linear<T>(d, d, rng);
        Init.XavierUniform<T>(l.Weight.Data, d, d, rng);
        Array.Clear(l.Bias!.Data);
        return l;
    }

    /// <summary>Self-attention: queries, keys and values all from <paramref name="x"/>.</summary>
    /// <param name="tape">The step's tape.</param>
    /// <param name="x">[B, T, D].</param>
    /// <param name="allowed">Empty, or [T, T] flags: true where query i may attend to key j.</param>
    /// <returns>[B, T, D].</returns>
    /// <exception cref="ArgumentException">x is not [B, T, D].</exception>
    public Tensor<T> Forward(Tape<T> tape, Tensor<T> x, ReadOnlySpan<bool> allowed = default) => Forward(tape, x, x, allowed);

    /// <summary>Attention of <paramref name="query"/> over <paramref name="memory"/> (cross-attention when they differ).</summary>
    /// <param name="tape">The step's tape.</param>
    /// <param name="query">[B, Tq, D].</param>
    /// <param name="memory">[B, Tk, D], keys and values.</param>
    /// <param name="allowed">Empty, or [Tq, Tk] flags.</param>
    /// <returns>[B, Tq, D].</returns>
    /// <exception cref="ArgumentException">Inputs are not [B, T, D] with the same B and D; in ProbSparse mode, a mask is given
    /// (only unmasked ProbSparse attention is supported) or the tape has no <see cref="Tape{T}.Rng"/>.</exception>
    public Tensor<T> Forward(Tape<T> tape, Tensor<T> query, Tensor<T> memory, ReadOnlySpan<bool> allowed = default)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(memory);
        if (query.Rank != 3 || memory.Rank != 3 || query.Dims[2] != Model || memory.Dims[2] != Model || query.Dims[0] != memory.Dims[0])
            throw new ArgumentException($"MultiHeadAttention: query is {ShapeUtil.Format(query.Dims)}, memory {ShapeUtil.Format(memory.Dims)}; expected [B, Tq, {Model}] and [B, Tk, {Model}].");
        int b = query.Dims[0], tq = query.Dims[1], dh = Model / Heads;
        if (ProbSparseFactor > 0 && !allowed.IsEmpty)
            throw new ArgumentException("MultiHeadAttention: ProbSparse attention supports no mask (Tape.ProbSparseAttention's causal variant is not look-ahead-free, so the layer does not offer it); use full attention.", nameof(allowed));
        if (ProbSparseFactor > 0 && tape.Rng is null)
            throw new ArgumentException("MultiHeadAttention: ProbSparse attention samples keys from Tape.Rng; build the tape with a generator.", nameof(tape));
        if (ProbSparseFactor == 0 && ReferenceEquals(query, memory))                          // self-attention, heads read in place
            return _wo.Forward(tape, tape.AttentionHeads(PackedQkv(tape, query), Heads, allowed, Dropout));
        if (ProbSparseFactor == 0)                                                // fused heads: no split/merge copies
            return _wo.Forward(tape, tape.AttentionHeads(_wq.Forward(tape, query), _wk.Forward(tape, memory), _wv.Forward(tape, memory), Heads, allowed, Dropout));
        var q = tape.SplitHeads(_wq.Forward(tape, query), Heads);
        var k = tape.SplitHeads(_wk.Forward(tape, memory), Heads);
        var v = tape.SplitHeads(_wv.Forward(tape, memory), Heads);
        var o = tape.ProbSparseAttention(q, k, v, ProbSparseFactor, tape.Rng!, Dropout);               // [B·K, Tq, dh]
        var merged = tape.Reshape(tape.Permute(tape.Reshape(o, b, Heads, tq, dh), 0, 2, 1, 3), b, tq, Model);
        return _wo.Forward(tape, merged);
    }

    /// <summary>Self-attention across axis 1 of <paramref name="x"/>: for every (n, i) the S rows x[n, :, i, :] attend to each
    /// other (the Stockformer's cross-asset attention on [B, A, T, D] at each time step). Equal to permuting to [N, I, S, D],
    /// <see cref="Forward(Tape{T}, Tensor{T}, ReadOnlySpan{bool})"/> on [N·I, S, D] and permuting back; full attention runs
    /// <see cref="Tape{T}.AttentionHeadsAcross(Tensor{T}, int, ReadOnlySpan{bool}, double)"/> on the strided rows without permutes.</summary>
    /// <param name="tape">The step's tape.</param>
    /// <param name="x">[N, S, I, D].</param>
    /// <param name="allowed">Empty, or [S, S] flags.</param>
    /// <returns>[N, S, I, D].</returns>
    /// <exception cref="ArgumentException">x is not [N, S, I, D]; in ProbSparse mode as <see cref="Forward(Tape{T}, Tensor{T}, Tensor{T}, ReadOnlySpan{bool})"/>.</exception>
    public Tensor<T> ForwardAcross(Tape<T> tape, Tensor<T> x, ReadOnlySpan<bool> allowed = default)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4 || x.Dims[3] != Model)
            throw new ArgumentException($"MultiHeadAttention: x is {ShapeUtil.Format(x.Dims)}; expected [N, S, I, {Model}].", nameof(x));
        int n = x.Dims[0], s = x.Dims[1], inner = x.Dims[2];
        if (ProbSparseFactor > 0)
        {
            var seq = tape.Reshape(tape.Permute(x, 0, 2, 1, 3), n * inner, s, Model);
            return tape.Permute(tape.Reshape(Forward(tape, seq, allowed), n, inner, s, Model), 0, 2, 1, 3);
        }
        return _wo.Forward(tape, tape.AttentionHeadsAcross(PackedQkv(tape, x), Heads, allowed, Dropout));
    }

    /// <summary>Self-attention with a key mask per sequence: query i of sequence b may attend to key j when
    /// <paramref name="allowed"/> permits it (or is empty) and key j is present (<paramref name="keyPresent"/>[b, j]) or is the
    /// query's own position (j = i). The self rule keeps every softmax row defined, so a query whose keys are all absent attends
    /// only to itself, and no query ever sees another position's absent key. Full attention only: one [T, T] mask per sequence,
    /// passed to <see cref="Tape{T}.AttentionHeads(Tensor{T}, int, ReadOnlySpan{bool}, double)"/> (the fused float kernel when
    /// the head width is a multiple of 16, the composed path otherwise).</summary>
    /// <param name="tape">The step's tape.</param>
    /// <param name="x">[B, T, D].</param>
    /// <param name="allowed">Empty, or [T, T] flags shared by every sequence (e.g. causal j ≤ i). Its diagonal must be true.</param>
    /// <param name="keyPresent">[B, T] flags: true where position t of sequence b may serve as a key.</param>
    /// <returns>[B, T, D].</returns>
    /// <exception cref="ArgumentException">x is not [B, T, D], a mask has the wrong length, <paramref name="allowed"/> forbids a
    /// diagonal entry, or the layer is in ProbSparse mode (which supports no mask).</exception>
    public Tensor<T> Forward(Tape<T> tape, Tensor<T> x, ReadOnlySpan<bool> allowed, ReadOnlySpan<bool> keyPresent)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 3 || x.Dims[2] != Model)
            throw new ArgumentException($"MultiHeadAttention: x is {ShapeUtil.Format(x.Dims)}; expected [B, T, {Model}].", nameof(x));
        return _wo.Forward(tape, tape.AttentionHeads(PackedQkv(tape, x), Heads, KeyMask(x.Dims[0], x.Dims[1], allowed, keyPresent), Dropout));
    }

    /// <summary>Self-attention across axis 1 of <paramref name="x"/> (as
    /// <see cref="ForwardAcross(Tape{T}, Tensor{T}, ReadOnlySpan{bool})"/>) with a key mask per problem: for every (n, i), row s
    /// may attend to row s' when <paramref name="allowed"/> permits it (or is empty) and s' is present
    /// (<paramref name="keyPresent"/>[n, i, s']) or s' = s (the self rule of
    /// <see cref="Forward(Tape{T}, Tensor{T}, ReadOnlySpan{bool}, ReadOnlySpan{bool})"/>). The Stockformer's cross-asset
    /// attention with absent assets masked out of the keys: x = [B, A, T, D], keyPresent = the availability mask [B, T, A].
    /// One [S, S] mask per problem, passed to <see cref="Tape{T}.AttentionHeadsAcross(Tensor{T}, int, ReadOnlySpan{bool}, double)"/>
    /// (fused on the strided rows in float with head width a multiple of 16; composed otherwise).</summary>
    /// <param name="tape">The step's tape.</param>
    /// <param name="x">[N, S, I, D].</param>
    /// <param name="allowed">Empty, or [S, S] flags shared by every problem; its diagonal must be true.</param>
    /// <param name="keyPresent">[N, I, S] flags (problem n·I + i, key s).</param>
    /// <returns>[N, S, I, D].</returns>
    /// <exception cref="ArgumentException">As <see cref="Forward(Tape{T}, Tensor{T}, ReadOnlySpan{bool}, ReadOnlySpan{bool})"/>.</exception>
    public Tensor<T> ForwardAcross(Tape<T> tape, Tensor<T> x, ReadOnlySpan<bool> allowed, ReadOnlySpan<bool> keyPresent) =>
        ForwardAcrossKeyMasked(tape, x, allowed, keyPresent, wantWeights: false, out _);

    /// <summary>As <see cref="ForwardAcross(Tape{T}, Tensor{T}, ReadOnlySpan{bool}, ReadOnlySpan{bool})"/>, also returning the
    /// softmax attention weights (before dropout) for interpretation.</summary>
    /// <param name="tape">The step's tape.</param>
    /// <param name="x">[N, S, I, D].</param>
    /// <param name="allowed">Empty, or [S, S] flags; its diagonal must be true.</param>
    /// <param name="keyPresent">[N, I, S] flags.</param>
    /// <param name="weights">[N, I, K, S, S]: for problem (n, i) and head k, row s holds query s's weights over the S keys
    /// (0 for masked keys, each row sums to 1). A copy outside the gradient graph.</param>
    /// <returns>[N, S, I, D].</returns>
    /// <exception cref="ArgumentException">As <see cref="Forward(Tape{T}, Tensor{T}, ReadOnlySpan{bool}, ReadOnlySpan{bool})"/>.</exception>
    public Tensor<T> ForwardAcross(Tape<T> tape, Tensor<T> x, ReadOnlySpan<bool> allowed, ReadOnlySpan<bool> keyPresent, out Tensor<T> weights)
    {
        var y = ForwardAcrossKeyMasked(tape, x, allowed, keyPresent, wantWeights: true, out var w);
        weights = w!;
        return y;
    }

    private Tensor<T> ForwardAcrossKeyMasked(Tape<T> tape, Tensor<T> x, ReadOnlySpan<bool> allowed, ReadOnlySpan<bool> keyPresent, bool wantWeights,
        out Tensor<T>? weights)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4 || x.Dims[3] != Model)
            throw new ArgumentException($"MultiHeadAttention: x is {ShapeUtil.Format(x.Dims)}; expected [N, S, I, {Model}].", nameof(x));
        int n = x.Dims[0], s = x.Dims[1], inner = x.Dims[2];
        var mask = KeyMask(n * inner, s, allowed, keyPresent);                                 // [N·I, S, S]
        weights = null;
        Tensor<T> o;
        if (wantWeights)
        {
            o = tape.AttentionHeadsAcross(PackedQkv(tape, x), Heads, mask, Dropout, out var w);
            weights = new Tensor<T>(w.Data, [n, inner, Heads, s, s]);
        }
        else o = tape.AttentionHeadsAcross(PackedQkv(tape, x), Heads, mask, Dropout);
        return _wo.Forward(tape, o);
    }

    // One [S, S] mask per problem from the shared mask, the key mask [P, S] and the self rule (j = i always allowed).
    private bool[] KeyMask(int p, int s, ReadOnlySpan<bool> allowed, ReadOnlySpan<bool> keyPresent)
    {
        if (ProbSparseFactor > 0)
            throw new ArgumentException("MultiHeadAttention: ProbSparse attention supports no mask; key masks need full attention (probSparseFactor 0).", nameof(keyPresent));
        if (keyPresent.Length != p * s)
            throw new ArgumentException($"MultiHeadAttention: keyPresent has {keyPresent.Length} flags; expected {p} problems × {s} keys = {p * s}.", nameof(keyPresent));
        if (!allowed.IsEmpty && allowed.Length != s * s)
            throw new ArgumentException($"MultiHeadAttention: the mask has {allowed.Length} flags; expected [{s}, {s}] = {s * s}.", nameof(allowed));
        for (var i = 0; i < s && !allowed.IsEmpty; i++)
            if (!allowed[i * s + i])
                throw new ArgumentException($"MultiHeadAttention: the mask forbids query {i} its own key; key masks need a true diagonal (the self rule).", nameof(allowed));
        var mask = new bool[(long)p * s * s];
        for (var pi = 0; pi < p; pi++)
            for (var i = 0; i < s; i++)
                for (var j = 0; j < s; j++)
                    mask[((long)pi * s + i) * s + j] = (allowed.IsEmpty || allowed[i * s + j]) && (keyPresent[pi * s + j] || i == j);
        return mask;
    }

    // Self-attention projections in one GEMM: x·[W_q | W_k | W_v] + [b_q | b_k | b_v], [..., D] → [..., 3D].
    private Tensor<T> PackedQkv(Tape<T> tape, Tensor<T> x) =>
        tape.Linear(x, tape.Concat([_wq.Weight, _wk.Weight, _wv.Weight], 1), tape.Concat([_wq.Bias!, _wk.Bias!, _wv.Bias!], 0));
}
