using System.CommandLine;
using System.Globalization;
using LeanModels.Models.Data.Import;
using Spectre.Console;

namespace LeanModels.Models.Cli;

/// <summary>
/// <c>leanmodels import --input &lt;folder&gt; --output &lt;folder&gt; [--skip-bad] [--report &lt;file.json&gt;]</c>: converts
/// Alpha Vantage daily-adjusted CSVs into a LEAN data folder (<see cref="CsvImporter.Import"/>) and prints the
/// adjusted-close agreement.
/// </summary>
internal static class ImportCommand
{
    /// <summary>Tickers listed individually in the "below 100%" table before the rest are only counted.</summary>
    private const int MaxListedTickers = 50;

    /// <summary>Builds the command.</summary>
    /// <param name="stdout">Summary tables.</param>
    /// <param name="stderr">Bad files and errors.</param>
    /// <param name="cancellationToken">Cancels the import; the output folder is left as it was.</param>
    /// <returns>The <c>import</c> command.</returns>
    public static Command Create(TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var input = new Option<string>("--input") { Description = "Folder of Alpha Vantage daily-adjusted *.csv / *.csv.gz files (e.g. ../shared/data/sp500).", Required = true };
        var output = new Option<string>("--output") { Description = "LEAN data folder root to create, or a previous import to replace (written to <output>.tmp-* and renamed at the end); any other non-empty folder is refused (exit 4).", Required = true };
        var skipBad = new Option<bool>("--skip-bad") { Description = "Import the good files even if some are bad (bad ones are still listed on stderr). Without it any bad file aborts and nothing is written (exit 3)." };
        var report = new Option<string?>("--report") { Description = "Also write the per-ticker agreement report as JSON to this file (checked before the import; outside --input and --output)." };
        var command = new Command("import",
            "Convert CSVs into LEAN equity/usa daily zips, factor files (from adjusted_close / close) and map files; report how well "
            + "LEAN's rule reproduces adjusted_close (share of rows within 0.5%). " + ExitCodes.HelpText);
        command.Options.Add(input);
        command.Options.Add(output);
        command.Options.Add(skipBad);
        command.Options.Add(report);
        command.SetAction(parse => Commands.Guard(stderr, cancellationToken, () =>
        {
            var options = new ImportOptions(SkipBad: parse.GetValue(skipBad));
            var inputFolder = Commands.FullPath(parse.GetValue(input), "--input");
            var outputFolder = Commands.FullPath(parse.GetValue(output), "--output");
            var reportPath = parse.GetValue(report) is { } r ? CheckReportPath(Commands.FullPath(r, "--report"), inputFolder, outputFolder) : null;
            var result = CsvImporter.Import(inputFolder, outputFolder, options, ct: cancellationToken);
            // Committed: from here on nothing may fail the command (the output is in place and complete).
            if (result.BadFiles.Count > 0)
                stderr.WriteLine(CsvImporter.DescribeBadFiles($"warning: skipped {result.BadFiles.Count} bad file(s) of {result.InputFiles}:", result.BadFiles));
            WriteSummary(stdout, result, outputFolder);
            if (reportPath is not null)
            {
                try
                {
                    result.WriteJson(reportPath);
                    stdout.WriteLine($"Report written to {reportPath}");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    stderr.WriteLine($"error: the import into {outputFolder} is complete (its manifest {CsvImporter.ManifestFileName} holds the same report), but --report {reportPath} could not be written: {e.Message}");
                    return ExitCodes.OutputFailed;
                }
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>
    /// Checks <c>--report</c> before the import, so that writing it cannot fail once the import is committed: it must not be
    /// a folder, lie inside the input or output folder (the output is replaced as a whole), and its folder must accept a
    /// new file (probed by creating and deleting one).
    /// </summary>
    /// <returns>The full path.</returns>
    /// <exception cref="UsageException">The path is a folder or lies inside the input or output folder.</exception>
    /// <exception cref="IOException">Its folder cannot be created or written.</exception>
    internal static string CheckReportPath(string path, string input, string outputFolder)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new UsageException($"--report {full} is a folder; give a file path.");
        foreach (var (folder, option) in new[] { (Path.GetFullPath(input), "--input"), (outputFolder, "--output") })
            if (IO.AtomicFolder.IsSameOrInside(full, Path.TrimEndingDirectorySeparator(folder)))
                throw new UsageException($"--report {full} lies inside the {option} folder {folder}; write it elsewhere.");
        var parent = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(parent);
        var probe = Path.Combine(parent, $".{Path.GetFileName(full)}.probe-{Environment.ProcessId}");
        try { using (File.Create(probe, 1, FileOptions.DeleteOnClose)) { } }
        catch (UnauthorizedAccessException e) { throw new IOException($"--report {full}: its folder is not writable ({e.Message}).", e); }
        return full;
    }

    /// <summary>Prints the overall table and the tickers that are not within tolerance on every row.</summary>
    internal static void WriteSummary(TextWriter stdout, ImportReport report, string outputFolder)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 120;
        var tol = report.Tolerance.ToString("P2", CultureInfo.InvariantCulture);
        var overall = new Table().Border(TableBorder.Ascii).Title($"import → {outputFolder}")
            .AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        overall.AddRow("input files", report.InputFiles.ToString(CultureInfo.InvariantCulture));
        overall.AddRow("tickers imported", report.Tickers.Count.ToString(CultureInfo.InvariantCulture));
        overall.AddRow("bad files skipped", report.BadFiles.Count.ToString(CultureInfo.InvariantCulture));
        overall.AddRow("price rows", report.TotalRows.ToString("N0", CultureInfo.InvariantCulture));
        overall.AddRow($"rows within {tol} of adjusted_close", report.AgreeingRows.ToString("N0", CultureInfo.InvariantCulture));
        overall.AddRow($"share of rows within {tol}", report.AgreementShare.ToString("P4", CultureInfo.InvariantCulture));
        overall.AddRow($"tickers with all rows within {tol}", $"{report.TickersAllAgreeing} / {report.Tickers.Count}");
        overall.AddRow("factor rows per ticker (mean)", report.Tickers.Count == 0 ? "-" : report.Tickers.Average(t => t.FactorRows).ToString("F2", CultureInfo.InvariantCulture));
        overall.AddRow("worst |relative error|", report.Tickers.Count == 0 ? "-" : report.Tickers.Max(t => Math.Abs(t.WorstRelativeError)).ToString("E2", CultureInfo.InvariantCulture));
        console.Write(overall);

        var failing = report.Tickers.Where(t => !t.AllAgree).OrderBy(t => (double)t.AgreeingRows / t.Rows).ThenBy(t => t.Ticker, StringComparer.Ordinal).ToList();
        if (failing.Count == 0) return;
        var table = new Table().Border(TableBorder.Ascii).Title($"tickers with rows outside {tol}")
            .AddColumn("ticker").AddColumn(new TableColumn("rows").RightAligned()).AddColumn(new TableColumn("within").RightAligned())
            .AddColumn(new TableColumn("share").RightAligned()).AddColumn(new TableColumn("worst error").RightAligned()).AddColumn("worst date");
        foreach (var t in failing.Take(MaxListedTickers))
            table.AddRow(t.Ticker, t.Rows.ToString(CultureInfo.InvariantCulture), t.AgreeingRows.ToString(CultureInfo.InvariantCulture),
                ((double)t.AgreeingRows / t.Rows).ToString("P2", CultureInfo.InvariantCulture),
                t.WorstRelativeError.ToString("P3", CultureInfo.InvariantCulture), t.WorstDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        console.Write(table);
        if (failing.Count > MaxListedTickers) stdout.WriteLine($"... and {failing.Count - MaxListedTickers} more tickers (see --report).");
    }
}
