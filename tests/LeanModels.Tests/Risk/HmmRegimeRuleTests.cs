using LeanModels.Models.Regime;
using LeanModels.Risk;

namespace LeanModels.Tests.Risk;

public class HmmRegimeRuleTests
{
    /// <summary>Calm N(0, 0.01²) and turbulent N(0, 0.04²) daily returns, each state persisting with probability 0.98.</summary>
    private static GaussianHmm TwoStates() => GaussianHmm.FromParameters([0.5, 0.5], [0.98, 0.02, 0.02, 0.98], [0.0, 0.0],
        [0.0001, 0.0016], HmmCovarianceType.Diagonal, returnScale: 1);

    /// <summary>The same model in percent units (variances × 100²), as the research path and the regime command fit it.</summary>
    private static GaussianHmm TwoStatesPercent() => GaussianHmm.FromParameters([0.5, 0.5], [0.98, 0.02, 0.02, 0.98], [0.0, 0.0],
        [1.0, 16.0], HmmCovarianceType.Diagonal, returnScale: 100);

    [Test]
    public void Exposure_NoReturns_UsesTheStartProbability()
    {
        // p = 0.5 → 1 − 0.5·(1 − 0.5) = 0.75
        Assert.That(new HmmRegimeRule(TwoStates()).Exposure([]), Is.EqualTo(0.75).Within(1e-12));
    }

    [Test]
    public void Exposure_CalmReturns_NearOne_TurbulentReturns_NearTheHighVolatilityExposure()
    {
        var rule = new HmmRegimeRule(TwoStates(), highVolatilityExposure: 0.2);
        var calm = Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? 0.005 : -0.005).ToArray();
        var turbulent = calm.Concat(Enumerable.Range(0, 10).Select(i => i % 2 == 0 ? 0.06 : -0.06)).ToArray();
        // ±0.5 % days have likelihood ratio calm/turbulent = 4·exp(−0.5·0.25 + 0.5·0.015625) ≈ 3.55 per day: p_high → ~0
        Assert.That(rule.Exposure(calm), Is.GreaterThan(0.99));
        // ±6 % days: ratio 4·exp(−18 + 1.125) ≈ 2e-7 per day: p_high → ~1, exposure → 0.2
        Assert.That(rule.Exposure(turbulent), Is.LessThan(0.21).And.GreaterThanOrEqualTo(0.2));
        var p = rule.HighVolatilityProbability(turbulent);
        Assert.That(rule.Exposure(turbulent), Is.EqualTo(1 - p * 0.8).Within(1e-15));
    }

    [Test]
    public void PercentModel_FedFractions_IsRescaled_SameProbabilityAsTheFractionModel()
    {
        var returns = Enumerable.Range(0, 60).Select(i => (i % 2 == 0 ? 1 : -1) * (i < 40 ? 0.005 : 0.05)).ToArray();
        var fraction = new HmmRegimeRule(TwoStates()).HighVolatilityProbability(returns);
        var percent = new HmmRegimeRule(TwoStatesPercent()).HighVolatilityProbability(returns);
        Assert.That(fraction, Is.GreaterThan(0.99));
        Assert.That(percent, Is.EqualTo(fraction).Within(1e-12));
        // Fed fractions without the rescaling, the percent model would see every day as calm.
        Assert.That(TwoStatesPercent().Filter(returns)[^1], Is.LessThan(0.01));
    }

    [Test]
    public void ModelWithoutADeclaredUnit_IsRefused()
    {
        var undeclared = GaussianHmm.FromParameters([0.5, 0.5], [0.98, 0.02, 0.02, 0.98], [0.0, 0.0], [1.0, 16.0]);
        Assert.That(() => new HmmRegimeRule(undeclared), Throws.ArgumentException.With.Message.Contain("ReturnScale"));
        Assert.That(GaussianHmm.Fit(Enumerable.Range(0, 200).Select(i => Math.Sin(i) * (i > 100 ? 4 : 1)).ToArray(), 1,
            new GaussianHmmOptions { ReturnScale = 100 }).ReturnScale, Is.EqualTo(100));
    }

    [Test]
    public void Constructor_BadArguments_Throw()
    {
        Assert.That(() => new HmmRegimeRule(TwoStates(), 1.5), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(new HmmRegimeRule(TwoStates()).Name, Is.EqualTo("HmmRegimeRule(2,0.5)"));
    }
}
