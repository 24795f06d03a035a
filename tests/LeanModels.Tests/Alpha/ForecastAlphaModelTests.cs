using System.Globalization;
using LeanModels.Alpha;
using LeanModels.Models.Forecasting;
using LeanModels.Tests.Lean;

namespace LeanModels.Tests.Alpha;

/// <summary>ForecastAlphaModel in the real LEAN engine: backtests of tests/LeanAlgorithms' AlphaProbe on aapl, aig, bac, ibm, spy
/// over 2012 (../shared/data/lean), read back from LEAN's result files and the probe's records.</summary>
[Category("Lean")]
public class ForecastAlphaModelTests
{
    private const string SourceModel = "ForecastAlphaModel(leanmodels/ridge.lmfa,0)";

    [Test]
    public void Name_FromNameofAndArguments() =>
        Assert.That(new ForecastAlphaModel(new ForecasterSlot("ridge"), 0.001).Name, Is.EqualTo("ForecastAlphaModel(ridge,0.001)"));

    [Test]
    public void Constructor_NegativeMinMagnitude_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ForecastAlphaModel(new ForecasterSlot("ridge"), -0.1));

    [Test]
    public void Backtest_RunsWithoutErrors()
    {
        var run = ProbeRuns.Ridge;
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Errors, Is.Empty, run.ToString());
        Assert.That(run.OrderCount, Is.GreaterThan(100));
    }

    [Test]
    public void WarmUp_EmitsNoInsight()
    {
        var run = ProbeRuns.Ridge;
        var insights = run.Probe("INSIGHT");
        Assert.That(insights, Is.Not.Empty, run.ToString());
        Assert.That(insights.Where(i => i.Fields[1] != "live"), Is.Empty, "an insight while LEAN was warming up");
        var start = DateTime.Parse(ProbeRuns.Start, CultureInfo.InvariantCulture);
        Assert.That(run.Insights.Where(i => i.GeneratedUtc < start), Is.Empty);
    }

    [Test]
    public void EveryNewBar_GivesOneInsightPerSymbol_WithTheAlphasName()
    {
        var run = ProbeRuns.Ridge;
        var insights = run.Probe("INSIGHT");
        var tradingDays = PackData.Bars("spy").Select(b => b.Date)
            .Where(d => d >= DateOnly.Parse(ProbeRuns.Start, CultureInfo.InvariantCulture) && d <= DateOnly.Parse(ProbeRuns.End, CultureInfo.InvariantCulture)).ToList();
        var byDay = insights.GroupBy(i => DateOnly.FromDateTime(i.Time)).ToDictionary(g => g.Key, g => g.Select(i => i.Fields[0]).ToList());
        foreach (var day in tradingDays)
        {
            var expected = PackData.Tickers.Where(t => t != "bac" || day < ProbeRuns.RemovalDate).Order(StringComparer.Ordinal).ToList();
            Assert.That(byDay.TryGetValue(day, out var tickers) ? tickers.Order(StringComparer.Ordinal).ToList() : [], Is.EqualTo(expected), $"{day}");
        }
        Assert.That(byDay.Keys.Except(tradingDays), Is.Empty, "insights on a day without a bar");
        Assert.That(run.Insights.Select(i => i.SourceModel).Distinct(), Is.EqualTo(new[] { SourceModel }));
        Assert.That(insights.Select(i => i.Fields[5]).Distinct(), Is.EqualTo(new[] { SourceModel }));
        Assert.That(run.Insights, Has.Count.EqualTo(insights.Count), "alpha-results.json holds every insight");
    }

    [TestCase("ridge")]
    [TestCase("ridge-regime")]
    [TestCase("momentum20")]
    [TestCase("stockformer-q")]
    [TestCase("lightgbm")]
    [TestCase("twostage-gru")]
    [TestCase("direct-gru")]
    public void Forecasts_InsideLean_EqualPredictOnTheFullHistory_BitForBit(string name)
    {
        var run = name == "ridge" ? ProbeRuns.Ridge : ProbeRuns.Model(name);
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var model = PackData.Model(name).Model;
        var days = run.Probe("INSIGHT").GroupBy(i => DateOnly.FromDateTime(i.Time)).ToList();
        Assert.That(days, Has.Count.GreaterThan(200));
        // Every 20th trading day plus the last: what `leanmodels predict` computes from the full history up to that date.
        foreach (var day in days.Where((_, k) => k % 20 == 0).Append(days[^1]))
        {
            var tickers = day.Select(i => i.Fields[0]).Order(StringComparer.Ordinal).ToList();
            var forecast = model.Predict(PackData.PanelUpTo(tickers, day.Key));
            Assert.That(forecast.Date, Is.EqualTo(day.Key));
            Assert.That(forecast.Mean.Where(double.IsFinite).Distinct().Count(), Is.GreaterThan(1), $"{day.Key}: the forecasts differ across assets");
            foreach (var insight in day)
            {
                var a = forecast.Tickers.ToList().IndexOf(insight.Fields[0]);
                var expected = double.ExpM1(forecast.Mean[a]);
                Assert.That(BitConverter.DoubleToInt64Bits(insight.D(2)), Is.EqualTo(BitConverter.DoubleToInt64Bits(expected)),
                    $"{day.Key} {insight.Fields[0]}: LEAN {insight.Fields[2]} vs predict {expected:R}");
            }
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public void SequenceModel_KeepsItsDeclaredBars_AndEqualsPredictBitForBit(bool publishAfterConstruction)
    {
        // A 60-day lookback needs 120 bars per asset (60 + the features' 60-bar warm-up). Published after the alpha was built,
        // the alpha first keeps 61 bars and must grow to 120 (refilled from History) before predicting.
        var run = ProbeRuns.WindowMean(publishAfterConstruction);
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Errors, Is.Empty, run.ToString());
        var model = new LeanAlgorithms.WindowMeanModel(60);
        var days = run.Probe("INSIGHT").GroupBy(i => DateOnly.FromDateTime(i.Time)).ToList();
        Assert.That(days, Has.Count.GreaterThan(100));
        foreach (var day in days.Where((_, k) => k % 20 == 0).Append(days[^1]))
        {
            Assert.That(day.Count(), Is.EqualTo(PackData.Tickers.Length), $"{day.Key}");
            var forecast = model.Predict(PackData.PanelUpTo(PackData.Tickers, day.Key));
            foreach (var insight in day)
            {
                var a = forecast.Tickers.ToList().IndexOf(insight.Fields[0]);
                Assert.That(BitConverter.DoubleToInt64Bits(insight.D(2)), Is.EqualTo(BitConverter.DoubleToInt64Bits(double.ExpM1(forecast.Mean[a]))),
                    $"{day.Key} {insight.Fields[0]}");
                Assert.That(insight.D(3), Is.EqualTo(forecast.Confidence![a]), $"{day.Key} {insight.Fields[0]}: confidence = share of available steps");
            }
        }
    }

    [Test]
    public void RemovedSymbol_IsReleased_AndItsInsightsCancelled()
    {
        var run = ProbeRuns.Ridge;
        var removed = run.Probe("REMOVED").Single();
        Assert.That(removed.Fields[0], Is.EqualTo("bac"));
        Assert.That(DateOnly.FromDateTime(removed.Time), Is.EqualTo(ProbeRuns.RemovalDate));
        Assert.That(run.Probe("END").Single().Fields[1].Split('|'), Is.EqualTo(new[] { "aapl", "aig", "ibm", "spy" }), "the alpha's tracked symbols after the removal");
        var bac = run.Insights.Where(i => i.Ticker == "bac").ToList();
        Assert.That(bac, Is.Not.Empty);
        var removalUtc = removed.Time.AddHours(5);           // New York summer time → UTC, upper bound
        Assert.That(bac.Where(i => i.GeneratedUtc > removalUtc), Is.Empty, "no BAC insight after its removal");
        Assert.That(bac.Where(i => i.CloseUtc > removalUtc), Is.Empty, "BAC's open insights are cancelled on removal");
    }

    [Test]
    public void CorruptedArtifact_InTheObjectStore_MeansNoInsightAndAClearError()
    {
        var run = ProbeRuns.Corrupted;
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Insights, Is.Empty);
        Assert.That(run.Probe("INSIGHT"), Is.Empty);
        Assert.That(run.Errors.Single(), Does.Contain("refused the model artifact under ObjectStore key 'leanmodels/ridge.lmfa'")
            .And.Contain("checksum").IgnoreCase.And.Contain("emit no insights"));
    }

    [Test]
    public void ArtifactTrainedOnTheBacktestsPeriod_IsRefused_UnlessExplicitlyAllowed()
    {
        var refused = ProbeRuns.Overlapping(allow: false);
        Assert.That(refused.ExitCode, Is.Zero, refused.ToString());
        Assert.That(refused.Insights, Is.Empty);
        Assert.That(refused.Errors.Single(), Does.Contain("look-ahead").And.Contain("backtest starts 2011-06-01"));

        var allowed = ProbeRuns.Overlapping(allow: true);
        Assert.That(allowed.Insights, Is.Not.Empty);
        Assert.That(allowed.Errors, Is.Empty);
        Assert.That(allowed.Log, Does.Contain("WARNING: LOOK-AHEAD ALLOWED"));
    }

    [Test]
    public void HourlySubscription_IsRefusedClearly_TheDailyOnesStillGetInsights()
    {
        var run = ProbeRuns.HourlySubscription;
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Errors.Single(), Does.Contain("SPY is subscribed at Hour TradeBar").And.Contain("needs daily trade bars"));
        var insights = run.Probe("INSIGHT");
        Assert.That(insights.Select(i => i.Fields[0]).Distinct().Order(), Is.EqualTo(new[] { "aapl", "aig", "bac", "ibm" }));
    }

    /// <summary>The last date a model trained up to <paramref name="lastTrainingDate"/> has seen, by LEAN's calendar: its label
    /// log(O[t+1+H] / O[t+1]) ends on the (H + 1)-th US-equity trading day after it (LEAN's market-hours database).</summary>
    private static DateOnly LabelEnd(DateOnly lastTrainingDate, int horizon)
    {
        var hours = QuantConnect.Securities.MarketHoursDatabase.FromDataFolder()
            .GetExchangeHours(QuantConnect.Market.USA, null, QuantConnect.SecurityType.Equity);
        var date = lastTrainingDate.ToDateTime(TimeOnly.MinValue);
        for (var k = 0; k < horizon + 1; k++)
        {
            do date = date.AddDays(1);
            while (!hours.IsDateOpen(date));
        }
        return DateOnly.FromDateTime(date);
    }

    [Test]
    public void LabelEnd_IsTheHPlusFirstTradingDayAfterTraining()
    {
        QuantConnect.Configuration.Config.Set("data-folder", TestPaths.LeanData);   // LEAN's market-hours database
        // 2011-11-30 (Wed) + 6 trading days with H = 5: Dec 1, 2, 5, 6, 7, 8.
        Assert.That(LabelEnd(new DateOnly(2011, 11, 30), 5), Is.EqualTo(new DateOnly(2011, 12, 8)));
        // Over Thanksgiving (2011-11-24) and a weekend: 2011-11-22 + 3 trading days = 23, 25, 28.
        Assert.That(LabelEnd(new DateOnly(2011, 11, 22), 2), Is.EqualTo(new DateOnly(2011, 11, 28)));
        // The date an artifact records (from the data's own calendar) is the one LEAN's calendar gives.
        var training = PackData.Model("ridge").Training;
        Assert.That(training.LastLabelDate, Is.EqualTo(LabelEnd(training.To, 5)));
    }
}
