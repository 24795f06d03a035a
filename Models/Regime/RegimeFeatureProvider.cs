namespace LeanModels.Models.Regime;

/// <summary>
/// Regime features for the research pipeline's models, computed causally: row t uses returns up to and including t
/// only, so it can be used at the close of bar t. Features, in <see cref="FeatureNames"/> order:
/// <list type="bullet">
/// <item><c>regime_p{k}</c>, k = 0..K−1: filtered HMM state probabilities Pr(S_t = k | r_1..r_t) (state K−1 = high volatility);</item>
/// <item><c>regime_sigma_next</c>: standard deviation of the HMM's one-bar-ahead predictive mixture, in log return per bar;</item>
/// <item><c>garch_sigma_next</c> (only with a GARCH model): √E[σ²_{t+1} | r_1..r_t], in log return per bar.</item>
/// </list>
/// Fit the models on a training range only (<see cref="Fit"/>) and compute features on any later range: fitting on the
/// test range would leak it into the parameters. The filter starts from the HMM's start distribution at the first row of
/// the series given to <see cref="Compute"/>, so give it some history before the first date you use.
/// </summary>
public sealed class RegimeFeatureProvider
{
    private readonly string[] _names;

    /// <summary>Initializes a provider from fitted models.</summary>
    /// <param name="hmm">A one-dimensional <see cref="GaussianHmm"/> fitted on returns × <paramref name="scale"/>.</param>
    /// <param name="garch">Optional GARCH model fitted on returns × <paramref name="scale"/>; null omits <c>garch_sigma_next</c>.</param>
    /// <param name="scale">Multiplier the models were fitted with (100 = percent returns), &gt; 0.</param>
    /// <exception cref="ArgumentException"><paramref name="hmm"/> is not one-dimensional.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> ≤ 0 or not finite.</exception>
    public RegimeFeatureProvider(GaussianHmm hmm, GarchModel? garch, double scale)
    {
        ArgumentNullException.ThrowIfNull(hmm);
        if (hmm.Dimensions != 1) throw new ArgumentException($"RegimeFeatureProvider: the HMM must be one-dimensional (returns), got D = {hmm.Dimensions}.", nameof(hmm));
        if (!(scale > 0 && double.IsFinite(scale))) throw new ArgumentOutOfRangeException(nameof(scale), scale, $"RegimeFeatureProvider: scale must be finite and > 0, got {scale}.");
        Hmm = hmm;
        Garch = garch;
        Scale = scale;
        var names = Enumerable.Range(0, hmm.States).Select(k => $"regime_p{k}").ToList();
        names.Add("regime_sigma_next");
        if (garch is not null) names.Add("garch_sigma_next");
        _names = names.ToArray();
    }

    /// <summary>The regime model.</summary>
    public GaussianHmm Hmm { get; }

    /// <summary>The volatility model, or null.</summary>
    public GarchModel? Garch { get; }

    /// <summary>Return multiplier used by both models.</summary>
    public double Scale { get; }

    /// <summary>Feature names F, in column order.</summary>
    public IReadOnlyList<string> FeatureNames => _names;

    /// <summary>
    /// Fits a 2-state diagonal HMM (<paramref name="hmmOptions"/>) and, optionally, a GARCH model on a training range of
    /// log returns scaled by <paramref name="scale"/> (100: percent, which the optimisers handle best).
    /// </summary>
    /// <param name="trainingReturns">[T] daily log returns of the training range only, oldest first.</param>
    /// <param name="scale">Return multiplier, &gt; 0; 100 recommended.</param>
    /// <param name="hmmOptions">HMM settings; null = defaults (K = 2, 5 restarts, seed 1).</param>
    /// <param name="garchVariant">GARCH variant, or null for no GARCH feature.</param>
    /// <param name="garchInnovation">GARCH innovation distribution.</param>
    /// <returns>A provider.</returns>
    /// <exception cref="ArgumentException">Too few, non-finite or constant training returns (from the model fits).</exception>
    public static RegimeFeatureProvider Fit(ReadOnlySpan<double> trainingReturns, double scale = 100, GaussianHmmOptions? hmmOptions = null,
        GarchVariant? garchVariant = GarchVariant.Gjr, GarchInnovation garchInnovation = GarchInnovation.StudentT)
    {
        var y = new double[trainingReturns.Length];
        for (var i = 0; i < y.Length; i++) y[i] = trainingReturns[i] * scale;
        var hmm = GaussianHmm.Fit(y, 1, (hmmOptions ?? new GaussianHmmOptions()) with { ReturnScale = scale });
        var garch = garchVariant is { } v ? GarchModel.Fit(y, v, garchInnovation) : null;
        return new RegimeFeatureProvider(hmm, garch, scale);
    }

    /// <summary>Computes the features for every bar.</summary>
    /// <param name="returns">[T] log returns per bar, oldest first (unscaled; the provider applies <see cref="Scale"/>).</param>
    /// <returns>[T, F] row-major features; row t depends on returns[0..t] only.</returns>
    /// <exception cref="ArgumentException">A NaN or infinite return (its index is in the message).</exception>
    public double[] Compute(ReadOnlySpan<double> returns)
    {
        var t = returns.Length;
        var k = Hmm.States;
        var f = _names.Length;
        var y = new double[t];
        for (var i = 0; i < t; i++)
        {
            if (!double.IsFinite(returns[i])) throw new ArgumentException($"RegimeFeatureProvider.Compute: returns[{i}] is {returns[i]}; every return must be finite.", nameof(returns));
            y[i] = returns[i] * Scale;
        }
        var filtered = Hmm.Filter(y);                                         // [T, K], causal
        var result = new double[t * f];
        var garchVariance = Garch?.ConditionalVariance(y);                    // σ²_t from data ≤ t − 1
        var trans = Hmm.TransitionMatrix;
        for (var i = 0; i < t; i++)
        {
            var row = result.AsSpan(i * f, f);
            double mean = 0, second = 0;
            for (var s = 0; s < k; s++)
            {
                row[s] = filtered[i * k + s];
                var next = 0.0;                                               // Pr(S_{t+1} = s | r_1..r_t)
                for (var p = 0; p < k; p++) next += filtered[i * k + p] * trans[p * k + s];
                double m = Hmm.Means[s], v = Hmm.Covariances[s];
                mean += next * m;
                second += next * (v + m * m);
            }
            row[k] = Math.Sqrt(Math.Max(second - mean * mean, 0)) / Scale;
            if (Garch is not null)
            {
                var nextVariance = GarchModel.Step(Garch.Omega, Garch.Alpha, Garch.Gamma, Garch.Beta, y[i] - Garch.Mu, garchVariance![i]);
                row[k + 1] = Math.Sqrt(nextVariance) / Scale;
            }
        }
        return result;
    }
}
