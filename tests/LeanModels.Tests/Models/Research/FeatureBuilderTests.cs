using LeanModels.Models.Data;
using LeanModels.Models.Research;

namespace LeanModels.Tests.Models.Research;

public class FeatureBuilderTests
{
    [Test]
    public void WilderRsi_FourteenGainsThenALoss_MatchesHand()
    {
        // closes 0..14 rise by 1 each: avgGain = 14/14 = 1, avgLoss = 0 → RSI 100 at j = 14.
        // j = 15 falls by 2: avgGain = (13·1 + 0)/14 = 13/14, avgLoss = (13·0 + 2)/14 = 2/14 → RS = 6.5 → RSI = 100 − 100/7.5 = 86.666…
        var close = Enumerable.Range(0, 15).Select(i => 100.0 + i).Append(112.0).ToArray();
        var rsi = FeatureBuilder.WilderRsi(close, 14);
        Assert.That(double.IsNaN(rsi[13]), "13 changes are not enough");
        Assert.That(rsi[14], Is.EqualTo(100.0));
        Assert.That(rsi[15], Is.EqualTo(100.0 - 100.0 / 7.5).Within(1e-12));
    }

    [Test]
    public void Build_RandomWalk_FeaturesMatchTheirDefinitionsOnOneRow()
    {
        var panel = ResearchTestData.Panel(assets: 3, days: 90, seed: 7);
        var features = FeatureBuilder.Build(panel);
        int A = panel.AssetCount, d = 80, a = 1;
        double C(int day) => panel.Close[day * A + a];
        Assert.That(features.IsValid(d, a));
        var row = features.Row(d, a);
        Assert.That(row[features.IndexOf("logCloseOpen")], Is.EqualTo(Math.Log(C(d) / panel.Open[d * A + a])).Within(1e-12));
        Assert.That(row[features.IndexOf("logReturn1")], Is.EqualTo(Math.Log(C(d) / C(d - 1))).Within(1e-12));
        Assert.That(row[features.IndexOf("logHighLow")], Is.EqualTo(Math.Log(panel.High[d * A + a] / panel.Low[d * A + a])).Within(1e-12));
        Assert.That(row[features.IndexOf("momentum5")], Is.EqualTo(Math.Log(C(d) / C(d - 5))).Within(1e-12));
        Assert.That(row[features.IndexOf("momentum20")], Is.EqualTo(Math.Log(C(d) / C(d - 20))).Within(1e-12));
        Assert.That(row[features.IndexOf("momentum60")], Is.EqualTo(Math.Log(C(d) / C(d - 60))).Within(1e-12));
        var returns = Enumerable.Range(d - 19, 20).Select(i => Math.Log(C(i) / C(i - 1))).ToArray();
        Assert.That(row[features.IndexOf("volatility20")], Is.EqualTo(MathNet.Numerics.Statistics.Statistics.StandardDeviation(returns)).Within(1e-12));
        var ma = Enumerable.Range(d - 19, 20).Average(C);
        Assert.That(row[features.IndexOf("distanceMa20")], Is.EqualTo(Math.Log(C(d) / ma)).Within(1e-12));
        var volumes = Enumerable.Range(d - 19, 20).Select(i => panel.Volume[i * A + a]).ToArray();
        Assert.That(row[features.IndexOf("logVolumeRatio20")], Is.EqualTo(Math.Log((volumes[^1] + 1) / (volumes.Average() + 1))).Within(1e-12));
        // market proxy: mean over the 3 assets of their 1-day log return; correlation with MathNet's Pearson
        var market = Enumerable.Range(d - 19, 20).Select(i => Enumerable.Range(0, A).Average(b => Math.Log(panel.Close[i * A + b] / panel.Close[(i - 1) * A + b]))).ToArray();
        Assert.That(row[features.IndexOf("corrMarket20")], Is.EqualTo(MathNet.Numerics.Statistics.Correlation.Pearson(returns, market)).Within(1e-12));
    }

    [Test]
    public void Build_WarmUp_FirstValidRowIsBarSixty()
    {
        var panel = ResearchTestData.Panel(assets: 2, days: 70, seed: 3);
        var features = FeatureBuilder.Build(panel);
        Assert.That(features.IsValid(FeatureBuilder.WarmUpBars - 1, 0), Is.False);
        Assert.That(features.IsValid(FeatureBuilder.WarmUpBars, 0), Is.True);
    }

    [Test]
    public void Build_AssetListedLate_CountsItsOwnBarsForWarmUp()
    {
        var (tickers, bars) = ResearchTestData.RandomWalk(2, 100, seed: 5);
        bars[1].RemoveRange(0, 30);                                       // asset 1 lists on date index 30
        var features = FeatureBuilder.Build(Panel.FromBars(tickers, bars));
        Assert.That(features.IsValid(30 + FeatureBuilder.WarmUpBars - 1, 1), Is.False);
        Assert.That(features.IsValid(30 + FeatureBuilder.WarmUpBars, 1), Is.True);
        Assert.That(features.IsValid(FeatureBuilder.WarmUpBars, 0), Is.True);
    }

    [Test]
    public void Build_Rsi_IsWilderOverTheRowsOwnWindowOfSixtyChanges()
    {
        var panel = ResearchTestData.Panel(assets: 2, days: 150, seed: 13);
        var features = FeatureBuilder.Build(panel);
        int A = 2, d = 140, a = 0;
        var window = Enumerable.Range(d - 60, 61).Select(i => panel.Close[i * A + a]).ToArray();
        // the allocation-free form must equal the reference recursion run on the same 61 closes
        Assert.That(FeatureBuilder.WilderRsiLast(window, 14), Is.EqualTo(FeatureBuilder.WilderRsi(window, 14)[^1]));
        Assert.That(features.Row(d, a)[features.IndexOf("rsi14")], Is.EqualTo(FeatureBuilder.WilderRsi(window, 14)[^1] / 100));
        var fromStart = Enumerable.Range(0, d + 1).Select(i => panel.Close[i * A + a]).ToArray();
        Assert.That(features.Row(d, a)[features.IndexOf("rsi14")], Is.Not.EqualTo(FeatureBuilder.WilderRsi(fromStart, 14)[^1] / 100),
            "a recursion from the first bar would differ");
    }

    [Test]
    public void Build_WindowOfLastSixtyOneBars_ReproducesFullHistoryFeaturesBitForBit()
    {
        var (tickers, bars) = ResearchTestData.RandomWalk(4, 200, seed: 21);
        var full = FeatureBuilder.Build(Panel.FromBars(tickers, bars));
        var last = 199;
        var window = Panel.FromBars(tickers.Reverse().ToArray(), bars.Reverse().Select(b => (IReadOnlyList<Bar>)b.Skip(200 - 61).ToList()).ToArray());
        var windowed = FeatureBuilder.Build(window);
        for (var a = 0; a < 4; a++)
            Assert.That(windowed.Row(60, 3 - a).ToArray(), Is.EqualTo(full.Row(last, a).ToArray()), $"asset {a}, assets given in reverse order");
    }
}
