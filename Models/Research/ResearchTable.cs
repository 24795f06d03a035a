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

    /// <summary>Headers of the seed table: mean ± sample std (n − 1) over the seeds of each metric.</summary>
    public static IReadOnlyList<string> SeedHeaders { get; } =
    [
        "Model", "Seeds", "IC", "Rank IC", "ICIR", "Rank ICIR", "t (NW) IC", "t (NW) Rank IC",
        "TopK ann. ret", "TopK Sharpe", "TopK max DD", "TopK turnover",
    ];

    /// <summary>The seed table rows: per model, each metric as mean ± std over the seeds.</summary>
    /// <param name="result">A research result.</param>
    /// <returns>Rows of <see cref="SeedHeaders"/>.Count cells.</returns>
    public static IReadOnlyList<string[]> SeedRows(ResearchResult result) =>
        result.Models.Select(m =>
        {
            var r = m.PerSeed.Count > 0 ? m.PerSeed : [m];
            string Pm(Func<ModelResult, double> get, Func<double, string> fmt)
            {
                var (mean, std) = MeanStd(r.Select(get).ToArray());
                return $"{fmt(mean)} ± {fmt(std)}";
            }
            return new[]
            {
                m.Model, r.Count.ToString(CultureInfo.InvariantCulture),
                Pm(x => x.Signal.IC, F4), Pm(x => x.Signal.RankIC, F4), Pm(x => x.Signal.Icir, F3), Pm(x => x.Signal.RankIcir, F3),
                Pm(x => x.Signal.ICTStat, F2), Pm(x => x.Signal.RankICTStat, F2),
                Pm(x => x.TopK.AnnualisedReturn, Pct), Pm(x => x.TopK.Sharpe, F2), Pm(x => x.TopK.MaxDrawdown, Pct), Pm(x => x.TopK.MeanTurnover, Pct),
            };
        }).ToList();

    /// <summary>The seed table in GitHub Markdown.</summary>
    /// <param name="result">A research result.</param>
    /// <returns>Markdown lines, header first.</returns>
    public static string SeedMarkdown(ResearchResult result)
    {
        var lines = new List<string>
        {
            "| " + string.Join(" | ", SeedHeaders) + " |",
            "|" + string.Join("|", SeedHeaders.Select((_, i) => i == 0 ? "---" : "---:")) + "|",
        };
        lines.AddRange(SeedRows(result).Select(r => "| " + string.Join(" | ", r) + " |"));
        return string.Join("\n", lines) + "\n";
    }

    /// <summary>Mean and sample std (n − 1; 0 for one value) of <paramref name="values"/>.</summary>
    /// <param name="values">One value per seed.</param>
    /// <returns>(mean, std); NaN when a value is NaN.</returns>
    public static (double Mean, double Std) MeanStd(IReadOnlyList<double> values)
    {
        var n = values.Count;
        var mean = values.Sum() / n;
        var ss = values.Sum(v => (v - mean) * (v - mean));
        return (mean, n > 1 ? Math.Sqrt(ss / (n - 1)) : 0.0);
    }

    private static string F2(double x) => Fmt(x, "0.00");
    private static string F3(double x) => Fmt(x, "0.000");
    private static string F4(double x) => Fmt(x, "0.0000");
    private static string Pct(double x) => double.IsFinite(x) ? (100 * x).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "n/a";
    private static string Fmt(double x, string format) => double.IsFinite(x) ? x.ToString(format, CultureInfo.InvariantCulture) : "n/a";
}
