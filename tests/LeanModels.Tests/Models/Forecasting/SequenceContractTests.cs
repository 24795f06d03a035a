using LeanModels.Models.Data;
using LeanModels.Models.Forecasting;
using LeanModels.Models.Research;
using LeanModels.Tests.Models.Research;

using LeanModels.Tests.LeanAlgorithms;

namespace LeanModels.Tests.Models.Forecasting;

/// <summary>The forecaster contract for sequence models: declared window, [A, T, F] + mask input, optional heads.</summary>
public class SequenceContractTests
{
    [Test]
    public void InputWindow_TotalBars_IsWarmUpPlusLookbackOrProxyDaysPlusOne()
    {
        Assert.That(new InputWindow(1, 60).TotalBars, Is.EqualTo(61));               // the baselines
        Assert.That(new InputWindow(60, 60).TotalBars, Is.EqualTo(120));             // a 60-day lookback on the basic features
        Assert.That(new InputWindow(1, 10, 60).TotalBars, Is.EqualTo(61));           // 60 proxy returns need 61 closes
        Assert.Throws<ArgumentOutOfRangeException>(() => new InputWindow(0, 60));
    }

    [TestCase("ridge")]
    [TestCase("momentum20")]
    [TestCase("reversal5")]
    [TestCase("ridge-regime")]
    public void Baselines_DeclareOneDateAnd61Bars(string name)
    {
        var model = ForecasterTraining.Fit(ResearchTestData.Panel(5, 300, 31), ForecasterCatalog.CreateTrainer(name), 5, 150).Model;
        Assert.That(model.Window.LookbackBars, Is.EqualTo(1));
        Assert.That(model.Window.TotalBars, Is.EqualTo(61));
        Assert.That(model.Features.Name, Is.EqualTo("basic"));
    }

    [Test]
    public void FromFeatureSet_WindowHoldsTheLastTDatesWithMaskAndNoFill()
    {
        var panel = Gappy(out var gapDate);
        var features = FeatureBuilder.Build(panel);
        var spec = FeatureSetCatalog.Get("basic").Specification;
        const int T = 10;
        var d = gapDate + 3;
        var w = FeatureWindow.FromFeatureSet(features, spec, panel.Tickers, panel.Dates, d, new InputWindow(T, 60, 5));
        Assert.That(w.Date, Is.EqualTo(panel.Dates[d]));
        Assert.That(w.Values, Has.Length.EqualTo(panel.AssetCount * T * 11));
        for (var a = 0; a < panel.AssetCount; a++)
            for (var t = 0; t < T; t++)
            {
                var date = d - T + 1 + t;
                Assert.That(w.IsAvailable(a, t), Is.EqualTo(features.IsValid(date, a)), $"a={a} t={t}");
                if (w.IsAvailable(a, t)) Assert.That(w.Row(a, t).ToArray(), Is.EqualTo(features.Row(date, a).ToArray()));
                else Assert.That(w.Row(a, t).ToArray().All(double.IsNaN), "masked entries are NaN, never filled");
            }
        Assert.That(w.IsAvailable(1, T - 1 - 3), Is.False, "asset 1 has no bar on the gap date");
        Assert.That(w.MarketProxy, Is.EqualTo(features.MarketProxy[(d - 4)..(d + 1)]));
    }

    [Test]
    public void FromFeatureSet_BeforeTheFirstDate_IsMasked()
    {
        var panel = ResearchTestData.Panel(3, 80, 5);
        var features = FeatureBuilder.Build(panel);
        var w = FeatureWindow.FromFeatureSet(features, FeatureSetCatalog.Get("basic").Specification, panel.Tickers, panel.Dates, 61, new InputWindow(5, 60));
        // dates 57..61: features valid from date 60 only (60 bars of warm-up)
        Assert.That(Enumerable.Range(0, 5).Select(t => w.IsAvailable(0, t)), Is.EqualTo(new[] { false, false, false, true, true }));
    }

    [Test]
    public void SequenceModel_MaskedAssetData_ChangesNoOtherForecast_AndPermutingTickersPermutesForecasts()
    {
        var (tickers, bars) = ResearchTestData.RandomWalk(5, 200, 8);
        var decision = bars[0][^1].Date;
        // asset 2 has no bar on the decision date: it is masked there; change all its bars
        var withGap = bars.Select((b, a) => a == 2 ? b.Take(b.Count - 1).ToList() : b).ToArray();
        var changed = withGap.Select((b, a) => a == 2 ? b.Select(x => x with { Close = x.Close * 1.3, High = x.High * 1.3 }).ToList() : b).ToArray();
        var model = new WindowMeanModel(20);
        var f1 = model.Predict(Panel.FromBars(tickers, withGap));
        var f2 = model.Predict(Panel.FromBars(tickers, changed));
        Assert.That(f1.Date, Is.EqualTo(decision));
        Assert.That(double.IsNaN(f1.Mean[2]) && double.IsNaN(f2.Mean[2]), "masked on the decision date");
        // corrMarket20 of the others reads the market proxy, which asset 2 moves; momentum5 (what the model reads) does not
        Assert.That(f2.Mean, Is.EqualTo(f1.Mean));
        var order = new[] { 4, 2, 0, 3, 1 };
        var permuted = model.Predict(Panel.FromBars(order.Select(i => tickers[i]).ToList(), order.Select(i => withGap[i]).ToList()));
        for (var k = 0; k < order.Length; k++)
            Assert.That(BitConverter.DoubleToInt64Bits(permuted.Mean[k]), Is.EqualTo(BitConverter.DoubleToInt64Bits(f1.Mean[order[k]])));
    }

    [Test]
    public void Predict_WindowOfAnotherShape_IsRefusedWithBothShapes()
    {
        var panel = ResearchTestData.Panel(3, 100, 5);
        var features = FeatureBuilder.Build(panel);
        var ridge = ForecasterTraining.Fit(ResearchTestData.Panel(5, 300, 31), new RidgeTrainer(), 5, 150).Model;
        var w = FeatureWindow.FromFeatureSet(features, FeatureSetCatalog.Get("basic").Specification, panel.Tickers, panel.Dates, 99, new InputWindow(3, 60));
        var e = Assert.Throws<ArgumentException>(() => ridge.Predict(w));
        Assert.That(e!.Message, Does.Contain("[A, T, F] = [3, 3, 11]").And.Contain("reads T = 1"));
    }

    [Test]
    public void ForecastValidate_RefusesOutOfRangeHeadsAndCrossingQuantiles()
    {
        var tickers = new[] { "a", "b" };
        var date = new DateOnly(2020, 1, 2);
        Assert.DoesNotThrow(() => new Forecast(date, tickers, [0.1, double.NaN], null) { Allocation = [1, -1], UpProbability = [0, 1] }.Validate("m"));
        Assert.That(Assert.Throws<InvalidOperationException>(() => new Forecast(date, tickers, [0.1, 0.2], null) { Allocation = [1.5, 0] }.Validate("m"))!.Message,
            Does.Contain("'allocation' gives a on 2020-01-02 the value 1.5, outside [-1, 1]"));
        Assert.That(Assert.Throws<InvalidOperationException>(() => new Forecast(date, tickers, [0.1, 0.2], [0.5, 1.2]).Validate("m"))!.Message,
            Does.Contain("'confidence' gives b"));
        Assert.That(Assert.Throws<InvalidOperationException>(() => new Forecast(date, tickers, [0.1, double.PositiveInfinity], null).Validate("m"))!.Message,
            Does.Contain("'mean' gives b"));
        Assert.That(Assert.Throws<InvalidOperationException>(() => new Forecast(date, tickers, [0, 0], null)
            { Quantile10 = [0, 0.2], Quantile50 = [0.1, 0.1], Quantile90 = [0.2, 0.3] }.Validate("m"))!.Message, Does.Contain("quantiles cross for b"));
        Assert.That(Assert.Throws<InvalidOperationException>(() => new Forecast(date, tickers, [0, 0], null) { UpProbability = [0.5] }.Validate("m"))!.Message,
            Does.Contain("1 values for 2 assets"));
    }

    [Test]
    public void SequenceModel_OnlyTheLastTotalBarsMatter_BitForBit()
    {
        // What the LEAN alpha relies on: a panel of each asset's last TotalBars bars predicts as the full history does.
        var (tickers, bars) = ResearchTestData.RandomWalk(4, 400, 21);
        var model = new WindowMeanModel(60);
        var full = model.Predict(Panel.FromBars(tickers, bars));
        var cut = model.Predict(Panel.FromBars(tickers, bars.Select(b => (IReadOnlyList<Bar>)b.TakeLast(model.Window.TotalBars).ToList()).ToList()));
        Assert.That(cut.Mean, Is.EqualTo(full.Mean));
        var tooShort = model.Predict(Panel.FromBars(tickers, bars.Select(b => (IReadOnlyList<Bar>)b.TakeLast(model.Window.TotalBars - 1).ToList()).ToList()));
        Assert.That(tooShort.Mean, Is.Not.EqualTo(full.Mean), "one bar fewer masks the oldest step and changes the mean");
    }

    /// <summary>5 assets × 150 days; asset 1 misses the bar of one date (index returned).</summary>
    private static Panel Gappy(out int gapDate)
    {
        var (tickers, bars) = ResearchTestData.RandomWalk(5, 150, 3);
        gapDate = 120;
        bars[1].RemoveAt(gapDate);
        return Panel.FromBars(tickers, bars);
    }
}
