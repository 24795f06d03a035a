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
    /// <param name="cancellationToken">Cancels the command before the fit and before the output is renamed into place.</param>
    /// <returns>The <c>regime</c> command.</returns>
    public static Command Create(TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var data = new Option<string>("--data") { Description = "LEAN data folder holding equity/usa/daily.", Required = true };
        var ticker = new Option<string>("--ticker") { Description = "Ticker to analyse.", DefaultValueFactory = _ => "spy" };
        var start = new Option<string?>("--start") { Description = "First date, yyyy-MM-dd; default: the first bar." };
        var end = new Option<string?>("--end") { Description = "Last date, yyyy-MM-dd; default: the last bar." };
        var fitEnd = new Option<string?>("--fit-end") { Description = "Fit the models on returns up to this date only (later days are out of sample); default: --end." };
        var states = new Option<int>("--states") { Description = "HMM states (ordered by volatility; the last is the high-volatility state).", DefaultValueFactory = _ => 2 };
        var minDays = new Option<int>("--min-days") { Description = "Shortest high-volatility period listed, in trading days.", DefaultValueFactory = _ => 10 };
        var output = new Option<string?>("--out") { Description = "Output folder; default runs/regime-<ticker>. Created, or replaced atomically if a previous `regime` run wrote it (it holds leanmodels-regime.json); any other non-empty folder is refused (exit 4)." };
        var command = new Command("regime",
            "Regimes of one ticker: Gaussian HMM filtered high-volatility probability (data up to each day only) and GARCH(1,1) volatility; "
            + "prints the high-volatility periods and writes a chart. " + ExitCodes.HelpText);
        foreach (var o in new Option[] { data, ticker, start, end, fitEnd, states, minDays, output }) command.Options.Add(o);
        command.SetAction(parse => Commands.Guard(stderr, cancellationToken, () =>
        {
            var symbol = parse.GetValue(ticker)!.Trim().ToLowerInvariant();
            if (symbol.Length == 0) throw new UsageException("--ticker: empty.");
            var from = ParseDate(parse.GetValue(start), "--start") ?? DateOnly.MinValue;
            var to = ParseDate(parse.GetValue(end), "--end") ?? DateOnly.MaxValue;
            var fit = ParseDate(parse.GetValue(fitEnd), "--fit-end");
            if (from >= to) throw new UsageException($"--start {from:yyyy-MM-dd} must be before --end {to:yyyy-MM-dd}.");
            var stateCount = parse.GetValue(states);
            if (stateCount < 2 || stateCount > MaxStates)
                throw new UsageException($"--states must be in [2, {MaxStates}], got {stateCount} (one daily return series cannot identify more regimes).");
            var minimumDays = parse.GetValue(minDays);
            if (minimumDays < 1) throw new UsageException($"--min-days must be ≥ 1 trading day, got {minimumDays}.");
            var folder = new LeanDataFolder(Commands.FullPath(parse.GetValue(data), "--data"));
            var outFolder = AtomicFolder.CheckDestination(Commands.FullPath(parse.GetValue(output) ?? Path.Combine("runs", "regime-" + symbol), "--out"), OutputMarker.Regime, [folder.Root]);
            var all = folder.ReadEquityBars(symbol);
            var bars = all.Where(b => b.Date >= from && b.Date <= to).ToList();
            var hmmOptions = new GaussianHmmOptions { States = stateCount };
            CheckWindow(symbol, all, bars, from, to, fit, minimumDays, hmmOptions);
            cancellationToken.ThrowIfCancellationRequested();
            var result = RegimeAnalysis.Run(bars, fit, hmmOptions, minimumDays);
            cancellationToken.ThrowIfCancellationRequested();
            Print(stdout, symbol, result);
            var chartOptions = new RegimeChartOptions
            {
                PriceLabel = $"{symbol.ToUpperInvariant()} adjusted close ($)",
                Title = $"{symbol.ToUpperInvariant()}: filtered high-volatility regime ({stateCount}-state Gaussian HMM fitted to {result.FitEnd:yyyy-MM-dd})",
            };
            AtomicFolder.Write(outFolder, OutputMarker.Regime, dir =>
            {
                RegimeChart.Save(Path.Combine(dir, "regime.png"), result.Dates, result.Closes, result.HighVolProbability, chartOptions);
                File.WriteAllText(Path.Combine(dir, "regimes.csv"), Csv(result));
                File.WriteAllText(Path.Combine(dir, "report.md"), Markdown(symbol, result, folder.Root));
            }, cancellationToken, [folder.Root]);
            stdout.WriteLine($"Report: {Path.Combine(outFolder, "report.md")} (chart regime.png, daily values regimes.csv)");
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Most HMM states accepted: 10 states need 1,190 returns (<see cref="GaussianHmm.MinimumObservations"/>), and the
    /// transition matrix grows as K², so an absurd value must fail here, not in an allocation.</summary>
    internal const int MaxStates = 10;

    /// <summary>Checks the date window and the options against the ticker's bars before any fitting, with advice that
    /// matches the case (window after the data, before it, or too short).</summary>
    private static void CheckWindow(string symbol, IReadOnlyList<Bar> all, List<Bar> bars, DateOnly from, DateOnly to, DateOnly? fit, int minimumDays,
        GaussianHmmOptions options)
    {
        if (all.Count == 0) throw new InvalidDataException($"{symbol}: the data file holds no bars.");
        DateOnly first = all[0].Date, last = all[^1].Date;
        string Range() => $"{symbol}'s data covers {first:yyyy-MM-dd}..{last:yyyy-MM-dd}";
        if (from > last) throw new UsageException($"--start {from:yyyy-MM-dd} is after the data: {Range()}; choose a start before {last:yyyy-MM-dd}.");
        if (to < first) throw new UsageException($"--end {to:yyyy-MM-dd} is before the data: {Range()}; choose an end after {first:yyyy-MM-dd}.");
        var returns = bars.Count - 1;
        var fitReturns = fit is { } f ? bars.Skip(1).Count(b => b.Date <= f) : returns;
        var needed = Math.Max(GaussianHmm.MinimumObservations(options.States, 1, options.Covariance), GarchModel.MinimumObservations);
        if (fitReturns < needed)
            throw new UsageException(
                $"{fitReturns} daily returns {(fit is { } g ? $"up to --fit-end {g:yyyy-MM-dd}" : "in the window")} ({Range()}); a {options.States}-state HMM and GARCH(1,1) need at least {needed}. "
                + (fit is not null ? "Choose a later --fit-end or an earlier --start." : "Widen the window (--start, --end) or use fewer --states."));
        if (minimumDays > returns) throw new UsageException($"--min-days {minimumDays} exceeds the {returns} trading days in the window.");
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
