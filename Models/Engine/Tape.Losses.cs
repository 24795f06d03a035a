namespace LeanModels.Models.Engine;

public sealed partial class Tape<T>
{
    /// <summary>Mean squared error mean((p − y)²) over all elements; gradient 2(p − y)/N to both sides.</summary>
    /// <param name="prediction">Any shape, N ≥ 1 elements.</param>
    /// <param name="target">Same shape as <paramref name="prediction"/>.</param>
    /// <returns>A scalar loss.</returns>
    /// <exception cref="ArgumentException">Shapes differ or are empty; the message gives both.</exception>
    public Tensor<T> MseLoss(Tensor<T> prediction, Tensor<T> target)
    {
        var n = CheckPair(prediction, target, nameof(MseLoss));
        var y = Result([], prediction, target);
        var sum = T.Zero;
        for (var i = 0; i < n; i++) { var e = prediction.Data[i] - target.Data[i]; sum += e * e; }
        y.Data[0] = sum / C(n);
        Record(y, () =>
        {
            var g = y.Grad![0] * C(2.0 / n);
            for (var i = 0; i < n; i++)
            {
                var e = (prediction.Data[i] - target.Data[i]) * g;
                if (prediction.Grad is not null) prediction.Grad[i] += e;
                if (target.Grad is not null) target.Grad[i] -= e;
            }
        });
        return y;
    }

    /// <summary>Huber loss (Huber 1964; PyTorch <c>HuberLoss</c>), mean over elements of ½e² for |e| ≤ δ and δ(|e| − ½δ)
    /// beyond, e = p − y. Gradient clamp(e, −δ, δ)/N.</summary>
    /// <param name="prediction">Any shape, N ≥ 1 elements.</param>
    /// <param name="target">Same shape.</param>
    /// <param name="delta">δ &gt; 0, the switch from quadratic to linear, in the units of the target.</param>
    /// <returns>A scalar loss.</returns>
    /// <exception cref="ArgumentException">Shapes differ or are empty, or δ ≤ 0.</exception>
    public Tensor<T> HuberLoss(Tensor<T> prediction, Tensor<T> target, double delta = 1.0)
    {
        var n = CheckPair(prediction, target, nameof(HuberLoss));
        if (!(delta > 0)) throw new ArgumentOutOfRangeException(nameof(delta), delta, "HuberLoss: delta must be > 0.");
        var dl = C(delta);
        var half = C(0.5);
        var y = Result([], prediction, target);
        var sum = T.Zero;
        for (var i = 0; i < n; i++)
        {
            var e = prediction.Data[i] - target.Data[i];
            var a = T.Abs(e);
            sum += a <= dl ? half * e * e : dl * (a - half * dl);
        }
        y.Data[0] = sum / C(n);
        Record(y, () =>
        {
            var g = y.Grad![0] / C(n);
            for (var i = 0; i < n; i++)
            {
                var e = T.Clamp(prediction.Data[i] - target.Data[i], -dl, dl) * g;
                if (prediction.Grad is not null) prediction.Grad[i] += e;
                if (target.Grad is not null) target.Grad[i] -= e;
            }
        });
        return y;
    }

    /// <summary>Binary cross-entropy on logits, mean over elements of max(x, 0) − x·y + log1p(e^−|x|) (the stable form of
    /// −y·log σ(x) − (1 − y)·log(1 − σ(x)), as PyTorch's <c>BCEWithLogitsLoss</c>). Gradient (σ(x) − y)/N to the logits,
    /// −x/N to the labels.</summary>
    /// <param name="logits">Any shape, N ≥ 1 elements.</param>
    /// <param name="labels">Same shape, values in [0, 1].</param>
    /// <returns>A scalar loss.</returns>
    /// <exception cref="ArgumentException">Shapes differ or are empty.</exception>
    public Tensor<T> BceWithLogitsLoss(Tensor<T> logits, Tensor<T> labels)
    {
        var n = CheckPair(logits, labels, nameof(BceWithLogitsLoss));
        var y = Result([], logits, labels);
        var sum = T.Zero;
        for (var i = 0; i < n; i++)
        {
            var x = logits.Data[i];
            sum += T.Max(x, T.Zero) - x * labels.Data[i] + T.LogP1(T.Exp(-T.Abs(x)));
        }
        y.Data[0] = sum / C(n);
        Record(y, () =>
        {
            var g = y.Grad![0] / C(n);
            for (var i = 0; i < n; i++)
            {
                var x = logits.Data[i];
                if (logits.Grad is not null) logits.Grad[i] += (T.One / (T.One + T.Exp(-x)) - labels.Data[i]) * g;
                if (labels.Grad is not null) labels.Grad[i] -= x * g;
            }
        });
        return y;
    }

    /// <summary>Pinball (quantile) loss (Koenker &amp; Bassett 1978), mean over elements of max(τe, (τ − 1)e) with
    /// e = y − p. Gradient to p: −τ/N where e &gt; 0, (1 − τ)/N where e ≤ 0 (a subgradient at the kink e = 0).</summary>
    /// <param name="prediction">Any shape: the predicted τ-quantile.</param>
    /// <param name="target">Same shape.</param>
    /// <param name="quantile">τ in (0, 1); 0.5 gives half the mean absolute error.</param>
    /// <returns>A scalar loss.</returns>
    /// <exception cref="ArgumentException">Shapes differ or are empty, or τ is outside (0, 1).</exception>
    public Tensor<T> PinballLoss(Tensor<T> prediction, Tensor<T> target, double quantile)
    {
        var n = CheckPair(prediction, target, nameof(PinballLoss));
        if (!(quantile > 0 && quantile < 1)) throw new ArgumentOutOfRangeException(nameof(quantile), quantile, "PinballLoss: quantile must be in (0, 1).");
        var tau = C(quantile);
        var y = Result([], prediction, target);
        var sum = T.Zero;
        for (var i = 0; i < n; i++)
        {
            var e = target.Data[i] - prediction.Data[i];
            sum += T.Max(tau * e, (tau - T.One) * e);
        }
        y.Data[0] = sum / C(n);
        Record(y, () =>
        {
            var g = y.Grad![0] / C(n);
            for (var i = 0; i < n; i++)
            {
                var e = target.Data[i] - prediction.Data[i];
                var dp = (e > T.Zero ? -tau : T.One - tau) * g;
                if (prediction.Grad is not null) prediction.Grad[i] += dp;
                if (target.Grad is not null) target.Grad[i] -= dp;
            }
        });
        return y;
    }

    /// <summary>
    /// Negative mean per-date Pearson information coefficient, an IC loss: L = −(1/D) Σ_d c_d with
    /// c_d = Σₐ p̃ₐ ỹₐ / √((Σ p̃² + ε)(Σ ỹ² + ε)), p̃ and ỹ de-meaned across assets on date d (Qlib's <c>calc_ic</c> definition,
    /// with ε guarding constant rows). Hand-derived gradient: ∂c/∂pₐ = ỹₐ/√((Sp + ε)(Sy + ε)) − c·p̃ₐ/(Sp + ε); the
    /// centring drops out because Σ ỹ = Σ p̃ = 0. Only the forecast receives a gradient; labels are data.
    /// </summary>
    /// <param name="forecast">[D, A] scores, dates × assets, A ≥ 2.</param>
    /// <param name="label">[D, A] realised forward log returns, finite.</param>
    /// <param name="eps">ε &gt; 0 added to both sums of squares; a date with a constant forecast contributes c ≈ 0.</param>
    /// <returns>A scalar in [−1, 1].</returns>
    /// <exception cref="ArgumentException">Shapes are not both [D, A] with A ≥ 2, or a label is not finite (the message gives date and asset).</exception>
    public Tensor<T> NegativePearsonICLoss(Tensor<T> forecast, Tensor<T> label, double eps = 1e-8)
    {
        CheckPair(forecast, label, nameof(NegativePearsonICLoss));
        if (forecast.Rank != 2 || forecast.Dims[1] < 2)
            throw new ArgumentException($"NegativePearsonICLoss: forecast is {ShapeUtil.Format(forecast.Dims)}; expected [D, A] with A ≥ 2.", nameof(forecast));
        int dates = forecast.Dims[0], assets = forecast.Dims[1];
        for (var i = 0; i < label.Length; i++)
            if (!T.IsFinite(label.Data[i]))
                throw new ArgumentException($"NegativePearsonICLoss: label at date {i / assets}, asset {i % assets} is {label.Data[i]}.", nameof(label));
        var e = C(eps);
        var y = Result([], forecast);
        var corr = new T[dates];
        var sp = new T[dates];
        var denom = new T[dates];
        var total = T.Zero;
        for (var d = 0; d < dates; d++)
        {
            var (pm, lm) = (RowMean(forecast.Data, d, assets), RowMean(label.Data, d, assets));
            T cross = T.Zero, spp = T.Zero, sll = T.Zero;
            for (var a = 0; a < assets; a++)
            {
                T pc = forecast.Data[d * assets + a] - pm, lc = label.Data[d * assets + a] - lm;
                cross += pc * lc; spp += pc * pc; sll += lc * lc;
            }
            sp[d] = spp + e;
            denom[d] = T.Sqrt(sp[d] * (sll + e));
            corr[d] = cross / denom[d];
            total += corr[d];
        }
        y.Data[0] = -total / C(dates);
        Record(y, () =>
        {
            var g = -y.Grad![0] / C(dates);
            for (var d = 0; d < dates; d++)
            {
                var (pm, lm) = (RowMean(forecast.Data, d, assets), RowMean(label.Data, d, assets));
                for (var a = 0; a < assets; a++)
                {
                    T pc = forecast.Data[d * assets + a] - pm, lc = label.Data[d * assets + a] - lm;
                    forecast.Grad![d * assets + a] += g * (lc / denom[d] - corr[d] * pc / sp[d]);
                }
            }
        });
        return y;
    }

    /// <summary>
    /// Portfolio utility loss L = −mean(w ⊙ r) + λ·turnover, turnover = Σ_d Σₐ |w_d,a − w_(d−1),a| / (pairs·A), over
    /// consecutive dates (rows) of w; with <paramref name="previous"/> the first date is compared with it, else the first date
    /// adds no turnover. The |·| gradient at exactly 0 is taken as 0. Only the weights receive a gradient.
    /// </summary>
    /// <param name="weights">[D, A] portfolio weights, fractions of equity, dates oldest → newest.</param>
    /// <param name="returns">[D, A] realised returns over each holding period (simple return or log return per bar, as the caller chooses).</param>
    /// <param name="turnoverPenalty">λ ≥ 0, loss units per unit of mean absolute weight change (e.g. a cost in return per unit traded).</param>
    /// <param name="previous">Empty, or [A] weights held before the first date.</param>
    /// <returns>A scalar loss.</returns>
    /// <exception cref="ArgumentException">Shapes differ or are not [D, A], λ &lt; 0, or <paramref name="previous"/> is not [A].</exception>
    public Tensor<T> PortfolioUtilityLoss(Tensor<T> weights, Tensor<T> returns, double turnoverPenalty = 0, ReadOnlySpan<T> previous = default)
    {
        CheckPair(weights, returns, nameof(PortfolioUtilityLoss));
        if (weights.Rank != 2) throw new ArgumentException($"PortfolioUtilityLoss: weights are {ShapeUtil.Format(weights.Dims)}; expected [D, A].", nameof(weights));
        if (!(turnoverPenalty >= 0)) throw new ArgumentOutOfRangeException(nameof(turnoverPenalty), turnoverPenalty, "PortfolioUtilityLoss: turnover penalty must be ≥ 0.");
        int dates = weights.Dims[0], assets = weights.Dims[1];
        if (!previous.IsEmpty && previous.Length != assets)
            throw new ArgumentException($"PortfolioUtilityLoss: previous has {previous.Length} weights; expected A = {assets}.", nameof(previous));
        var prev = previous.IsEmpty ? null : previous.ToArray();
        var pairs = prev is null ? dates - 1 : dates;
        var lambda = pairs > 0 ? C(turnoverPenalty / ((double)pairs * assets)) : T.Zero;
        var n = C((double)dates * assets);
        var y = Result([], weights);
        T utility = T.Zero, turnover = T.Zero;
        var w = weights.Data;
        for (var i = 0; i < w.Length; i++) utility += w[i] * returns.Data[i];
        for (var i = 0; i < w.Length; i++)
        {
            var before = i >= assets ? w[i - assets] : prev is null ? T.NaN : prev[i];
            if (!T.IsNaN(before)) turnover += T.Abs(w[i] - before);
        }
        y.Data[0] = -utility / n + lambda * turnover;
        Record(y, () =>
        {
            var g = y.Grad![0];
            var gw = weights.Grad!;
            for (var i = 0; i < w.Length; i++) gw[i] -= g * returns.Data[i] / n;
            for (var i = 0; i < w.Length; i++)
            {
                var before = i >= assets ? w[i - assets] : prev is null ? T.NaN : prev[i];
                if (T.IsNaN(before)) continue;
                var diff = w[i] - before;
                var sign = diff > T.Zero ? T.One : diff < T.Zero ? -T.One : T.Zero;
                gw[i] += g * lambda * sign;                                // ∂|w_d − w_(d−1)|/∂w_d
                if (i >= assets) gw[i - assets] -= g * lambda * sign;     // … and ∂/∂w_(d−1)
            }
        });
        return y;
    }

    private static T RowMean(T[] data, int row, int width)
    {
        var s = T.Zero;
        for (var a = 0; a < width; a++) s += data[row * width + a];
        return s / C(width);
    }

    private static int CheckPair(Tensor<T> a, Tensor<T> b, string op)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!ShapeUtil.SameShape(a.Dims, b.Dims) || a.Length == 0)
            throw new ArgumentException($"{op}: prediction is {ShapeUtil.Format(a.Dims)}, target {ShapeUtil.Format(b.Dims)}; they must be the same non-empty shape.");
        return a.Length;
    }
}
