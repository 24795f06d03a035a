using System.Text.Json;
using LeanModels.Models.Regime;

namespace LeanModels.Tests.Models.Regime;

/// <summary>
/// Markov-switching regression against statsmodels 0.13.5 MarkovRegression(k_regimes=2, trend='c',
/// switching_variance=True) on SPY daily log returns in percent, 1998-01-05..2021-03-31 (reference/markov_regression_spy.py
/// → reference/markov_regression_spy.json; regimes relabelled low variance first).
/// </summary>
public class MarkovSwitchingRegressionTests
{
    private JsonElement _ref;
    private double[] _y = [];
    private MarkovSwitchingRegression _fit = null!;

    [OneTimeSetUp]
    public void FitOnce()
    {
        _ref = SpyReturns.ReadReference("Regime", "markov_regression_spy.json");
        _y = SpyReturns.Scaled(_ref.GetProperty("scale").GetDouble());
        _fit = MarkovSwitchingRegression.Fit(_y, regimes: 2, restarts: 3, seed: 1);
    }

    private double[] Ref(string name) => SpyReturns.Doubles(_ref.GetProperty(name));

    private MarkovSwitchingRegression AtReferenceParameters()
    {
        var p = Ref("p_stay");
        return MarkovSwitchingRegression.FromParameters(Ref("mu"), Ref("sigma2"), [p[0], 1 - p[0], 1 - p[1], p[1]]);
    }

    [Test]
    public void SpyReturns_SameSeriesAsReferenceScript()
    {
        // The Python loader and SpyReturns must build the same 5848 returns; the sum differs only by summation order.
        Assert.That(SpyReturns.Returns, Has.Length.EqualTo(_ref.GetProperty("n").GetInt32()));
        Assert.That(SpyReturns.Dates[0].ToString("yyyyMMdd"), Is.EqualTo(_ref.GetProperty("first_date").GetString()));
        Assert.That(SpyReturns.Dates[^1].ToString("yyyyMMdd"), Is.EqualTo(_ref.GetProperty("last_date").GetString()));
        Assert.That(SpyReturns.Returns.Sum(), Is.EqualTo(_ref.GetProperty("sum_returns").GetDouble()).Within(1e-12));
    }

    [Test]
    public void LogLikelihood_AtStatsmodelsParameters_MatchesStatsmodelsLlf()
    {
        // Same parameters, same data: only floating-point order differs (statsmodels filters in probability space,
        // we in log space). 1e-6 nats on |llf| ≈ 8370 is ~1e-10 relative.
        var model = AtReferenceParameters();
        var diff = model.LogLikelihood(_y) - _ref.GetProperty("llf").GetDouble();
        TestContext.Out.WriteLine($"llf(C#, statsmodels params) − statsmodels llf = {diff:E3}");
        Assert.That(Math.Abs(diff), Is.LessThan(1e-6));
    }

    [Test]
    public void Filter_AtStatsmodelsParameters_MatchesStatsmodelsFilteredProbabilities()
    {
        // Reference probabilities are rounded to 12 decimals in the JSON, so 1e-10 allows rounding plus arithmetic.
        var filtered = AtReferenceParameters().Filter(_y);
        var reference = Ref("filtered_high_vol");
        var maxDiff = 0.0;
        for (var t = 0; t < reference.Length; t++) maxDiff = Math.Max(maxDiff, Math.Abs(filtered[2 * t + 1] - reference[t]));
        TestContext.Out.WriteLine($"max |filtered high-vol (C#, statsmodels params) − statsmodels| over {reference.Length} dates = {maxDiff:E3}");
        Assert.That(maxDiff, Is.LessThan(1e-10));
    }

    [Test]
    public void Fit_Spy_MatchesStatsmodelsParametersAndLlf()
    {
        // Both are maximum-likelihood estimates of the same likelihood from different optimisers (statsmodels: 5 EM
        // steps + 20 random searches, then BFGS with its default stopping rule; ours: EM to 1e-9 nats then BFGS on a
        // central-difference gradient). Measured on 2026-11-22: llf +7e-9 nats (ours marginally higher), means
        // within 2.4e-6, variances within 2.3e-5 relative, stay probabilities within 8e-7 — the gaps are set by where
        // statsmodels' BFGS stopped. Tolerances ≈ 10× those, far below the standard errors (σ²_0 = 0.474 ± 0.018,
        // p00 = 0.9855 ± 0.003): llf ±1e-5 nats, means ±2e-5, variances ±0.02 %, stay probabilities ±1e-5.
        var refLlf = _ref.GetProperty("llf").GetDouble();
        double[] mu = Ref("mu"), s2 = Ref("sigma2"), stay = Ref("p_stay");
        var p = _fit.TransitionMatrix;
        TestContext.Out.WriteLine($"C#: mu = [{_fit.Means[0]:R}, {_fit.Means[1]:R}], sigma2 = [{_fit.Variances[0]:R}, {_fit.Variances[1]:R}], p00 = {p[0]:R}, p11 = {p[3]:R}, llf = {_fit.TrainingLogLikelihood:R}, converged = {_fit.Converged}");
        TestContext.Out.WriteLine($"statsmodels: mu = [{mu[0]:R}, {mu[1]:R}], sigma2 = [{s2[0]:R}, {s2[1]:R}], p00 = {stay[0]:R}, p11 = {stay[1]:R}, llf = {refLlf:R}");
        TestContext.Out.WriteLine($"llf diff (C# − statsmodels) = {_fit.TrainingLogLikelihood - refLlf:E3}");
        Assert.That(_fit.TrainingLogLikelihood!.Value, Is.EqualTo(refLlf).Within(1e-5));
        Assert.That(_fit.TrainingLogLikelihood!.Value, Is.GreaterThan(refLlf - 1e-6), "our optimum must not be worse than statsmodels'");
        Assert.That(_fit.Means[0], Is.EqualTo(mu[0]).Within(2e-5));
        Assert.That(_fit.Means[1], Is.EqualTo(mu[1]).Within(2e-5));
        Assert.That(_fit.Variances[0], Is.EqualTo(s2[0]).Within(0.02).Percent);
        Assert.That(_fit.Variances[1], Is.EqualTo(s2[1]).Within(0.02).Percent);
        Assert.That(p[0], Is.EqualTo(stay[0]).Within(1e-5));
        Assert.That(p[3], Is.EqualTo(stay[1]).Within(1e-5));
    }

    [Test]
    public void Fit_Spy_FilteredProbabilitiesMatchStatsmodels()
    {
        // The parameter gaps above (≤ 2.3e-5 relative) moved the filtered probabilities by at most 2.5e-5 (measured
        // 2026-11-22, largest on days near 0.5); tolerance 2e-4 max abs over all 5848 dates.
        var filtered = _fit.Filter(_y);
        var reference = Ref("filtered_high_vol");
        var maxDiff = 0.0;
        for (var t = 0; t < reference.Length; t++) maxDiff = Math.Max(maxDiff, Math.Abs(filtered[2 * t + 1] - reference[t]));
        TestContext.Out.WriteLine($"max |filtered high-vol (C# fit) − statsmodels| over {reference.Length} dates = {maxDiff:E3}");
        Assert.That(maxDiff, Is.LessThan(2e-4));
    }

    [Test]
    public void Filter_DataAfterTChanged_RowsUpToTAreBitIdentical()
    {
        var before = _fit.Filter(_y);
        const int t = 2500;
        var changed = (double[])_y.Clone();
        for (var i = t + 1; i < changed.Length; i++) changed[i] = -changed[i] * 3 + 1;
        var after = _fit.Filter(changed);
        for (var i = 0; i < (t + 1) * 2; i++) Assert.That(after[i], Is.EqualTo(before[i]), $"entry {i}");
        Assert.That(after[(t + 1) * 2 + 1], Is.Not.EqualTo(before[(t + 1) * 2 + 1]));
    }

    [Test]
    public void Smooth_Spy_RowsSumToOneAndLastRowEqualsFiltered()
    {
        var smoothed = _fit.Smooth(_y);
        var filtered = _fit.Filter(_y);
        Assert.That(smoothed[^1], Is.EqualTo(filtered[^1]).Within(1e-12));
        var worst = 0.0;
        for (var t = 0; t < _y.Length; t++) worst = Math.Max(worst, Math.Abs(smoothed[2 * t] + smoothed[2 * t + 1] - 1));
        Assert.That(worst, Is.LessThan(1e-9));
    }

    [Test]
    public void Fit_SameSeed_IsBitIdentical()
    {
        var again = MarkovSwitchingRegression.Fit(_y, regimes: 2, restarts: 3, seed: 1);
        Assert.That(again.Means, Is.EqualTo(_fit.Means));
        Assert.That(again.Variances, Is.EqualTo(_fit.Variances));
        Assert.That(again.TransitionMatrix, Is.EqualTo(_fit.TransitionMatrix));
        Assert.That(again.TrainingLogLikelihood, Is.EqualTo(_fit.TrainingLogLikelihood));
    }

    [Test]
    public void SteadyState_TwoRegimes_MatchesClosedForm()
    {
        // π_0 = (1 − p11) / (2 − p00 − p11) = 0.05 / 0.07 = 0.714285…
        var m = MarkovSwitchingRegression.FromParameters([0.0, 0.0], [1.0, 4.0], [0.98, 0.02, 0.05, 0.95]);
        Assert.That(m.SteadyState()[0], Is.EqualTo(0.05 / 0.07).Within(1e-12));
    }

    [Test]
    public void Fit_BadInput_ThrowsClearErrors()
    {
        var few = _y[..59];                                      // K = 2 needs 10·(4 + 2) = 60
        Assert.That(Assert.Throws<ArgumentException>(() => MarkovSwitchingRegression.Fit(few))!.Message, Does.Contain("59").And.Contain("60"));
        Assert.That(Assert.Throws<ArgumentException>(() => MarkovSwitchingRegression.Fit(Enumerable.Repeat(0.5, 200).ToArray()))!.Message, Does.Contain("constant"));
        var nan = _y[..300];
        nan[17] = double.NaN;
        Assert.That(Assert.Throws<ArgumentException>(() => MarkovSwitchingRegression.Fit(nan))!.Message, Does.Contain("[17, 0]"));
    }
}
