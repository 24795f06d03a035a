using LeanModels.Models.Regime;
using LeanModels.Risk;

namespace LeanModels.Tests.Risk;

public class HmmRegimeRuleTests
{
    /// <summary>Calm N(0, 0.01²) and turbulent N(0, 0.04²) daily returns, each state persisting with probability 0.98.</summary>
    private static GaussianHmm TwoStates() => GaussianHmm.FromParameters([0.5, 0.5], [0.98, 0.02, 0.02, 0.98], [0.0, 0.0],
        [0.0001, 0.0016], HmmCovarianceType.Diagonal);

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
    public void Constructor_BadArguments_Throw()
    {
        Assert.That(() => new HmmRegimeRule(TwoStates(), 1.5), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(new HmmRegimeRule(TwoStates()).Name, Is.EqualTo("HmmRegimeRule(2,0.5)"));
    }
}
