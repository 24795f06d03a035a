using System.Globalization;
using LeanModels.Portfolio;
using LeanModels.Tests.Lean;
using QuantConnect;
using QuantConnect.Algorithm.Framework.Portfolio;

namespace LeanModels.Tests.Portfolio;

/// <summary>AllocationPortfolioConstructionModel in the real LEAN engine (tests/LeanAlgorithms' AlphaProbe over 2012): every
/// rebalance's targets, as weights of the portfolio value, respect the gross-exposure cap, the turnover cap and the bias.</summary>
[Category("Lean")]
public class AllocationPortfolioConstructionModelTests
{
    [Test]
    public void Constructor_NonPositiveCaps_Throw()
    {
        Assert.That(() => new AllocationPortfolioConstructionModel(Resolution.Daily, PortfolioBias.Long, 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => new AllocationPortfolioConstructionModel(Resolution.Daily, PortfolioBias.Long, 1, double.NaN), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [TestCase(false, 1.0, 0.5)]
    [TestCase(true, 0.8, 0.3)]
    public void EveryRebalance_RespectsTheGrossAndTurnoverCaps(bool longOnly, double gross, double turnover)
    {
        var run = longOnly ? ProbeRuns.LongOnly : ProbeRuns.Ridge;
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Errors, Is.Empty, run.ToString());
        var rebalances = run.Probe("REBALANCE");
        Assert.That(rebalances, Has.Count.GreaterThan(200), "daily rebalancing over 2012");
        foreach (var r in rebalances)
        {
            var tolerance = r.D(3) + 1e-9;                  // whole shares: one share per position
            Assert.That(r.D(1), Is.LessThanOrEqualTo(gross + tolerance), $"{r.Time}: Σ|w| {r.D(1)}");
            Assert.That(r.D(2), Is.LessThanOrEqualTo(turnover + tolerance), $"{r.Time}: Σ|Δw| {r.D(2)}");
        }
        // The caps bind: the book reaches its gross cap, and some day wants more turnover than allowed.
        Assert.That(rebalances.Max(r => r.D(1)), Is.GreaterThan(gross * 0.95));
        Assert.That(rebalances.Count(r => r.D(2) > turnover * 0.95), Is.GreaterThan(0));
    }

    [Test]
    public void LongBias_NeverTargetsAShortPosition_LongShortDoes()
    {
        var longOnly = ProbeRuns.LongOnly.Probe("TARGET");
        Assert.That(longOnly, Is.Not.Empty);
        Assert.That(longOnly.Where(t => t.D(1) < 0), Is.Empty);
        Assert.That(ProbeRuns.Ridge.Probe("TARGET").Count(t => t.D(1) < 0), Is.GreaterThan(0));
    }

    [Test]
    public void AllocationHead_ThroughInsightWeights_IsTargetedItself_ScaledOnlyToTheGrossCap()
    {
        var run = ProbeRuns.Allocation;
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Errors, Is.Empty, run.ToString());
        Assert.That(run.Insights.Select(i => i.SourceModel).Distinct(), Is.EqualTo(new[] { "ForecastAlphaModel(window-mean,0,allocation)" }));
        var insights = run.Probe("INSIGHT");
        var targets = run.Probe("TARGET").ToLookup(t => t.Time);
        var rebalances = run.Probe("REBALANCE");
        Assert.That(rebalances, Has.Count.GreaterThan(100));
        var scaledDown = 0;
        foreach (var r in rebalances)
        {
            // w = direction · Weight of each symbol's active (latest) insight, the model's allocation tanh(100 · forecast) ∈ [−1, 1];
            // scaled only when Σ|w| > 1. (LEAN also rebalances at some midnights, on the previous day's insights.)
            var w = insights.Where(i => i.Time <= r.Time).GroupBy(i => i.Fields[0])
                .ToDictionary(g => g.Key, g => g.Last()).ToDictionary(kv => kv.Key, kv => int.Parse(kv.Value.Fields[^1], CultureInfo.InvariantCulture) * kv.Value.D(4));
            Assert.That(w, Has.Count.EqualTo(2), $"{r.Time}");
            var gross = w.Values.Sum(Math.Abs);
            var scale = Math.Min(1, 1.0 / gross);
            if (scale < 1) scaledDown++;
            foreach (var t in targets[r.Time])
            {
                var expected = w[t.Fields[0]] * scale;
                // LEAN sizes PortfolioTarget.Percent through the buying-power model (0.25% cash buffer, fees, whole shares):
                // measured within 0.7% of the weight; allowed: one share per position plus 1% of the weight.
                Assert.That(t.D(1), Is.EqualTo(expected).Within(r.D(3) + 0.01 * Math.Abs(expected)), $"{r.Time} {t.Fields[0]}: target {t.D(1)} vs allocation {expected}");
            }
        }
        Assert.That(scaledDown, Is.GreaterThan(0), "some day's allocations exceed the gross cap");
        Assert.That(scaledDown, Is.LessThan(rebalances.Count), "some day's allocations are targeted as they are");
    }
}
