using LeanModels.Models.Regime;
using LeanModels.Models.RiskMeasures;

namespace LeanModels.Tests.Models.RiskMeasures;

public class TailRiskMeasuresTests
{
    // Returns −5, −4, …, 14 (20 values, unit: percent).
    private static readonly double[] Ladder = Enumerable.Range(-5, 20).Select(i => (double)i).ToArray();

    [TestCase(0.10, 4.0, 4.5)]   // αT = 2, k = 2: VaR = 4; CVaR = (5 + 4)/2 = 4.5
    [TestCase(0.15, 3.0, 4.0)]   // αT = 3, k = 3: VaR = 3; CVaR = (5 + 4 + 3)/3 = 4
    [TestCase(0.125, 3.0, 4.2)]  // αT = 2.5, k = 3: VaR = 3; CVaR = (5 + 4 + 0.5·3)/2.5 = 10.5/2.5 = 4.2
    public void Historical_Ladder_MatchesHandValues(double alpha, double var, double cvar)
    {
        var shuffled = Ladder.Reverse().ToArray();                        // order must not matter
        var r = TailRiskMeasures.Historical(shuffled, alpha);
        Assert.That(r.ValueAtRisk, Is.EqualTo(var).Within(1e-12));
        Assert.That(r.ConditionalValueAtRisk, Is.EqualTo(cvar).Within(1e-12));
    }

    [Test]
    public void Historical_TailEmpty_Throws()
    {
        // α·T = 0.01·20 = 0.2 < 1
        var e = Assert.Throws<ArgumentException>(() => TailRiskMeasures.Historical(Ladder, 0.01));
        Assert.That(e!.Message, Does.Contain("0.2").And.Contain("100"));
    }

    [Test]
    public void Historical_NaN_Throws()
    {
        var x = (double[])Ladder.Clone();
        x[3] = double.NaN;
        Assert.That(Assert.Throws<ArgumentException>(() => TailRiskMeasures.Historical(x, 0.1))!.Message, Does.Contain("returns[3]"));
    }

    [Test]
    public void Gaussian_StandardNormal_MatchesTables()
    {
        // z_0.05 = −1.6448536270, φ(z)/α = 0.1031356/0.05 = 2.0627128; z_0.01 = −2.3263478740, φ/α = 2.6652142203 (scipy.stats.norm)
        var r5 = TailRiskMeasures.Gaussian(0, 1, 0.05);
        Assert.That(r5.ValueAtRisk, Is.EqualTo(1.6448536269514722).Within(1e-9));
        Assert.That(r5.ConditionalValueAtRisk, Is.EqualTo(2.0627128075074257).Within(1e-9));
        var r1 = TailRiskMeasures.Gaussian(0.1, 2, 0.01);                 // VaR = −0.1 + 2·2.32635; CVaR = −0.1 + 2·2.66521
        Assert.That(r1.ValueAtRisk, Is.EqualTo(-0.1 + 2 * 2.3263478740408408).Within(1e-9));
        Assert.That(r1.ConditionalValueAtRisk, Is.EqualTo(-0.1 + 2 * 2.665214220345807).Within(1e-9));
    }

    [Test]
    public void CornishFisher_ZeroSkewKurtosis_EqualsGaussian()
    {
        var cf = TailRiskMeasures.CornishFisher(0.02, 1.5, 0, 0, 0.05);
        var g = TailRiskMeasures.Gaussian(0.02, 1.5, 0.05);
        Assert.That(cf.ValueAtRisk, Is.EqualTo(g.ValueAtRisk).Within(1e-12));
        Assert.That(cf.ConditionalValueAtRisk, Is.EqualTo(g.ConditionalValueAtRisk).Within(1e-12));
    }

    [Test]
    public void CornishFisher_NegativeSkewFatTails_MatchesScipyQuadrature()
    {
        // S = −1, K = 3, α = 0.05, μ = 0, σ = 1. VaR: z_cf = −1.849785913169365 (formula evaluated with scipy.stats.norm.ppf).
        // CVaR: −(1/α)∫₀^α z_cf(u) du by scipy.integrate.quad (epsrel 1e-13) = 2.8152007759944397 — an independent
        // numerical check of our closed form.
        var r = TailRiskMeasures.CornishFisher(0, 1, -1, 3, 0.05);
        Assert.That(r.ValueAtRisk, Is.EqualTo(1.849785913169365).Within(1e-9));
        Assert.That(r.ConditionalValueAtRisk, Is.EqualTo(2.8152007759944397).Within(1e-8));
    }

    [Test]
    public void CornishFisher_ConstantSeries_Throws()
    {
        Assert.Throws<ArgumentException>(() => TailRiskMeasures.CornishFisher(Enumerable.Repeat(0.01, 50).ToArray(), 0.05));
    }

    [Test]
    public void FromQuantiles_ThreeLevels_MatchesTrapezoids()
    {
        // Q(0.01) = −3, Q(0.05) = −2, Q(0.1) = −1.5; α = 0.05 → VaR = 2. First segment slope 25 per unit level, so
        // Q(0) = −3.25. ∫₀^0.05 Q = (−3.25 − 3)/2·0.01 + (−3 − 2)/2·0.04 = −0.03125 − 0.1 = −0.13125; CVaR = 2.625.
        var r = TailRiskMeasures.FromQuantiles([0.01, 0.05, 0.1], [-3.0, -2.0, -1.5], 0.05);
        Assert.That(r.ValueAtRisk, Is.EqualTo(2.0).Within(1e-12));
        Assert.That(r.ConditionalValueAtRisk, Is.EqualTo(2.625).Within(1e-12));
        // α = 0.075 interpolates: Q = −1.75; ∫ adds (−2 − 1.75)/2·0.025 = −0.046875 → (0.13125 + 0.046875)/0.075 = 2.375
        var mid = TailRiskMeasures.FromQuantiles([0.01, 0.05, 0.1], [-3.0, -2.0, -1.5], 0.075);
        Assert.That(mid.ValueAtRisk, Is.EqualTo(1.75).Within(1e-12));
        Assert.That(mid.ConditionalValueAtRisk, Is.EqualTo(2.375).Within(1e-12));
    }

    [Test]
    public void FromQuantiles_CrossingQuantiles_Throws()
    {
        Assert.Throws<ArgumentException>(() => TailRiskMeasures.FromQuantiles([0.01, 0.05], [-1.0, -2.0], 0.05));
        Assert.Throws<ArgumentException>(() => TailRiskMeasures.FromQuantiles([0.01, 0.05], [-3.0, -2.0], 0.2));
    }

    [Test]
    public void FromGarch_NormalModel_UsesOneStepForecast()
    {
        // μ = 0.05, ω = 0.02, α = 0.1, β = 0.85, backcast 1; y = [1, −2]: σ²₂ = 0.02 + 0.1·0.95² + 0.85·1 = 0.96025;
        // σ²₃ = 0.02 + 0.1·(−2.05)² + 0.85·0.96025 = 0.02 + 0.42025 + 0.8162125 = 1.2564625.
        // VaR_5% = −(0.05 − 1.6448536·√1.2564625); CVaR_5% = −(0.05 − 2.0627128·√1.2564625).
        var model = GarchModel.FromParameters(GarchVariant.Garch, GarchInnovation.Normal, 0.05, 0.02, 0.1, 0, 0.85, 0, 1);
        var r = TailRiskMeasures.FromGarch(model, [1.0, -2.0], 0.05);
        var sigma = Math.Sqrt(1.2564625);
        Assert.That(r.ValueAtRisk, Is.EqualTo(-0.05 + 1.6448536269514722 * sigma).Within(1e-9));
        Assert.That(r.ConditionalValueAtRisk, Is.EqualTo(-0.05 + 2.0627128075074257 * sigma).Within(1e-9));
    }

    [Test]
    public void FromGarch_StudentT_CvarExceedsNormalAtSameVariance()
    {
        // t_5 at 1 % is −3.3649299989072756 (scipy.stats.t.ppf); rescaled to unit variance ×√(3/5) → −2.6065, beyond the
        // normal's −2.3263. CVaR ≥ VaR always.
        var t = GarchModel.FromParameters(GarchVariant.Garch, GarchInnovation.StudentT, 0, 0.02, 0.1, 0, 0.85, 5, 1);
        var r = TailRiskMeasures.FromGarch(t, [0.5, -0.5], 0.01);
        Assert.That(t.InnovationQuantile(0.01), Is.EqualTo(-3.3649299989072756 * Math.Sqrt(3.0 / 5)).Within(1e-9));
        Assert.That(r.ConditionalValueAtRisk, Is.GreaterThan(r.ValueAtRisk));
        Assert.That(-t.InnovationQuantile(0.01), Is.GreaterThan(2.3263478740408408));
    }
}
