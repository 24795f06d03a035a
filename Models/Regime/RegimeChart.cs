using System.Globalization;
using System.Text;

namespace LeanModels.Models.Regime;

/// <summary>
/// A self-contained SVG chart of a price series on a log axis, over background bands whose opacity is the filtered
/// high-volatility probability (e.g. <see cref="GaussianHmm.Filter"/>'s column <see cref="GaussianHmm.HighVolState"/>).
/// Pure function: no I/O, invariant culture, deterministic output.
/// </summary>
public static class RegimeChart
{
    /// <summary>Renders the chart.</summary>
    /// <param name="dates">[T] bar dates, strictly increasing, T ≥ 2 (x axis, calendar-proportional).</param>
    /// <param name="prices">[T] prices (any currency unit, e.g. adjusted close in dollars), finite and &gt; 0 (log y axis).</param>
    /// <param name="highVolProbability">[T] probability in [0, 1] of the high-volatility state on each date; the band
    /// from dates[t] to dates[t + 1] is shaded with opacity <see cref="RegimeChartOptions.MaxBandOpacity"/> × p[t], p quantised to <see cref="RegimeChartOptions.ProbabilitySteps"/> steps.</param>
    /// <param name="options">Layout; null = defaults.</param>
    /// <returns>An SVG 1.1 document as a string.</returns>
    /// <exception cref="ArgumentException">Lengths differ or T &lt; 2, dates not increasing, a price not finite and &gt; 0, or a probability outside [0, 1] (the message gives the index and value).</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static string Render(IReadOnlyList<DateOnly> dates, ReadOnlySpan<double> prices, ReadOnlySpan<double> highVolProbability, RegimeChartOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dates);
        options ??= new RegimeChartOptions();
        if (options.Width < 200) throw new ArgumentOutOfRangeException(nameof(options), options.Width, $"RegimeChart: Width must be ≥ 200, got {options.Width}.");
        if (options.Height < 120) throw new ArgumentOutOfRangeException(nameof(options), options.Height, $"RegimeChart: Height must be ≥ 120, got {options.Height}.");
        if (!(options.MaxBandOpacity > 0 && options.MaxBandOpacity <= 1)) throw new ArgumentOutOfRangeException(nameof(options), options.MaxBandOpacity, $"RegimeChart: MaxBandOpacity must be in (0, 1], got {options.MaxBandOpacity}.");
        if (options.ProbabilitySteps < 1) throw new ArgumentOutOfRangeException(nameof(options), options.ProbabilitySteps, $"RegimeChart: ProbabilitySteps must be ≥ 1, got {options.ProbabilitySteps}.");
        var n = dates.Count;
        if (n < 2 || prices.Length != n || highVolProbability.Length != n)
            throw new ArgumentException($"RegimeChart.Render: dates has {n} entries, prices {prices.Length}, probabilities {highVolProbability.Length}; need equal lengths ≥ 2.");
        double minPrice = double.PositiveInfinity, maxPrice = 0;
        for (var t = 0; t < n; t++)
        {
            if (t > 0 && dates[t] <= dates[t - 1])
                throw new ArgumentException($"RegimeChart.Render: dates[{t}] = {dates[t]:yyyy-MM-dd} is not after dates[{t - 1}] = {dates[t - 1]:yyyy-MM-dd}.", nameof(dates));
            if (!(prices[t] > 0 && double.IsFinite(prices[t])))
                throw new ArgumentException($"RegimeChart.Render: prices[{t}] = {prices[t]}; prices must be finite and > 0 for a log axis.", nameof(prices));
            if (!(highVolProbability[t] >= 0 && highVolProbability[t] <= 1))
                throw new ArgumentException($"RegimeChart.Render: highVolProbability[{t}] = {highVolProbability[t]}; must be in [0, 1].", nameof(highVolProbability));
            minPrice = Math.Min(minPrice, prices[t]);
            maxPrice = Math.Max(maxPrice, prices[t]);
        }

        const double left = 64, right = 16, bottom = 36;
        double top = options.Title.Length > 0 ? 36 : 14;
        double plotW = options.Width - left - right, plotH = options.Height - top - bottom;
        double logMin = Math.Log10(minPrice), logMax = Math.Log10(maxPrice);
        if (logMax - logMin < 1e-9) { logMin -= 0.05; logMax += 0.05; }
        var pad = 0.04 * (logMax - logMin);
        logMin -= pad; logMax += pad;
        int day0 = dates[0].DayNumber, day1 = dates[n - 1].DayNumber;
        double X(DateOnly d) => left + plotW * (d.DayNumber - day0) / (day1 - day0);
        double Y(double price) => top + plotH * (logMax - Math.Log10(price)) / (logMax - logMin);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{options.Width}\" height=\"{options.Height}\" viewBox=\"0 0 {options.Width} {options.Height}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"0\" y=\"0\" width=\"{options.Width}\" height=\"{options.Height}\" fill=\"white\"/>\n");
        if (options.Title.Length > 0)
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"22\" font-size=\"14\" font-weight=\"bold\">{Escape(options.Title)}</text>\n");

        // Bands: runs of equal quantised probability merge into one rect from dates[start] to dates[end + 1].
        svg.Append("<g class=\"regime-bands\" stroke=\"none\">\n");
        var steps = options.ProbabilitySteps;
        var start = 0;
        for (var t = 1; t <= n - 1; t++)
        {
            var level = Quantise(highVolProbability[start], steps);
            if (t < n - 1 && Quantise(highVolProbability[t], steps) == level) continue;
            if (level > 0)
            {
                double x0 = X(dates[start]), x1 = X(dates[t]);
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x0:F2}\" y=\"{top:F2}\" width=\"{Math.Max(x1 - x0, 0.5):F2}\" height=\"{plotH:F2}\" fill=\"{Escape(options.BandColor)}\" fill-opacity=\"{options.MaxBandOpacity * level / steps:F3}\"/>\n");
            }
            start = t;
        }
        svg.Append("</g>\n");

        // Axes and grid.
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left:F2}\" y=\"{top:F2}\" width=\"{plotW:F2}\" height=\"{plotH:F2}\" fill=\"none\" stroke=\"#444\"/>\n");
        svg.Append("<g class=\"y-axis\">\n");
        foreach (var tick in LogTicks(Math.Pow(10, logMin), Math.Pow(10, logMax)))
        {
            var y = Y(tick);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left:F2}\" y1=\"{y:F2}\" x2=\"{left + plotW:F2}\" y2=\"{y:F2}\" stroke=\"#ccc\" stroke-width=\"0.5\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 4:F2}\" y=\"{y + 4:F2}\" text-anchor=\"end\">{tick.ToString("G4", CultureInfo.InvariantCulture)}</text>\n");
        }
        svg.Append("</g>\n<g class=\"x-axis\">\n");
        int firstYear = dates[0].Year, lastYear = dates[n - 1].Year;
        var yearStep = Math.Max(1, (int)Math.Ceiling((lastYear - firstYear + 1) / 12.0));
        for (var year = firstYear + 1; year <= lastYear; year += yearStep)
        {
            var x = X(new DateOnly(year, 1, 1));
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:F2}\" y1=\"{top + plotH:F2}\" x2=\"{x:F2}\" y2=\"{top + plotH + 4:F2}\" stroke=\"#444\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:F2}\" y=\"{top + plotH + 16:F2}\" text-anchor=\"middle\">{year}</text>\n");
        }
        svg.Append("</g>\n");

        // Price line.
        svg.Append("<polyline class=\"price\" fill=\"none\" stroke=\"#1f3b73\" stroke-width=\"1\" points=\"");
        for (var t = 0; t < n; t++)
        {
            if (t > 0) svg.Append(' ');
            svg.Append(CultureInfo.InvariantCulture, $"{X(dates[t]):F2},{Y(prices[t]):F2}");
        }
        svg.Append("\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + plotW:F2}\" y=\"{options.Height - 8:F2}\" text-anchor=\"end\" fill=\"#555\">price (log scale); shading = filtered Pr(high-volatility state)</text>\n");
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static int Quantise(double p, int steps) => (int)Math.Round(p * steps, MidpointRounding.AwayFromZero);

    /// <summary>1-2-5 ticks between lo and hi (at most ~10); falls back to more decades when the range is wide.</summary>
    private static List<double> LogTicks(double lo, double hi)
    {
        foreach (var mantissas in new[] { new[] { 1.0, 2, 5 }, new[] { 1.0 } })
        {
            var ticks = new List<double>();
            for (var e = (int)Math.Floor(Math.Log10(lo)); e <= (int)Math.Ceiling(Math.Log10(hi)); e++)
                foreach (var m in mantissas)
                {
                    var v = m * Math.Pow(10, e);
                    if (v >= lo && v <= hi) ticks.Add(v);
                }
            if (ticks.Count <= 10 && ticks.Count >= 2 || mantissas.Length == 1) return ticks;
        }
        return [];
    }

    private static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");
}
