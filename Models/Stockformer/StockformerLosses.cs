using System.Numerics;
using LeanModels.Models.Engine;

namespace LeanModels.Models.Stockformer;

/// <summary>
/// Training losses of the Stockformer's heads, as functions of a head's output and per-date labels with the asset mask
/// ([B, A], true where the asset has a prediction and a label; usually <see cref="StockformerOutput{T}.PredictionMask"/> AND a
/// finite label). Masked-out assets take no part (their labels may be NaN). Each loss is composed of gradchecked engine ops.
/// Labels are data: they receive no gradient.
/// </summary>
public static class StockformerLosses
{
    /// <summary>Mean squared error over the available (date, asset) pairs: (1/n) Σ (p − y)².</summary>
    /// <param name="tape">The step's tape.</param>
    /// <param name="forecast">[B, A] return head.</param>
    /// <param name="label">[B, A] label (forward log return over H, or its per-date normalised form).</param>
    /// <param name="mask">[B, A] flags.</param>
    /// <returns>A scalar.</returns>
    /// <exception cref="ArgumentException">Lengths disagree with [B, A], no pair is available, or an available label is not finite.</exception>
    public static Tensor<T> Mse<T>(Tape<T> tape, Tensor<T> forecast, ReadOnlySpan<T> label, ReadOnlySpan<bool> mask) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (idx, y) = Available(forecast, label, mask, nameof(Mse));
        return tape.MseLoss(tape.Gather(tape.Reshape(forecast, forecast.Length), idx), y);
    }

    /// <summary>Negative information coefficient: −(1/D′) Σ_d IC_d, IC_d the Pearson correlation between forecast and label across
    /// the available assets of date d (Qlib's <c>calc_ic</c>; <see cref="Tape{T}.NegativePearsonICLoss"/> with ε = 1e-8); D′
    /// counts the dates with ≥ 2 available assets, the others are skipped.</summary>
    /// <param name="tape">The step's tape.</param>
    /// <param name="forecast">[B, A] return head.</param>
    /// <param name="label">[B, A] label.</param>
    /// <param name="mask">[B, A] flags.</param>
    /// <returns>A scalar in [−1, 1].</returns>
    /// <exception cref="ArgumentException">Lengths disagree, no date has 2 available assets, or an available label is not finite.</exception>
    public static Tensor<T> NegativeIC<T>(Tape<T> tape, Tensor<T> forecast, ReadOnlySpan<T> label, ReadOnlySpan<bool> mask) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Available(forecast, label, mask, nameof(NegativeIC));
        int b = forecast.Dims[0], a = forecast.Dims[1];
        var flat = tape.Reshape(forecast, b * a);
        Tensor<T>? sum = null;
        var dates = 0;
        for (var bi = 0; bi < b; bi++)
        {
            var idx = new List<int>();
            for (var ai = 0; ai < a; ai++) if (mask[bi * a + ai]) idx.Add(bi * a + ai);
            if (idx.Count < 2) continue;
            var values = new T[idx.Count];
            for (var i = 0; i < values.Length; i++) values[i] = label[idx[i]];
            var y = new Tensor<T>(values, [1, idx.Count]);
            var ic = tape.NegativePearsonICLoss(tape.Reshape(tape.Gather(flat, idx.ToArray()), 1, idx.Count), y);
            sum = sum is null ? ic : tape.Add(sum, ic);
            dates++;
        }
        if (sum is null) throw new ArgumentException($"NegativeIC: no date of [B={b}, A={a}] has 2 available assets; the IC is undefined.", nameof(mask));
        return tape.Scale(sum, 1.0 / dates);
    }

    /// <summary>Binary cross-entropy of the direction logit against 1[label &gt; 0], mean over the available pairs
    /// (<see cref="Tape{T}.BceWithLogitsLoss"/>).</summary>
    /// <param name="tape">The step's tape.</param>
    /// <param name="logit">[B, A] direction head.</param>
    /// <param name="label">[B, A] label; only its sign is used (0 counts as down).</param>
    /// <param name="mask">[B, A] flags.</param>
    /// <returns>A scalar ≥ 0.</returns>
    /// <exception cref="ArgumentException">As <see cref="Mse{T}"/>.</exception>
    public static Tensor<T> DirectionBce<T>(Tape<T> tape, Tensor<T> logit, ReadOnlySpan<T> label, ReadOnlySpan<bool> mask) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (idx, y) = Available(logit, label, mask, nameof(DirectionBce));
        for (var i = 0; i < y.Length; i++) y.Data[i] = y.Data[i] > T.Zero ? T.One : T.Zero;
        return tape.BceWithLogitsLoss(tape.Gather(tape.Reshape(logit, logit.Length), idx), y);
    }

    /// <summary>Pinball loss of the three quantile outputs (τ = 0.1, 0.5, 0.9; Koenker &amp; Bassett 1978), each averaged over the
    /// available pairs, then averaged over the three τ.</summary>
    /// <param name="tape">The step's tape.</param>
    /// <param name="quantiles">[B, A, 3] quantile head.</param>
    /// <param name="label">[B, A] label.</param>
    /// <param name="mask">[B, A] flags.</param>
    /// <returns>A scalar ≥ 0.</returns>
    /// <exception cref="ArgumentException">The quantiles are not [B, A, 3], or as <see cref="Mse{T}"/>.</exception>
    public static Tensor<T> Pinball<T>(Tape<T> tape, Tensor<T> quantiles, ReadOnlySpan<T> label, ReadOnlySpan<bool> mask) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(quantiles);
        if (quantiles.Rank != 3 || quantiles.Dims[2] != 3)
            throw new ArgumentException($"Pinball: quantiles are {ShapeUtil.Format(quantiles.Dims)}; expected [B, A, 3].", nameof(quantiles));
        int b = quantiles.Dims[0], a = quantiles.Dims[1];
        Tensor<T>? total = null;
        ReadOnlySpan<double> taus = [0.1, 0.5, 0.9];
        for (var k = 0; k < 3; k++)
        {
            var column = tape.Reshape(tape.Slice(quantiles, 2, k, 1), b, a);
            var (idx, y) = Available(column, label, mask, nameof(Pinball));
            var loss = tape.PinballLoss(tape.Gather(tape.Reshape(column, b * a), idx), y, taus[k]);
            total = total is null ? loss : tape.Add(total, loss);
        }
        return tape.Scale(total!, 1.0 / 3);
    }

    /// <summary>
    /// Allocation loss: L = (1/B) Σ_d [ −Σₐ w̃_d,a·r_d,a + λ_turn·Σₐ |w̃_d,a − w⁻_d,a| + λ_gross·max(0, Σₐ |w̃_d,a| − G) ], the
    /// negative mean over dates of the net book return with a turnover penalty against the previous date's weights w⁻ (data,
    /// no gradient) and a gross-exposure penalty above the cap G. w̃ is the head's weight with masked-out assets set to 0 (no
    /// position in an asset without a prediction). |·| and max(0, ·) take gradient 0 at their kinks.
    /// </summary>
    /// <param name="tape">The step's tape.</param>
    /// <param name="weights">[B, A] allocation head, in [−1, 1].</param>
    /// <param name="returns">[B, A] realised return of each asset over the holding period (a simple return, as a fraction, for
    /// a true book return; pass exp(label) − 1 for log labels). Ignored where masked.</param>
    /// <param name="mask">[B, A] flags.</param>
    /// <param name="previous">[B, A] weights held before each date (finite; 0 for none), e.g. the previous date's w̃.</param>
    /// <param name="turnoverPenalty">λ_turn ≥ 0, loss per unit of Σ|Δw| (e.g. the cost per side as a fraction, 5 bps = 5e-4).</param>
    /// <param name="grossPenalty">λ_gross ≥ 0, loss per unit of gross exposure above the cap.</param>
    /// <param name="grossCap">G ≥ 0, the allowed gross exposure Σ|w| (1 = fully invested, unlevered).</param>
    /// <returns>A scalar.</returns>
    /// <exception cref="ArgumentException">Lengths disagree, a penalty or the cap is negative, no pair is available, or an
    /// available return or a previous weight is not finite.</exception>
    public static Tensor<T> Allocation<T>(Tape<T> tape, Tensor<T> weights, ReadOnlySpan<T> returns, ReadOnlySpan<bool> mask, ReadOnlySpan<T> previous,
        double turnoverPenalty, double grossPenalty, double grossCap) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Available(weights, returns, mask, nameof(Allocation));
        if (!(turnoverPenalty >= 0) || !(grossPenalty >= 0) || !(grossCap >= 0))
            throw new ArgumentException($"Allocation: turnover penalty {turnoverPenalty}, gross penalty {grossPenalty} and gross cap {grossCap} must all be ≥ 0.");
        int b = weights.Dims[0], a = weights.Dims[1];
        if (previous.Length != b * a)
            throw new ArgumentException($"Allocation: previous has {previous.Length} weights; expected [B={b}, A={a}] = {b * a}.", nameof(previous));
        var absent = new bool[b * a];
        var r = new T[b * a];
        for (var i = 0; i < b * a; i++)
        {
            if (!T.IsFinite(previous[i])) throw new ArgumentException($"Allocation: previous[b={i / a}, a={i % a}] = {previous[i]}; must be finite (0 for no position).", nameof(previous));
            absent[i] = !mask[i];
            r[i] = mask[i] ? returns[i] : T.Zero;
        }
        var w = tape.MaskedFill(weights, absent, 0);                                                  // w̃ [B, A]
        var book = tape.Sum(tape.Mul(w, new Tensor<T>(r, [b, a])), [1]);                               // [B] Σ w̃·r
        var turnover = tape.Sum(tape.Abs(tape.Sub(w, new Tensor<T>(previous.ToArray(), [b, a]))), [1]);
        var gross = tape.Relu(tape.AddScalar(tape.Sum(tape.Abs(w), [1]), -grossCap));
        var perDate = tape.Add(tape.Sub(tape.Scale(turnover, turnoverPenalty), book), tape.Scale(gross, grossPenalty));
        return tape.Mean(perDate);
    }

    // Indices of the available pairs in the flattened [B, A] head and their labels as a constant [n] tensor.
    private static (int[] Indices, Tensor<T> Labels) Available<T>(Tensor<T> head, ReadOnlySpan<T> label, ReadOnlySpan<bool> mask, string loss)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(head);
        if (head.Rank != 2)
            throw new ArgumentException($"{loss}: the head output is {ShapeUtil.Format(head.Dims)}; expected [B, A].", nameof(head));
        int b = head.Dims[0], a = head.Dims[1];
        if (label.Length != b * a || mask.Length != b * a)
            throw new ArgumentException($"{loss}: head is [B={b}, A={a}], label has {label.Length} values and mask {mask.Length} flags; both must be {b * a}.");
        var idx = new List<int>();
        for (var i = 0; i < b * a; i++)
        {
            if (!mask[i]) continue;
            if (!T.IsFinite(label[i])) throw new ArgumentException($"{loss}: label[b={i / a}, a={i % a}] = {label[i]} at an available asset; mask it out or fix the label.", nameof(label));
            idx.Add(i);
        }
        if (idx.Count == 0) throw new ArgumentException($"{loss}: the mask of [B={b}, A={a}] selects no asset.", nameof(mask));
        var y = new T[idx.Count];
        for (var i = 0; i < y.Length; i++) y[i] = label[idx[i]];
        return (idx.ToArray(), new Tensor<T>(y, [y.Length]));
    }
}
