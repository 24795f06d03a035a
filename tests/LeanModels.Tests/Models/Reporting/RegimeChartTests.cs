using LeanModels.Models.Regime;
using LeanModels.Models.Reporting;
using LeanModels.Tests.Models.Regime;
using ScottPlot;

namespace LeanModels.Tests.Models.Reporting;

public class RegimeChartTests
{
    private static DateOnly[] Days(int n) => Enumerable.Range(0, n).Select(i => new DateOnly(2020, 1, 1).AddDays(i)).ToArray();

    private static List<ScottPlot.Plottables.HorizontalSpan> Bands(Plot plot) => plot.GetPlottables().OfType<ScottPlot.Plottables.HorizontalSpan>().ToList();

    [Test]
    public void Build_SmallSeries_OnePriceLineWithOnePointPerBarAndTwoLegendItems()
    {
        double[] prices = [100, 110, 90, 95, 120, 130];
        using var plot = RegimeChart.Build(Days(6), prices, [0, 0, 1, 1, 0.5, 0], new RegimeChartOptions { Title = "SPY <test> & co", PriceLabel = "SPY ($)" });
        var line = plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().Single();
        Assert.That(line.Data.GetScatterPoints(), Has.Count.EqualTo(6));
        Assert.That(plot.Legend.GetItems().Select(i => i.LabelText), Is.EqualTo(new[] { "SPY ($)", "Filtered Pr(high-volatility state) ≥ 0.5" }));
    }

    [Test]
    public void Build_ProbabilityRuns_MergeIntoBands()
    {
        // p = 0,0,1,1,0.5,0 over 6 days with 10 steps: bands [day 2, day 4) at p = 1 and [day 4, day 5) at p = 0.5, alpha
        // 0.35 and 0.175 of 255 (the default MaxBandOpacity 0.35); zero probability draws nothing: exactly 2 spans. With the
        // default single step (shade p ≥ 0.5), 1, 1, 0.5 merge into one band [day 2, day 5).
        using var plot = RegimeChart.Build(Days(6), [100, 110, 90, 95, 120, 130], [0, 0, 1, 1, 0.5, 0], new RegimeChartOptions { ProbabilitySteps = 10 });
        var bands = Bands(plot);
        Assert.That(bands, Has.Count.EqualTo(2));
        Assert.That(bands.Select(b => b.FillColor.A), Is.EqualTo(new byte[] { (byte)(0.35 * 255), (byte)(0.175 * 255) }));
        Assert.That(bands[0].X2 - bands[0].X1, Is.EqualTo(2.0), "two days (OLE dates count days)");
        Assert.That(bands[1].X2 - bands[1].X1, Is.EqualTo(1.0));

        using var binary = RegimeChart.Build(Days(6), [100, 110, 90, 95, 120, 130], [0, 0, 1, 1, 0.5, 0]);
        Assert.That(Bands(binary).Select(b => b.X2 - b.X1), Is.EqualTo(new[] { 3.0 }));
    }

    [Test]
    public void Build_PricesOnALogAxis()
    {
        // 10, 100, 1000 are equally spaced on a log axis: the line's y values are log10 of the prices.
        using var plot = RegimeChart.Build(Days(3), [10, 100, 1000], [0, 0, 0]);
        var ys = plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().Single().Data.GetScatterPoints().Select(p => p.Y);
        Assert.That(ys, Is.EqualTo(new[] { 1.0, 2.0, 3.0 }).Within(1e-12));
        plot.GetImage(600, 400).Dispose();                               // manual ticks are generated at render
        Assert.That(plot.Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor).Select(t => t.Label), Does.Contain("100"));
    }

    [Test]
    public void Build_BadInput_Throws()
    {
        Assert.Throws<ArgumentException>(() => RegimeChart.Build(Days(3), [1.0, 2.0], [0, 0, 0]));
        Assert.That(Assert.Throws<ArgumentException>(() => RegimeChart.Build(Days(3), [1.0, 0.0, 2.0], [0, 0, 0]))!.Message, Does.Contain("prices[1]"));
        Assert.That(Assert.Throws<ArgumentException>(() => RegimeChart.Build(Days(3), [1.0, 2.0, 3.0], [0, 1.5, 0]))!.Message, Does.Contain("[1]"));
        var back = Days(3);
        back[2] = back[0];
        Assert.That(Assert.Throws<ArgumentException>(() => RegimeChart.Build(back, [1.0, 2.0, 3.0], [0, 0, 0]))!.Message, Does.Contain("dates[2]"));
        Assert.Throws<ArgumentOutOfRangeException>(() => RegimeChart.Build(Days(3), [1.0, 2.0, 3.0], [0, 0, 0], new RegimeChartOptions { BandColor = "red" }));
    }

    [Test]
    public void Save_SpyWithHmmFilter_WritesAPngOfTheAskedSize()
    {
        // End-to-end on SPY 1998–2021: adjusted price index from the returns (exp of the cumulative sum, base 100) and
        // the filtered high-vol probability.
        var r = SpyReturns.Returns;
        var y = SpyReturns.Scaled(100);
        var hmm = GaussianHmm.Fit(y, 1, new GaussianHmmOptions { Restarts = 2, Seed = 2021 });
        var filtered = hmm.Filter(y);
        var price = new double[r.Length];
        var p = new double[r.Length];
        var level = 100.0;
        for (var t = 0; t < r.Length; t++) { level *= Math.Exp(r[t]); price[t] = level; p[t] = filtered[2 * t + hmm.HighVolState]; }
        var folder = TestPaths.NewTempFolder();
        try
        {
            var path = Path.Combine(folder, "spy_regime.png");
            RegimeChart.Save(path, SpyReturns.Dates, price, p, new RegimeChartOptions { Title = "SPY 1998–2021: filtered high-volatility regime", Width = 1000, Height = 400 });
            Assert.That(PngHeader.Read(path), Is.EqualTo((1000, 400)));
            Assert.That(new FileInfo(path).Length, Is.InRange(20_000, 1_000_000));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}
