using LeanModels.Models.Reporting;
using ScottPlot;

namespace LeanModels.Tests.Models.Reporting;

public class ResearchChartsTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = TestPaths.NewTempFolder();

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    // D trading days from 2020-01-01 skipping weekends, and deterministic pseudo-returns around +3 bps a day.
    private static List<DateOnly> Days(int n)
    {
        var days = new List<DateOnly>();
        for (var d = new DateOnly(2020, 1, 1); days.Count < n; d = d.AddDays(1))
            if (d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) days.Add(d);
        return days;
    }

    private static double[] Returns(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => 0.0003 + 0.01 * (random.NextDouble() - 0.5)).ToArray();
    }

    private static int LegendItems(Plot plot) => plot.Legend.GetItems().Count(i => !string.IsNullOrEmpty(i.LabelText));

    [Test]
    public void CumulativeNetReturn_Compounds()
    {
        // 1.1 · 0.9 = 0.99 → −1 %; then · 1.5 = 1.485.
        Assert.That(ResearchCharts.CumulativeNetReturn([0.1, -0.1, 0.5]), Is.EqualTo(new[] { 0.1, -0.01, 0.485 }).Within(1e-15));
    }

    [Test]
    public void DrawdownSeries_IsFromTheRunningPeakStartingAtOne()
    {
        // equity 0.9 (peak 1) → −10 %; 1.08 (new peak) → 0; 0.54 → −50 %; 1.08 → 0.
        Assert.That(ResearchCharts.DrawdownSeries([-0.1, 0.2, -0.5, 1.0]), Is.EqualTo(new[] { -0.1, 0.0, -0.5, 0.0 }).Within(1e-15));
    }

    [Test]
    public void RollingMean_SkipsNaNAndNeedsEnoughFiniteValues()
    {
        // window 3, at least 2 finite: NaN, NaN, mean(1,2,3), mean(2,3), mean(3,5), then {NaN,5,NaN} and {5,NaN,NaN} hold one finite value each.
        double[] x = [1, 2, 3, double.NaN, 5, double.NaN, double.NaN];
        var m = ResearchCharts.RollingMean(x, 3, 2);
        Assert.That(m[..2], Is.All.NaN);
        Assert.That(m[2..5], Is.EqualTo(new[] { 2.0, 2.5, 4.0 }));
        Assert.That(m[5..], Is.All.NaN);
        Assert.Throws<ArgumentOutOfRangeException>(() => ResearchCharts.RollingMean(x, 3, 4));
    }

    [Test]
    public void CumulativeReturn_ThreeBooksAndBenchmark_WritesAPngOfTheAskedSizeWithFourLegendItems()
    {
        var dates = Days(300);
        ChartSeries[] books = [new("a TopK", Returns(300, 1), false, 0), new("a long-short", Returns(300, 2), true, 0), new("b TopK", Returns(300, 3), false, 1)];
        using var plot = ResearchCharts.CumulativeReturn(dates, books, new ChartSeries("benchmark", Returns(300, 4)), "test");
        Assert.That(LegendItems(plot), Is.EqualTo(4));
        Assert.That(plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().Count(), Is.EqualTo(4));
        var path = Path.Combine(_folder, "c.png");
        ResearchCharts.Save(plot, path, ChartFormat.Png, 900, 450);
        Assert.That(PngHeader.Read(path), Is.EqualTo((900, 450)));
        Assert.That(new FileInfo(path).Length, Is.InRange(10_000, 1_000_000), "a chart with text and four lines, not an empty image");
    }

    [Test]
    public void Charts_SameInput_SameBytes()
    {
        var dates = Days(120);
        ChartSeries[] books = [new("a", Returns(120, 1)), new("b", Returns(120, 2))];
        byte[] Render(int i)
        {
            using var plot = ResearchCharts.Drawdown(dates, books, new ChartSeries("benchmark", Returns(120, 3)), "drawdown");
            var path = Path.Combine(_folder, $"d{i}.png");
            ResearchCharts.Save(plot, path);
            return File.ReadAllBytes(path);
        }
        Assert.That(Render(1), Is.EqualTo(Render(2)));
    }

    [Test]
    public void RollingRankIc_OneLegendItemPerModel_GapsWhereTheWindowIsThin()
    {
        var dates = Days(200);
        var ic = Returns(200, 7).Select(v => v * 10).ToArray();
        var withGap = (double[])ic.Clone();
        for (var d = 80; d < 150; d++) withGap[d] = double.NaN;          // 70 missing dates: the 63-day mean breaks
        using var plot = ResearchCharts.RollingRankIc(dates, [new("a", ic), new("b", withGap)], 63, "rank ic");
        Assert.That(LegendItems(plot), Is.EqualTo(2));
        Assert.That(plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().Count(), Is.EqualTo(3), "model b is drawn in two segments");
    }

    [Test]
    public void Save_Svg_WritesAnSvgDocument()
    {
        using var plot = ResearchCharts.CumulativeReturn(Days(30), [new("a", Returns(30, 1))], null, "svg");
        var path = Path.Combine(_folder, "c.svg");
        ResearchCharts.Save(plot, path, ChartFormat.Svg);
        Assert.That(File.ReadAllText(path), Does.Contain("<svg").And.Contain("width=\"1200\""));
    }

    [Test]
    public void BookCharts_BadInput_ThrowNamingSeriesAndIndex()
    {
        var dates = Days(5);
        var nan = new[] { 0.01, 0.0, double.NaN, 0.0, 0.0 };
        Assert.That(Assert.Throws<ArgumentException>(() => ResearchCharts.CumulativeReturn(dates, [new("ridge TopK", nan)], null, "t"))!.Message,
            Does.Contain("ridge TopK").And.Contain("[2]"));
        Assert.That(Assert.Throws<ArgumentException>(() => ResearchCharts.Drawdown(dates, [new("short", new double[4])], null, "t"))!.Message,
            Does.Contain("short").And.Contain("4 values for 5 dates"));
        var back = dates.ToList();
        back[3] = back[1];
        Assert.That(Assert.Throws<ArgumentException>(() => ResearchCharts.CumulativeReturn(back, [new("a", new double[5])], null, "t"))!.Message,
            Does.Contain("dates[3]"));
    }

    [Test]
    public void AttentionHeatmap_FlatAndSquareInputsDrawTheSameImage()
    {
        string[] tickers = ["AAPL", "IBM", "SPY"];
        double[] flat = [0.8, 0.1, 0.1, 0.2, 0.5, 0.3, 0.0, double.NaN, 1.0];   // NaN: a masked pair
        var square = new double[3, 3];
        for (var i = 0; i < 9; i++) square[i / 3, i % 3] = flat[i];
        string Save(Plot plot, string name)
        {
            using (plot) ResearchCharts.Save(plot, Path.Combine(_folder, name), ChartFormat.Png, 500, 450);
            return Path.Combine(_folder, name);
        }
        var a = Save(ResearchCharts.AttentionHeatmap(flat, tickers, "attention"), "a.png");
        var b = Save(ResearchCharts.AttentionHeatmap(square, tickers, "attention"), "b.png");
        Assert.That(PngHeader.Read(a), Is.EqualTo((500, 450)));
        Assert.That(File.ReadAllBytes(a), Is.EqualTo(File.ReadAllBytes(b)));
        using var plot = ResearchCharts.AttentionHeatmap(square, tickers, "attention");
        Assert.That(plot.GetPlottables().OfType<ScottPlot.Plottables.Heatmap>().Single().Intensities[0, 0], Is.EqualTo(0.8));
        plot.GetImage(500, 450).Dispose();                               // manual ticks are generated at render
        var labels = plot.Axes.Left.TickGenerator.Ticks.Where(t => t.IsMajor).OrderByDescending(t => t.Position).Select(t => t.Label);
        Assert.That(labels, Is.EqualTo(tickers), "row 0 at the top");
    }

    [Test]
    public void WriteAttentionHeatmap_60Assets_WritesA900By800PngAndReturnsTheFigure()
    {
        var tickers = Enumerable.Range(0, 60).Select(i => $"T{i:00}").ToArray();
        var w = new double[60 * 60];
        for (var i = 0; i < 60; i++) w[i * 60 + (i + 1) % 60] = 1.0;                // each asset attends to the next one
        var figure = ResearchCharts.WriteAttentionHeatmap(_folder, "attention", w, tickers, "attention 2021-03-31");
        Assert.That(figure, Is.EqualTo(new LeanModels.Models.Research.ReportFigure("attention 2021-03-31", "attention.png")));
        Assert.That(PngHeader.Read(Path.Combine(_folder, "attention.png")), Is.EqualTo((900, 800)));
    }

    [Test]
    public void ValidationCurves_DrawsEachFoldGreyAndTheMeanPerEpoch_AndRefusesNonFinite()
    {
        IReadOnlyList<double>[] curves = [[0.01, 0.02, 0.015], [0.00, -0.01], [], [0.03, 0.01, 0.02, 0.025]];
        using (var plot = ResearchCharts.ValidationCurves(curves, "validation"))
        {
            Assert.That(LegendItems(plot), Is.EqualTo(2), "each fold, mean over folds");
            var lines = plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().ToList();
            Assert.That(lines, Has.Count.EqualTo(4), "three non-empty folds and the mean");
            var mean = lines[^1].Data.GetScatterPoints().Select(p => p.Y).ToArray();
            Assert.That(mean, Is.EqualTo(new[] { (0.01 + 0.00 + 0.03) / 3, (0.02 - 0.01 + 0.01) / 3, (0.015 + 0.02) / 2, 0.025 }).Within(1e-15));
        }
        var figure = ResearchCharts.WriteValidationCurves(_folder, "validation-sf", curves, "sf validation");
        Assert.That(figure.FileName, Is.EqualTo("validation-sf.png"));
        Assert.That(PngHeader.Read(Path.Combine(_folder, "validation-sf.png")), Is.EqualTo((ResearchCharts.DefaultWidth, ResearchCharts.DefaultHeight)));
        Assert.That(Assert.Throws<ArgumentException>(() => ResearchCharts.ValidationCurves([[0.1, double.NaN]], "t"))!.Message, Does.Contain("fold 0, epoch 2"));
    }

    [Test]
    public void AttentionHeatmap_BadShape_Throws()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => ResearchCharts.AttentionHeatmap(new double[8], ["a", "b", "c"], "t"))!.Message,
            Does.Contain("8 values").And.Contain("A² = 9"));
        Assert.That(Assert.Throws<ArgumentException>(() => ResearchCharts.AttentionHeatmap(new double[2, 3], ["a", "b"], "t"))!.Message,
            Does.Contain("[2, 3]"));
        var inf = new double[2, 2];
        inf[1, 0] = double.PositiveInfinity;
        Assert.That(Assert.Throws<ArgumentException>(() => ResearchCharts.AttentionHeatmap(inf, ["aapl", "ibm"], "t"))!.Message,
            Does.Contain("weights[1 (ibm), 0 (aapl)]"));
    }
}
