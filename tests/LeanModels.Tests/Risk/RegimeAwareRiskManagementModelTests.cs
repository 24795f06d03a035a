using LeanModels.Risk;
using LeanModels.Tests.Lean;

namespace LeanModels.Tests.Risk;

/// <summary>RegimeAwareRiskManagementModel in the real LEAN engine: tests/LeanAlgorithms' AlphaProbe over 2012 with a 2%
/// portfolio drawdown limit, which binds early.</summary>
[Category("Lean")]
public class RegimeAwareRiskManagementModelTests
{
    [Test]
    public void DrawdownLimit_LiquidatesTheBook_AndCancelsTheLiquidatedSymbolsInsights()
    {
        var run = ProbeRuns.DrawdownLimit;
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Errors, Is.Empty, run.ToString());
        var liquidations = run.Probe("RISK").Where(r => r.Fields[1] == "0" && r.Fields[2] != "0").ToList();
        Assert.That(liquidations, Is.Not.Empty, "a 2% drawdown limit binds in 2012");
        foreach (var liquidation in liquidations)
        {
            var utc = liquidation.Time.AddHours(5);       // New York → UTC, upper bound
            var open = run.Insights.Where(i => i.Ticker == liquidation.Fields[0] && i.GeneratedUtc < liquidation.Time.AddHours(4)).ToList();
            Assert.That(open, Is.Not.Empty);
            Assert.That(open.Where(i => i.CloseUtc > utc), Is.Empty, $"{liquidation.Fields[0]} insights still open after the liquidation at {liquidation.Time}");
        }
    }

    [Test]
    public void Constructor_OutOfRangeLimits_Throw()
    {
        Assert.That(() => new RegimeAwareRiskManagementModel(maxDrawdown: 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => new RegimeAwareRiskManagementModel(tailProbability: 0.9), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => new RegimeAwareRiskManagementModel(lookbackDays: 1), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => new RegimeAwareRiskManagementModel(tailProbability: 0.05, lookbackDays: 19), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
