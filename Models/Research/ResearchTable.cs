using System.Globalization;
using LeanModels.Models.Research.Metrics;

namespace LeanModels.Models.Research;

/// <summary>
/// The metric table of a research run as text cells, shared by the console table and the Markdown report so both show
/// the same numbers. One row per model plus the equal-weight benchmark (portfolio columns only).
/// </summary>
public static class ResearchTable
{
    /// <summary>Column headers. IC and Rank IC are means of the daily series; ICIR = mean/std, not annualised; "t (NW)" is
    /// the Newey–West t-statistic of the daily IC; returns are compounded and annualised with 252 days, after costs;
    /// turnover is Σ|Δw| per day, both sides.</summary>
    public static IReadOnlyList<string> Headers { get; } =
    [
        "Model", "IC", "Rank IC", "ICIR", "Rank ICIR", "IC>0", "t (NW)",
        "TopK ann. ret", "TopK Sharpe", "TopK max DD", "TopK turnover",
        "L/S ann. ret", "L/S Sharpe", "L/S max DD",
    ];

    /// <summary>The rows: one per model, then the benchmark.</summary>
    /// <param name="result">A research result.</param>
    /// <returns>Rows of <see cref="Headers"/>.Count cells.</returns>
    public static IReadOnlyList<string[]> Rows(ResearchResult result)
    {
        var rows = new List<string[]>();
        foreach (var m in result.Models)
        {
            var s = m.Signal;
            rows.Add([
                m.Model, F4(s.IC), F4(s.RankIC), F3(s.Icir), F3(s.RankIcir), Pct(s.ICPositiveShare), F2(s.ICTStat),
                Pct(m.TopK.AnnualisedReturn), F2(m.TopK.Sharpe), Pct(m.TopK.MaxDrawdown), Pct(m.TopK.MeanTurnover),
                Pct(m.LongShort.AnnualisedReturn), F2(m.LongShort.Sharpe), Pct(m.LongShort.MaxDrawdown),
            ]);
        }
        var b = result.Benchmark;
        rows.Add(["equal-weight benchmark", "", "", "", "", "", "", Pct(b.AnnualisedReturn), F2(b.Sharpe), Pct(b.MaxDrawdown), Pct(b.MeanTurnover), "", "", ""]);
        return rows;
    }

    /// <summary>The table in GitHub Markdown.</summary>
    /// <param name="result">A research result.</param>
    /// <returns>Markdown lines, header first.</returns>
    public static string Markdown(ResearchResult result)
    {
        var lines = new List<string>
        {
            "| " + string.Join(" | ", Headers) + " |",
            "|" + string.Join("|", Headers.Select((_, i) => i == 0 ? "---" : "---:")) + "|",
        };
        lines.AddRange(Rows(result).Select(r => "| " + string.Join(" | ", r) + " |"));
        return string.Join("\n", lines) + "\n";
    }

    private static string F2(double x) => Fmt(x, "0.00");
    private static string F3(double x) => Fmt(x, "0.000");
    private static string F4(double x) => Fmt(x, "0.0000");
    private static string Pct(double x) => double.IsFinite(x) ? (100 * x).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "n/a";
    private static string Fmt(double x, string format) => double.IsFinite(x) ? x.ToString(format, CultureInfo.InvariantCulture) : "n/a";
}
