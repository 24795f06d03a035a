using System.Text.RegularExpressions;
using ScottPlot;
using static LeanModels.Models.Reporting.ChartStyle;

namespace LeanModels.Models.Reporting;

/// <summary>
/// A price series on a log axis over background bands whose opacity is the filtered high-volatility probability (e.g.
/// <see cref="Regime.GaussianHmm.Filter"/>'s column <see cref="Regime.GaussianHmm.HighVolState"/>), drawn with ScottPlot 5.
/// Same input, size and fonts → same bytes (<see cref="ResearchCharts"/> remarks).
/// </summary>
public static partial class RegimeChart
{
    /// <summary>Builds the chart: one price line (legend item 1), one horizontal span per run of equal quantised probability
    /// above 0, and a legend item for the shading (item 2). With the default single step a day is shaded when p ≥ 0.5.</summary>
    /// <param name="dates">[T] bar dates, strictly increasing, T ≥ 2 (x axis, calendar-proportional).</param>
    /// <param name="prices">[T] prices (any currency unit, e.g. adjusted close in dollars), finite and &gt; 0 (log y axis).</param>
    /// <param name="highVolProbability">[T] probability in [0, 1] of the high-volatility state on each date; the band from
    /// dates[t] to dates[t + 1] is shaded with opacity <see cref="RegimeChartOptions.MaxBandOpacity"/> × p[t], p quantised
    /// to <see cref="RegimeChartOptions.ProbabilitySteps"/> steps (runs of equal level merge into one band).</param>
    /// <param name="options">Layout; null = defaults.</param>
    /// <returns>The plot (dispose it).</returns>
    /// <exception cref="ArgumentException">Lengths differ or T &lt; 2, dates not increasing, a price not finite and &gt; 0, or a probability outside [0, 1] (the message gives the index and value).</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static Plot Build(IReadOnlyList<DateOnly> dates, ReadOnlySpan<double> prices, ReadOnlySpan<double> highVolProbability, RegimeChartOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dates);
        options = Validate(options);
        var n = dates.Count;
        if (n < 2 || prices.Length != n || highVolProbability.Length != n)
            throw new ArgumentException($"RegimeChart: dates has {n} entries, prices {prices.Length}, probabilities {highVolProbability.Length}; need equal lengths ≥ 2.");
        var x = DateCoordinates(dates, nameof(RegimeChart));
        double minPrice = double.PositiveInfinity, maxPrice = 0;
        var logPrice = new double[n];
        for (var t = 0; t < n; t++)
        {
            if (!(prices[t] > 0 && double.IsFinite(prices[t])))
                throw new ArgumentException($"RegimeChart: prices[{t}] = {prices[t]}; prices must be finite and > 0 for a log axis.", nameof(prices));
            if (!(highVolProbability[t] >= 0 && highVolProbability[t] <= 1))
                throw new ArgumentException($"RegimeChart: highVolProbability[{t}] = {highVolProbability[t]}; must be in [0, 1].", nameof(highVolProbability));
            minPrice = Math.Min(minPrice, prices[t]);
            maxPrice = Math.Max(maxPrice, prices[t]);
            logPrice[t] = Math.Log10(prices[t]);
        }

        var plot = NewPlot(options.Title, "Date", options.PriceLabel + ", log scale", dateAxis: true);
        var band = Color.FromHex(options.BandColor);
        var steps = options.ProbabilitySteps;
        var start = 0;
        for (var t = 1; t <= n - 1; t++)
        {
            var level = Quantise(highVolProbability[start], steps);
            if (t < n - 1 && Quantise(highVolProbability[t], steps) == level) continue;
            if (level > 0)
            {
                var span = plot.Add.HorizontalSpan(x[start], x[t], band.WithAlpha(options.MaxBandOpacity * level / steps));
                span.LineColor = Colors.Transparent;                 // width 0 would still draw a hairline in Skia
                span.FillStyle.AntiAlias = false;                    // no seams where two bands meet
            }
            start = t;
        }
        var price = plot.Add.ScatterLine(x, logPrice, Color.FromHex("#1f3b73"));
        price.LineWidth = 1.2f;
        price.LegendText = options.PriceLabel;
        plot.Legend.ManualItems.Add(new LegendItem
        {
            LabelText = steps == 1 ? "Filtered Pr(high-volatility state) ≥ 0.5" : "Filtered Pr(high-volatility state); opacity ∝ probability",
            FillColor = band.WithAlpha(options.MaxBandOpacity),
        });
        // 1-2-5 ticks when the prices span enough of a decade; else 5 evenly spaced (in log) ticks at 3 significant digits.
        plot.Axes.Left.TickGenerator = LogAxis(LogTicks(minPrice, maxPrice, minRatio: 1)
            ?? [.. Enumerable.Range(0, 5).Select(i => minPrice * Math.Pow(maxPrice / minPrice, i / 4.0))], v => v.ToString("G3", System.Globalization.CultureInfo.InvariantCulture));
        plot.Axes.Margins(0, 0.04);
        plot.ShowLegend(Edge.Bottom);
        plot.Legend.Orientation = Orientation.Horizontal;
        if (SansFont is not null) plot.Font.Set(SansFont);
        return plot;
    }

    /// <summary>Builds the chart and writes it to a file (<see cref="ResearchCharts.Save"/>).</summary>
    /// <param name="path">File path, e.g. <c>regime.png</c>.</param>
    /// <param name="dates">[T] bar dates; see <see cref="Build"/>.</param>
    /// <param name="prices">[T] prices.</param>
    /// <param name="highVolProbability">[T] filtered high-volatility probabilities.</param>
    /// <param name="options">Layout (its width and height set the image size); null = defaults.</param>
    /// <param name="format">PNG (default) or SVG.</param>
    /// <exception cref="ArgumentException">See <see cref="Build"/>.</exception>
    /// <exception cref="IOException">The file could not be written.</exception>
    public static void Save(string path, IReadOnlyList<DateOnly> dates, ReadOnlySpan<double> prices, ReadOnlySpan<double> highVolProbability,
        RegimeChartOptions? options = null, ChartFormat format = ChartFormat.Png)
    {
        options = Validate(options);
        using var plot = Build(dates, prices, highVolProbability, options);
        ResearchCharts.Save(plot, path, format, options.Width, options.Height);
    }

    private static RegimeChartOptions Validate(RegimeChartOptions? options)
    {
        options ??= new RegimeChartOptions();
        if (options.Width < 200) throw new ArgumentOutOfRangeException(nameof(options), options.Width, $"RegimeChart: Width must be ≥ 200, got {options.Width}.");
        if (options.Height < 120) throw new ArgumentOutOfRangeException(nameof(options), options.Height, $"RegimeChart: Height must be ≥ 120, got {options.Height}.");
        if (!(options.MaxBandOpacity > 0 && options.MaxBandOpacity <= 1)) throw new ArgumentOutOfRangeException(nameof(options), options.MaxBandOpacity, $"RegimeChart: MaxBandOpacity must be in (0, 1], got {options.MaxBandOpacity}.");
        if (options.ProbabilitySteps < 1) throw new ArgumentOutOfRangeException(nameof(options), options.ProbabilitySteps, $"RegimeChart: ProbabilitySteps must be ≥ 1, got {options.ProbabilitySteps}.");
        if (!HexColor().IsMatch(options.BandColor)) throw new ArgumentOutOfRangeException(nameof(options), options.BandColor, $"RegimeChart: BandColor must be #RRGGBB, got '{options.BandColor}'.");
        return options;
    }

    private static int Quantise(double p, int steps) => (int)Math.Round(p * steps, MidpointRounding.AwayFromZero);

    [GeneratedRegex("^#[0-9A-Fa-f]{6}$")]
    private static partial Regex HexColor();
}
