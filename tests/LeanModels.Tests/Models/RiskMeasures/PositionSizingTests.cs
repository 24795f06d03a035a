using LeanModels.Models.RiskMeasures;

namespace LeanModels.Tests.Models.RiskMeasures;

public class PositionSizingTests
{
    [Test]
    public void DrawdownTracker_KnownCurve_TracksDrawdownAndDuration()
    {
        // 100 → 120 (peak) → 90 (dd 0.25) → 108 (dd 0.1) → 130 (new peak) → 117 (dd 0.1)
        var t = new DrawdownTracker();
        double[] equity = [100, 120, 90, 108, 130, 117];
        double[] expected = [0, 0, 0.25, 0.1, 0, 0.1];
        for (var i = 0; i < equity.Length; i++) Assert.That(t.Update(equity[i]), Is.EqualTo(expected[i]).Within(1e-12), $"bar {i}");
        Assert.That(t.MaxDrawdown, Is.EqualTo(0.25).Within(1e-12));
        Assert.That(t.Peak, Is.EqualTo(130));
        Assert.That(t.BarsSincePeak, Is.EqualTo(1));
        Assert.That(t.LongestDrawdownBars, Is.EqualTo(2));
    }

    [Test]
    public void Drawdowns_Series_MatchesTrackerAndReturnsMax()
    {
        double[] equity = [100, 120, 90, 108, 130, 117];
        var dd = new double[6];
        Assert.That(DrawdownTracker.Drawdowns(equity, dd), Is.EqualTo(0.25).Within(1e-12));
        Assert.That(dd, Is.EqualTo(new[] { 0, 0, 0.25, 0.1, 0, 0.1 }).Within(1e-12));
    }

    [Test]
    public void DrawdownTracker_NonPositiveEquity_Throws()
    {
        var t = new DrawdownTracker();
        t.Update(100);
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Update(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Update(double.NaN));
        Assert.That(t.Count, Is.EqualTo(1));
    }

    [Test]
    public void VolatilityTargeting_Weight_ScalesAndCaps()
    {
        // target 10 %, forecast 20 % → 0.5; forecast 5 % → 2, capped at 1.5
        Assert.That(VolatilityTargeting.Weight(0.20, 0.10, 1.5), Is.EqualTo(0.5).Within(1e-12));
        Assert.That(VolatilityTargeting.Weight(0.05, 0.10, 1.5), Is.EqualTo(1.5).Within(1e-12));
        Assert.Throws<ArgumentOutOfRangeException>(() => VolatilityTargeting.Weight(0, 0.1, 1));
    }

    [Test]
    public void AnnualisedVolatility_DailyVariance_UsesBarsPerYear()
    {
        // σ²_day = 1e-4 (1 % a day) → √(1e-4·252) = 0.158745…
        Assert.That(VolatilityTargeting.AnnualisedVolatility(1e-4, 252), Is.EqualTo(Math.Sqrt(0.0252)).Within(1e-15));
    }

    [Test]
    public void KellyContinuous_HalfKelly_MatchesMuOverSigmaSquared()
    {
        // μ = 0.0005/day, σ² = 1e-4/day → f* = 5; half Kelly 2.5; capped at 2; short side symmetric.
        Assert.That(KellySizing.Continuous(0.0005, 1e-4, 0.5, 10), Is.EqualTo(2.5).Within(1e-12));
        Assert.That(KellySizing.Continuous(0.0005, 1e-4, 0.5, 2), Is.EqualTo(2.0).Within(1e-12));
        Assert.That(KellySizing.Continuous(-0.0005, 1e-4, 0.5, 2), Is.EqualTo(-2.0).Within(1e-12));
    }

    [Test]
    public void KellyBinary_EvenMoneyEdge_MatchesFormula()
    {
        // p = 0.6, b = 1: f* = 0.6 − 0.4 = 0.2; quarter Kelly 0.05. p = 0.4: negative edge → 0.
        Assert.That(KellySizing.Binary(0.6, 1, 1), Is.EqualTo(0.2).Within(1e-12));
        Assert.That(KellySizing.Binary(0.6, 1, 0.25), Is.EqualTo(0.05).Within(1e-12));
        Assert.That(KellySizing.Binary(0.4, 1, 1), Is.EqualTo(0.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => KellySizing.Binary(0.6, 1, 1.5));
    }
}
