using LeanModels.Portfolio;
using LeanModels.Risk;
using LeanModels.Tests.LeanFacade;
using QuantConnect;
using QuantConnect.Algorithm;
using QuantConnect.Algorithm.Framework.Portfolio;

namespace LeanModels.Tests.Risk;

public class RegimeAwareRiskManagementModelTests
{
    private sealed class FixedRegime(double exposure) : IMarketRegimeRule
    {
        public string Name => $"Fixed({exposure})";

        public double Exposure(ReadOnlySpan<double> marketLogReturns) => exposure;
    }

    private static (QCAlgorithm Algorithm, Symbol Aapl, Symbol Bac) TwoStocks()
    {
        var algorithm = new QCAlgorithm();
        algorithm.SetCash(1_000_000m);
        var aapl = algorithm.AddEquity("aapl", Resolution.Daily).Symbol;
        var bac = algorithm.AddEquity("bac", Resolution.Daily).Symbol;
        algorithm.Securities[aapl].CurrentPrice = 100m;
        algorithm.Securities[bac].CurrentPrice = 20m;
        algorithm.FacadeSetTime(new DateTime(2020, 1, 6, 16, 0, 0), new DateTime(2020, 1, 6, 21, 0, 0));
        return (algorithm, aapl, bac);
    }

    [Test]
    public void ManageRisk_NoLimitBinding_ReturnsNothing()
    {
        var (algorithm, aapl, _) = TwoStocks();
        var risk = new RegimeAwareRiskManagementModel(new FixedRegime(1));
        Assert.That(risk.ManageRisk(algorithm, [new PortfolioTarget(aapl, 100m)]), Is.Empty);
    }

    [Test]
    public void ManageRisk_RegimeHalvesExposure_ScalesEachTargetTowardZero()
    {
        var (algorithm, aapl, bac) = TwoStocks();
        var risk = new RegimeAwareRiskManagementModel(new FixedRegime(0.5));
        var overrides = risk.ManageRisk(algorithm, [new PortfolioTarget(aapl, 101m), new PortfolioTarget(bac, -51m)]).ToDictionary(t => t.Symbol, t => t.Quantity);
        // 101·0.5 = 50.5 → 50; −51·0.5 = −25.5 → −25 (whole shares, toward zero)
        Assert.That(overrides[aapl], Is.EqualTo(50m));
        Assert.That(overrides[bac], Is.EqualTo(-25m));
    }

    [Test]
    public void ManageRisk_CrashRegime_LiquidatesHoldingsAndCancelsTheirInsights()
    {
        var (algorithm, aapl, bac) = TwoStocks();
        algorithm.Securities[bac].Holdings.SetQuantity(-300m);
        var insight = QuantConnect.Algorithm.Framework.Alphas.Insight.Price(bac, Resolution.Daily, 5, QuantConnect.Algorithm.Framework.Alphas.InsightDirection.Down);
        insight.GeneratedTimeUtc = algorithm.UtcTime.AddDays(-1);
        insight.CloseTimeUtc = algorithm.UtcTime.AddDays(4);
        algorithm.Insights.Add(insight);
        var risk = new RegimeAwareRiskManagementModel(new FixedRegime(0));
        var overrides = risk.ManageRisk(algorithm, [new PortfolioTarget(aapl, 10m)]).ToDictionary(t => t.Symbol, t => t.Quantity);
        Assert.That(overrides, Is.EquivalentTo(new Dictionary<Symbol, decimal> { [aapl] = 0m, [bac] = 0m }));
        Assert.That(insight.IsActive(algorithm.UtcTime), Is.False);
    }

    [Test]
    public void Loop_DrawdownLimit_LiquidatesAndCancelsTheLiquidatedSymbolsInsights()
    {
        var algorithm = PackFixture.NewAlgorithm();
        algorithm.SetAlpha(PackFixture.RidgeAlpha(algorithm));
        algorithm.SetPortfolioConstruction(new AllocationPortfolioConstructionModel(Resolution.Daily, PortfolioBias.LongShort, 1.0, 2.0));
        // A 3 % drawdown limit trips on real data within the period; regime and other limits stay out of the way.
        algorithm.SetRiskManagement(new RegimeAwareRiskManagementModel(new FixedRegime(1), maxDrawdown: 0.03, maxCvar: 1, targetVolatility: 10));
        var steps = new FrameworkLoop(algorithm).Run(PackFixture.LoopStart, PackFixture.LoopEnd, PackFixture.WarmUpBars);

        var liquidations = steps.Where(s => s.RiskTargets.Count > 0).ToList();
        Assert.That(liquidations, Is.Not.Empty, "the 3 % drawdown limit should trip at least once");
        foreach (var step in liquidations)
        {
            var allowed = step.Targets.Select(t => t.Symbol).Concat(step.HoldingsBefore.Where(h => h.Value != 0).Select(h => h.Key)).ToHashSet();
            foreach (var target in step.RiskTargets)
            {
                Assert.That(target.Quantity, Is.EqualTo(0m), $"{step.Date}");
                Assert.That(allowed, Does.Contain(target.Symbol), $"{step.Date}: overrides only what is held or targeted");
                Assert.That(step.ActiveAfterRisk, Does.Not.Contain(target.Symbol), $"{step.Date}: {target.Symbol}'s insights are cancelled");
            }
        }
    }

    /// <summary>64 daily portfolio values with log returns alternating +3 %, −3 % (63 returns: 32 up, 31 down).</summary>
    private static decimal RunAlternatingDays(RegimeAwareRiskManagementModel risk, out List<IPortfolioTarget> last)
    {
        var (algorithm, aapl, _) = TwoStocks();
        var value = 1_000_000.0;
        last = [];
        for (var day = 0; day < 64; day++)
        {
            if (day > 0) value *= Math.Exp(day % 2 == 1 ? 0.03 : -0.03);
            algorithm.Portfolio.CashBalance = (decimal)value;
            var local = new DateTime(2020, 1, 6).AddDays(day) + FrameworkLoop.MarketClose;
            algorithm.FacadeSetTime(local, local + FrameworkLoop.UtcOffset);
            last = risk.ManageRisk(algorithm, day == 63 ? [new PortfolioTarget(aapl, 1000m)] : []).ToList();
        }
        return last.Single().Quantity;
    }

    [Test]
    public void ManageRisk_RealisedVolatilityAboveTarget_ScalesToTheTarget()
    {
        var risk = new RegimeAwareRiskManagementModel(new FixedRegime(1), maxDrawdown: 1, maxCvar: 1, targetVolatility: 0.25, lookbackDays: 63);
        // mean m = 0.03/63; sample variance ((32·(0.03 − m)² + 31·(0.03 + m)²) / 62); σ = √(variance·252) ≈ 0.480;
        // weight = 0.25/σ ≈ 0.5206 → 1000 shares become 520
        var m = 0.03 / 63;
        var sigma = Math.Sqrt((32 * (0.03 - m) * (0.03 - m) + 31 * (0.03 + m) * (0.03 + m)) / 62 * 252);
        Assert.That(RunAlternatingDays(risk, out _), Is.EqualTo(decimal.Truncate(1000m * (decimal)(0.25 / sigma))));
        Assert.That(risk.LastExposure, Is.EqualTo(0.25 / sigma).Within(1e-12));
    }

    [Test]
    public void ManageRisk_CvarAboveCap_ScalesByCapOverCvar()
    {
        var risk = new RegimeAwareRiskManagementModel(new FixedRegime(1), maxDrawdown: 1, maxCvar: 0.02, targetVolatility: 10, lookbackDays: 63);
        // α = 0.05, T = 63: the worst 3.15 days are all −3 %, so CVaR = 0.03 (up to the rounding of exp/log);
        // exposure = 0.02 / 0.03 = 0.667 → 1000 shares become 666
        Assert.That(RunAlternatingDays(risk, out _), Is.EqualTo(666m));
        Assert.That(risk.LastExposure, Is.EqualTo(0.02 / 0.03).Within(1e-9));
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
