using System.Xml.Linq;
using LeanModels.Models.Regime;

namespace LeanModels.Tests.Models.Regime;

public class RegimeChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static DateOnly[] Days(int n) => Enumerable.Range(0, n).Select(i => new DateOnly(2020, 1, 1).AddDays(i)).ToArray();

    [Test]
    public void Render_SmallSeries_IsWellFormedWithOnePointPerBar()
    {
        double[] prices = [100, 110, 90, 95, 120, 130];
        double[] p = [0, 0, 1, 1, 0.5, 0];
        var doc = XDocument.Parse(RegimeChart.Render(Days(6), prices, p, new RegimeChartOptions { Title = "SPY <test> & co" }));
        var points = doc.Descendants(Svg + "polyline").Single().Attribute("points")!.Value.Split(' ');
        Assert.That(points, Has.Length.EqualTo(6));
        Assert.That(doc.Descendants(Svg + "text").First().Value, Is.EqualTo("SPY <test> & co"));
    }

    [Test]
    public void Render_ProbabilityRuns_MergeIntoBands()
    {
        // p = 0,0,1,1,0.5,0 over 6 days: bands are [day 2, day 4) at p = 1 and [day 4, day 5) at p = 0.5, so opacity
        // 0.35 and 0.175 with the default MaxBandOpacity 0.35; zero probability draws nothing: exactly 2 rects.
        var svg = RegimeChart.Render(Days(6), [100, 110, 90, 95, 120, 130], [0, 0, 1, 1, 0.5, 0]);
        var bands = XDocument.Parse(svg).Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "regime-bands").Elements(Svg + "rect").ToList();
        Assert.That(bands, Has.Count.EqualTo(2));
        Assert.That(bands.Select(b => b.Attribute("fill-opacity")!.Value), Is.EqualTo(new[] { "0.350", "0.175" }));
        var w0 = double.Parse(bands[0].Attribute("width")!.Value, System.Globalization.CultureInfo.InvariantCulture);
        var w1 = double.Parse(bands[1].Attribute("width")!.Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(w0, Is.EqualTo(2 * w1).Within(0.02));                  // two days vs one day
    }

    [Test]
    public void Render_HigherPrice_IsHigherOnTheLogAxis()
    {
        // SVG y grows downwards; prices 10, 100, 1000 are equally spaced on a log axis.
        var svg = RegimeChart.Render(Days(3), [10, 100, 1000], [0, 0, 0]);
        var ys = XDocument.Parse(svg).Descendants(Svg + "polyline").Single().Attribute("points")!.Value.Split(' ')
            .Select(p => double.Parse(p.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.That(ys[0], Is.GreaterThan(ys[1]));
        Assert.That(ys[0] - ys[1], Is.EqualTo(ys[1] - ys[2]).Within(0.02));
    }

    [Test]
    public void Render_BadInput_Throws()
    {
        Assert.Throws<ArgumentException>(() => RegimeChart.Render(Days(3), [1.0, 2.0], [0, 0, 0]));
        Assert.That(Assert.Throws<ArgumentException>(() => RegimeChart.Render(Days(3), [1.0, 0.0, 2.0], [0, 0, 0]))!.Message, Does.Contain("prices[1]"));
        Assert.That(Assert.Throws<ArgumentException>(() => RegimeChart.Render(Days(3), [1.0, 2.0, 3.0], [0, 1.5, 0]))!.Message, Does.Contain("[1]"));
        var back = Days(3);
        back[2] = back[0];
        Assert.Throws<ArgumentException>(() => RegimeChart.Render(back, [1.0, 2.0, 3.0], [0, 0, 0]));
    }

    [Test]
    public void Render_SpyWithHmmFilter_ProducesCompactSvg()
    {
        // End-to-end on SPY 1998–2021: adjusted price index from the returns (exp of the cumulative sum, base 100) and
        // the filtered high-vol probability. The chart must parse, hold one point per bar and stay under 400 kB.
        var r = SpyReturns.Returns;
        var y = SpyReturns.Scaled(100);
        var hmm = GaussianHmm.Fit(y, 1, new GaussianHmmOptions { Restarts = 2, Seed = 2021 });
        var filtered = hmm.Filter(y);
        var price = new double[r.Length];
        var p = new double[r.Length];
        var level = 100.0;
        for (var t = 0; t < r.Length; t++) { level *= Math.Exp(r[t]); price[t] = level; p[t] = filtered[2 * t + hmm.HighVolState]; }
        var svg = RegimeChart.Render(SpyReturns.Dates, price, p, new RegimeChartOptions { Title = "SPY 1998–2021: filtered high-volatility regime" });
        var folder = TestPaths.NewTempFolder();
        File.WriteAllText(Path.Combine(folder, "spy_regime.svg"), svg);
        TestContext.Out.WriteLine($"wrote {Path.Combine(folder, "spy_regime.svg")} ({svg.Length} chars)");
        var doc = XDocument.Parse(svg);
        Assert.That(doc.Descendants(Svg + "polyline").Single().Attribute("points")!.Value.Split(' '), Has.Length.EqualTo(r.Length));
        Assert.That(svg.Length, Is.LessThan(400_000));
    }
}
