using LeanModels.Alpha;
using LeanModels.Models.Forecasting;
using LeanModels.Tests.LeanFacade;
using LeanModels.Tests.Models.Forecasting;
using QuantConnect;
using QuantConnect.Algorithm.Framework.Alphas;

namespace LeanModels.Tests.Alpha;

/// <summary>ForecastAlphaModel through LEAN's framework loop over real daily bars (aapl, aig, bac, ibm, spy, 2012-01 to 2013-06).</summary>
public class ForecastAlphaModelTests
{
    private static (ForecastAlphaModel Alpha, List<FrameworkLoop.Step> Steps) RunRidge(IReadOnlyDictionary<DateOnly, string[]>? removals = null, string model = "ridge")
    {
        var algorithm = PackFixture.NewAlgorithm(artifact: PackFixture.ByName(model));
        var alpha = PackFixture.RidgeAlpha(algorithm);
        algorithm.SetAlpha(alpha);
        var steps = new FrameworkLoop(algorithm).Run(PackFixture.LoopStart, PackFixture.LoopEnd, PackFixture.WarmUpBars, removals);
        Assert.That(algorithm.ErrorMessages, Is.Empty);
        return (alpha, steps);
    }

    [Test]
    public void Name_FromNameofAndArguments()
    {
        var alpha = new ForecastAlphaModel(new ForecasterSlot("leanmodels/ridge.lmfa"), 0.001);
        Assert.That(alpha.Name, Is.EqualTo("ForecastAlphaModel(leanmodels/ridge.lmfa,0.001)"));
    }

    [Test]
    public void Constructor_NegativeMinMagnitude_Throws()
    {
        Assert.That(() => new ForecastAlphaModel(new ForecasterSlot("x"), -0.1), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Loop_WarmUp_EmitsNothing_ThenOneInsightPerSymbolPerBar()
    {
        var (alpha, steps) = RunRidge();
        Assert.That(steps.Count(s => s.WarmingUp), Is.EqualTo(PackFixture.WarmUpBars));
        Assert.That(steps.Where(s => s.WarmingUp).SelectMany(s => s.Insights), Is.Empty);
        var live = steps.Where(s => !s.WarmingUp).ToList();
        Assert.That(live, Has.Count.GreaterThan(250));
        foreach (var step in live)
        {
            var symbols = step.Insights.Select(i => i.Symbol).ToList();
            Assert.That(symbols, Is.Unique, $"{step.Date}: more than one insight for a symbol");
            // Every symbol traded that day gets an insight: ridge forecasts are finite and non-zero on real data.
            Assert.That(symbols, Has.Count.EqualTo(PackFixture.Tickers.Length), $"{step.Date}");
            foreach (var insight in step.Insights)
            {
                Assert.That(insight.SourceModel, Is.EqualTo(alpha.Name));
                Assert.That(insight.Type, Is.EqualTo(InsightType.Price));
                Assert.That(insight.BarCount, Is.EqualTo(PackFixture.Ridge.Model.Horizon));
                Assert.That(Math.Sign(insight.Magnitude!.Value), Is.EqualTo((int)insight.Direction), "magnitude is a signed simple return");
                Assert.That(insight.Confidence, Is.Null, "ridge has no confidence");
            }
        }
    }

    [TestCase("ridge")]
    [TestCase("ridge-regime")]
    [TestCase("momentum20")]
    public void Loop_Predictions_EqualPredictOnFullHistoryPanel_BitForBit(string name)
    {
        var (_, steps) = RunRidge(model: name);
        var live = steps.Where(s => !s.WarmingUp).ToList();
        var model = PackFixture.ByName(name).Model;
        // Every 25th live date, plus the first and the last: `leanmodels predict` on the full history up to that date, fed
        // the full-history panel predict reads: LeanDataFolder computes LEAN's decimals and converts them as the alpha does.
        var sample = live.Where((_, k) => k % 25 == 0).Append(live[^1]).ToList();
        foreach (var step in sample)
        {
            var forecast = model.Predict(PackFixture.PanelUpTo(PackFixture.Tickers, step.Date));
            Assert.That(forecast.Date, Is.EqualTo(step.Date));
            Assert.That(step.Insights, Has.Count.EqualTo(PackFixture.Tickers.Length), $"{step.Date}: one insight per asset to compare");
            foreach (var insight in step.Insights)
            {
                var a = forecast.Tickers.ToList().IndexOf(insight.Symbol.Value.ToLowerInvariant());
                var expected = double.ExpM1(forecast.Mean[a]);
                Assert.That(BitConverter.DoubleToInt64Bits(insight.Magnitude!.Value), Is.EqualTo(BitConverter.DoubleToInt64Bits(expected)),
                    $"{step.Date} {insight.Symbol}: loop {insight.Magnitude:R} vs full history {expected:R}");
            }
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Loop_SequenceModel_KeepsItsDeclaredBars_AndEqualsPredictBitForBit(bool publishAfterConstruction)
    {
        // A 60-day lookback needs 120 bars per asset (60 + the features' 60-bar warm-up). Published after the alpha was
        // built, the alpha first keeps 61 bars and must grow to 120 (refilled from History) before predicting.
        var algorithm = PackFixture.NewAlgorithm();
        var model = new WindowMeanModel(60);
        var slot = new ForecasterSlot("window-mean60", publishAfterConstruction ? null : model);
        var alpha = new ForecastAlphaModel(slot);
        if (publishAfterConstruction) slot.Publish(model);
        algorithm.SetAlpha(alpha);
        var steps = new FrameworkLoop(algorithm).Run(PackFixture.LoopStart, PackFixture.LoopEnd, PackFixture.WarmUpBars);
        Assert.That(algorithm.ErrorMessages, Is.Empty);
        var live = steps.Where(s => !s.WarmingUp).ToList();
        foreach (var step in live.Where((_, k) => k % 40 == 0).Append(live[^1]))
        {
            var forecast = model.Predict(PackFixture.PanelUpTo(PackFixture.Tickers, step.Date));
            Assert.That(step.Insights, Has.Count.EqualTo(PackFixture.Tickers.Length), $"{step.Date}");
            foreach (var insight in step.Insights)
            {
                var a = forecast.Tickers.ToList().IndexOf(insight.Symbol.Value.ToLowerInvariant());
                Assert.That(BitConverter.DoubleToInt64Bits(insight.Magnitude!.Value), Is.EqualTo(BitConverter.DoubleToInt64Bits(double.ExpM1(forecast.Mean[a]))),
                    $"{step.Date} {insight.Symbol}");
                Assert.That(insight.Confidence, Is.EqualTo(forecast.Confidence![a]), $"{step.Date} {insight.Symbol}: confidence = share of available steps");
            }
        }
    }

    [Test]
    public void Loop_RemovedSymbol_ReleasesStateAndCancelsItsInsights()
    {
        var removalDate = new DateOnly(2012, 9, 4);
        var bac = PackFixture.Equity("bac");
        var algorithm = PackFixture.NewAlgorithm();
        var alpha = PackFixture.RidgeAlpha(algorithm);
        algorithm.SetAlpha(alpha);
        var loop = new FrameworkLoop(algorithm);
        var steps = loop.Run(PackFixture.LoopStart, PackFixture.LoopEnd, PackFixture.WarmUpBars, new Dictionary<DateOnly, string[]> { [removalDate] = ["bac"] });

        Assert.That(alpha.TrackedSymbols, Does.Not.Contain(bac));
        Assert.That(alpha.TrackedSymbols, Has.Count.EqualTo(PackFixture.Tickers.Length - 1));
        var before = steps.Where(s => s.Date < removalDate).SelectMany(s => s.Insights).Where(i => i.Symbol == bac).ToList();
        Assert.That(before, Is.Not.Empty);
        Assert.That(steps.Where(s => s.Date >= removalDate).SelectMany(s => s.Insights).Where(i => i.Symbol == bac), Is.Empty);
        var removalUtc = FrameworkLoop.LocalClose(removalDate) + FrameworkLoop.UtcOffset;
        Assert.That(before.Where(i => i.IsActive(removalUtc)), Is.Empty, "BAC's insights are cancelled on removal");
    }

    [Test]
    public void ObjectStore_CorruptedArtifact_IsRefusedAndAlgorithmEmitsNothing()
    {
        var algorithm = PackFixture.NewAlgorithm();
        var bytes = algorithm.ObjectStore.ReadBytes(PackFixture.ArtifactKey);
        bytes[bytes.Length / 2] ^= 0x5A;                                   // flip bits in the middle: checksum mismatch
        algorithm.ObjectStore.SaveBytes(PackFixture.ArtifactKey, bytes);
        var slot = ForecasterSlot.FromObjectStore(algorithm, PackFixture.ArtifactKey);
        Assert.That(slot.Current, Is.Null);
        Assert.That(algorithm.ErrorMessages, Has.Count.EqualTo(1));
        Assert.That(algorithm.ErrorMessages.Single(), Does.Contain("refused the model artifact under ObjectStore key 'leanmodels/ridge.lmfa'")
            .And.Contain("emit no insights"));

        algorithm.SetAlpha(new ForecastAlphaModel(slot));
        var steps = new FrameworkLoop(algorithm).Run(PackFixture.LoopStart, new DateOnly(2012, 6, 29), PackFixture.WarmUpBars);
        Assert.That(steps.Where(s => !s.WarmingUp), Is.Not.Empty);
        Assert.That(steps.SelectMany(s => s.Insights), Is.Empty);
    }

    [Test]
    public void ObjectStore_TruncatedOrMissingArtifact_IsRefused()
    {
        var algorithm = PackFixture.NewAlgorithm();
        var bytes = algorithm.ObjectStore.ReadBytes(PackFixture.ArtifactKey);
        algorithm.ObjectStore.SaveBytes("truncated", bytes[..(bytes.Length - 9)]);
        Assert.That(ForecasterSlot.FromObjectStore(algorithm, "truncated").Current, Is.Null);
        Assert.That(ForecasterSlot.FromObjectStore(algorithm, "absent").Current, Is.Null);
        Assert.That(ForecasterSlot.FromObjectStore(algorithm, PackFixture.ArtifactKey).Current, Is.Not.Null);
        var errors = algorithm.ErrorMessages.ToList();
        Assert.That(errors, Has.Count.EqualTo(2));
        Assert.That(errors[0], Does.Contain("'truncated'"));
        Assert.That(errors[1], Does.Contain("no model artifact under ObjectStore key 'absent'"));
    }
}
