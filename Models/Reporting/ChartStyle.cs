using System.Globalization;
using ScottPlot;

namespace LeanModels.Models.Reporting;

/// <summary>What every chart of this library shares: the font, the palette, date coordinates and log-axis ticks.</summary>
internal static class ChartStyle
{
    /// <summary>First installed of DejaVu Sans, Liberation Sans, Arial, Helvetica; null = ScottPlot's own choice.</summary>
    public static readonly string? SansFont = new[] { "DejaVu Sans", "Liberation Sans", "Arial", "Helvetica" }.FirstOrDefault(IsInstalled);

    /// <summary>A plot with title and axis labels in <see cref="SansFont"/>; with <paramref name="dateAxis"/> the bottom axis shows dates.</summary>
    public static Plot NewPlot(string title, string xLabel, string yLabel, bool dateAxis)
    {
        var plot = new Plot();
        if (dateAxis)                                                  // replaces the bottom axis: before its label is set
            plot.Axes.DateTimeTicksBottom().TickGenerator = new ScottPlot.TickGenerators.DateTimeAutomatic { LabelFormatter = DateLabel };
        if (SansFont is not null) plot.Font.Set(SansFont);
        plot.Title(title, 16);
        plot.XLabel(xLabel, 14);
        plot.YLabel(yLabel, 14);
        return plot;
    }

    /// <summary>Shows the legend outside the data area, right of it, and applies the font to everything added since.</summary>
    public static Plot Finish(Plot plot)
    {
        plot.ShowLegend(Edge.Right);
        if (SansFont is not null) plot.Font.Set(SansFont);
        return plot;
    }

    /// <summary>Unambiguous date tick text: "2010" on 1 January, "Jul 2010" on the first of a month, else "2010-07-15".</summary>
    public static string DateLabel(DateTime date) =>
        date.TimeOfDay != TimeSpan.Zero ? date.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
        : date is { Month: 1, Day: 1 } ? date.ToString("yyyy", CultureInfo.InvariantCulture)
        : date.Day == 1 ? date.ToString("MMM yyyy", CultureInfo.InvariantCulture)
        : date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Category10 colour <paramref name="index"/> (cycling).</summary>
    public static Color Palette(int index) => new ScottPlot.Palettes.Category10().GetColor(index);

    /// <summary>[D] x coordinates (OLE automation dates, ScottPlot's DateTime axis unit) of strictly increasing dates.</summary>
    /// <exception cref="ArgumentException">A date is not after the one before (the message names both).</exception>
    public static double[] DateCoordinates(IReadOnlyList<DateOnly> dates, string caller)
    {
        ArgumentNullException.ThrowIfNull(dates);
        var x = new double[dates.Count];
        for (var d = 0; d < dates.Count; d++)
        {
            if (d > 0 && dates[d] <= dates[d - 1])
                throw new ArgumentException($"{caller}: dates[{d}] = {dates[d]:yyyy-MM-dd} is not after dates[{d - 1}] = {dates[d - 1]:yyyy-MM-dd}.", nameof(dates));
            x[d] = dates[d].ToDateTime(TimeOnly.MinValue).ToOADate();
        }
        return x;
    }

    /// <summary>Values in [lo, hi] (lo &gt; 0) for ticks of a log axis: per decade 1-2-5, else 1 when that gives more than
    /// 10, else 1, 1.5, 2, 3, 5, 7 when 1-2-5 gives fewer than 3; null when hi/lo &lt; <paramref name="minRatio"/> or fewer than 3 ticks result (the range is too narrow for a log
    /// axis to help).</summary>
    public static List<double>? LogTicks(double lo, double hi, double minRatio)
    {
        if (!(hi / lo >= minRatio)) return null;
        foreach (var mantissas in new[] { new[] { 1.0, 2, 5 }, new[] { 1.0 }, new[] { 1.0, 1.5, 2, 3, 5, 7 } })
        {
            var ticks = new List<double>();
            for (var e = (int)Math.Floor(Math.Log10(lo)); e <= (int)Math.Ceiling(Math.Log10(hi)); e++)
                foreach (var m in mantissas)
                {
                    var v = m * Math.Pow(10, e);
                    if (v >= lo * 0.999 && v <= hi * 1.001) ticks.Add(v);
                }
            if (ticks.Count is >= 3 and <= 10) return ticks;
        }
        return null;
    }

    /// <summary>Manual ticks at log10 of each value, labelled by <paramref name="label"/>.</summary>
    public static ScottPlot.TickGenerators.NumericManual LogAxis(IEnumerable<double> values, Func<double, string> label)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (var v in values) ticks.AddMajor(Math.Log10(v), label(v));
        return ticks;
    }

    /// <summary>Invariant "G4" text of a number.</summary>
    public static string G4(double v) => v.ToString("G4", CultureInfo.InvariantCulture);

    // SkiaSharp substitutes a default face for an unknown family, so compare the family actually returned.
    private static bool IsInstalled(string family) =>
        string.Equals(Fonts.GetTypeface(family, false, false)?.FamilyName, family, StringComparison.OrdinalIgnoreCase);
}
