using System.CommandLine;
using System.Globalization;
using System.Text;
using LeanModels.Models.Data;
using LeanModels.Models.IO;
using LeanModels.Models.Regime;
using LeanModels.Models.Reporting;
using Spectre.Console;

namespace LeanModels.Models.Cli;

/// <summary>
/// <c>leanmodels regime --data &lt;LEAN data folder&gt; --ticker spy</c>: fits a Gaussian HMM and a GARCH(1,1) to a ticker's
/// daily returns, prints its regimes over time, and writes <c>report.md</c>, <c>regime.png</c> (price over the filtered
/// high-volatility probability) and <c>regimes.csv</c>.
/// </summary>
internal static class RegimeCommand
{
    /// <summary>Builds the command.</summary>
    /// <param name="stdout">Tables.</param>
    /// <param name="stderr">Errors.</param>
    /// <returns>The <c>regime</c> command.</returns>
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var data = new Option<string>("--data") { Description = "LEAN data folder holding equity/usa/daily.", Required = true };
        var ticker = new Option<string>("--ticker") { Description = "Ticker to analyse.", DefaultValueFactory = _ => "spy" };
        var start = new Option<string?>("--start") { Description = "First date, yyyy-MM-dd; default: the first bar." };
        var end = new Option<string?>("--end") { Description = "Last date, yyyy-MM-dd; default: the last bar." };
        var fitEnd = new Option<string?>("--fit-end") { Description = "Fit the models on returns up to this date only (later days are out of sample); default: --end." };
        var states = new Option<int>("--states") { Description = "HMM states (ordered by volatility; the last is the high-volatility state).", DefaultValueFactory = _ => 2 };
        var minDays = new Option<int>("--min-days") { Description = "Shortest high-volatility period listed, in trading days.", DefaultValueFactory = _ => 10 };
        var output = new Option<string?>("--out") { Description = "Output folder; default runs/regime-<ticker>." };
        var command = new Command("regime",
            "Regimes of one ticker: Gaussian HMM filtered high-volatility probability (data up to each day only) and GARCH(1,1) volatility; "
            + "prints the high-volatility periods and writes a chart. " + ExitCodes.HelpText);
        foreach (var o in new Option[] { data, ticker, start, end, fitEnd, states, minDays, output }) command.Options.Add(o);
        command.SetAction(parse => Commands.Guard(stderr, () =>
        {
            var symbol = parse.GetValue(ticker)!.Trim().ToLowerInvariant();
            var from = ParseDate(parse.GetValue(start), "--start") ?? DateOnly.MinValue;
            var to = ParseDate(parse.GetValue(end), "--end") ?? DateOnly.MaxValue;
            var fit = ParseDate(parse.GetValue(fitEnd), "--fit-end");
            if (from >= to) throw new UsageException($"--start {from:yyyy-MM-dd} must be before --end {to:yyyy-MM-dd}.");
            if (parse.GetValue(states) < 2) throw new UsageException($"--states must be ≥ 2, got {parse.GetValue(states)}.");
            var folder = new LeanDataFolder(parse.GetValue(data)!);
            var bars = folder.ReadEquityBars(symbol).Where(b => b.Date >= from && b.Date <= to).ToList();
            var result = RegimeAnalysis.Run(bars, fit, new GaussianHmmOptions { States = parse.GetValue(states) }, parse.GetValue(minDays));
            var outFolder = Path.GetFullPath(parse.GetValue(output) ?? Path.Combine("runs", "regime-" + symbol));
            Print(stdout, symbol, result);
            var chartOptions = new RegimeChartOptions
            {
                PriceLabel = $"{symbol.ToUpperInvariant()} adjusted close ($)",
                Title = $"{symbol.ToUpperInvariant()}: filtered high-volatility regime ({parse.GetValue(states)}-state Gaussian HMM fitted to {result.FitEnd:yyyy-MM-dd})",
            };
            AtomicFolder.Write(outFolder, dir =>
            {
                RegimeChart.Save(Path.Combine(dir, "regime.png"), result.Dates, result.Closes, result.HighVolProbability, chartOptions);
                File.WriteAllText(Path.Combine(dir, "regimes.csv"), Csv(result));
                File.WriteAllText(Path.Combine(dir, "report.md"), Markdown(symbol, result, folder.Root));
            });
            stdout.WriteLine($"Report: {Path.Combine(outFolder, "report.md")} (chart regime.png, daily values regimes.csv)");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static void Print(TextWriter stdout, string symbol, RegimeAnalysisResult r)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 140;
        var states = new Table().Border(TableBorder.Ascii)
            .Title($"{symbol.ToUpperInvariant()} {r.Dates[0]:yyyy-MM-dd}..{r.Dates[^1]:yyyy-MM-dd}: {r.Hmm.States}-state Gaussian HMM fitted to {r.FitEnd:yyyy-MM-dd}")
            .AddColumn("state").AddColumn(new TableColumn("mean %/day").RightAligned()).AddColumn(new TableColumn("ann. vol").RightAligned())
            .AddColumn(new TableColumn("stay prob.").RightAligned()).AddColumn(new TableColumn("exp. duration (days)").RightAligned())
            .AddColumn(new TableColumn("days filtered ≥ 0.5").RightAligned());
        var durations = r.Hmm.ExpectedDurations();
        var filteredDays = new int[r.Hmm.States];
        for (var k = 0; k < r.Hmm.States; k++) filteredDays[k] = 0;
        var K = r.Hmm.States;
        for (var k = 0; k < K; k++)
        {
            var name = k == K - 1 ? "high volatility" : k == 0 ? "calm" : $"state {k}";
            var days = k == K - 1 ? r.HighVolProbability.Count(p => p >= 0.5) : 0;
            states.AddRow(name, F(r.Hmm.Means[k], "0.000"), Pct(Math.Sqrt(r.Hmm.Covariances[k] * 252) / 100), F(r.Hmm.TransitionMatrix[k * K + k], "0.000"),
                F(durations[k], "0.0"), k == K - 1 ? days.ToString(CultureInfo.InvariantCulture) : "");
        }
        console.Write(states);
        var g = r.Garch;
        stdout.WriteLine($"GARCH(1,1), normal: omega {F(g.Omega, "0.0000")}, alpha {F(g.Alpha, "0.0000")}, beta {F(g.Beta, "0.0000")}, persistence {F(g.Persistence, "0.0000")}; "
            + $"latest conditional volatility {Pct(r.GarchVolatility[^1])} annualised");
        var periods = new Table().Border(TableBorder.Ascii).Title("High-volatility periods (filtered probability ≥ 0.5)")
            .AddColumn("from").AddColumn("to").AddColumn(new TableColumn("days").RightAligned())
            .AddColumn(new TableColumn("return").RightAligned()).AddColumn(new TableColumn("ann. vol").RightAligned());
        foreach (var p in r.Periods)
            periods.AddRow(p.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), p.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                p.Days.ToString(CultureInfo.InvariantCulture), Pct(Math.Exp(p.LogReturn) - 1), Pct(p.AnnualisedVolatility));
        console.Write(periods);
        stdout.WriteLine($"Latest ({r.Dates[^1]:yyyy-MM-dd}): high-volatility probability {F(r.HighVolProbability[^1], "0.000")}");
    }

    private static string Csv(RegimeAnalysisResult r)
    {
        var sb = new StringBuilder("date,close,logReturnPct,highVolProbability,garchVolAnnualised\n");
        for (var t = 0; t < r.Dates.Count; t++)
            sb.Append(CultureInfo.InvariantCulture, $"{r.Dates[t]:yyyy-MM-dd},{r.Closes[t]:R},{r.Returns[t]:R},{r.HighVolProbability[t]:R},{r.GarchVolatility[t]:R}\n");
        return sb.ToString();
    }

    private static string Markdown(string symbol, RegimeAnalysisResult r, string dataFolder)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"# Regimes of {symbol.ToUpperInvariant()}\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Data `{dataFolder}`, {r.Dates[0]:yyyy-MM-dd}..{r.Dates[^1]:yyyy-MM-dd}; {r.Hmm.States}-state Gaussian HMM and GARCH(1,1) fitted on daily log returns (percent) up to {r.FitEnd:yyyy-MM-dd}; probabilities are filtered: each day uses returns up to that day only.\n\n");
        sb.Append("![regimes](regime.png)\n\n| from | to | days | return | ann. vol |\n|---|---|---:|---:|---:|\n");
        foreach (var p in r.Periods)
            sb.Append(CultureInfo.InvariantCulture, $"| {p.From:yyyy-MM-dd} | {p.To:yyyy-MM-dd} | {p.Days} | {Pct(Math.Exp(p.LogReturn) - 1)} | {Pct(p.AnnualisedVolatility)} |\n");
        return sb.ToString();
    }

    private static DateOnly? ParseDate(string? text, string option) =>
        string.IsNullOrWhiteSpace(text) ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
        : throw new UsageException($"{option}: '{text}' is not a date in yyyy-MM-dd form.");

    private static string F(double x, string format) => x.ToString(format, CultureInfo.InvariantCulture);

    private static string Pct(double x) => (100 * x).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
