using LeanModels.Portfolio;
using LeanModels.Tests.LeanFacade;
using QuantConnect;
using QuantConnect.Algorithm;
using QuantConnect.Algorithm.Framework.Alphas;
using QuantConnect.Algorithm.Framework.Portfolio;

namespace LeanModels.Tests.Portfolio;

public class AllocationPortfolioConstructionModelTests
{
    private const double GrossCap = 0.8;
    private const double TurnoverCap = 0.3;

    [TestCase(PortfolioBias.LongShort)]
    [TestCase(PortfolioBias.Long)]
    [TestCase(PortfolioBias.Short)]
    public void Loop_Targets_RespectGrossCapTurnoverCapAndBias(PortfolioBias bias)
    {
        var algorithm = PackFixture.NewAlgorithm();
        algorithm.SetAlpha(PackFixture.RidgeAlpha(algorithm));
        algorithm.SetPortfolioConstruction(new AllocationPortfolioConstructionModel(Resolution.Daily, bias, GrossCap, TurnoverCap));
        var steps = new FrameworkLoop(algorithm).Run(PackFixture.LoopStart, PackFixture.LoopEnd, PackFixture.WarmUpBars);
        Assert.That(algorithm.RunTimeError, Is.Null);

        var rebalances = 0;
        var maxGross = 0.0;
        var maxTurnover = 0.0;
        foreach (var step in steps.Where(s => !s.WarmingUp && s.Targets.Count > 0))
        {
            rebalances++;
            double gross = 0, turnover = 0, rounding = 0;
            foreach (var target in step.Targets)
            {
                var price = (double)step.Prices[target.Symbol];
                gross += Math.Abs((double)target.Quantity * price) / step.TotalPortfolioValue;
                turnover += Math.Abs((double)(target.Quantity - step.HoldingsBefore[target.Symbol]) * price) / step.TotalPortfolioValue;
                rounding += price / step.TotalPortfolioValue;            // whole shares: at most one share per target
                if (bias == PortfolioBias.Long) Assert.That(target.Quantity, Is.GreaterThanOrEqualTo(0m), $"{step.Date} {target.Symbol}");
                if (bias == PortfolioBias.Short) Assert.That(target.Quantity, Is.LessThanOrEqualTo(0m), $"{step.Date} {target.Symbol}");
            }
            // Shares are rounded toward zero, so the gross cap holds exactly; turnover may round up by a share per symbol.
            Assert.That(gross, Is.LessThanOrEqualTo(GrossCap), $"{step.Date}: Σ|w| = {gross}");
            Assert.That(turnover, Is.LessThanOrEqualTo(TurnoverCap + rounding), $"{step.Date}: turnover = {turnover}");
            maxGross = Math.Max(maxGross, gross);
            maxTurnover = Math.Max(maxTurnover, turnover);
        }
        Assert.That(rebalances, Is.GreaterThan(250), "the model rebalances every day the alpha speaks");
        Assert.That(maxGross, Is.GreaterThan(GrossCap - 0.01), "the book reaches the gross cap");
        Assert.That(maxTurnover, Is.GreaterThan(TurnoverCap - 0.01), "the turnover cap binds (the first rebalance from cash wants 0.8)");
    }

    /// <summary>Another LEAN-style alpha: Up on SPY every bar, without magnitude (like LEAN's EmaCross insights).</summary>
    private sealed class AlwaysUpAlpha : AlphaModel
    {
        public AlwaysUpAlpha() => Name = nameof(AlwaysUpAlpha);

        public override IEnumerable<Insight> Update(QCAlgorithm algorithm, QuantConnect.Data.Slice data) =>
            data.Bars.TryGetValue(PackFixture.Equity("spy"), out _) && !algorithm.IsWarmingUp
                ? [Insight.Price(PackFixture.Equity("spy"), Resolution.Daily, 1, InsightDirection.Up)]
                : [];
    }

    [Test]
    public void Loop_CompositeAlpha_ForecastPlusAnotherAlpha_IsAllocated()
    {
        var algorithm = PackFixture.NewAlgorithm(["aapl", "bac", "ibm", "spy"]);
        var forecast = PackFixture.RidgeAlpha(algorithm);
        algorithm.SetAlpha(new CompositeAlphaModel(forecast, new AlwaysUpAlpha()));
        algorithm.SetPortfolioConstruction(new AllocationPortfolioConstructionModel(Resolution.Daily, PortfolioBias.LongShort, GrossCap, TurnoverCap));
        var steps = new FrameworkLoop(algorithm).Run(PackFixture.LoopStart, new DateOnly(2012, 9, 28), PackFixture.WarmUpBars);
        var live = steps.Where(s => !s.WarmingUp).ToList();
        var sources = live.SelectMany(s => s.Insights).Select(i => i.SourceModel).Distinct().Order().ToList();
        Assert.That(sources, Is.EqualTo(new[] { forecast.Name, nameof(AlwaysUpAlpha) }.Order()));
        Assert.That(live.All(s => s.Insights.Count(i => i.Symbol == PackFixture.Equity("spy")) == 2), Is.True, "SPY: one insight from each alpha");
        Assert.That(algorithm.RunTimeError, Is.Null);
        Assert.That(algorithm.Portfolio.Invested, Is.True);
    }

    private static (QCAlgorithm Algorithm, Symbol Aapl, Symbol Bac) TwoStocks()
    {
        var algorithm = new QCAlgorithm();
        algorithm.SetCash(1_000_000m);
        var aapl = algorithm.AddEquity("aapl", Resolution.Daily).Symbol;
        var bac = algorithm.AddEquity("bac", Resolution.Daily).Symbol;
        algorithm.Securities[aapl].CurrentPrice = 100m;
        algorithm.Securities[bac].CurrentPrice = 20m;
        var now = new DateTime(2020, 1, 6, 21, 0, 0);
        algorithm.FacadeSetTime(now.AddHours(-5), now);
        algorithm.FacadeSetWarmingUp(false);
        return (algorithm, aapl, bac);
    }

    private static Insight Emit(QCAlgorithm algorithm, Insight insight)
    {
        insight.GeneratedTimeUtc = algorithm.UtcTime;
        insight.CloseTimeUtc = algorithm.UtcTime.AddDays(5);
        algorithm.Insights.Add(insight);
        return insight;
    }

    [Test]
    public void CreateTargets_InsightsWithoutMagnitude_FromAnyAlpha_AreEqualWeighted()
    {
        var (algorithm, aapl, bac) = TwoStocks();
        var insights = new[]
        {
            Emit(algorithm, Insight.Price(aapl, Resolution.Daily, 5, InsightDirection.Up)),
            Emit(algorithm, Insight.Price(bac, Resolution.Daily, 5, InsightDirection.Down)),
        };
        var targets = new AllocationPortfolioConstructionModel().CreateTargets(algorithm, insights).ToDictionary(t => t.Symbol, t => t.Quantity);
        // scores +1, −1 → weights +0.5, −0.5 of 1,000,000: 500,000 / 100 = 5000 AAPL; −500,000 / 20 = −25,000 BAC
        Assert.That(targets[aapl], Is.EqualTo(5000m));
        Assert.That(targets[bac], Is.EqualTo(-25000m));
    }

    [Test]
    public void CreateTargets_WeightedInsights_UseTheAllocationScore()
    {
        var (algorithm, aapl, bac) = TwoStocks();
        var insights = new[]
        {
            Emit(algorithm, Insight.Price(aapl, Resolution.Daily, 5, InsightDirection.Up, magnitude: 0.5, weight: 0.2)),
            Emit(algorithm, Insight.Price(bac, Resolution.Daily, 5, InsightDirection.Up, magnitude: 0.01, weight: 0.6)),
        };
        var targets = new AllocationPortfolioConstructionModel().CreateTargets(algorithm, insights).ToDictionary(t => t.Symbol, t => t.Quantity);
        // weights 0.2, 0.6 scaled to gross 1: 0.25, 0.75 → 250,000 / 100 = 2500 AAPL; 750,000 / 20 = 37,500 BAC
        Assert.That(targets[aapl], Is.EqualTo(2500m));
        Assert.That(targets[bac], Is.EqualTo(37500m));
    }

    [Test]
    public void CreateTargets_MagnitudeAndConfidence_ScaleTheScore()
    {
        var (algorithm, aapl, bac) = TwoStocks();
        var insights = new[]
        {
            Emit(algorithm, Insight.Price(aapl, Resolution.Daily, 5, InsightDirection.Up, magnitude: 0.02, confidence: 0.5)),
            Emit(algorithm, Insight.Price(bac, Resolution.Daily, 5, InsightDirection.Down, magnitude: -0.03)),
        };
        var targets = new AllocationPortfolioConstructionModel(Resolution.Daily, PortfolioBias.LongShort, maxGrossExposure: 0.5)
            .CreateTargets(algorithm, insights).ToDictionary(t => t.Symbol, t => t.Quantity);
        // scores +0.02·0.5 = 0.01 and −|−0.03|·1 = −0.03; Σ|s| = 0.04; G = 0.5 → +0.125, −0.375
        // → 125,000 / 100 = 1250 AAPL; −375,000 / 20 = −18,750 BAC
        Assert.That(targets[aapl], Is.EqualTo(1250m));
        Assert.That(targets[bac], Is.EqualTo(-18750m));
    }

    [Test]
    public void CreateTargets_TimeSpanRebalancing_WaitsForTheNextRebalanceTime()
    {
        var (algorithm, aapl, _) = TwoStocks();
        var pcm = new AllocationPortfolioConstructionModel(TimeSpan.FromDays(7)) { RebalanceOnInsightChanges = false, RebalanceOnSecurityChanges = false };
        var insight = Emit(algorithm, Insight.Price(aapl, Resolution.Daily, 30, InsightDirection.Up));
        insight.CloseTimeUtc = algorithm.UtcTime.AddDays(30);
        var start = algorithm.UtcTime;
        var rebalanced = new List<int>();
        for (var day = 0; day <= 14; day++)
        {
            algorithm.FacadeSetTime(start.AddDays(day).AddHours(-5), start.AddDays(day));
            if (pcm.CreateTargets(algorithm, []).Any()) rebalanced.Add(day);
        }
        // first call: the function's first time (start + 7 d) is in the future, so the base model waits for it
        Assert.That(rebalanced, Is.EqualTo(new[] { 7, 14 }));
    }

    [Test]
    public void CreateTargets_NonFiniteMagnitude_SetsRunTimeErrorNamingTheSource()
    {
        var (algorithm, aapl, _) = TwoStocks();
        var insight = Emit(algorithm, Insight.Price(aapl, Resolution.Daily, 5, InsightDirection.Up, magnitude: double.NaN, sourceModel: "broken-alpha"));
        var targets = new AllocationPortfolioConstructionModel().CreateTargets(algorithm, [insight]).ToList();
        Assert.That(targets, Is.Empty);
        Assert.That(algorithm.RunTimeError, Is.Not.Null);
        Assert.That(algorithm.RunTimeError!.Message, Does.Contain("broken-alpha").And.Contain("AAPL"));
    }

    [Test]
    public void Constructor_NonPositiveCaps_Throw()
    {
        Assert.That(() => new AllocationPortfolioConstructionModel(Resolution.Daily, PortfolioBias.Long, 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => new AllocationPortfolioConstructionModel(Resolution.Daily, PortfolioBias.Long, 1, double.NaN), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
