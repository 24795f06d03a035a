using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace LeanModels.Models.Regime;

/// <summary>
/// GARCH(1,1) or GJR-GARCH(1,1,1) with a constant mean and normal or standardised Student-t innovations, fitted by
/// maximum likelihood:
/// <code>
/// yₜ = μ + εₜ,  εₜ = σₜ·zₜ
/// σ²₁ = backcast = (1/T)·Σ (yₜ − ȳ)²        (sample variance of the training sample, fixed before optimising)
/// σ²ₜ = ω + (α + γ·1[εₜ₋₁ &lt; 0])·ε²ₜ₋₁ + β·σ²ₜ₋₁,  t ≥ 2   (γ = 0 for plain GARCH)
/// </code>
/// Constraints ω &gt; 0, α, γ, β ≥ 0, persistence α + γ/2 + β &lt; 1, ν &gt; 2. These conventions are those of the
/// committed scipy reference (tests/…/Regime/reference/garch_spy.py), which the tests match on SPY. y is [T], oldest
/// first, in the caller's unit (the tests use daily log returns in percent; variances are then in percent²).
/// Immutable and thread-safe.
/// </summary>
public sealed class GarchModel
{
    /// <summary>Minimum sample size accepted by <see cref="Fit"/>: 100 observations (GARCH persistence is poorly identified on less).</summary>
    public const int MinimumObservations = 100;

    private GarchModel(GarchVariant variant, GarchInnovation innovation, double mu, double omega, double alpha, double gamma,
        double beta, double nu, double backcast, double? logLikelihood, bool converged)
    {
        Variant = variant; Innovation = innovation; Mu = mu; Omega = omega; Alpha = alpha; Gamma = gamma; Beta = beta;
        Nu = nu; Backcast = backcast; TrainingLogLikelihood = logLikelihood; Converged = converged;
    }

    /// <summary>Variance recursion.</summary>
    public GarchVariant Variant { get; }

    /// <summary>Innovation distribution.</summary>
    public GarchInnovation Innovation { get; }

    /// <summary>μ, the constant mean, in y's unit per bar.</summary>
    public double Mu { get; }

    /// <summary>ω &gt; 0, in y's unit squared.</summary>
    public double Omega { get; }

    /// <summary>α ≥ 0, ARCH coefficient (dimensionless).</summary>
    public double Alpha { get; }

    /// <summary>γ ≥ 0, extra ARCH coefficient on negative shocks; 0 for <see cref="GarchVariant.Garch"/>.</summary>
    public double Gamma { get; }

    /// <summary>β ≥ 0, GARCH coefficient.</summary>
    public double Beta { get; }

    /// <summary>ν &gt; 2, Student-t degrees of freedom; +∞ for <see cref="GarchInnovation.Normal"/>.</summary>
    public double Nu { get; }

    /// <summary>σ²₁ used to start the recursion on any series (the training sample variance), in y's unit squared.</summary>
    public double Backcast { get; }

    /// <summary>α + γ/2 + β: the decay factor of variance forecasts (symmetric innovations make Pr(z &lt; 0) = ½).</summary>
    public double Persistence => Alpha + Gamma / 2 + Beta;

    /// <summary>Long-run variance ω / (1 − persistence), in y's unit squared.</summary>
    public double UnconditionalVariance => Omega / (1 - Persistence);

    /// <summary>Log-likelihood of the training sample in nats; null for <see cref="FromParameters"/>.</summary>
    public double? TrainingLogLikelihood { get; }

    /// <summary>True when the final BFGS run met its gradient tolerance.</summary>
    public bool Converged { get; }

    /// <summary>One GARCH/GJR step σ²ₜ = ω + (α + γ·1[ε &lt; 0])·ε² + β·σ²ₜ₋₁.</summary>
    /// <param name="omega">ω, y's unit squared.</param>
    /// <param name="alpha">α.</param>
    /// <param name="gamma">γ (0 for GARCH).</param>
    /// <param name="beta">β.</param>
    /// <param name="residual">εₜ₋₁ = yₜ₋₁ − μ.</param>
    /// <param name="previousVariance">σ²ₜ₋₁.</param>
    /// <returns>σ²ₜ in y's unit squared.</returns>
    public static double Step(double omega, double alpha, double gamma, double beta, double residual, double previousVariance) =>
        omega + (alpha + (residual < 0 ? gamma : 0)) * residual * residual + beta * previousVariance;

    /// <summary>
    /// Maximum-likelihood fit. Parameters are mapped to ℝⁿ (ω = e^a; (α, γ/2, β, 1 − persistence) = softmax, so the
    /// constraints hold exactly; ν = 2 + e^c), and MathNet BFGS with a central-difference gradient runs from four
    /// starts ((α + γ/2, β) = (0.05, 0.90), (0.10, 0.85), (0.03, 0.95), (0.15, 0.80); ω = backcast·(1 − α − γ/2 − β);
    /// ν = 8); the best is polished by a second BFGS run. A coefficient whose optimum is on its bound (e.g. α = 0 in
    /// GJR) comes out as a tiny positive number.
    /// </summary>
    /// <param name="y">[T] returns, oldest first, T ≥ <see cref="MinimumObservations"/>.</param>
    /// <param name="variant">GARCH or GJR.</param>
    /// <param name="innovation">Normal or Student-t.</param>
    /// <returns>The fitted model.</returns>
    /// <exception cref="ArgumentException">Fewer than 100 observations, a NaN/infinite value (index in the message) or a constant series.</exception>
    public static GarchModel Fit(ReadOnlySpan<double> y, GarchVariant variant = GarchVariant.Garch, GarchInnovation innovation = GarchInnovation.Normal)
    {
        const string caller = nameof(GarchModel) + "." + nameof(Fit);
        var t = RegimeInput.RequireRows(caller, y, 1, MinimumObservations, nameof(y));
        RegimeInput.RequireNotConstant(caller, y, 1, nameof(y));
        var x = y.ToArray();
        var mean = x.Average();
        var backcast = x.Sum(v => (v - mean) * (v - mean)) / t;
        var gjr = variant == GarchVariant.Gjr;
        var student = innovation == GarchInnovation.StudentT;
        double Objective(double[] th)
        {
            var p = Unpack(th, gjr, student);
            return -LogLikelihoodCore(x, p.Mu, p.Omega, p.Alpha, p.Gamma, p.Beta, p.Nu, backcast, student);
        }
        NumericalMinimizer.Result? best = null;
        foreach (var (a, b) in new[] { (0.05, 0.90), (0.10, 0.85), (0.03, 0.95), (0.15, 0.80) })
        {
            var alpha = gjr ? a / 2 : a;
            var gamma = gjr ? a : 0;
            var start = Pack(mean, backcast * (1 - a - b), alpha, gamma, b, 8.0, gjr, student);
            var r = NumericalMinimizer.Minimize(Objective, start, gradientTolerance: 1e-7);
            if (best is null || r.Value < best.Value.Value) best = r;
        }
        var polished = NumericalMinimizer.Minimize(Objective, best!.Value.Point, gradientTolerance: 1e-8);
        var final = polished.Value <= best.Value.Value ? polished : best.Value;
        var q = Unpack(final.Point, gjr, student);
        return new GarchModel(variant, innovation, q.Mu, q.Omega, q.Alpha, q.Gamma, q.Beta, q.Nu, backcast, -final.Value, polished.Converged);
    }

    /// <summary>Builds a model from given parameters.</summary>
    /// <param name="variant">GARCH or GJR (for GARCH, <paramref name="gamma"/> must be 0).</param>
    /// <param name="innovation">Normal or Student-t.</param>
    /// <param name="mu">μ.</param>
    /// <param name="omega">ω &gt; 0.</param>
    /// <param name="alpha">α ≥ 0.</param>
    /// <param name="gamma">γ ≥ 0.</param>
    /// <param name="beta">β ≥ 0, with α + γ/2 + β &lt; 1.</param>
    /// <param name="nu">ν &gt; 2 for Student-t; ignored (stored as +∞) for normal.</param>
    /// <param name="backcast">σ²₁ &gt; 0 used to start every recursion.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentException">A parameter violates its constraint; the message gives all values.</exception>
    public static GarchModel FromParameters(GarchVariant variant, GarchInnovation innovation, double mu, double omega, double alpha,
        double gamma, double beta, double nu, double backcast)
    {
        var student = innovation == GarchInnovation.StudentT;
        if (!(double.IsFinite(mu) && omega > 0 && double.IsFinite(omega) && alpha >= 0 && gamma >= 0 && beta >= 0
              && alpha + gamma / 2 + beta < 1 && (!student || (nu > 2 && double.IsFinite(nu))) && backcast > 0 && double.IsFinite(backcast)
              && (variant == GarchVariant.Gjr || gamma == 0)))
            throw new ArgumentException($"GarchModel.FromParameters: μ = {mu}, ω = {omega}, α = {alpha}, γ = {gamma}, β = {beta}, ν = {nu}, backcast = {backcast} " +
                "violate ω > 0, α, γ, β ≥ 0, α + γ/2 + β < 1, ν > 2 (Student-t), backcast > 0, γ = 0 for plain GARCH.");
        return new GarchModel(variant, innovation, mu, omega, alpha, gamma, beta, student ? nu : double.PositiveInfinity, backcast, null, false);
    }

    /// <summary>Log-likelihood Σₜ ln f(yₜ | y₁..yₜ₋₁) in nats, starting the recursion at <see cref="Backcast"/>.</summary>
    /// <param name="y">[T] returns, T ≥ 1.</param>
    /// <returns>The log-likelihood.</returns>
    /// <exception cref="ArgumentException">Empty input or a non-finite value.</exception>
    public double LogLikelihood(ReadOnlySpan<double> y)
    {
        RegimeInput.RequireRows(nameof(GarchModel) + "." + nameof(LogLikelihood), y, 1, 1, nameof(y));
        return LogLikelihoodCore(y, Mu, Omega, Alpha, Gamma, Beta, Nu, Backcast, Innovation == GarchInnovation.StudentT);
    }

    /// <summary>
    /// Conditional variances σ²ₜ = Var(yₜ | y₁..yₜ₋₁): entry t uses data up to t − 1 only (entry 0 is <see cref="Backcast"/>).
    /// </summary>
    /// <param name="y">[T] returns; empty gives an empty result.</param>
    /// <returns>[T] variances in y's unit squared.</returns>
    /// <exception cref="ArgumentException">A non-finite value.</exception>
    public double[] ConditionalVariance(ReadOnlySpan<double> y)
    {
        RegimeInput.RequireRows(nameof(GarchModel) + "." + nameof(ConditionalVariance), y, 1, 0, nameof(y));
        var s2 = new double[y.Length];
        for (var t = 0; t < y.Length; t++)
            s2[t] = t == 0 ? Backcast : Step(Omega, Alpha, Gamma, Beta, y[t - 1] - Mu, s2[t - 1]);
        return s2;
    }

    /// <summary>
    /// Variance forecasts E[σ²_{T+h} | y₁..y_T] for h = 1..H: σ²_{T+1} from the recursion, then
    /// σ²_{T+h} = ω + (α + γ/2 + β)·σ²_{T+h−1}.
    /// </summary>
    /// <param name="y">[T] returns up to the forecast origin, T ≥ 1.</param>
    /// <param name="horizon">H ≥ 1 bars.</param>
    /// <returns>[H] variances in y's unit squared (per bar, not cumulative).</returns>
    /// <exception cref="ArgumentException">Empty input or a non-finite value.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="horizon"/> &lt; 1.</exception>
    public double[] Forecast(ReadOnlySpan<double> y, int horizon)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        RegimeInput.RequireRows(nameof(GarchModel) + "." + nameof(Forecast), y, 1, 1, nameof(y));
        var s2 = ConditionalVariance(y);
        var f = new double[horizon];
        f[0] = Step(Omega, Alpha, Gamma, Beta, y[^1] - Mu, s2[^1]);
        for (var h = 1; h < horizon; h++) f[h] = Omega + Persistence * f[h - 1];
        return f;
    }

    /// <summary>Quantile of the standardised (unit-variance) innovation z at probability <paramref name="p"/>.</summary>
    /// <param name="p">Probability in (0, 1), e.g. 0.05.</param>
    /// <returns>z_p (negative for p &lt; ½).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> not in (0, 1).</exception>
    public double InnovationQuantile(double p)
    {
        if (!(p > 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, $"GarchModel.InnovationQuantile: p must be in (0, 1), got {p}.");
        return Innovation == GarchInnovation.Normal ? Normal.InvCDF(0, 1, p) : StudentT.InvCDF(0, 1, Nu, p) * Math.Sqrt((Nu - 2) / Nu);
    }

    /// <summary>
    /// Lower-tail mean of the standardised innovation E[z | z ≤ z_p]: −φ(z_p)/p for the normal; for the unit-variance
    /// Student-t, −(ν + t_p²)/(ν − 1)·f_ν(t_p)/p·√((ν − 2)/ν) (McNeil, Frey and Embrechts 2005, "Quantitative Risk Management", ex. 2.19).
    /// </summary>
    /// <param name="p">Tail probability in (0, 1).</param>
    /// <returns>The (negative for small p) tail mean in units of σ.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> not in (0, 1).</exception>
    public double InnovationTailMean(double p)
    {
        if (!(p > 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, $"GarchModel.InnovationTailMean: p must be in (0, 1), got {p}.");
        if (Innovation == GarchInnovation.Normal)
        {
            var z = Normal.InvCDF(0, 1, p);
            return -Normal.PDF(0, 1, z) / p;
        }
        var tq = StudentT.InvCDF(0, 1, Nu, p);
        return -(Nu + tq * tq) / (Nu - 1) * StudentT.PDF(0, 1, Nu, tq) / p * Math.Sqrt((Nu - 2) / Nu);
    }

    // ---------------- internals ----------------

    private readonly record struct Parameters(double Mu, double Omega, double Alpha, double Gamma, double Beta, double Nu);

    internal static double LogLikelihoodCore(ReadOnlySpan<double> y, double mu, double omega, double alpha, double gamma, double beta,
        double nu, double backcast, bool student)
    {
        var c = student ? SpecialFunctions.GammaLn((nu + 1) / 2) - SpecialFunctions.GammaLn(nu / 2) - 0.5 * Math.Log(Math.PI * (nu - 2)) : 0;
        var s2 = backcast;
        var ll = 0.0;
        for (var t = 0; t < y.Length; t++)
        {
            if (t > 0) s2 = Step(omega, alpha, gamma, beta, y[t - 1] - mu, s2);
            var e = y[t] - mu;
            ll += student
                ? c - 0.5 * Math.Log(s2) - (nu + 1) / 2 * Math.Log(1 + e * e / (s2 * (nu - 2)))
                : -0.5 * (LogMath.Log2Pi + Math.Log(s2) + e * e / s2);
        }
        return ll;
    }

    private static double[] Pack(double mu, double omega, double alpha, double gamma, double beta, double nu, bool gjr, bool student)
    {
        var slack = 1 - alpha - gamma / 2 - beta;
        var th = new List<double> { mu, Math.Log(omega), Math.Log(alpha / slack) };
        if (gjr) th.Add(Math.Log(gamma / 2 / slack));
        th.Add(Math.Log(beta / slack));
        if (student) th.Add(Math.Log(nu - 2));
        return th.ToArray();
    }

    private static Parameters Unpack(double[] th, bool gjr, bool student)
    {
        var i = 2;
        var za = th[i++];
        var zg = gjr ? th[i++] : double.NegativeInfinity;
        var zb = th[i++];
        var max = Math.Max(0, Math.Max(za, Math.Max(zg, zb)));
        double ea = Math.Exp(za - max), eg = Math.Exp(zg - max), eb = Math.Exp(zb - max), es = Math.Exp(-max);
        var sum = ea + eg + eb + es;
        var nu = student ? 2 + Math.Exp(th[i]) : double.PositiveInfinity;
        return new Parameters(th[0], Math.Exp(th[1]), ea / sum, 2 * eg / sum, eb / sum, nu);
    }
}
