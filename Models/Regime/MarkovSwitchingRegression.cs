using LeanModels.Models.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace LeanModels.Models.Regime;

/// <summary>
/// Markov-switching regression with a switching constant and switching variance (Hamilton 1989, Econometrica 57(2);
/// Hamilton 1994, "Time Series Analysis", ch. 22): y_t = μ_{S_t} + e_t, e_t ~ N(0, σ²_{S_t}), S_t a K-state Markov
/// chain with P[i, j] = Pr(S_t = j | S_{t−1} = i), started from the chain's steady state. This is statsmodels'
/// <c>MarkovRegression(y, k_regimes=K, trend='c', switching_variance=True)</c> with its default initialisation, and the
/// tests match it on SPY. Regimes are ordered by variance, ascending (regime K−1 is the high-volatility regime).
/// y is [T], oldest first, in whatever unit the caller chooses (the SPY tests use log returns in percent, as statsmodels
/// prefers). Immutable and thread-safe.
/// </summary>
public sealed class MarkovSwitchingRegression
{
    private readonly double[] _means;        // [K]
    private readonly double[] _variances;    // [K]
    private readonly double[] _transition;   // [K, K]
    private readonly double[] _logTransition;
    private readonly double[] _logSteady;

    private MarkovSwitchingRegression(double[] means, double[] variances, double[] transition, double? logLikelihood, int iterations, bool converged)
    {
        var k = means.Length;
        var order = Enumerable.Range(0, k).OrderBy(i => variances[i]).ThenBy(i => i).ToArray();
        _means = order.Select(i => means[i]).ToArray();
        _variances = order.Select(i => variances[i]).ToArray();
        _transition = new double[k * k];
        for (var a = 0; a < k; a++) for (var b = 0; b < k; b++) _transition[a * k + b] = transition[order[a] * k + order[b]];
        _logTransition = Array.ConvertAll(_transition, LogMath.SafeLog);
        _logSteady = Array.ConvertAll(SteadyState(_transition, k), LogMath.SafeLog);
        TrainingLogLikelihood = logLikelihood;
        Iterations = iterations;
        Converged = converged;
    }

    /// <summary>Number of regimes K.</summary>
    public int Regimes => _means.Length;

    /// <summary>Index of the highest-variance regime (K − 1).</summary>
    public int HighVolRegime => Regimes - 1;

    /// <summary>[K] regime constants μ_k, in y's unit.</summary>
    public IReadOnlyList<double> Means => _means;

    /// <summary>[K] regime variances σ²_k, in y's unit squared; ascending.</summary>
    public IReadOnlyList<double> Variances => _variances;

    /// <summary>[K, K] row-major, entry [i, j] = Pr(S_t = j | S_{t−1} = i).</summary>
    public IReadOnlyList<double> TransitionMatrix => _transition;

    /// <summary>Log-likelihood of the training sample in nats; null for <see cref="FromParameters"/>.</summary>
    public double? TrainingLogLikelihood { get; }

    /// <summary>EM iterations of the winning start (the BFGS polish is not counted).</summary>
    public int Iterations { get; }

    /// <summary>True when the final BFGS polish met its gradient tolerance.</summary>
    public bool Converged { get; }

    /// <summary>Minimum sample size for <see cref="Fit"/>: 10 per free parameter, 10·(2K + K(K − 1)).</summary>
    /// <param name="regimes">K ≥ 1.</param>
    /// <returns>The minimum T.</returns>
    public static int MinimumObservations(int regimes) => 10 * (2 * regimes + regimes * (regimes - 1));

    /// <summary>
    /// Maximum-likelihood fit: EM (Hamilton 1990, J. Econometrics 45; E-step by the Kim 1994 smoother) from a
    /// deterministic start (all means at the sample mean, variances spread geometrically around the sample variance by
    /// ×4 from lowest to highest, stay probability 0.95) and <paramref name="restarts"/> − 1 seeded random starts, then a
    /// BFGS polish of the exact likelihood (EM treats the steady-state start as fixed; the polish removes that
    /// approximation). Variances are floored at 1e-6 × the sample variance.
    /// </summary>
    /// <param name="y">[T] observations, oldest first; T ≥ <see cref="MinimumObservations"/>.</param>
    /// <param name="regimes">K ≥ 2.</param>
    /// <param name="restarts">Number of starts, ≥ 1 (the first is deterministic).</param>
    /// <param name="seed">Seed of the <see cref="Xoshiro256StarStar"/> for the random starts.</param>
    /// <param name="maxIterations">EM iterations per start, ≥ 1.</param>
    /// <param name="tolerance">EM stops when the log-likelihood gains less than this (nats).</param>
    /// <returns>The fitted model, regimes ordered by variance.</returns>
    /// <exception cref="ArgumentException">Too few observations, a NaN/infinite value (index in the message) or a constant series.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="regimes"/> &lt; 2, <paramref name="restarts"/> &lt; 1 or <paramref name="maxIterations"/> &lt; 1.</exception>
    public static MarkovSwitchingRegression Fit(ReadOnlySpan<double> y, int regimes = 2, int restarts = 3, ulong seed = 1,
        int maxIterations = 2000, double tolerance = 1e-9)
    {
        const string caller = nameof(MarkovSwitchingRegression) + "." + nameof(Fit);
        ArgumentOutOfRangeException.ThrowIfLessThan(regimes, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(restarts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIterations, 1);
        var t = RegimeInput.RequireRows(caller, y, 1, MinimumObservations(regimes), nameof(y));
        RegimeInput.RequireNotConstant(caller, y, 1, nameof(y));
        var x = y.ToArray();
        int k = regimes;
        var mean = x.Average();
        var variance = x.Sum(v => (v - mean) * (v - mean)) / t;
        var floor = 1e-6 * variance;
        var rng = new Xoshiro256StarStar(seed);

        (double[] Mu, double[] Var, double[] P, double Ll, int It)? best = null;
        for (var r = 0; r < restarts; r++)
        {
            var mu = new double[k]; var vr = new double[k]; var p = new double[k * k];
            for (var s = 0; s < k; s++)
            {
                var spread = k == 1 ? 0 : (double)s / (k - 1) - 0.5;           // −½ … +½
                mu[s] = r == 0 ? mean : mean + 0.1 * Math.Sqrt(variance) * rng.NextGaussian();
                vr[s] = variance * Math.Pow(4, r == 0 ? spread : spread * (0.5 + 2 * rng.NextDouble()));
                var stay = r == 0 ? 0.95 : 0.8 + 0.19 * rng.NextDouble();
                for (var j = 0; j < k; j++) p[s * k + j] = j == s ? stay : (1 - stay) / (k - 1);
            }
            var (ll, it) = ExpectationMaximisation(x, k, mu, vr, p, floor, maxIterations, tolerance);
            if (double.IsFinite(ll) && (best is null || ll > best.Value.Ll)) best = (mu, vr, p, ll, it);
        }
        if (best is null)
            throw new InvalidOperationException($"{caller}: every start degenerated on {t} observations; try fewer regimes.");

        // BFGS polish of the exact likelihood in unconstrained coordinates: μ_k, ln σ²_k, and per row of P the logits
        // of the first K − 1 columns against the last (softmax).
        var b = best.Value;
        var theta = Pack(b.Mu, b.Var, b.P, k);
        var polished = NumericalMinimizer.Minimize(th =>
        {
            var (m, v, pp) = Unpack(th, k);
            for (var s = 0; s < k; s++) if (!(v[s] > floor)) return double.PositiveInfinity;
            return -Hamilton(x, m, v, pp, k, null, null);
        }, theta, gradientTolerance: 1e-6);
        var (fm, fv, fp) = -polished.Value >= b.Ll ? Unpack(polished.Point, k) : (b.Mu, b.Var, b.P);
        var fll = Math.Max(-polished.Value, b.Ll);
        return new MarkovSwitchingRegression(fm, fv, fp, fll, b.It, polished.Converged);
    }

    /// <summary>Builds a model from given parameters (reordered by variance).</summary>
    /// <param name="means">[K] constants, finite.</param>
    /// <param name="variances">[K] variances, each finite and &gt; 0.</param>
    /// <param name="transitionMatrix">[K, K] row-major, rows non-negative summing to 1 (±1e-9).</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentException">Inconsistent lengths, a non-positive variance or an invalid transition row (the message gives the values).</exception>
    public static MarkovSwitchingRegression FromParameters(ReadOnlySpan<double> means, ReadOnlySpan<double> variances, ReadOnlySpan<double> transitionMatrix)
    {
        var k = means.Length;
        if (k < 1 || variances.Length != k || transitionMatrix.Length != k * k)
            throw new ArgumentException($"MarkovSwitchingRegression.FromParameters: means has {k} entries, variances {variances.Length}, transition {transitionMatrix.Length}; expected K, K and K·K.");
        RegimeInput.RequireFinite("MarkovSwitchingRegression.FromParameters", means, 1, nameof(means));
        for (var s = 0; s < k; s++)
            if (!(variances[s] > 0 && double.IsFinite(variances[s])))
                throw new ArgumentException($"MarkovSwitchingRegression.FromParameters: variances[{s}] = {variances[s]}; must be finite and > 0.", nameof(variances));
        for (var i = 0; i < k; i++)
        {
            var sum = 0.0;
            for (var j = 0; j < k; j++)
            {
                var v = transitionMatrix[i * k + j];
                if (!(v >= 0 && v <= 1)) throw new ArgumentException($"MarkovSwitchingRegression.FromParameters: transition[{i}, {j}] = {v}; must be in [0, 1].", nameof(transitionMatrix));
                sum += v;
            }
            if (Math.Abs(sum - 1) > 1e-9) throw new ArgumentException($"MarkovSwitchingRegression.FromParameters: transition row {i} sums to {sum:R}; expected 1.", nameof(transitionMatrix));
        }
        return new MarkovSwitchingRegression(means.ToArray(), variances.ToArray(), transitionMatrix.ToArray(), null, 0, false);
    }

    /// <summary>The chain's steady-state (ergodic) distribution π with πP = π, Σπ = 1: the initial regime probabilities.</summary>
    /// <returns>[K] probabilities.</returns>
    public double[] SteadyState() => SteadyState(_transition, Regimes);

    /// <summary>
    /// Hamilton-filtered regime probabilities Pr(S_t = k | y_1..y_t): row t uses data up to t only (safe for trading).
    /// </summary>
    /// <param name="y">[T] observations in the fitted unit; empty gives an empty result.</param>
    /// <returns>[T, K] row-major; rows sum to 1.</returns>
    /// <exception cref="ArgumentException">A NaN or infinite value (index in the message).</exception>
    public double[] Filter(ReadOnlySpan<double> y)
    {
        var t = RegimeInput.RequireRows(nameof(MarkovSwitchingRegression) + "." + nameof(Filter), y, 1, 0, nameof(y));
        var logFiltered = new double[t * Regimes];
        if (t > 0) Hamilton(y, _means, _variances, _transition, Regimes, logFiltered, null);
        for (var i = 0; i < logFiltered.Length; i++) logFiltered[i] = Math.Exp(logFiltered[i]);
        return logFiltered;
    }

    /// <summary>Log-likelihood ln p(y_1..y_T) in nats (the Hamilton filter's sum of log predictive densities).</summary>
    /// <param name="y">[T] observations, T ≥ 1.</param>
    /// <returns>The log-likelihood.</returns>
    /// <exception cref="ArgumentException">Empty input or a non-finite value.</exception>
    public double LogLikelihood(ReadOnlySpan<double> y)
    {
        RegimeInput.RequireRows(nameof(MarkovSwitchingRegression) + "." + nameof(LogLikelihood), y, 1, 1, nameof(y));
        return Hamilton(y, _means, _variances, _transition, Regimes, null, null);
    }

    /// <summary>
    /// Kim (1994, J. Econometrics 60) smoothed probabilities Pr(S_t = k | y_1..y_T). Uses the whole sample, so it looks
    /// ahead: research and plotting only.
    /// </summary>
    /// <param name="y">[T] observations, T ≥ 1.</param>
    /// <returns>[T, K] row-major; rows sum to 1.</returns>
    /// <exception cref="ArgumentException">Empty input or a non-finite value.</exception>
    public double[] Smooth(ReadOnlySpan<double> y)
    {
        var t = RegimeInput.RequireRows(nameof(MarkovSwitchingRegression) + "." + nameof(Smooth), y, 1, 1, nameof(y));
        var k = Regimes;
        var logFiltered = new double[t * k];
        var logPredicted = new double[t * k];
        Hamilton(y, _means, _variances, _transition, k, logFiltered, logPredicted);
        var logSmoothed = KimSmoother(logFiltered, logPredicted, _logTransition, t, k);
        for (var i = 0; i < logSmoothed.Length; i++) logSmoothed[i] = Math.Exp(logSmoothed[i]);
        return logSmoothed;
    }

    /// <summary>Expected regime durations 1 / (1 − P[k, k]), in bars.</summary>
    /// <returns>[K] durations.</returns>
    public double[] ExpectedDurations()
    {
        var d = new double[Regimes];
        for (var s = 0; s < Regimes; s++) d[s] = 1 / (1 - _transition[s * Regimes + s]);
        return d;
    }

    // ---------------- internals ----------------

    internal static double[] SteadyState(double[] p, int k)
    {
        // Solve [Pᵀ − I; 1ᵀ] π = [0; 1] by least squares (as statsmodels' cy_initial_probabilities does with its A matrix).
        var a = Matrix<double>.Build.Dense(k + 1, k, (i, j) => i < k ? p[j * k + i] - (i == j ? 1 : 0) : 1);
        var rhs = Vector<double>.Build.Dense(k + 1, i => i < k ? 0 : 1);
        var pi = a.Solve(rhs).ToArray();
        for (var i = 0; i < k; i++) pi[i] = Math.Max(pi[i], 0);
        var sum = pi.Sum();
        for (var i = 0; i < k; i++) pi[i] /= sum;
        return pi;
    }

    /// <summary>Log-space Hamilton filter; optional outputs ln Pr(S_t | y_1..y_t) and ln Pr(S_t | y_1..y_{t−1}), both [T, K].</summary>
    private static double Hamilton(ReadOnlySpan<double> y, double[] mu, double[] variance, double[] p, int k, double[]? logFiltered, double[]? logPredicted)
    {
        Span<double> pred = stackalloc double[k];
        Span<double> joint = stackalloc double[k];
        Span<double> tmp = stackalloc double[k];
        Span<double> logNorm = stackalloc double[k];
        var logP = new double[k * k];
        for (var i = 0; i < logP.Length; i++) logP[i] = LogMath.SafeLog(p[i]);
        var steady = SteadyState(p, k);
        for (var s = 0; s < k; s++)
        {
            pred[s] = LogMath.SafeLog(steady[s]);
            logNorm[s] = -0.5 * (LogMath.Log2Pi + Math.Log(variance[s]));
        }
        var ll = 0.0;
        for (var t = 0; t < y.Length; t++)
        {
            if (logPredicted is not null) pred.CopyTo(logPredicted.AsSpan(t * k, k));
            for (var s = 0; s < k; s++)
            {
                var e = y[t] - mu[s];
                joint[s] = pred[s] + logNorm[s] - 0.5 * e * e / variance[s];
            }
            var c = LogMath.LogSumExp(joint);
            ll += c;
            for (var s = 0; s < k; s++) joint[s] -= c;
            if (logFiltered is not null) joint.CopyTo(logFiltered.AsSpan(t * k, k));
            for (var s = 0; s < k; s++)
            {
                for (var j = 0; j < k; j++) tmp[j] = joint[j] + logP[j * k + s];
                pred[s] = LogMath.LogSumExp(tmp);
            }
        }
        return ll;
    }

    private static double[] KimSmoother(double[] logFiltered, double[] logPredicted, double[] logP, int t, int k)
    {
        var logSmoothed = new double[t * k];
        Array.Copy(logFiltered, (t - 1) * k, logSmoothed, (t - 1) * k, k);
        Span<double> tmp = stackalloc double[k];
        for (var i = t - 2; i >= 0; i--)
            for (var s = 0; s < k; s++)
            {
                for (var j = 0; j < k; j++) tmp[j] = logP[s * k + j] + logSmoothed[(i + 1) * k + j] - logPredicted[(i + 1) * k + j];
                logSmoothed[i * k + s] = logFiltered[i * k + s] + LogMath.LogSumExp(tmp);
            }
        return logSmoothed;
    }

    private static (double Ll, int Iterations) ExpectationMaximisation(double[] y, int k, double[] mu, double[] variance, double[] p,
        double floor, int maxIterations, double tolerance)
    {
        var t = y.Length;
        var logFiltered = new double[t * k];
        var logPredicted = new double[t * k];
        var previous = double.NegativeInfinity;
        var ll = double.NegativeInfinity;
        var transitions = new double[k * k];
        for (var it = 1; it <= maxIterations; it++)
        {
            ll = Hamilton(y, mu, variance, p, k, logFiltered, logPredicted);
            if (!double.IsFinite(ll)) return (double.NegativeInfinity, it);
            if (ll - previous < tolerance) return (ll, it);
            previous = ll;
            var logP = Array.ConvertAll(p, LogMath.SafeLog);
            var logSmoothed = KimSmoother(logFiltered, logPredicted, logP, t, k);
            // Joint smoothed Pr(S_{t−1} = i, S_t = j | Y) = filt_{t−1}(i) P_ij smooth_t(j) / pred_t(j) (Kim 1994 eq. 2.18).
            Array.Clear(transitions);
            for (var i = 1; i < t; i++)
                for (var a = 0; a < k; a++)
                    for (var b = 0; b < k; b++)
                        transitions[a * k + b] += Math.Exp(logFiltered[(i - 1) * k + a] + logP[a * k + b] + logSmoothed[i * k + b] - logPredicted[i * k + b]);
            for (var a = 0; a < k; a++)
            {
                var row = 0.0;
                for (var b = 0; b < k; b++) row += transitions[a * k + b];
                if (!(row > 0)) return (double.NegativeInfinity, it);
                for (var b = 0; b < k; b++) p[a * k + b] = transitions[a * k + b] / row;
            }
            for (var s = 0; s < k; s++)
            {
                double n = 0, m = 0;
                for (var i = 0; i < t; i++) { var w = Math.Exp(logSmoothed[i * k + s]); n += w; m += w * y[i]; }
                if (!(n > 1e-8 * t)) return (double.NegativeInfinity, it);
                mu[s] = m / n;
                var v = 0.0;
                for (var i = 0; i < t; i++) { var e = y[i] - mu[s]; v += Math.Exp(logSmoothed[i * k + s]) * e * e; }
                variance[s] = Math.Max(v / n, floor);
            }
        }
        return (Hamilton(y, mu, variance, p, k, null, null), maxIterations);
    }

    private static double[] Pack(double[] mu, double[] variance, double[] p, int k)
    {
        var theta = new List<double>();
        theta.AddRange(mu);
        theta.AddRange(variance.Select(v => Math.Log(v)));
        for (var a = 0; a < k; a++)
            for (var b = 0; b < k - 1; b++)
                theta.Add(Math.Log(Math.Max(p[a * k + b], 1e-300)) - Math.Log(Math.Max(p[a * k + k - 1], 1e-300)));
        return theta.ToArray();
    }

    private static (double[] Mu, double[] Var, double[] P) Unpack(double[] theta, int k)
    {
        var mu = theta[..k];
        var variance = theta[k..(2 * k)].Select(v => Math.Exp(v)).ToArray();
        var p = new double[k * k];
        for (var a = 0; a < k; a++)
        {
            var max = 0.0;
            for (var b = 0; b < k - 1; b++) max = Math.Max(max, theta[2 * k + a * (k - 1) + b]);
            var sum = 0.0;
            for (var b = 0; b < k; b++)
            {
                var z = b < k - 1 ? theta[2 * k + a * (k - 1) + b] : 0.0;
                p[a * k + b] = Math.Exp(z - max);
                sum += p[a * k + b];
            }
            for (var b = 0; b < k; b++) p[a * k + b] /= sum;
        }
        return (mu, variance, p);
    }
}
