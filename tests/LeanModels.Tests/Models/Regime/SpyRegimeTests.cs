using System.Text.Json;
using LeanModels.Models.Regime;

namespace LeanModels.Tests.Models.Regime;

/// <summary>The Gaussian HMM on real SPY returns: crisis coverage and a cross-check with statsmodels' likelihood.</summary>
public class SpyRegimeTests
{
    private GaussianHmm _hmm = null!;
    private double[] _y = [];
    private double[] _filtered = [];
    private JsonElement _ref;

    [OneTimeSetUp]
    public void FitOnce()
    {
        _ref = SpyReturns.ReadReference("Regime", "markov_regression_spy.json");
        _y = SpyReturns.Scaled(100);
        _hmm = GaussianHmm.Fit(_y, 1, new GaussianHmmOptions { States = 2, Restarts = 5, Seed = 2021 });
        _filtered = _hmm.Filter(_y);
    }

    private double MeanHighVol(DateOnly from, DateOnly to)
    {
        var dates = SpyReturns.Dates;
        double sum = 0; var n = 0;
        for (var t = 0; t < dates.Length; t++)
            if (dates[t] >= from && dates[t] <= to) { sum += _filtered[2 * t + _hmm.HighVolState]; n++; }
        return sum / n;
    }

    [Test]
    public void Filter_Spy2008Crisis_HighVolStateAbove08()
    {
        var m = MeanHighVol(new DateOnly(2008, 10, 1), new DateOnly(2008, 11, 30));
        TestContext.Out.WriteLine($"mean filtered high-vol probability Oct–Nov 2008 = {m:F4}");
        Assert.That(m, Is.GreaterThan(0.8));
    }

    [Test]
    public void Filter_SpyMarch2020_HighVolStateAbove08()
    {
        var m = MeanHighVol(new DateOnly(2020, 3, 9), new DateOnly(2020, 3, 31));
        TestContext.Out.WriteLine($"mean filtered high-vol probability 2020-03-09..31 = {m:F4}");
        Assert.That(m, Is.GreaterThan(0.8));
    }

    [Test]
    public void Filter_SpyCalm2017_HighVolStateBelow02()
    {
        // Control: 2017 was the calmest year of the sample (VIX ≈ 11); the high-vol state must not be on everywhere.
        var m = MeanHighVol(new DateOnly(2017, 1, 1), new DateOnly(2017, 12, 31));
        TestContext.Out.WriteLine($"mean filtered high-vol probability 2017 = {m:F4}");
        Assert.That(m, Is.LessThan(0.2));
    }

    [Test]
    public void Fit_Spy_LikelihoodAgreesWithStatsmodelsMarkovRegression()
    {
        // A 2-state Gaussian HMM on a scalar series is the MarkovRegression model except for the start distribution
        // (HMM: estimated; statsmodels: the chain's steady state). The HMM family contains statsmodels' model, so its
        // maximum is ≥ statsmodels' llf; a free start changes only the first term, by at most ln(1/min_k π_ss(k)):
        // π_ss(high) = (1 − p00)/(2 − p00 − p11) = 0.01446/0.04274 ≈ 0.338 with statsmodels' P, ln(1/0.338) ≈ 1.08 nats.
        var refLlf = _ref.GetProperty("llf").GetDouble();
        var llf = _hmm.TrainingLogLikelihood!.Value;
        TestContext.Out.WriteLine($"HMM llf = {llf:R}, statsmodels MarkovRegression llf = {refLlf:R}, diff = {llf - refLlf:E3}");
        TestContext.Out.WriteLine($"HMM: means = [{_hmm.Means[0]:F5}, {_hmm.Means[1]:F5}], variances = [{_hmm.Covariances[0]:F5}, {_hmm.Covariances[1]:F5}], P = [{_hmm.TransitionMatrix[0]:F5}, {_hmm.TransitionMatrix[3]:F5}], durations = [{_hmm.ExpectedDurations()[0]:F1}, {_hmm.ExpectedDurations()[1]:F1}] days, iterations {_hmm.Iterations}");
        Assert.That(llf, Is.GreaterThan(refLlf - 1e-3));
        Assert.That(llf, Is.LessThan(refLlf + 1.1));
    }

    [Test]
    public void Filter_Spy_CloseToStatsmodelsFilteredProbabilities()
    {
        // Same model up to the start distribution, whose influence decays geometrically (second eigenvalue of P ≈ 0.957,
        // so after 200 days it is < 2e-4). Compare from day 200 on; 0.01 allows the HMM's EM-vs-BFGS parameter gap.
        var reference = SpyReturns.Doubles(_ref.GetProperty("filtered_high_vol"));
        var maxDiff = 0.0;
        for (var t = 200; t < reference.Length; t++) maxDiff = Math.Max(maxDiff, Math.Abs(_filtered[2 * t + 1] - reference[t]));
        TestContext.Out.WriteLine($"max |HMM filtered − statsmodels filtered| (t ≥ 200) = {maxDiff:E3}");
        Assert.That(maxDiff, Is.LessThan(0.01));
    }
}
