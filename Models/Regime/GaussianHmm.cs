using LeanModels.Models.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace LeanModels.Models.Regime;

/// <summary>
/// Gaussian hidden Markov model with K states and D-dimensional emissions (diagonal or full covariance), fitted by
/// Baum–Welch (Baum et al. 1970; Rabiner 1989, Proc. IEEE 77(2), eqs. 18–27, 37–40, 52–54) run entirely in log space,
/// with several seeded restarts. States are always ordered by total variance (trace of the covariance), ascending, so
/// state 0 is the calmest and state K−1 (<see cref="HighVolState"/>) the most volatile, and labels stay stable across
/// refits. Observations are [T, D] row-major, time oldest → newest; for a return series, D = 1 and the unit is log return
/// per bar. Immutable and thread-safe once built.
/// </summary>
public sealed class GaussianHmm
{
    private readonly double[] _start;          // [K]
    private readonly double[] _transition;     // [K, K], row i = Pr(S_t = · | S_{t−1} = i)
    private readonly double[] _means;          // [K, D]
    private readonly double[] _covariances;    // [K, D, D]
    private readonly double[] _logStart;       // [K]
    private readonly double[] _logTransition;  // [K, K]
    private readonly double[] _cholesky;       // [K, D, D] lower-triangular factors of the covariances
    private readonly double[] _logNormaliser;  // [K]: −½·D·ln 2π − Σ ln L_ii

    private GaussianHmm(int states, int dimensions, HmmCovarianceType covarianceType, double[] start, double[] transition,
        double[] means, double[] covariances, double? logLikelihood, int iterations, bool converged, double? returnScale)
    {
        ReturnScale = returnScale;
        States = states;
        Dimensions = dimensions;
        CovarianceType = covarianceType;
        (_start, _transition, _means, _covariances) = SortByVariance(states, dimensions, start, transition, means, covariances);
        _logStart = Array.ConvertAll(_start, LogMath.SafeLog);
        _logTransition = Array.ConvertAll(_transition, LogMath.SafeLog);
        (_cholesky, _logNormaliser) = Factorise(states, dimensions, covarianceType, _covariances);
        TrainingLogLikelihood = logLikelihood;
        Iterations = iterations;
        Converged = converged;
    }

    /// <summary>The unit of the observations when they are daily log returns: the factor fractions were multiplied by before
    /// fitting (100 = percent, 1 = fractions), from <see cref="GaussianHmmOptions.ReturnScale"/>; null when not declared.
    /// A consumer that feeds the model returns in another unit must rescale them (e.g. <c>HmmRegimeRule</c> does).</summary>
    public double? ReturnScale { get; }

    /// <summary>Number of hidden states K.</summary>
    public int States { get; }

    /// <summary>Dimension D of each observation.</summary>
    public int Dimensions { get; }

    /// <summary>Emission covariance structure.</summary>
    public HmmCovarianceType CovarianceType { get; }

    /// <summary>Index of the most volatile state (K − 1, since states are ordered by variance).</summary>
    public int HighVolState => States - 1;

    /// <summary>[K] initial state distribution Pr(S_1 = k).</summary>
    public IReadOnlyList<double> StartProbabilities => _start;

    /// <summary>[K, K] row-major transition matrix, entry [i, j] = Pr(S_t = j | S_{t−1} = i); rows sum to 1.</summary>
    public IReadOnlyList<double> TransitionMatrix => _transition;

    /// <summary>[K, D] row-major state means, in the observations' unit.</summary>
    public IReadOnlyList<double> Means => _means;

    /// <summary>[K, D, D] row-major state covariances (off-diagonal entries are 0 for <see cref="HmmCovarianceType.Diagonal"/>), in squared observation units.</summary>
    public IReadOnlyList<double> Covariances => _covariances;

    /// <summary>Log-likelihood of the training data under the fitted parameters, in nats; null for a model built by <see cref="FromParameters"/>.</summary>
    public double? TrainingLogLikelihood { get; }

    /// <summary>EM iterations used by the winning restart (0 for <see cref="FromParameters"/>).</summary>
    public int Iterations { get; }

    /// <summary>True when the winning restart stopped on <see cref="GaussianHmmOptions.Tolerance"/> rather than on the iteration limit.</summary>
    public bool Converged { get; }

    /// <summary>
    /// Minimum number of observations <see cref="Fit"/> accepts: 10 per free parameter, where the free parameters are
    /// (K−1) start + K(K−1) transition + K·D means + K·D (diagonal) or K·D(D+1)/2 (full) covariance entries.
    /// </summary>
    /// <param name="states">K ≥ 1.</param>
    /// <param name="dimensions">D ≥ 1.</param>
    /// <param name="covarianceType">Covariance structure.</param>
    /// <returns>The minimum T.</returns>
    public static int MinimumObservations(int states, int dimensions, HmmCovarianceType covarianceType)
    {
        var cov = covarianceType == HmmCovarianceType.Full ? dimensions * (dimensions + 1) / 2 : dimensions;
        return 10 * (states - 1 + states * (states - 1) + states * dimensions + states * cov);
    }

    /// <summary>
    /// Fits the model by Baum–Welch from <see cref="GaussianHmmOptions.Restarts"/> seeded random starts (means at K random
    /// observations, every covariance at the sample covariance, a sticky random transition matrix, uniform start) and
    /// keeps the restart with the highest log-likelihood. Same data and options → bit-identical model.
    /// </summary>
    /// <param name="observations">[T, D] row-major, oldest first; e.g. daily log returns with D = 1.</param>
    /// <param name="dimensions">D ≥ 1.</param>
    /// <param name="options">Settings; null uses the defaults (K = 2, diagonal, 5 restarts, seed 1).</param>
    /// <returns>The fitted model, states ordered by variance.</returns>
    /// <exception cref="ArgumentException">Length is not a multiple of D; fewer than <see cref="MinimumObservations"/> rows;
    /// a NaN or infinite value (the message gives its row and column); or a constant column.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException">Every restart degenerated (a state received no probability mass).</exception>
    public static GaussianHmm Fit(ReadOnlySpan<double> observations, int dimensions = 1, GaussianHmmOptions? options = null)
    {
        options ??= new GaussianHmmOptions();
        options.Validate();
        int k = options.States, d = dimensions;
        var t = RegimeInput.RequireRows(nameof(GaussianHmm) + "." + nameof(Fit), observations, d,
            dimensions >= 1 ? MinimumObservations(k, d, options.Covariance) : 1, nameof(observations));
        RegimeInput.RequireNotConstant(nameof(GaussianHmm) + "." + nameof(Fit), observations, d, nameof(observations));

        var x = observations.ToArray();
        var (_, cov) = SampleMoments(x, t, d);
        var floor = new double[d];
        for (var j = 0; j < d; j++) floor[j] = options.VarianceFloorFraction * cov[j * d + j];

        var rng = new Xoshiro256StarStar(options.Seed);
        Candidate? best = null;
        for (var r = 0; r < options.Restarts; r++)
        {
            var start = RandomStart(x, t, d, k, options.Covariance, cov, floor, rng);
            var candidate = BaumWelch(x, t, d, k, options, floor, start);
            if (candidate is not null && (best is null || candidate.LogLikelihood > best.LogLikelihood)) best = candidate;
        }
        if (best is null)
            throw new InvalidOperationException($"GaussianHmm.Fit: all {options.Restarts} restarts degenerated (a state received no probability mass) on {t} observations; try fewer states.");
        return new GaussianHmm(k, d, options.Covariance, best.Start, best.Transition, best.Means, best.Covariances,
            best.LogLikelihood, best.Iterations, best.Converged, options.ReturnScale);
    }

    /// <summary>Builds a model from given parameters (reordered by variance, as <see cref="Fit"/> does).</summary>
    /// <param name="startProbabilities">[K] non-negative, summing to 1 (±1e-9).</param>
    /// <param name="transitionMatrix">[K, K] row-major, each row non-negative and summing to 1 (±1e-9).</param>
    /// <param name="means">[K, D] row-major.</param>
    /// <param name="covariances">[K, D, D] row-major, each symmetric positive definite; for <see cref="HmmCovarianceType.Diagonal"/> only the diagonals are used.</param>
    /// <param name="covarianceType">Covariance structure.</param>
    /// <param name="returnScale">Unit of the observations when they are daily log returns (<see cref="ReturnScale"/>: 100 =
    /// percent, 1 = fractions); null when not returns or not declared.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentException">A shape is inconsistent, a probability row is invalid, a covariance is not positive
    /// definite, or <paramref name="returnScale"/> is not finite and positive; the message gives the offending numbers.</exception>
    public static GaussianHmm FromParameters(ReadOnlySpan<double> startProbabilities, ReadOnlySpan<double> transitionMatrix,
        ReadOnlySpan<double> means, ReadOnlySpan<double> covariances, HmmCovarianceType covarianceType = HmmCovarianceType.Diagonal,
        double? returnScale = null)
    {
        if (returnScale is { } scale && !(double.IsFinite(scale) && scale > 0))
            throw new ArgumentException($"GaussianHmm.FromParameters: returnScale is {scale}; it must be finite and > 0 (100 = percent, 1 = fractions).", nameof(returnScale));
        var k = startProbabilities.Length;
        if (k < 1 || transitionMatrix.Length != k * k || means.Length % k != 0 || means.Length == 0)
            throw new ArgumentException($"GaussianHmm.FromParameters: start has {k} entries, transition {transitionMatrix.Length}, means {means.Length}; expected K ≥ 1, K·K and K·D.");
        var d = means.Length / k;
        if (covariances.Length != k * d * d)
            throw new ArgumentException($"GaussianHmm.FromParameters: covariances has {covariances.Length} entries; expected K·D·D = {k * d * d} (K = {k}, D = {d}).", nameof(covariances));
        RequireDistribution(startProbabilities, "startProbabilities");
        for (var i = 0; i < k; i++) RequireDistribution(transitionMatrix.Slice(i * k, k), $"transitionMatrix row {i}");
        RegimeInput.RequireFinite("GaussianHmm.FromParameters", means, d, nameof(means));
        RegimeInput.RequireFinite("GaussianHmm.FromParameters", covariances, d, nameof(covariances));
        var cov = covariances.ToArray();
        if (covarianceType == HmmCovarianceType.Diagonal)
            for (var s = 0; s < k; s++)
                for (var i = 0; i < d; i++)
                    for (var j = 0; j < d; j++)
                        if (i != j) cov[(s * d + i) * d + j] = 0;
        return new GaussianHmm(k, d, covarianceType, startProbabilities.ToArray(), transitionMatrix.ToArray(), means.ToArray(), cov, null, 0, false, returnScale);
    }

    /// <summary>
    /// Online (forward) filtered state probabilities Pr(S_t = k | x_1..x_t): row t uses observations up to and including t
    /// only, so it is safe for trading at the close of bar t. Identical, bit for bit, to feeding the rows one by one to
    /// <see cref="CreateFilter"/>.
    /// </summary>
    /// <param name="observations">[T, D] row-major, oldest first. Empty input gives an empty result.</param>
    /// <returns>[T, K] row-major; each row sums to 1.</returns>
    /// <exception cref="ArgumentException">Length is not a multiple of D, or a value is NaN or infinite (row and column in the message).</exception>
    public double[] Filter(ReadOnlySpan<double> observations)
    {
        var t = RegimeInput.RequireRows(nameof(GaussianHmm) + "." + nameof(Filter), observations, Dimensions, 0, nameof(observations));
        var result = new double[t * States];
        var filter = CreateFilter();
        for (var i = 0; i < t; i++)
            filter.Update(observations.Slice(i * Dimensions, Dimensions), result.AsSpan(i * States, States));
        return result;
    }

    /// <summary>A fresh online filter at time 0, for bar-by-bar use.</summary>
    /// <returns>A filter whose first <see cref="HmmOnlineFilter.Update"/> uses <see cref="StartProbabilities"/>.</returns>
    public HmmOnlineFilter CreateFilter() => new(this);

    /// <summary>
    /// Smoothed probabilities Pr(S_t = k | x_1..x_T) by log-space forward–backward. Uses the whole sample, so it looks
    /// ahead: research and plotting only, never a trading signal.
    /// </summary>
    /// <param name="observations">[T, D] row-major, T ≥ 1.</param>
    /// <returns>[T, K] row-major; each row sums to 1.</returns>
    /// <exception cref="ArgumentException">Shape, emptiness or a non-finite value (row and column in the message).</exception>
    public double[] Smooth(ReadOnlySpan<double> observations)
    {
        var t = RegimeInput.RequireRows(nameof(GaussianHmm) + "." + nameof(Smooth), observations, Dimensions, 1, nameof(observations));
        var logB = LogEmissions(observations, t);
        var logAlpha = new double[t * States];
        var logBeta = new double[t * States];
        var ll = Forward(logB, _logStart, _logTransition, t, States, logAlpha);
        Backward(logB, _logTransition, t, States, logBeta);
        var gamma = new double[t * States];
        for (var i = 0; i < gamma.Length; i++) gamma[i] = Math.Exp(logAlpha[i] + logBeta[i] - ll);
        for (var i = 0; i < t; i++) Normalise(gamma.AsSpan(i * States, States));   // removes ~T·ε drift of the log sums
        return gamma;
    }

    /// <summary>Most likely state path (Viterbi 1967; Rabiner 1989 eqs. 30–35), computed in log space.</summary>
    /// <param name="observations">[T, D] row-major, T ≥ 1.</param>
    /// <returns>[T] state indices in [0, K).</returns>
    /// <exception cref="ArgumentException">Shape, emptiness or a non-finite value.</exception>
    public int[] Viterbi(ReadOnlySpan<double> observations)
    {
        var t = RegimeInput.RequireRows(nameof(GaussianHmm) + "." + nameof(Viterbi), observations, Dimensions, 1, nameof(observations));
        int k = States;
        var logB = LogEmissions(observations, t);
        var delta = new double[t * k];
        var psi = new int[t * k];
        for (var s = 0; s < k; s++) delta[s] = _logStart[s] + logB[s];
        for (var i = 1; i < t; i++)
            for (var s = 0; s < k; s++)
            {
                double best = double.NegativeInfinity; var arg = 0;
                for (var p = 0; p < k; p++)
                {
                    var v = delta[(i - 1) * k + p] + _logTransition[p * k + s];
                    if (v > best) { best = v; arg = p; }
                }
                delta[i * k + s] = best + logB[i * k + s];
                psi[i * k + s] = arg;
            }
        var path = new int[t];
        double last = double.NegativeInfinity;
        for (var s = 0; s < k; s++) if (delta[(t - 1) * k + s] > last) { last = delta[(t - 1) * k + s]; path[t - 1] = s; }
        for (var i = t - 1; i > 0; i--) path[i - 1] = psi[i * k + path[i]];
        return path;
    }

    /// <summary>Log-likelihood ln p(x_1..x_T) in nats under this model (forward algorithm in log space).</summary>
    /// <param name="observations">[T, D] row-major, T ≥ 1.</param>
    /// <returns>The log-likelihood.</returns>
    /// <exception cref="ArgumentException">Shape, emptiness or a non-finite value.</exception>
    public double LogLikelihood(ReadOnlySpan<double> observations)
    {
        var t = RegimeInput.RequireRows(nameof(GaussianHmm) + "." + nameof(LogLikelihood), observations, Dimensions, 1, nameof(observations));
        return Forward(LogEmissions(observations, t), _logStart, _logTransition, t, States, new double[t * States]);
    }

    /// <summary>Expected time spent in each state per visit, 1 / (1 − P[k, k]) bars (geometric sojourn); +∞ for an absorbing state.</summary>
    /// <returns>[K] durations in bars.</returns>
    public double[] ExpectedDurations()
    {
        var result = new double[States];
        for (var s = 0; s < States; s++) result[s] = 1.0 / (1.0 - _transition[s * States + s]);
        return result;
    }

    /// <summary>Log density ln N(x; μ_k, Σ_k) of one observation row.</summary>
    internal double LogEmission(ReadOnlySpan<double> x, int state) => LogDensity(x, state, Dimensions, _means, _cholesky, _logNormaliser);

    internal double LogStart(int state) => _logStart[state];

    internal double LogTransition(int from, int to) => _logTransition[from * States + to];

    private double[] LogEmissions(ReadOnlySpan<double> x, int t)
    {
        var logB = new double[t * States];
        for (var i = 0; i < t; i++)
            for (var s = 0; s < States; s++)
                logB[i * States + s] = LogDensity(x.Slice(i * Dimensions, Dimensions), s, Dimensions, _means, _cholesky, _logNormaliser);
        return logB;
    }

    private static double LogDensity(ReadOnlySpan<double> x, int state, int d, double[] means, double[] chol, double[] logNorm)
    {
        Span<double> z = d <= 32 ? stackalloc double[d] : new double[d];
        var q = 0.0;
        var m = state * d;
        var l = state * d * d;
        for (var i = 0; i < d; i++)                              // forward substitution L z = x − μ
        {
            var s = x[i] - means[m + i];
            for (var j = 0; j < i; j++) s -= chol[l + i * d + j] * z[j];
            z[i] = s / chol[l + i * d + i];
            q += z[i] * z[i];
        }
        return logNorm[state] - 0.5 * q;
    }

    private static (double[] Chol, double[] LogNorm) Factorise(int k, int d, HmmCovarianceType type, double[] cov)
    {
        var chol = new double[k * d * d];
        var logNorm = new double[k];
        for (var s = 0; s < k; s++)
        {
            var o = s * d * d;
            if (type == HmmCovarianceType.Diagonal || d == 1)
            {
                for (var i = 0; i < d; i++)
                {
                    var v = cov[o + i * d + i];
                    if (!(v > 0)) throw new ArgumentException($"GaussianHmm: state {s} variance [{i}, {i}] is {v}; variances must be > 0.");
                    chol[o + i * d + i] = Math.Sqrt(v);
                }
            }
            else
            {
                var m = Matrix<double>.Build.Dense(d, d, (i, j) => cov[o + i * d + j]);
                if (!m.IsSymmetric()) throw new ArgumentException($"GaussianHmm: state {s} covariance is not symmetric.");
                Matrix<double> factor;
                try { factor = m.Cholesky().Factor; }
                catch (ArgumentException e)
                {
                    throw new ArgumentException($"GaussianHmm: state {s} covariance is not positive definite: {e.Message}", e);
                }
                for (var i = 0; i < d; i++) for (var j = 0; j <= i; j++) chol[o + i * d + j] = factor[i, j];
            }
            var logDet = 0.0;
            for (var i = 0; i < d; i++) logDet += Math.Log(chol[o + i * d + i]);
            logNorm[s] = -0.5 * d * LogMath.Log2Pi - logDet;
        }
        return (chol, logNorm);
    }

    private static (double[], double[], double[], double[]) SortByVariance(int k, int d, double[] start, double[] transition, double[] means, double[] cov)
    {
        var order = Enumerable.Range(0, k).ToArray();
        var trace = new double[k];
        for (var s = 0; s < k; s++) for (var i = 0; i < d; i++) trace[s] += cov[(s * d + i) * d + i];
        Array.Sort(order, (a, b) => trace[a] != trace[b] ? trace[a].CompareTo(trace[b]) : a.CompareTo(b));
        var st = new double[k]; var tr = new double[k * k]; var mu = new double[k * d]; var cv = new double[k * d * d];
        for (var n = 0; n < k; n++)
        {
            var o = order[n];
            st[n] = start[o];
            for (var m = 0; m < k; m++) tr[n * k + m] = transition[o * k + order[m]];
            Array.Copy(means, o * d, mu, n * d, d);
            Array.Copy(cov, o * d * d, cv, n * d * d, d * d);
        }
        return (st, tr, mu, cv);
    }

    private static void RequireDistribution(ReadOnlySpan<double> p, string name)
    {
        var sum = 0.0;
        foreach (var v in p)
        {
            if (!(v >= 0 && v <= 1)) throw new ArgumentException($"GaussianHmm.FromParameters: {name} has entry {v}; probabilities must be in [0, 1].", name);
            sum += v;
        }
        if (Math.Abs(sum - 1) > 1e-9) throw new ArgumentException($"GaussianHmm.FromParameters: {name} sums to {sum:R}, expected 1 (±1e-9).", name);
    }

    // ---------------- Baum–Welch ----------------

    private sealed record Candidate(double[] Start, double[] Transition, double[] Means, double[] Covariances, double LogLikelihood, int Iterations, bool Converged);

    private static (double[] Mean, double[] Cov) SampleMoments(double[] x, int t, int d)
    {
        var mean = new double[d];
        for (var i = 0; i < t; i++) for (var j = 0; j < d; j++) mean[j] += x[i * d + j];
        for (var j = 0; j < d; j++) mean[j] /= t;
        var cov = new double[d * d];
        for (var i = 0; i < t; i++)
            for (var a = 0; a < d; a++)
                for (var b = 0; b < d; b++)
                    cov[a * d + b] += (x[i * d + a] - mean[a]) * (x[i * d + b] - mean[b]);
        for (var j = 0; j < cov.Length; j++) cov[j] /= t;
        return (mean, cov);
    }

    private static Candidate RandomStart(double[] x, int t, int d, int k, HmmCovarianceType type, double[] cov, double[] floor, Xoshiro256StarStar rng)
    {
        var start = new double[k];
        Array.Fill(start, 1.0 / k);
        var transition = new double[k * k];
        for (var i = 0; i < k; i++)
        {
            if (k == 1) { transition[0] = 1; break; }
            var stay = 0.8 + 0.19 * rng.NextDouble();          // sticky: regimes last many bars
            var weights = new double[k];
            var total = 0.0;
            for (var j = 0; j < k; j++) if (j != i) { weights[j] = 0.1 + rng.NextDouble(); total += weights[j]; }
            for (var j = 0; j < k; j++) transition[i * k + j] = j == i ? stay : (1 - stay) * weights[j] / total;
        }
        var means = new double[k * d];
        for (var s = 0; s < k; s++) Array.Copy(x, rng.NextInt(t) * d, means, s * d, d);
        var covs = new double[k * d * d];
        for (var s = 0; s < k; s++)
            for (var a = 0; a < d; a++)
                for (var b = 0; b < d; b++)
                    covs[(s * d + a) * d + b] = a == b ? cov[a * d + b] + floor[a] : type == HmmCovarianceType.Full ? cov[a * d + b] : 0;
        return new Candidate(start, transition, means, covs, double.NegativeInfinity, 0, false);
    }

    private static Candidate? BaumWelch(double[] x, int t, int d, int k, GaussianHmmOptions options, double[] floor, Candidate init)
    {
        double[] start = init.Start, transition = init.Transition, means = init.Means, covs = init.Covariances;
        var logB = new double[t * k];
        var logAlpha = new double[t * k];
        var logBeta = new double[t * k];
        var gamma = new double[t * k];
        var xiSum = new double[k * k];
        var previous = double.NegativeInfinity;
        var ll = double.NegativeInfinity;
        var iterations = 0;
        var converged = false;
        for (var it = 0; it < options.MaxIterations; it++)
        {
            iterations = it + 1;
            double[] chol, logNorm;
            try { (chol, logNorm) = Factorise(k, d, options.Covariance, covs); }
            catch (ArgumentException) { return null; }                 // a covariance lost definiteness: restart degenerated
            for (var i = 0; i < t; i++)
                for (var s = 0; s < k; s++)
                    logB[i * k + s] = LogDensity(x.AsSpan(i * d, d), s, d, means, chol, logNorm);
            var logStart = Array.ConvertAll(start, LogMath.SafeLog);
            var logTransition = Array.ConvertAll(transition, LogMath.SafeLog);
            ll = Forward(logB, logStart, logTransition, t, k, logAlpha);
            if (!double.IsFinite(ll)) return null;
            if (ll - previous < options.Tolerance) { converged = true; break; }
            previous = ll;
            Backward(logB, logTransition, t, k, logBeta);

            // E-step: γ_t(k) and Σ_t ξ_t(i, j) (Rabiner eqs. 27, 37)
            for (var i = 0; i < gamma.Length; i++) gamma[i] = Math.Exp(logAlpha[i] + logBeta[i] - ll);
            Array.Clear(xiSum);
            for (var i = 1; i < t; i++)
                for (var a = 0; a < k; a++)
                {
                    var la = logAlpha[(i - 1) * k + a] - ll;
                    for (var b = 0; b < k; b++)
                        xiSum[a * k + b] += Math.Exp(la + logTransition[a * k + b] + logB[i * k + b] + logBeta[i * k + b]);
                }

            // M-step (Rabiner eqs. 40, 52–53)
            for (var s = 0; s < k; s++) start[s] = gamma[s];
            Normalise(start);
            for (var a = 0; a < k; a++) Normalise(transition.AsSpan(a * k, k), xiSum.AsSpan(a * k, k));
            for (var s = 0; s < k; s++)
            {
                var n = 0.0;
                for (var i = 0; i < t; i++) n += gamma[i * k + s];
                if (!(n > 1e-8 * t)) return null;                      // empty state
                for (var a = 0; a < d; a++)
                {
                    var m = 0.0;
                    for (var i = 0; i < t; i++) m += gamma[i * k + s] * x[i * d + a];
                    means[s * d + a] = m / n;
                }
                for (var a = 0; a < d; a++)
                    for (var b = 0; b <= a; b++)
                    {
                        if (a != b && options.Covariance == HmmCovarianceType.Diagonal) continue;
                        var c = 0.0;
                        for (var i = 0; i < t; i++)
                            c += gamma[i * k + s] * (x[i * d + a] - means[s * d + a]) * (x[i * d + b] - means[s * d + b]);
                        c /= n;
                        if (a == b) c += floor[a];
                        covs[(s * d + a) * d + b] = c;
                        covs[(s * d + b) * d + a] = c;
                    }
            }
        }
        if (!converged)
        {
            // Re-evaluate the likelihood of the final parameters so the reported number matches them.
            double[] chol, logNorm;
            try { (chol, logNorm) = Factorise(k, d, options.Covariance, covs); }
            catch (ArgumentException) { return null; }
            for (var i = 0; i < t; i++)
                for (var s = 0; s < k; s++)
                    logB[i * k + s] = LogDensity(x.AsSpan(i * d, d), s, d, means, chol, logNorm);
            ll = Forward(logB, Array.ConvertAll(start, LogMath.SafeLog), Array.ConvertAll(transition, LogMath.SafeLog), t, k, logAlpha);
            if (!double.IsFinite(ll)) return null;
        }
        return new Candidate(start, transition, means, covs, ll, iterations, converged);
    }

    private static void Normalise(Span<double> p)
    {
        var sum = 0.0;
        foreach (var v in p) sum += v;
        for (var i = 0; i < p.Length; i++) p[i] /= sum;
    }

    private static void Normalise(Span<double> destination, ReadOnlySpan<double> counts)
    {
        var sum = 0.0;
        foreach (var v in counts) sum += v;
        for (var i = 0; i < destination.Length; i++) destination[i] = counts[i] / sum;
    }

    /// <summary>Log-space forward pass; fills logAlpha [T, K] (unnormalised) and returns ln p(x_1..x_T).</summary>
    private static double Forward(double[] logB, double[] logStart, double[] logTransition, int t, int k, double[] logAlpha)
    {
        Span<double> tmp = k <= 64 ? stackalloc double[k] : new double[k];
        for (var s = 0; s < k; s++) logAlpha[s] = logStart[s] + logB[s];
        for (var i = 1; i < t; i++)
            for (var s = 0; s < k; s++)
            {
                for (var p = 0; p < k; p++) tmp[p] = logAlpha[(i - 1) * k + p] + logTransition[p * k + s];
                logAlpha[i * k + s] = LogMath.LogSumExp(tmp) + logB[i * k + s];
            }
        return LogMath.LogSumExp(logAlpha.AsSpan((t - 1) * k, k));
    }

    /// <summary>Log-space backward pass; fills logBeta [T, K] with ln p(x_{t+1}..x_T | S_t = k).</summary>
    private static void Backward(double[] logB, double[] logTransition, int t, int k, double[] logBeta)
    {
        Span<double> tmp = k <= 64 ? stackalloc double[k] : new double[k];
        for (var s = 0; s < k; s++) logBeta[(t - 1) * k + s] = 0;
        for (var i = t - 2; i >= 0; i--)
            for (var s = 0; s < k; s++)
            {
                for (var n = 0; n < k; n++) tmp[n] = logTransition[s * k + n] + logB[(i + 1) * k + n] + logBeta[(i + 1) * k + n];
                logBeta[i * k + s] = LogMath.LogSumExp(tmp);
            }
    }
}
