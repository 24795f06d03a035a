using LeanModels.Models.Engine;

namespace LeanModels.Models.Stockformer;

/// <summary>Floating-point operations of one Stockformer forward pass per sample (one date's window of A assets).</summary>
public static class StockformerFlops
{
    /// <summary>
    /// Forward FLOPs per sample = 2 × the multiply-adds of the matrix products (element-wise work — LayerNorm, softmax, GELU,
    /// embeddings, residuals — is not counted; it is O(T·A·D) against O(T·A·D²)). With F′ = F + 1 input channels, d_ff, L layers,
    /// t_l the steps seen by layer l (T, or halved by distilling), and the heads' outputs n_h (1 per scalar head, 3 for quantiles):
    /// <code>
    /// embedding      A·T·F′·3·D                      (causal Conv1d, every tap counted)
    /// per layer l:   A·t_l·4·D²                      temporal Q, K, V, O projections
    ///                A·2·t_l²·D                      temporal QKᵀ and P·V (full; the causal mask does not skip work)
    ///                   or A·(t_l·U + 2·u·t_l)·D     ProbSparse: U sampled keys per query, u active queries (Informer §3.1)
    ///                c_l·A·4·D²                      cross-ticker projections
    ///                c_l·2·A²·D                      cross-ticker QKᵀ and P·V
    ///                A·c_l·2·D·d_ff                  feed-forward
    ///                A·t_l·3·D²                      distilling convolution (layers followed by distilling)
    /// heads          A·D·n_h                         last step only
    /// </code>
    /// where c_l = t_l, except c_L = 1 for the last layer: <see cref="StockformerModel{T}.Forward"/> runs the last layer's
    /// cross-ticker and feed-forward blocks on the last step only, the one the heads read (the count is of what runs; with
    /// <c>allSteps</c> the last layer costs as the others). Training costs about 3× the forward (backward ≈ 2× forward).
    /// </summary>
    /// <param name="options">The model's options (validated).</param>
    /// <param name="assets">A ≥ 1, assets in the sample.</param>
    /// <returns>FLOPs (2 per multiply-add) of one forward pass over one sample.</returns>
    /// <exception cref="ArgumentException">The options are invalid or A &lt; 1.</exception>
    public static long FlopsPerSample(StockformerOptions options, int assets)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(assets, 1);
        long a = assets, d = options.Model, dff = options.FeedForward;
        long macs = a * options.Lookback * (options.Features + 1L) * options.KernelSize * d;
        for (var l = 0; l < options.Layers; l++)
        {
            long t = options.StepsAtLayer(l);
            macs += a * t * 4 * d * d;
            if (options.ProbSparseFactor > 0)
            {
                var (top, sample) = Tape<float>.ProbSparseCounts(options.ProbSparseFactor, (int)t, (int)t);
                macs += a * (t * sample + 2L * top * t) * d;
            }
            else
                macs += a * 2 * t * t * d;
            var c = l == options.Layers - 1 ? 1 : t;                                   // the last layer: last step only
            macs += c * a * 4 * d * d + c * 2 * a * a * d + a * c * 2 * d * dff;
            if (options.Distil && l < options.Layers - 1) macs += a * t * 3 * d * d;
        }
        var heads = options.Outputs;
        long outputs = (heads.HasFlag(StockformerHeads.Return) ? 1 : 0) + (heads.HasFlag(StockformerHeads.Direction) ? 1 : 0)
            + (heads.HasFlag(StockformerHeads.Allocation) ? 1 : 0) + (heads.HasFlag(StockformerHeads.Quantiles) ? 3 : 0);
        macs += a * d * outputs;
        return 2 * macs;
    }
}
