using LeanModels.Risk;

namespace LeanModels.Tests.Risk;

public class VolatilityDrawdownRegimeRuleTests
{
    private static double[] Alternating(double amplitude, int count) =>
        Enumerable.Range(0, count).Select(i => i % 2 == 0 ? amplitude : -amplitude).ToArray();

    [Test]
    public void Exposure_CalmMarket_IsOne()
    {
        // ±0.005 over 21 days: sample variance 0.005²·21/20 = 2.625e-5; σ = √(2.625e-5·252) = 0.0813 < 0.30
        Assert.That(new VolatilityDrawdownRegimeRule().Exposure(Alternating(0.005, 21)), Is.EqualTo(1.0));
    }

    [Test]
    public void Exposure_HighVolatility_IsTheHighVolatilityExposure()
    {
        // ±0.03 over 21 days: variance 0.03²·21/20 = 9.45e-4; σ = √(9.45e-4·252) = 0.488 > 0.30; the index ends at its peak
        Assert.That(new VolatilityDrawdownRegimeRule(highVolatilityExposure: 0.4).Exposure(Alternating(0.03, 21)), Is.EqualTo(0.4));
    }

    [Test]
    public void Exposure_MarketDrawdownBeyondCrash_IsZero()
    {
        // one day of −25 %: drawdown 1 − exp(ln 0.75) = 0.25 ≥ 0.20 (fewer than 21 returns: volatility not yet judged)
        Assert.That(new VolatilityDrawdownRegimeRule().Exposure([0.01, Math.Log(0.75)]), Is.EqualTo(0.0));
        // −15 % is below the crash threshold and too short for a volatility reading
        Assert.That(new VolatilityDrawdownRegimeRule().Exposure([0.01, Math.Log(0.85)]), Is.EqualTo(1.0));
    }

    [Test]
    public void Name_FromNameofAndArguments()
    {
        Assert.That(new VolatilityDrawdownRegimeRule(0.25, 0.5, 0.2, 10).Name, Is.EqualTo("VolatilityDrawdownRegimeRule(0.25,0.5,0.2,10)"));
    }
}
