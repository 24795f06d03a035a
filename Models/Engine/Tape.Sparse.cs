using LeanModels.Models.Engine.Kernels;
using LeanModels.Models.Numerics;

namespace LeanModels.Models.Engine;

public sealed partial class Tape<T>
{
    private readonly struct EluOp : IUnaryOp
    {
        public static T F(T x) => x > T.Zero ? x : T.Exp(x) - T.One;
        public static T D(T x, T y) => x > T.Zero ? T.One : y + T.One;
    }

    /// <summary>ELU with α = 1 (Clevert et al. 2016): x for x &gt; 0, eˣ − 1 otherwise; the gradient at exactly 0 is taken as
    /// eˣ = 1 (continuous there).</summary>
    /// <param name="x">Any shape.</param>
    /// <returns>Same shape, &gt; −1.</returns>
    public Tensor<T> Elu(Tensor<T> x) => Unary<EluOp>(x);

    /// <summary>Max pooling over time, channels-last (PyTorch <c>nn.MaxPool1d</c> on the transposed layout): output step t is
    /// the maximum of input steps t·stride − padding … t·stride − padding + kernel − 1 that lie inside [0, T) (padding counts as
    /// −∞). The gradient goes to the first maximum of each window. Informer's distilling uses kernel 3, stride 2, padding 1,
    /// which maps T to ⌈T/2⌉.</summary>
    /// <param name="x">[N, T, C].</param>
    /// <param name="kernel">Window length (≥ 1).</param>
    /// <param name="stride">Step between windows (≥ 1).</param>
    /// <param name="padding">Implicit −∞ steps on each side, in [0, kernel/2].</param>
    /// <returns>[N, ⌊(T + 2·padding − kernel)/stride⌋ + 1, C].</returns>
    /// <exception cref="ArgumentException">x is not rank 3, or the sizes give no output step; the message gives them.</exception>
    public Tensor<T> MaxPool1d(Tensor<T> x, int kernel = 3, int stride = 2, int padding = 1)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 3 || kernel < 1 || stride < 1 || padding < 0 || 2 * padding > kernel || x.Dims[1] + 2 * padding < kernel)
            throw new ArgumentException($"MaxPool1d: x is {ShapeUtil.Format(x.Dims)}, kernel {kernel}, stride {stride}, padding {padding}; expected [N, T, C] with T + 2·padding ≥ kernel ≥ 1, stride ≥ 1, 0 ≤ padding ≤ kernel/2.");
        int n = x.Dims[0], t = x.Dims[1], c = x.Dims[2], to = (t + 2 * padding - kernel) / stride + 1;
        var y = Result([n, to, c], x);
        var arg = new int[n * to * c];                                   // flat input index of each output's maximum
        for (var b = 0; b < n; b++)
            for (var o = 0; o < to; o++)
            {
                int s0 = Math.Max(0, o * stride - padding), s1 = Math.Min(t, o * stride - padding + kernel);
                var yo = (b * to + o) * c;
                for (var ch = 0; ch < c; ch++)
                {
                    var best = (b * t + s0) * c + ch;
                    for (var s = s0 + 1; s < s1; s++)
                    {
                        var idx = (b * t + s) * c + ch;
                        if (x.Data[idx] > x.Data[best] || T.IsNaN(x.Data[idx])) best = idx;
                    }
                    y.Data[yo + ch] = x.Data[best];
                    arg[yo + ch] = best;
                }
            }
        Record(y, () =>
        {
            var gx = x.Grad!;
            var gy = y.Grad!;
            for (var i = 0; i < arg.Length; i++) gx[arg[i]] += gy[i];
        });
        return y;
    }

    /// <summary>Number of queries ProbSparse attention attends fully, and of keys it samples per query, as Informer's code
    /// (<c>ProbAttention</c>: u = c·⌈ln L_Q⌉, U = c·⌈ln L_K⌉), each capped at the length.</summary>
    /// <param name="factor">c (≥ 1); Informer's default is 5.</param>
    /// <param name="queries">L_Q (≥ 1).</param>
    /// <param name="keys">L_K (≥ 1).</param>
    /// <returns>(u, U).</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is below 1.</exception>
    public static (int Top, int Sample) ProbSparseCounts(int factor, int queries, int keys)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(queries, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(keys, 1);
        var u = (int)Math.Min(queries, (long)factor * (long)Math.Ceiling(Math.Log(queries)));
        var s = (int)Math.Min(keys, (long)factor * (long)Math.Ceiling(Math.Log(keys)));
        return (Math.Max(1, u), Math.Max(1, s));
    }

    /// <summary>
    /// ProbSparse self-attention (Zhou et al. 2021, Informer, AAAI, §3.1): per batch row, the query sparsity measurement
    /// M(q_i, K) = max_j s_ij − mean_j s_ij, s_ij = q_i·k_j/√d, is estimated on U keys drawn uniformly with replacement
    /// (one draw per query, shared by all batch rows, as Informer's <c>_prob_QK</c>); the u queries with the largest M get
    /// full softmax attention, every other query outputs mean_j v_j (the non-causal "lazy" output, Informer's
    /// <c>_get_initial_context</c>). u and U come from <see cref="ProbSparseCounts"/>. Informer's code divides the sampled sum
    /// by L_K instead of U; this takes the sample mean (the paper's estimator). With <paramref name="causal"/> (self-attention,
    /// L_Q = L_K; Informer's decoder, <c>mask_flag=True</c>) the selected query i attends keys j ≤ i only and every other query
    /// outputs the cumulative mean (1/(i+1))·Σ_{j≤i} v_j — Informer's code uses the cumulative <i>sum</i> (<c>V.cumsum</c>),
    /// which grows with i; the mean keeps the lazy output on the scale of v, as the non-causal mean(V) does. As in Informer, the
    /// sparsity measurement samples keys without the mask and the top-u choice compares all positions, so <b>the causal variant
    /// is not look-ahead-free</b>: which queries attend can change when inputs after t change (tested), although each output
    /// only mixes values at or before its time. Use it as Informer's decoder does (future inputs are placeholders), never where
    /// an output at t must not depend on data after t; <c>MultiHeadAttention</c> therefore keeps refusing masks in ProbSparse mode. Other masks are not supported; use
    /// <see cref="Attention(Tensor{T}, Tensor{T}, Tensor{T}, ReadOnlySpan{bool}, double, double)"/>. When u = L_Q no keys are
    /// drawn and the result is bit-identical to full (causal) attention.
    /// </summary>
    /// <param name="q">[B, Tq, d] queries (B may fold batch and heads).</param>
    /// <param name="k">[B, Tk, d] keys.</param>
    /// <param name="v">[B, Tk, dv] values.</param>
    /// <param name="factor">c ≥ 1 (Informer default 5).</param>
    /// <param name="sampler">Generator for the key sample; the selection is deterministic given its state.</param>
    /// <param name="dropout">Dropout on the selected queries' attention weights in training, in [0, 1); needs <see cref="Rng"/>.</param>
    /// <param name="scale">Score scale; NaN means 1/√d.</param>
    /// <param name="causal">True for the causal variant (requires Tq = Tk).</param>
    /// <returns>[B, Tq, dv].</returns>
    /// <exception cref="ArgumentException">Shapes disagree, or causal with Tq ≠ Tk; the message gives them.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> &lt; 1, a length is 0, or dropout is outside [0, 1).</exception>
    public Tensor<T> ProbSparseAttention(Tensor<T> q, Tensor<T> k, Tensor<T> v, int factor, Xoshiro256StarStar sampler,
        double dropout = 0, double scale = double.NaN, bool causal = false)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        CheckAttentionShapes(q, k, v, nameof(ProbSparseAttention));
        if (causal && q.Dims[1] != k.Dims[1])
            throw new ArgumentException($"ProbSparseAttention: causal attention needs Tq = Tk; q is {ShapeUtil.Format(q.Dims)}, k {ShapeUtil.Format(k.Dims)}.", nameof(causal));
        int b = q.Dims[0], tq = q.Dims[1], d = q.Dims[2], tk = k.Dims[1];
        var (u, sample) = ProbSparseCounts(factor, tq, tk);
        var selected = new int[b * u];
        if (u == tq)
        {
            for (var r = 0; r < b; r++)
                for (var i = 0; i < tq; i++) selected[r * u + i] = i;
            return ProbSparseAttention(q, k, v, selected, dropout, scale, causal);
        }
        var keys = new int[tq * sample];
        for (var i = 0; i < keys.Length; i++) keys[i] = sampler.NextInt(tk);
        var m = new double[tq];
        var taken = new bool[tq];
        var scores = new T[tq * tk];                                     // all of Q_r K_rᵀ: one GEMM beats B·Tq·U short dots
        for (var r = 0; r < b; r++)
        {
            Gemm.Multiply<T>(q.Data.AsSpan(r * tq * d, tq * d), k.Data.AsSpan(r * tk * d, tk * d), scores, tq, d, tk, transposeB: true);
            for (var i = 0; i < tq; i++)
            {
                double max = double.NegativeInfinity, sum = 0;
                for (var j = 0; j < sample; j++)
                {
                    var dot = double.CreateTruncating(scores[i * tk + keys[i * sample + j]]);
                    max = Math.Max(max, dot);
                    sum += dot;
                }
                m[i] = max - sum / sample;                              // the 1/√d factor does not change the ranking
            }
            // u passes of arg-max: largest M first, ties to the lower index; then the chosen queries in time order.
            Array.Clear(taken);
            var sel = selected.AsSpan(r * u, u);
            for (var c = 0; c < u; c++)
            {
                var best = -1;
                for (var i = 0; i < tq; i++)
                    if (!taken[i] && (best < 0 || m[i] > m[best] || double.IsNaN(m[i]) && !double.IsNaN(m[best]))) best = i;
                taken[best] = true;
                sel[c] = best;
            }
            sel.Sort();
        }
        return ProbSparseAttention(q, k, v, selected, dropout, scale, causal);
    }

    /// <summary>
    /// ProbSparse attention with a given selection (the differentiable part of
    /// <see cref="ProbSparseAttention(Tensor{T}, Tensor{T}, Tensor{T}, int, Xoshiro256StarStar, double, double, bool)"/>): for batch
    /// row r, the queries <c>selected[r·u .. r·u + u)</c> get softmax(q Kᵀ·scale) V, every other query gets mean_j v_j; with
    /// <paramref name="causal"/>, selected query i attends keys j ≤ i and the others get (1/(i+1))·Σ_{j≤i} v_j. Backward of the
    /// causal lazy rows: dv_j += Σ_{i ≥ j, i not selected} dy_i/(i+1) (a reverse cumulative sum). The selection is piecewise
    /// constant in q and k, so the gradient treats it as fixed.
    /// </summary>
    /// <param name="q">[B, Tq, d].</param>
    /// <param name="k">[B, Tk, d].</param>
    /// <param name="v">[B, Tk, dv].</param>
    /// <param name="selected">[B, u] query indices, strictly increasing within each row, in [0, Tq).</param>
    /// <param name="dropout">Dropout on the selected queries' attention weights in training, in [0, 1).</param>
    /// <param name="scale">Score scale; NaN means 1/√d.</param>
    /// <param name="causal">True for the causal variant (requires Tq = Tk).</param>
    /// <returns>[B, Tq, dv].</returns>
    /// <exception cref="ArgumentException">Shapes disagree, causal with Tq ≠ Tk, or the selection is not B rows of increasing
    /// in-range indices.</exception>
    public Tensor<T> ProbSparseAttention(Tensor<T> q, Tensor<T> k, Tensor<T> v, ReadOnlySpan<int> selected, double dropout = 0, double scale = double.NaN,
        bool causal = false)
    {
        CheckAttentionShapes(q, k, v, nameof(ProbSparseAttention));
        int b = q.Dims[0], tq = q.Dims[1], d = q.Dims[2], tk = k.Dims[1], dv = v.Dims[2];
        if (causal && tq != tk)
            throw new ArgumentException($"ProbSparseAttention: causal attention needs Tq = Tk; q is {ShapeUtil.Format(q.Dims)}, k {ShapeUtil.Format(k.Dims)}.", nameof(causal));
        if (selected.Length == 0 || selected.Length % b != 0)
            throw new ArgumentException($"ProbSparseAttention: {selected.Length} selected indices for B = {b}; expected B·u with u ≥ 1.", nameof(selected));
        var u = selected.Length / b;
        for (var r = 0; r < b; r++)
            for (var i = 0; i < u; i++)
            {
                var s = selected[r * u + i];
                if ((uint)s >= (uint)tq || i > 0 && s <= selected[r * u + i - 1])
                    throw new ArgumentException($"ProbSparseAttention: selected[{r}, {i}] = {s} is outside [0, {tq}) or not increasing.", nameof(selected));
            }
        if (u == tq) return Attention(q, k, v, causal ? CausalMask(tq) : default, dropout, scale);
        var sel = selected.ToArray();

        // Gather the selected queries: qs[r, i] = q[r, sel[r, i]].
        var qs = Result([b, u, d], q);
        for (var r = 0; r < b; r++)
            for (var i = 0; i < u; i++)
                Array.Copy(q.Data, (r * tq + sel[r * u + i]) * d, qs.Data, (r * u + i) * d, d);
        Record(qs, () =>
        {
            var gq = q.Grad!;
            var gs = qs.Grad!;
            for (var r = 0; r < b; r++)
                for (var i = 0; i < u; i++)
                    System.Numerics.Tensors.TensorPrimitives.Add<T>(gq.AsSpan((r * tq + sel[r * u + i]) * d, d), gs.AsSpan((r * u + i) * d, d), gq.AsSpan((r * tq + sel[r * u + i]) * d, d));
        });
        var a = causal ? SelectedCausalAttention(qs, k, v, sel, dropout, scale) : Attention(qs, k, v, default, dropout, scale);   // [B, u, dv]

        // Scatter: selected rows from a, the others mean_j v[r, j].
        var y = Result([b, tq, dv], a, v);
        var isSel = new bool[b * tq];
        for (var r = 0; r < b; r++)
            for (var i = 0; i < u; i++) isSel[r * tq + sel[r * u + i]] = true;
        var mean = new T[dv];
        var sum = new T[dv];
        var invTk = T.One / T.CreateTruncating(tk);
        for (var r = 0; r < b; r++)
        {
            Array.Clear(mean);
            if (!causal)
            {
                for (var j = 0; j < tk; j++)
                    System.Numerics.Tensors.TensorPrimitives.Add<T>(mean, v.Data.AsSpan((r * tk + j) * dv, dv), mean);
                System.Numerics.Tensors.TensorPrimitives.Multiply<T>(mean, invTk, mean);
            }
            else Array.Clear(sum);
            for (int i = 0, next = 0; i < tq; i++)
            {
                if (causal)
                {
                    System.Numerics.Tensors.TensorPrimitives.Add<T>(sum, v.Data.AsSpan((r * tk + i) * dv, dv), sum);   // Σ_{j≤i} v_j
                    System.Numerics.Tensors.TensorPrimitives.Multiply<T>(sum, T.One / T.CreateTruncating(i + 1), mean);
                }
                if (isSel[r * tq + i]) Array.Copy(a.Data, (r * u + next++) * dv, y.Data, (r * tq + i) * dv, dv);
                else Array.Copy(mean, 0, y.Data, (r * tq + i) * dv, dv);
            }
        }
        Record(y, () =>
        {
            var gy = y.Grad!;
            var lazy = new T[dv];
            for (var r = 0; r < b; r++)
            {
                Array.Clear(lazy);
                for (int i = 0, next = 0; i < tq; i++)
                {
                    var row = gy.AsSpan((r * tq + i) * dv, dv);
                    if (isSel[r * tq + i])
                    {
                        if (a.Grad is { } ga) System.Numerics.Tensors.TensorPrimitives.Add<T>(ga.AsSpan((r * u + next) * dv, dv), row, ga.AsSpan((r * u + next) * dv, dv));
                        next++;
                    }
                    else System.Numerics.Tensors.TensorPrimitives.Add<T>(lazy, row, lazy);
                }
                if (v.Grad is not { } gv) continue;
                if (causal)
                {
                    // dv_j += Σ_{i ≥ j, lazy} dy_i/(i+1): walk i downwards keeping the running sum.
                    Array.Clear(lazy);
                    for (var i = tq - 1; i >= 0; i--)
                    {
                        if (!isSel[r * tq + i])
                            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd<T>(gy.AsSpan((r * tq + i) * dv, dv), T.One / T.CreateTruncating(i + 1), lazy, lazy);
                        System.Numerics.Tensors.TensorPrimitives.Add<T>(gv.AsSpan((r * tk + i) * dv, dv), lazy, gv.AsSpan((r * tk + i) * dv, dv));
                    }
                    continue;
                }
                System.Numerics.Tensors.TensorPrimitives.Multiply<T>(lazy, invTk, lazy);  // d mean/d v_j = 1/Tk
                for (var j = 0; j < tk; j++)
                    System.Numerics.Tensors.TensorPrimitives.Add<T>(gv.AsSpan((r * tk + j) * dv, dv), lazy, gv.AsSpan((r * tk + j) * dv, dv));
            }
        });
        return y;
    }

    /// <summary>[T, T] flags, true where j ≤ i.</summary>
    internal static bool[] CausalMask(int t)
    {
        var m = new bool[t * t];
        for (var i = 0; i < t; i++)
            for (var j = 0; j <= i; j++) m[i * t + j] = true;
        return m;
    }

    /// <summary>True when <paramref name="allowed"/> is exactly the [T, T] causal mask.</summary>
    internal static bool IsCausalMask(ReadOnlySpan<bool> allowed, int t)
    {
        if (allowed.Length != t * t) return false;
        for (var i = 0; i < t; i++)
            for (var j = 0; j < t; j++)
                if (allowed[i * t + j] != j <= i) return false;
        return true;
    }

    /// <summary>Attention of gathered queries qs[r, i] (originally at time sel[r, i]) over keys j ≤ sel[r, i], with inverted
    /// dropout on the weights (keep bits from <see cref="CounterHash"/>, element (r, i, j) of [B, u, Tk]). Forward
    /// p = softmax(s·qs kᵀ) over the allowed keys, y = pᵈ·v; backward as <see cref="Attention(Tensor{T}, Tensor{T}, Tensor{T}, ReadOnlySpan{bool}, double, double)"/>.
    /// Plain loops in T (it runs only in causal ProbSparse, u ≪ Tq queries).</summary>
    private Tensor<T> SelectedCausalAttention(Tensor<T> qs, Tensor<T> k, Tensor<T> v, int[] sel, double dropout, double scale)
    {
        if (!(dropout >= 0 && dropout < 1)) throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "ProbSparseAttention: dropout must be in [0, 1).");
        int b = qs.Dims[0], u = qs.Dims[1], d = qs.Dims[2], tk = k.Dims[1], dv = v.Dims[2];
        var s = C(double.IsNaN(scale) ? 1.0 / Math.Sqrt(d) : scale);
        var drop = IsTraining && dropout > 0;
        var seed = drop ? (Rng ?? throw new InvalidOperationException("Dropout: the tape is in training mode with p > 0 but has no random generator; pass one to the Tape constructor.")).NextUInt64() : 0UL;
        var threshold = CounterHash.Threshold(dropout);
        var keepScale = C(1.0 / (1.0 - dropout));
        T Keep(int r, int i, int j) => !drop ? T.One : CounterHash.KeepScale(seed, (uint)((r * u + i) * tk + j), threshold, keepScale);
        var y = Result([b, u, dv], qs, k, v);
        var p = new T[b * u * tk];
        for (var r = 0; r < b; r++)
            for (var i = 0; i < u; i++)
            {
                var limit = sel[r * u + i];
                var pr = p.AsSpan((r * u + i) * tk, tk);
                var qr = qs.Data.AsSpan((r * u + i) * d, d);
                var max = T.NegativeInfinity;
                for (var j = 0; j <= limit; j++)
                {
                    pr[j] = s * System.Numerics.Tensors.TensorPrimitives.Dot<T>(qr, k.Data.AsSpan((r * tk + j) * d, d));
                    if (pr[j] > max) max = pr[j];
                }
                var sum = T.Zero;
                for (var j = 0; j <= limit; j++) { pr[j] = T.Exp(pr[j] - max); sum += pr[j]; }
                var yr = y.Data.AsSpan((r * u + i) * dv, dv);
                for (var j = 0; j <= limit; j++)
                {
                    pr[j] /= sum;
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd<T>(v.Data.AsSpan((r * tk + j) * dv, dv), pr[j] * Keep(r, i, j), yr, yr);
                }
            }
        Record(y, () =>
        {
            var gy = y.Grad!;
            var dp = new T[tk];
            for (var r = 0; r < b; r++)
                for (var i = 0; i < u; i++)
                {
                    var limit = sel[r * u + i];
                    var pr = p.AsSpan((r * u + i) * tk, tk);
                    var gyr = gy.AsSpan((r * u + i) * dv, dv);
                    var dot = T.Zero;
                    for (var j = 0; j <= limit; j++)
                    {
                        var keep = Keep(r, i, j);
                        if (v.Grad is not null)
                            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd<T>(gyr, pr[j] * keep, v.Grad.AsSpan((r * tk + j) * dv, dv), v.Grad.AsSpan((r * tk + j) * dv, dv));
                        dp[j] = System.Numerics.Tensors.TensorPrimitives.Dot<T>(gyr, v.Data.AsSpan((r * tk + j) * dv, dv)) * keep;   // dP
                        dot += dp[j] * pr[j];
                    }
                    for (var j = 0; j <= limit; j++)
                    {
                        var ds = pr[j] * (dp[j] - dot) * s;                                     // dS, scale folded in
                        if (qs.Grad is not null)
                            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd<T>(k.Data.AsSpan((r * tk + j) * d, d), ds, qs.Grad.AsSpan((r * u + i) * d, d), qs.Grad.AsSpan((r * u + i) * d, d));
                        if (k.Grad is not null)
                            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd<T>(qs.Data.AsSpan((r * u + i) * d, d), ds, k.Grad.AsSpan((r * tk + j) * d, d), k.Grad.AsSpan((r * tk + j) * d, d));
                    }
                }
        });
        return y;
    }

    private static void CheckAttentionShapes(Tensor<T> q, Tensor<T> k, Tensor<T> v, string op)
    {
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(k);
        ArgumentNullException.ThrowIfNull(v);
        if (q.Rank != 3 || k.Rank != 3 || v.Rank != 3 || k.Dims[0] != q.Dims[0] || v.Dims[0] != q.Dims[0]
            || k.Dims[2] != q.Dims[2] || v.Dims[1] != k.Dims[1])
            throw new ArgumentException($"{op}: q is {ShapeUtil.Format(q.Dims)}, k {ShapeUtil.Format(k.Dims)}, v {ShapeUtil.Format(v.Dims)}; expected [B, Tq, d], [B, Tk, d], [B, Tk, dv].");
    }
}
