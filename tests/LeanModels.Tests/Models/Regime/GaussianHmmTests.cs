using LeanModels.Models.Numerics;
using LeanModels.Models.Regime;

namespace LeanModels.Tests.Models.Regime;

public class GaussianHmmTests
{
    private static readonly GaussianHmmOptions TwoStates = new() { States = 2, Restarts = 3, Seed = 11 };

    [Test]
    public void Fit_TwoStateSyntheticSeries_RecoversParameters()
    {
        // Truth: P = [[0.98, 0.02], [0.05, 0.95]] → stationary calm share 0.05/0.07 ≈ 0.71, so ≈ 2860 calm and 1140
        // turbulent bars of 4000. Standard errors: calm mean 0.5/√2860 ≈ 0.009, turbulent mean 2/√1140 ≈ 0.06,
        // sd ≈ sd/√(2n) (≈ 0.007 and 0.04). Tolerances are about 4 standard errors; transition entries ±0.015
        // (≈ 40 and 57 switches in each direction give se ≈ 0.003 and 0.007 on the stay probabilities).
        var (x, _) = RegimeTestData.TwoState();
        var hmm = GaussianHmm.Fit(x, 1, TwoStates);
        Assert.That(hmm.Means[0], Is.EqualTo(0.05).Within(0.04));
        Assert.That(hmm.Means[1], Is.EqualTo(-0.1).Within(0.25));
        Assert.That(Math.Sqrt(hmm.Covariances[0]), Is.EqualTo(0.5).Within(0.03));
        Assert.That(Math.Sqrt(hmm.Covariances[1]), Is.EqualTo(2.0).Within(0.16));
        Assert.That(hmm.TransitionMatrix[0], Is.EqualTo(0.98).Within(0.015));
        Assert.That(hmm.TransitionMatrix[3], Is.EqualTo(0.95).Within(0.015));
        Assert.That(hmm.Converged, Is.True);
    }

    [Test]
    public void Fit_SameSeed_IsBitIdentical()
    {
        var (x, _) = RegimeTestData.TwoState(seed: 3, length: 1500);
        var a = GaussianHmm.Fit(x, 1, TwoStates);
        var b = GaussianHmm.Fit(x, 1, TwoStates);
        Assert.That(b.Means, Is.EqualTo(a.Means));
        Assert.That(b.Covariances, Is.EqualTo(a.Covariances));
        Assert.That(b.TransitionMatrix, Is.EqualTo(a.TransitionMatrix));
        Assert.That(b.TrainingLogLikelihood, Is.EqualTo(a.TrainingLogLikelihood));
    }

    [Test]
    public void FromParameters_StatesGivenHighVolFirst_AreReorderedByVariance()
    {
        // State given first has variance 4, second 0.25: after ordering, state 0 is the 0.25 one and its row moves too.
        var hmm = GaussianHmm.FromParameters([0.3, 0.7], [0.9, 0.1, 0.2, 0.8], [-1.0, 0.5], [4.0, 0.25]);
        Assert.That(hmm.Covariances, Is.EqualTo(new[] { 0.25, 4.0 }));
        Assert.That(hmm.Means, Is.EqualTo(new[] { 0.5, -1.0 }));
        Assert.That(hmm.StartProbabilities, Is.EqualTo(new[] { 0.7, 0.3 }));
        Assert.That(hmm.TransitionMatrix, Is.EqualTo(new[] { 0.8, 0.2, 0.1, 0.9 }));
        Assert.That(hmm.HighVolState, Is.EqualTo(1));
    }

    [Test]
    public void LogLikelihood_OneStateStandardNormal_IsSumOfLogDensities()
    {
        // K = 1, N(0, 1): ln φ(0) + ln φ(1) = 2·(−½ ln 2π) − ½ = −1.8378770664093453 − 0.5
        var hmm = GaussianHmm.FromParameters([1.0], [1.0], [0.0], [1.0]);
        Assert.That(hmm.LogLikelihood([0.0, 1.0]), Is.EqualTo(-2.3378770664093453).Within(1e-12));
    }

    [Test]
    public void Filter_OneStepByHand_MatchesBayesRule()
    {
        // π = (0.5, 0.5), N(0, 1) vs N(0, 4), x = 0: densities 1/√(2π) and 1/(2√(2π)) → posterior (2/3, 1/3).
        // Step 2, x = 0 again, P = [[0.9, 0.1], [0.2, 0.8]]: prior = (2/3·0.9 + 1/3·0.2, 2/3·0.1 + 1/3·0.8) = (0.6667, 0.3333);
        // posterior ∝ (0.6667·1, 0.3333·0.5) → (0.8, 0.2).
        var hmm = GaussianHmm.FromParameters([0.5, 0.5], [0.9, 0.1, 0.2, 0.8], [0.0, 0.0], [1.0, 4.0]);
        var p = hmm.Filter([0.0, 0.0]);
        Assert.That(p[0], Is.EqualTo(2.0 / 3).Within(1e-12));
        Assert.That(p[2], Is.EqualTo(0.8).Within(1e-12));
        Assert.That(p[3], Is.EqualTo(0.2).Within(1e-12));
    }

    [Test]
    public void Filter_DataAfterTChanged_RowsUpToTAreBitIdentical()
    {
        var (x, _) = RegimeTestData.TwoState(seed: 5, length: 1200);
        var hmm = GaussianHmm.Fit(x, 1, TwoStates);
        var before = hmm.Filter(x);
        const int t = 700;
        var changed = (double[])x.Clone();
        var rng = new Xoshiro256StarStar(99);
        for (var i = t + 1; i < changed.Length; i++) changed[i] = 10 * rng.NextGaussian();   // every value after t
        var after = hmm.Filter(changed);
        for (var i = 0; i < (t + 1) * 2; i++) Assert.That(after[i], Is.EqualTo(before[i]), $"entry {i} (row {i / 2})");
        Assert.That(after[(t + 1) * 2 + 1], Is.Not.EqualTo(before[(t + 1) * 2 + 1]), "the change must reach row t + 1");
    }

    [Test]
    public void Smooth_LastRow_EqualsFilteredLastRow()
    {
        // At t = T the smoothed and filtered distributions coincide (β_T = 1); rows of both sum to 1.
        var (x, _) = RegimeTestData.TwoState(seed: 8, length: 600);
        var hmm = GaussianHmm.Fit(x, 1, TwoStates);
        var f = hmm.Filter(x);
        var s = hmm.Smooth(x);
        Assert.That(s[^1], Is.EqualTo(f[^1]).Within(1e-12));
        for (var i = 0; i < 600; i++) Assert.That(s[2 * i] + s[2 * i + 1], Is.EqualTo(1.0).Within(1e-12));
    }

    [Test]
    public void Viterbi_SyntheticSeries_RecoversMostStates()
    {
        // Calm sd 0.5 vs turbulent sd 2 with long sojourns (50 and 20 bars): the decoded path should agree with the
        // simulated one on well over 90 % of bars (a classifier on |x| alone manages about 80 %).
        var (x, states) = RegimeTestData.TwoState(seed: 21, length: 3000);
        var hmm = GaussianHmm.Fit(x, 1, TwoStates);
        var path = hmm.Viterbi(x);
        var agree = path.Zip(states).Count(p => p.First == p.Second) / 3000.0;
        Assert.That(agree, Is.GreaterThan(0.93));
    }

    [Test]
    public void ExpectedDurations_StayProbabilities_AreGeometricMeans()
    {
        // 1/(1 − 0.98) = 50 bars, 1/(1 − 0.95) = 20 bars.
        var hmm = GaussianHmm.FromParameters([1.0, 0.0], [0.98, 0.02, 0.05, 0.95], [0.0, 0.0], [1.0, 4.0]);
        Assert.That(hmm.ExpectedDurations(), Is.EqualTo(new[] { 50.0, 20.0 }).Within(1e-9));
    }

    [Test]
    public void Fit_FullCovarianceTwoDimensions_RecoversCorrelation()
    {
        // Calm state: independent N(0, 0.5²) pair; turbulent state: sd 2 each with correlation 0.8 (x2 = 0.8 z1 + 0.6 z2).
        var (_, states) = RegimeTestData.TwoState(seed: 31, length: 3000);
        var rng = new Xoshiro256StarStar(32);
        var x = new double[2 * states.Length];
        for (var t = 0; t < states.Length; t++)
        {
            double z1 = rng.NextGaussian(), z2 = rng.NextGaussian();
            if (states[t] == 0) { x[2 * t] = 0.5 * z1; x[2 * t + 1] = 0.5 * z2; }
            else { x[2 * t] = 2 * z1; x[2 * t + 1] = 2 * (0.8 * z1 + 0.6 * z2); }
        }
        var hmm = GaussianHmm.Fit(x, 2, new GaussianHmmOptions { Covariance = HmmCovarianceType.Full, Restarts = 3, Seed = 4 });
        var c = hmm.Covariances;                        // [K=2, 2, 2]; state 1 = turbulent
        var rho1 = c[5] / Math.Sqrt(c[4] * c[7]);
        var rho0 = c[1] / Math.Sqrt(c[0] * c[3]);
        // ≈ 870 turbulent bars: se(ρ) ≈ (1 − 0.64)/√870 ≈ 0.012; calm ≈ 2130 bars: se ≈ 0.022
        Assert.That(rho1, Is.EqualTo(0.8).Within(0.05));
        Assert.That(rho0, Is.EqualTo(0.0).Within(0.09));
    }

    [Test]
    public void Fit_TooFewObservations_ThrowsWithCounts()
    {
        // K = 2, D = 1, diagonal: 1 + 2 + 2 + 2 = 7 free parameters → 70 observations needed.
        Assert.That(GaussianHmm.MinimumObservations(2, 1, HmmCovarianceType.Diagonal), Is.EqualTo(70));
        var (x, _) = RegimeTestData.TwoState(length: 69);
        var e = Assert.Throws<ArgumentException>(() => GaussianHmm.Fit(x, 1, TwoStates));
        Assert.That(e!.Message, Does.Contain("69").And.Contain("70"));
    }

    [Test]
    public void Fit_ConstantSeries_Throws()
    {
        var x = Enumerable.Repeat(0.01, 500).ToArray();
        var e = Assert.Throws<ArgumentException>(() => GaussianHmm.Fit(x, 1, TwoStates));
        Assert.That(e!.Message, Does.Contain("constant"));
    }

    [Test]
    public void Fit_NaNInput_ThrowsNamingTheRow()
    {
        var (x, _) = RegimeTestData.TwoState(length: 500);
        x[123] = double.NaN;
        var e = Assert.Throws<ArgumentException>(() => GaussianHmm.Fit(x, 1, TwoStates));
        Assert.That(e!.Message, Does.Contain("[123, 0]").And.Contain("NaN"));
    }

    [Test]
    public void Filter_InfiniteInput_Throws()
    {
        var hmm = GaussianHmm.FromParameters([0.5, 0.5], [0.9, 0.1, 0.2, 0.8], [0.0, 0.0], [1.0, 4.0]);
        Assert.Throws<ArgumentException>(() => hmm.Filter([0.1, double.PositiveInfinity]));
    }
}
