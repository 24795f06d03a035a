using System.Globalization;
using LeanModels.Models.Research;
using ScottPlot;
using static LeanModels.Models.Reporting.ChartStyle;

namespace LeanModels.Models.Reporting;

/// <summary>
/// Charts of a research run, drawn with ScottPlot 5 (https://scottplot.net): cumulative net return and drawdown of each
/// book against the equal-weight benchmark, the rolling 63-day Rank IC of each model, and an asset × asset attention
/// heatmap. Each builder returns a ScottPlot <see cref="Plot"/> (one legend item per series, so
/// <c>plot.Legend.GetItems().Length</c> is the series count) that <see cref="Save"/> writes as PNG or SVG.
/// </summary>
/// <remarks>
/// Dates on the x axis are decision dates: a book's value at date d includes the return of the position decided after
/// the close of d (held from the open of d+1 to the open of d+2, see <see cref="Research.Metrics.PortfolioAnalysis"/>).
/// Output bytes are identical for the same input, size and fonts (ScottPlot draws with SkiaSharp, which is deterministic
/// on one machine; a machine with other fonts draws other glyphs). Text uses the first installed of DejaVu Sans,
/// Liberation Sans, Arial and Helvetica, else ScottPlot's own choice; a machine with no font at all draws no text.
/// </remarks>
public static class ResearchCharts
{
    /// <summary>Default image width, px.</summary>
    public const int DefaultWidth = 1200;

    /// <summary>Default image height, px.</summary>
    public const int DefaultHeight = 600;

    /// <summary>Window of the rolling Rank IC, in trading days (one quarter).</summary>
    public const int RankIcWindow = 63;

    /// <summary>Tickers labelled on each heatmap axis at most; with more assets every k-th ticker is labelled.</summary>
    public const int MaxHeatmapLabels = 40;

    /// <summary>Cumulative net return of each book, compounded: 100 · (Π_{s≤d} (1 + r_s) − 1) %. When the growth of $1
    /// spans a factor of 4 or more over the books (e.g. +300 %, or −75 % and +0 %; typical of a decade of data), the y axis
    /// is the log of the growth of $1, still labelled in cumulative return %; otherwise it is linear in %.</summary>
    /// <param name="dates">[D] decision dates, strictly increasing.</param>
    /// <param name="books">Books; each <see cref="ChartSeries.Values"/> is [D] net simple returns per period (fractions), finite.</param>
    /// <param name="benchmark">Equal-weight benchmark's [D] net returns, drawn in black; null for none.</param>
    /// <param name="title">Chart title.</param>
    /// <returns>The plot; one legend item per book plus one for the benchmark.</returns>
    /// <exception cref="ArgumentException">A series is not D long or holds a non-finite return, or the dates are not increasing (the message names the series and index).</exception>
    public static Plot CumulativeReturn(IReadOnlyList<DateOnly> dates, IReadOnlyList<ChartSeries> books, ChartSeries? benchmark, string title)
        => BookChart(dates, books, benchmark, title, "Cumulative net return (%)", r => CumulativeNetReturn(r), logWhenWide: true);

    /// <summary>Drawdown of each book from its running peak: 100 · (equity_d / max_{s≤d} equity_s − 1) %, ≤ 0, equity
    /// starting at 1 before the first date (so its minimum is −<see cref="Research.Metrics.PortfolioReport.MaxDrawdown"/>).</summary>
    /// <param name="dates">[D] decision dates, strictly increasing.</param>
    /// <param name="books">Books; each <see cref="ChartSeries.Values"/> is [D] net simple returns per period (fractions), finite.</param>
    /// <param name="benchmark">Equal-weight benchmark's [D] net returns, drawn in black; null for none.</param>
    /// <param name="title">Chart title.</param>
    /// <returns>The plot; one legend item per book plus one for the benchmark.</returns>
    /// <exception cref="ArgumentException">A series is not D long or holds a non-finite return, or the dates are not increasing.</exception>
    public static Plot Drawdown(IReadOnlyList<DateOnly> dates, IReadOnlyList<ChartSeries> books, ChartSeries? benchmark, string title)
        => BookChart(dates, books, benchmark, title, "Drawdown from running peak (%)", r => DrawdownSeries(r));

    /// <summary>Rolling mean of each model's daily Rank IC over <paramref name="window"/> dates (<see cref="RollingMean"/>),
    /// with a zero line. Dates without a full enough window are gaps.</summary>
    /// <param name="dates">[D] decision dates, strictly increasing.</param>
    /// <param name="models">Per model, [D] daily Rank IC (Spearman correlation of forecast and label across assets; NaN on dates without one).</param>
    /// <param name="window">Window in dates, ≥ 2; <see cref="RankIcWindow"/> in reports.</param>
    /// <param name="title">Chart title.</param>
    /// <returns>The plot; one legend item per model with at least one finite rolling value.</returns>
    /// <exception cref="ArgumentException">A series is not D long, a value is ±∞, or the dates are not increasing.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="window"/> &lt; 2.</exception>
    public static Plot RollingRankIc(IReadOnlyList<DateOnly> dates, IReadOnlyList<ChartSeries> models, int window, string title)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 2);
        var x = DateCoordinates(dates, nameof(RollingRankIc));
        var plot = NewPlot(title, "Decision date", $"Rank IC, {window}-day rolling mean", dateAxis: true);
        plot.Add.HorizontalLine(0, 1, Colors.Gray, LinePattern.Solid);
        for (var i = 0; i < models.Count; i++)
        {
            var m = models[i];
            Check(m, dates.Count, allowNaN: true, nameof(RollingRankIc));
            AddLine(plot, x, RollingMean(m.Values, window, window / 2 + 1), m.Label, Palette(m.ColorIndex >= 0 ? m.ColorIndex : i), 1.5f, m.Dashed);
        }
        return Finish(plot);
    }

    /// <summary>Heatmap of an asset × asset attention matrix (e.g. the Stockformer's cross-ticker attention for one date,
    /// averaged over heads): row i = query asset (the one attending), column j = key asset (attended to), colour = weight.
    /// Row 0 is drawn at the top, column 0 at the left; ticker labels on both axes.</summary>
    /// <param name="weights">[A, A] attention weights (each row typically sums to 1), finite; NaN marks a masked pair and is drawn grey.</param>
    /// <param name="tickers">[A] tickers in row/column order.</param>
    /// <param name="title">Chart title (say the date, layer and head averaging).</param>
    /// <returns>The plot (one heatmap, one colour bar).</returns>
    /// <exception cref="ArgumentException">The matrix is not square, A = 0, tickers.Count ≠ A, or a weight is ±∞.</exception>
    public static Plot AttentionHeatmap(double[,] weights, IReadOnlyList<string> tickers, string title)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(tickers);
        int rows = weights.GetLength(0), cols = weights.GetLength(1);
        if (rows != cols || rows == 0 || tickers.Count != rows)
            throw new ArgumentException($"AttentionHeatmap: weights are [{rows}, {cols}] and there are {tickers.Count} tickers; expected [A, A] with A = tickers ≥ 1.", nameof(weights));
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < cols; j++)
                if (double.IsInfinity(weights[i, j]))
                    throw new ArgumentException($"AttentionHeatmap: weights[{i} ({tickers[i]}), {j} ({tickers[j]})] is {weights[i, j]}.", nameof(weights));
        var a = rows;
        var plot = NewPlot(title, "Key asset (attended to)", "Query asset (attending)", dateAxis: false);
        var heatmap = plot.Add.Heatmap(weights);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.NaNCellColor = Colors.LightGray;
        heatmap.Extent = new CoordinateRect(-0.5, a - 0.5, -0.5, a - 0.5);
        var colorBar = plot.Add.ColorBar(heatmap);
        colorBar.Label = "Attention weight";
        colorBar.MinimumSize = 110;                                  // room for the tick labels and the rotated label
        var step = (a + MaxHeatmapLabels - 1) / MaxHeatmapLabels;
        var xTicks = new ScottPlot.TickGenerators.NumericManual();
        var yTicks = new ScottPlot.TickGenerators.NumericManual();
        for (var i = 0; i < a; i += step)
        {
            xTicks.AddMajor(i, tickers[i]);
            yTicks.AddMajor(a - 1 - i, tickers[i]);                  // row 0 at the top
        }
        plot.Axes.Bottom.TickGenerator = xTicks;
        plot.Axes.Left.TickGenerator = yTicks;
        if (a > 12)                                                  // vertical labels; ScottPlot does not size the axis for them
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = -90;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            plot.Axes.Bottom.MinimumSize = 8f * tickers.Max(t => t.Length) + 40f;
        }
        plot.Axes.SetLimits(-0.5, a - 0.5, -0.5, a - 0.5);
        plot.Grid.IsVisible = false;
        if (SansFont is not null) plot.Font.Set(SansFont);
        return plot;
    }

    /// <summary>Heatmap of a row-major [A·A] attention matrix; see <see cref="AttentionHeatmap(double[,], IReadOnlyList{string}, string)"/>.</summary>
    /// <param name="weights">[A · A] weights, row-major: element i·A + j is query asset i attending to key asset j.</param>
    /// <param name="tickers">[A] tickers.</param>
    /// <param name="title">Chart title.</param>
    /// <returns>The plot.</returns>
    /// <exception cref="ArgumentException">weights.Length ≠ A², A = 0, or a weight is ±∞.</exception>
    public static Plot AttentionHeatmap(ReadOnlySpan<double> weights, IReadOnlyList<string> tickers, string title)
    {
        ArgumentNullException.ThrowIfNull(tickers);
        var a = tickers.Count;
        if (a == 0 || weights.Length != a * a)
            throw new ArgumentException($"AttentionHeatmap: weights hold {weights.Length} values and there are {a} tickers; expected A² = {a * a} with A ≥ 1.", nameof(weights));
        var matrix = new double[a, a];
        for (var i = 0; i < a; i++)
            for (var j = 0; j < a; j++) matrix[i, j] = weights[i * a + j];
        return AttentionHeatmap(matrix, tickers, title);
    }

    /// <summary>Validation curves of a deep model's walk-forward: per fold (thin grey lines, one legend item "each fold") the
    /// validation Rank IC after each epoch, and in black the mean over the folds that reached that epoch, with a zero line.
    /// The x axis is the epoch, 1-based.</summary>
    /// <param name="curves">Per fold, the validation Rank IC after each epoch (<see cref="Stockformer.StockformerFitReport.ValidationCurve"/>); empty
    /// curves are skipped; values finite.</param>
    /// <param name="title">Chart title.</param>
    /// <returns>The plot; two legend items (each fold, mean over folds), none when every curve is empty.</returns>
    /// <exception cref="ArgumentException">A value is not finite (the message gives the fold and epoch).</exception>
    public static Plot ValidationCurves(IReadOnlyList<IReadOnlyList<double>> curves, string title)
    {
        ArgumentNullException.ThrowIfNull(curves);
        var plot = NewPlot(title, "Epoch", "Validation Rank IC (raw label)", dateAxis: false);
        plot.Add.HorizontalLine(0, 1, Colors.Gray, LinePattern.Solid);
        var longest = curves.Count == 0 ? 0 : curves.Max(c => c.Count);
        var sum = new double[longest];
        var count = new int[longest];
        var labelled = false;
        for (var f = 0; f < curves.Count; f++)
        {
            var c = curves[f];
            if (c.Count == 0) continue;
            for (var e = 0; e < c.Count; e++)
            {
                if (!double.IsFinite(c[e])) throw new ArgumentException($"ValidationCurves: fold {f}, epoch {e + 1} is {c[e]}.", nameof(curves));
                sum[e] += c[e];
                count[e]++;
            }
            AddLine(plot, Enumerable.Range(1, c.Count).Select(e => (double)e).ToArray(), c.ToArray(), labelled ? "" : "each fold",
                Colors.Gray.WithAlpha(0.45), 1f, false);
            labelled = true;
        }
        if (labelled)
            AddLine(plot, Enumerable.Range(1, longest).Select(e => (double)e).ToArray(),
                Enumerable.Range(0, longest).Select(e => count[e] > 0 ? sum[e] / count[e] : double.NaN).ToArray(), "mean over folds", Colors.Black, 2.5f, false);
        return Finish(plot);
    }

    /// <summary>Draws <see cref="ValidationCurves"/> into <c>folder/fileStem.png</c> (or .svg) at the default size.</summary>
    /// <param name="folder">Destination folder.</param>
    /// <param name="fileStem">File name without extension.</param>
    /// <param name="curves">Per fold, the validation Rank IC per epoch.</param>
    /// <param name="title">Title and caption.</param>
    /// <param name="format">PNG or SVG.</param>
    /// <returns>The figure written.</returns>
    /// <exception cref="ArgumentException">A value is not finite.</exception>
    public static ReportFigure WriteValidationCurves(string folder, string fileStem, IReadOnlyList<IReadOnlyList<double>> curves, string title,
        ChartFormat format = ChartFormat.Png)
    {
        var file = fileStem + (format == ChartFormat.Svg ? ".svg" : ".png");
        using (var plot = ValidationCurves(curves, title)) Save(plot, Path.Combine(folder, file), format);
        return new ReportFigure(title, file);
    }

    /// <summary>Draws <see cref="AttentionHeatmap(ReadOnlySpan{double}, IReadOnlyList{string}, string)"/> into
    /// <c>folder/fileStem.png</c> (or .svg), 900 × 800 px, and returns the figure for a report (e.g. from the
    /// <c>writeFigures</c> callback of <see cref="ResearchReportWriter.Write"/>).</summary>
    /// <param name="folder">Destination folder (created if needed).</param>
    /// <param name="fileStem">File name without extension, e.g. <c>attention-2021-03-31</c>.</param>
    /// <param name="weights">[A · A] weights, row-major: element i·A + j is query asset i attending to key asset j; NaN = masked pair.</param>
    /// <param name="tickers">[A] tickers.</param>
    /// <param name="title">Chart title and figure caption (say the date, layer and head averaging).</param>
    /// <param name="format">PNG (default) or SVG.</param>
    /// <returns>The figure written.</returns>
    /// <exception cref="ArgumentException">weights.Length ≠ A², A = 0, or a weight is ±∞.</exception>
    public static ReportFigure WriteAttentionHeatmap(string folder, string fileStem, ReadOnlySpan<double> weights, IReadOnlyList<string> tickers,
        string title, ChartFormat format = ChartFormat.Png)
    {
        var file = fileStem + (format == ChartFormat.Svg ? ".svg" : ".png");
        using (var plot = AttentionHeatmap(weights, tickers, title)) Save(plot, Path.Combine(folder, file), format, 900, 800);
        return new ReportFigure(title, file);
    }


    /// <param name="plot">The plot.</param>
    /// <param name="path">File path; its extension is not checked.</param>
    /// <param name="format">PNG (default) or SVG.</param>
    /// <param name="width">Width, px, ≥ 100.</param>
    /// <param name="height">Height, px, ≥ 100.</param>
    /// <exception cref="ArgumentOutOfRangeException">width or height &lt; 100.</exception>
    /// <exception cref="IOException">The file could not be written.</exception>
    public static void Save(Plot plot, string path, ChartFormat format = ChartFormat.Png, int width = DefaultWidth, int height = DefaultHeight)
    {
        ArgumentNullException.ThrowIfNull(plot);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 100);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 100);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        if (format == ChartFormat.Svg) plot.SaveSvg(path, width, height);
        else plot.SavePng(path, width, height);
    }

    /// <summary>
    /// Writes a research run's charts into <paramref name="folder"/>: <c>cumulative</c> (each model's TopK book solid and
    /// long-short book dashed, in the model's colour, any extra book, and the equal-weight benchmark in black),
    /// <c>drawdown</c> (the same books) and <c>rolling-rank-ic</c> (each model's <see cref="RankIcWindow"/>-day Rank IC),
    /// with the extension of <paramref name="format"/>.
    /// </summary>
    /// <param name="folder">Destination folder (created if needed).</param>
    /// <param name="result">The run's metrics; its books' daily net returns and models' daily Rank IC are drawn.</param>
    /// <param name="dates">[D] the run's decision dates, D = <see cref="ResearchResult.EvaluatedDates"/>.</param>
    /// <param name="format">PNG (default) or SVG.</param>
    /// <param name="extraBooks">Further books with [D] net returns (e.g. an allocation head's book); null for none.</param>
    /// <returns>The figures written, in report order, for <see cref="ResearchReportWriter"/>.</returns>
    /// <exception cref="ArgumentException">dates.Count ≠ D, or a book's series is not D long or not finite.</exception>
    public static IReadOnlyList<ReportFigure> WriteResearchCharts(string folder, ResearchResult result, IReadOnlyList<DateOnly> dates,
        ChartFormat format = ChartFormat.Png, IReadOnlyList<ChartSeries>? extraBooks = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(dates);
        if (dates.Count != result.EvaluatedDates)
            throw new ArgumentException($"WriteResearchCharts: {dates.Count} dates for a run of {result.EvaluatedDates} evaluated dates.", nameof(dates));
        var books = new List<ChartSeries>();
        for (var i = 0; i < result.Models.Count; i++)
        {
            var m = result.Models[i];
            books.Add(new ChartSeries($"{m.Model} TopK {result.TopK}", m.TopK.NetReturn, false, i));
            books.Add(new ChartSeries($"{m.Model} long-short", m.LongShort.NetReturn, true, i));
        }
        if (extraBooks is not null) books.AddRange(extraBooks);
        var benchmark = new ChartSeries("equal-weight benchmark", result.Benchmark.NetReturn);
        var models = result.Models.Select((m, i) => new ChartSeries(
            string.Create(CultureInfo.InvariantCulture, $"{m.Model} (mean {m.Signal.RankIC:0.0000})"), m.Signal.DailyRankIC, false, i)).ToList();
        var span = $"{result.EvaluatedFrom:yyyy-MM-dd}..{result.EvaluatedTo:yyyy-MM-dd}";
        var cost = result.Options.CostBps.ToString(CultureInfo.InvariantCulture);
        var ext = format == ChartFormat.Svg ? ".svg" : ".png";
        var figures = new List<ReportFigure>();
        void Write(Plot plot, string name, string caption)
        {
            using (plot) Save(plot, Path.Combine(folder, name + ext), format);
            figures.Add(new ReportFigure(caption, name + ext));
        }
        Write(CumulativeReturn(dates, books, benchmark, $"Cumulative net return, {span}, {cost} bps per side"), "cumulative",
            "Cumulative net return of each book against the equal-weight benchmark");
        Write(Drawdown(dates, books, benchmark, $"Drawdown of each book from its running peak, {span}"), "drawdown",
            "Drawdown of each book");
        Write(RollingRankIc(dates, models, RankIcWindow, $"Rolling {RankIcWindow}-day Rank IC, H = {result.Options.Horizon}, {span}"), "rolling-rank-ic",
            $"Rolling {RankIcWindow}-day Rank IC of each model");
        return figures;
    }

    /// <summary>Compounded cumulative return after each period: out[d] = Π_{s≤d} (1 + r_s) − 1.</summary>
    /// <param name="returns">[D] simple returns per period (fractions).</param>
    /// <returns>[D] cumulative returns (fractions).</returns>
    public static double[] CumulativeNetReturn(ReadOnlySpan<double> returns)
    {
        var output = new double[returns.Length];
        var equity = 1.0;
        for (var d = 0; d < returns.Length; d++) { equity *= 1.0 + returns[d]; output[d] = equity - 1.0; }
        return output;
    }

    /// <summary>Drawdown after each period: out[d] = equity_d / max(1, max_{s≤d} equity_s) − 1 (≤ 0), equity_d = Π_{s≤d} (1 + r_s).</summary>
    /// <param name="returns">[D] simple returns per period (fractions).</param>
    /// <returns>[D] drawdowns (fractions, ≤ 0).</returns>
    public static double[] DrawdownSeries(ReadOnlySpan<double> returns)
    {
        var output = new double[returns.Length];
        double equity = 1.0, peak = 1.0;
        for (var d = 0; d < returns.Length; d++)
        {
            equity *= 1.0 + returns[d];
            peak = Math.Max(peak, equity);
            output[d] = equity / peak - 1.0;
        }
        return output;
    }

    /// <summary>Trailing mean over the finite values among the last <paramref name="window"/> entries (d − window + 1 .. d);
    /// NaN while d &lt; window − 1 or when fewer than <paramref name="minCount"/> of them are finite.</summary>
    /// <param name="values">[D] values; NaN = missing.</param>
    /// <param name="window">Window length, ≥ 1.</param>
    /// <param name="minCount">Finite values needed in a window, 1 ≤ minCount ≤ window.</param>
    /// <returns>[D] rolling means.</returns>
    /// <exception cref="ArgumentOutOfRangeException">window &lt; 1 or minCount outside [1, window].</exception>
    public static double[] RollingMean(ReadOnlySpan<double> values, int window, int minCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(minCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minCount, window);
        var output = new double[values.Length];
        for (var d = 0; d < values.Length; d++)
        {
            output[d] = double.NaN;
            if (d < window - 1) continue;
            double sum = 0;
            var count = 0;
            for (var s = d - window + 1; s <= d; s++)
                if (double.IsFinite(values[s])) { sum += values[s]; count++; }
            if (count >= minCount) output[d] = sum / count;
        }
        return output;
    }

    private static Plot BookChart(IReadOnlyList<DateOnly> dates, IReadOnlyList<ChartSeries> books, ChartSeries? benchmark, string title,
        string yLabel, Func<double[], double[]> transform, bool logWhenWide = false)
    {
        ArgumentNullException.ThrowIfNull(books);
        var x = DateCoordinates(dates, title);
        var lines = new List<(ChartSeries Series, double[] Y, Color Color, float Width)>();
        for (var i = 0; i < books.Count; i++)
        {
            Check(books[i], dates.Count, allowNaN: false, title);
            lines.Add((books[i], transform(books[i].Values), Palette(books[i].ColorIndex >= 0 ? books[i].ColorIndex : i), 1.5f));
        }
        if (benchmark is not null)
        {
            Check(benchmark, dates.Count, allowNaN: false, title);
            lines.Add((benchmark, transform(benchmark.Values), Colors.Black, 2.5f));
        }
        // Cumulative returns spanning a wide range (a 16-year run) read better on a log scale of the growth of $1, where
        // equal percentage moves have equal heights; the ticks are still labelled as cumulative return in %.
        double lo = 1, hi = 1;
        foreach (var line in lines)
            foreach (var v in line.Y) { lo = Math.Min(lo, 1 + v); hi = Math.Max(hi, 1 + v); }
        var logTicks = logWhenWide && lo > 0 ? LogTicks(lo, hi, minRatio: 4) : null;
        var plot = NewPlot(title, "Decision date", logTicks is null ? yLabel : yLabel + ", log scale", dateAxis: true);
        plot.Add.HorizontalLine(0, 1, Colors.Gray, LinePattern.Solid);
        foreach (var (series, y, color, width) in lines)
        {
            for (var d = 0; d < y.Length; d++) y[d] = logTicks is null ? 100.0 * y[d] : Math.Log10(1 + y[d]);
            AddLine(plot, x, y, series.Label, color, width, series.Dashed);
        }
        if (logTicks is not null)
            plot.Axes.Left.TickGenerator = LogAxis(logTicks, growth =>
            {
                var percent = 100.0 * (growth - 1);
                return Math.Abs(percent) < 1e-9 ? "0%" : (percent > 0 ? "+" : "−") + Math.Abs(percent).ToString("0.##", CultureInfo.InvariantCulture) + "%";
            });
        return Finish(plot);
    }

    // Adds the finite runs of y as line segments; only the first carries the legend text, so one series = one legend item
    // (a series without a finite point, e.g. a model with fewer dates than the window, draws nothing and has no item).
    private static void AddLine(Plot plot, double[] x, double[] y, string label, Color color, float width, bool dashed)
    {
        var labelled = false;
        var start = 0;
        while (start < y.Length)
        {
            while (start < y.Length && !double.IsFinite(y[start])) start++;
            var end = start;
            while (end < y.Length && double.IsFinite(y[end])) end++;
            if (end > start)
            {
                var line = plot.Add.ScatterLine(x[start..end], y[start..end], color);
                line.LineWidth = width;
                line.LinePattern = dashed ? LinePattern.Dashed : LinePattern.Solid;
                if (!labelled) { line.LegendText = label; labelled = true; }
            }
            start = end;
        }
    }

    private static void Check(ChartSeries series, int dates, bool allowNaN, string caller)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (series.Values.Length != dates)
            throw new ArgumentException($"{caller}: series '{series.Label}' has {series.Values.Length} values for {dates} dates.", nameof(series));
        for (var d = 0; d < dates; d++)
        {
            var v = series.Values[d];
            if (double.IsInfinity(v) || (!allowNaN && double.IsNaN(v)))
                throw new ArgumentException($"{caller}: series '{series.Label}' value [{d}] is {v}; expected a finite value{(allowNaN ? " or NaN" : "")}.", nameof(series));
        }
    }
}
