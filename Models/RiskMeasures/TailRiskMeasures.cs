using LeanModels.Models.Regime;
using MathNet.Numerics.Distributions;

namespace LeanModels.Models.RiskMeasures;

/// <summary>
/// VaR and CVaR estimators: historical, Gaussian, Cornish–Fisher, from a set of quantile forecasts, and from a
/// location-scale forecast such as a GARCH model's. Losses are positive (STYLE §3); α is the tail probability, e.g.
/// 0.05. Returns are per bar in any one unit (log or simple, fraction or percent); the result is in the same unit.
/// </summary>
public static class TailRiskMeasures
{
    /// <summary>
    /// Historical (empirical) VaR and CVaR. With the returns sorted ascending r₍₁₎ ≤ … ≤ r₍T₎ and k = ⌈αT⌉:
    /// VaR = −r₍k₎ and CVaR = −(1/(αT))·[Σ_{i&lt;k} r₍i₎ + (αT − (k − 1))·r₍k₎], the exact CVaR of the empirical
    /// distribution (Rockafellar and Uryasev 2002, J. Banking &amp; Finance 26, Prop. 8; Acerbi and Tasche 2002).
    /// </summary>
    /// <param name="returns">[T] returns, any order; αT ≥ 1 is required so the tail holds at least one observation.</param>
    /// <param name="alpha">Tail probability in (0, 0.5].</param>
    /// <returns>VaR and CVaR as positive losses.</returns>
    /// <exception cref="ArgumentException">A NaN/infinite return (index in the message) or αT &lt; 1 (both numbers in the message).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> not in (0, 0.5].</exception>
    public static TailRisk Historical(ReadOnlySpan<double> returns, double alpha)
    {
        RequireAlpha(alpha);
        RequireFinite(returns, nameof(Historical));
        var n = returns.Length;
        var tail = alpha * n;
        if (tail < 1)
            throw new ArgumentException($"TailRiskMeasures.Historical: α·T = {alpha}·{n} = {tail} < 1; the tail needs at least one observation (T ≥ {Math.Ceiling(1 / alpha)}).", nameof(returns));
        var sorted = returns.ToArray();
        Array.Sort(sorted);
        var k = (int)Math.Ceiling(tail - 1e-12);                 // 1-based; the 1e-12 guards αT = 2.0000000000000004
        var sum = 0.0;
        for (var i = 0; i < k - 1; i++) sum += sorted[i];
        sum += (tail - (k - 1)) * sorted[k - 1];
        return new TailRisk(-sorted[k - 1], -sum / tail);
    }

    /// <summary>
    /// Gaussian VaR and CVaR: VaR = −(μ + σ·z_α), CVaR = −μ + σ·φ(z_α)/α, with z_α the standard normal α-quantile.
    /// </summary>
    /// <param name="mean">μ per bar.</param>
    /// <param name="standardDeviation">σ per bar, ≥ 0.</param>
    /// <param name="alpha">Tail probability in (0, 0.5].</param>
    /// <returns>VaR and CVaR.</returns>
    /// <exception cref="ArgumentOutOfRangeException">σ negative or not finite, μ not finite, or α out of range.</exception>
    public static TailRisk Gaussian(double mean, double standardDeviation, double alpha)
    {
        RequireAlpha(alpha);
        RequireMoments(mean, standardDeviation);
        var z = Normal.InvCDF(0, 1, alpha);
        return new TailRisk(-(mean + standardDeviation * z), -mean + standardDeviation * Normal.PDF(0, 1, z) / alpha);
    }

    /// <summary>Gaussian VaR and CVaR with μ and σ (n − 1 denominator) estimated from <paramref name="returns"/>.</summary>
    /// <param name="returns">[T] returns, T ≥ 2, all finite.</param>
    /// <param name="alpha">Tail probability in (0, 0.5].</param>
    /// <returns>VaR and CVaR.</returns>
    /// <exception cref="ArgumentException">T &lt; 2 or a non-finite return.</exception>
    /// <exception cref="ArgumentOutOfRangeException">α out of range.</exception>
    public static TailRisk Gaussian(ReadOnlySpan<double> returns, double alpha)
    {
        var (mean, sd, _, _) = Moments(returns, nameof(Gaussian));
        return Gaussian(mean, sd, alpha);
    }

    /// <summary>
    /// Cornish–Fisher (modified) VaR (Favre and Galeano 2002, J. Alternative Investments 5(2); Zangari 1996):
    /// z_cf(u) = z + (z² − 1)S/6 + (z³ − 3z)K/24 − (2z³ − 5z)S²/36 with z = Φ⁻¹(u), S the skewness and K the excess
    /// kurtosis; VaR = −(μ + σ·z_cf(α)). CVaR is the tail average of the same quantile function,
    /// −(1/α)∫₀^α (μ + σ·z_cf(u)) du = −(μ + σ·E[g(Z) | Z ≤ z_α]) with g the polynomial above and Z standard normal,
    /// computed exactly from the truncated-normal moments E[Zᵏ·1(Z ≤ c)]: Φ(c), −φ(c), Φ(c) − cφ(c), −(c² + 2)φ(c)
    /// (our choice; Boudt, Peterson and Croux 2008 expand the density instead, so their "modified ES" differs
    /// slightly). With S = K = 0 both reduce to
    /// <see cref="Gaussian(double, double, double)"/>. The expansion is unreliable for |S| ≳ 1 or K ≳ 6.
    /// </summary>
    /// <param name="mean">μ per bar.</param>
    /// <param name="standardDeviation">σ per bar, ≥ 0.</param>
    /// <param name="skewness">S (third standardised moment).</param>
    /// <param name="excessKurtosis">K = fourth standardised moment − 3.</param>
    /// <param name="alpha">Tail probability in (0, 0.5].</param>
    /// <returns>VaR and CVaR.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A non-finite moment, negative σ or α out of range.</exception>
    public static TailRisk CornishFisher(double mean, double standardDeviation, double skewness, double excessKurtosis, double alpha)
    {
        RequireAlpha(alpha);
        RequireMoments(mean, standardDeviation);
        if (!double.IsFinite(skewness)) throw new ArgumentOutOfRangeException(nameof(skewness), skewness, "TailRiskMeasures.CornishFisher: skewness must be finite.");
        if (!double.IsFinite(excessKurtosis)) throw new ArgumentOutOfRangeException(nameof(excessKurtosis), excessKurtosis, "TailRiskMeasures.CornishFisher: excess kurtosis must be finite.");
        var c = Normal.InvCDF(0, 1, alpha);
        double c2 = c * c, c3 = c2 * c, s2 = skewness * skewness;
        var zcf = c + (c2 - 1) * skewness / 6 + (c3 - 3 * c) * excessKurtosis / 24 - (2 * c3 - 5 * c) * s2 / 36;
        var ratio = Normal.PDF(0, 1, c) / alpha;                  // φ(c)/Φ(c)
        double i1 = -ratio, i2 = 1 - c * ratio, i3 = -(c2 + 2) * ratio;   // E[Zᵏ | Z ≤ c], k = 1, 2, 3
        var tailMean = i1 + (i2 - 1) * skewness / 6 + (i3 - 3 * i1) * excessKurtosis / 24 - (2 * i3 - 5 * i1) * s2 / 36;
        return new TailRisk(-(mean + standardDeviation * zcf), -(mean + standardDeviation * tailMean));
    }

    /// <summary>
    /// Cornish–Fisher VaR and CVaR with moments estimated from <paramref name="returns"/>: μ the mean, σ the sample
    /// standard deviation (n − 1), S = m₃/m₂^{3/2} and K = m₄/m₂² − 3 from the central moments mⱼ (denominator n).
    /// </summary>
    /// <param name="returns">[T] returns, T ≥ 2, finite, not all equal.</param>
    /// <param name="alpha">Tail probability in (0, 0.5].</param>
    /// <returns>VaR and CVaR.</returns>
    /// <exception cref="ArgumentException">T &lt; 2, a non-finite return or a constant series.</exception>
    /// <exception cref="ArgumentOutOfRangeException">α out of range.</exception>
    public static TailRisk CornishFisher(ReadOnlySpan<double> returns, double alpha)
    {
        var (mean, sd, skew, kurt) = Moments(returns, nameof(CornishFisher));
        var min = double.PositiveInfinity; var max = double.NegativeInfinity;
        foreach (var v in returns) { min = Math.Min(min, v); max = Math.Max(max, v); }
        if (min == max) throw new ArgumentException($"TailRiskMeasures.CornishFisher: all {returns.Length} returns equal {mean}; skewness and kurtosis are undefined.", nameof(returns));
        return CornishFisher(mean, sd, skew, kurt, alpha);
    }

    /// <summary>
    /// VaR and CVaR from a model's quantile forecasts for one bar (e.g. a quantile-regression forecaster): the quantile
    /// function Q is linear between the given levels; VaR = −Q(α); CVaR = −(1/α)∫₀^α Q(u) du, with Q below the first
    /// level extended linearly along the first segment (an approximation: the true tail below the first level is
    /// unknown, so give a first level well below α).
    /// </summary>
    /// <param name="levels">[L] probability levels, strictly ascending in (0, 1), L ≥ 2.</param>
    /// <param name="quantiles">[L] forecast return quantiles at those levels, non-decreasing.</param>
    /// <param name="alpha">Tail probability within [levels[0], levels[L − 1]].</param>
    /// <returns>VaR and CVaR.</returns>
    /// <exception cref="ArgumentException">Lengths differ or &lt; 2, levels not ascending in (0, 1), quantiles decreasing or non-finite, or α outside the levels.</exception>
    public static TailRisk FromQuantiles(ReadOnlySpan<double> levels, ReadOnlySpan<double> quantiles, double alpha)
    {
        var n = levels.Length;
        if (n < 2 || quantiles.Length != n)
            throw new ArgumentException($"TailRiskMeasures.FromQuantiles: levels has {n} entries and quantiles {quantiles.Length}; need equal lengths ≥ 2.");
        for (var i = 0; i < n; i++)
        {
            if (!(levels[i] > 0 && levels[i] < 1) || (i > 0 && !(levels[i] > levels[i - 1])))
                throw new ArgumentException($"TailRiskMeasures.FromQuantiles: levels[{i}] = {levels[i]}; levels must be strictly ascending in (0, 1).", nameof(levels));
            if (!double.IsFinite(quantiles[i]) || (i > 0 && quantiles[i] < quantiles[i - 1]))
                throw new ArgumentException($"TailRiskMeasures.FromQuantiles: quantiles[{i}] = {quantiles[i]}; quantiles must be finite and non-decreasing (rearrange crossing quantiles first).", nameof(quantiles));
        }
        if (!(alpha >= levels[0] && alpha <= levels[n - 1]))
            throw new ArgumentException($"TailRiskMeasures.FromQuantiles: α = {alpha} is outside the forecast levels [{levels[0]}, {levels[n - 1]}].", nameof(alpha));
        static double Interpolate(ReadOnlySpan<double> levels, ReadOnlySpan<double> quantiles, double u)
        {
            var n = levels.Length;
            var i = 1;
            while (i < n - 1 && levels[i] < u) i++;
            var w = (u - levels[i - 1]) / (levels[i] - levels[i - 1]);
            return quantiles[i - 1] + w * (quantiles[i] - quantiles[i - 1]);
        }
        var var = Interpolate(levels, quantiles, alpha);
        var q0 = Interpolate(levels, quantiles, 0);                                         // linear extension of the first segment to u = 0
        var integral = 0.5 * (q0 + quantiles[0]) * levels[0];
        var prevU = levels[0];
        var prevQ = quantiles[0];
        for (var i = 1; i < n && prevU < alpha; i++)
        {
            var u = Math.Min(levels[i], alpha);
            var q = u == levels[i] ? quantiles[i] : Interpolate(levels, quantiles, u);
            integral += 0.5 * (prevQ + q) * (u - prevU);
            prevU = u; prevQ = q;
        }
        return new TailRisk(-var, -integral / alpha);
    }

    /// <summary>
    /// VaR and CVaR of a location-scale forecast y = μ + σ·z: VaR = −(μ + σ·z_α), CVaR = −(μ + σ·E[z | z ≤ z_α]).
    /// </summary>
    /// <param name="mean">Forecast μ per bar.</param>
    /// <param name="standardDeviation">Forecast σ per bar, ≥ 0.</param>
    /// <param name="innovationQuantile">z_α of the standardised innovation.</param>
    /// <param name="innovationTailMean">E[z | z ≤ z_α] (≤ z_α).</param>
    /// <returns>VaR and CVaR.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A non-finite input, σ &lt; 0, or a tail mean above the quantile.</exception>
    public static TailRisk FromLocationScale(double mean, double standardDeviation, double innovationQuantile, double innovationTailMean)
    {
        RequireMoments(mean, standardDeviation);
        if (!double.IsFinite(innovationQuantile) || !double.IsFinite(innovationTailMean) || innovationTailMean > innovationQuantile + 1e-12)
            throw new ArgumentOutOfRangeException(nameof(innovationTailMean), innovationTailMean, $"TailRiskMeasures.FromLocationScale: need finite z_α = {innovationQuantile} and tail mean ≤ z_α.");
        return new TailRisk(-(mean + standardDeviation * innovationQuantile), -(mean + standardDeviation * innovationTailMean));
    }

    /// <summary>
    /// One-bar-ahead VaR and CVaR from a fitted <see cref="GarchModel"/>: σ²_{T+1} from <see cref="GarchModel.Forecast"/>
    /// on <paramref name="returns"/> (data up to T only), μ = <see cref="GarchModel.Mu"/>, and the model's innovation
    /// quantile and tail mean (normal or standardised Student-t).
    /// </summary>
    /// <param name="model">Fitted model; results are in its unit (e.g. percent if it was fitted on percent returns).</param>
    /// <param name="returns">[T] returns up to the forecast origin, in the model's unit, T ≥ 1.</param>
    /// <param name="alpha">Tail probability in (0, 0.5].</param>
    /// <returns>VaR and CVaR for bar T + 1.</returns>
    /// <exception cref="ArgumentException">Empty or non-finite returns.</exception>
    /// <exception cref="ArgumentOutOfRangeException">α out of range.</exception>
    public static TailRisk FromGarch(GarchModel model, ReadOnlySpan<double> returns, double alpha)
    {
        ArgumentNullException.ThrowIfNull(model);
        RequireAlpha(alpha);
        var sigma = Math.Sqrt(model.Forecast(returns, 1)[0]);
        return FromLocationScale(model.Mu, sigma, model.InnovationQuantile(alpha), model.InnovationTailMean(alpha));
    }

    private static void RequireAlpha(double alpha)
    {
        if (!(alpha > 0 && alpha <= 0.5))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, $"TailRiskMeasures: α is the tail probability and must be in (0, 0.5], got {alpha}.");
    }

    private static void RequireMoments(double mean, double sd)
    {
        if (!double.IsFinite(mean)) throw new ArgumentOutOfRangeException(nameof(mean), mean, "TailRiskMeasures: mean must be finite.");
        if (!(sd >= 0 && double.IsFinite(sd))) throw new ArgumentOutOfRangeException(nameof(sd), sd, $"TailRiskMeasures: standard deviation must be finite and ≥ 0, got {sd}.");
    }

    private static void RequireFinite(ReadOnlySpan<double> x, string caller)
    {
        for (var i = 0; i < x.Length; i++)
            if (!double.IsFinite(x[i]))
                throw new ArgumentException($"TailRiskMeasures.{caller}: returns[{i}] is {x[i]}; every return must be finite.", "returns");
    }

    private static (double Mean, double Sd, double Skew, double ExcessKurtosis) Moments(ReadOnlySpan<double> x, string caller)
    {
        if (x.Length < 2) throw new ArgumentException($"TailRiskMeasures.{caller}: {x.Length} returns; at least 2 are needed.", "returns");
        RequireFinite(x, caller);
        var n = x.Length;
        var mean = 0.0;
        foreach (var v in x) mean += v;
        mean /= n;
        double m2 = 0, m3 = 0, m4 = 0;
        foreach (var v in x) { var d = v - mean; var d2 = d * d; m2 += d2; m3 += d2 * d; m4 += d2 * d2; }
        m2 /= n; m3 /= n; m4 /= n;
        var sd = Math.Sqrt(m2 * n / (n - 1));
        return m2 == 0 ? (mean, 0, 0, 0) : (mean, sd, m3 / Math.Pow(m2, 1.5), m4 / (m2 * m2) - 3);
    }
}
