using System.Globalization;
using System.IO.Compression;
using System.Runtime.ExceptionServices;
using System.Text;
using LeanModels.Models.IO;

namespace LeanModels.Models.Data.Import;

/// <summary>
/// Converts a folder of Alpha Vantage daily-adjusted CSVs (../shared/data/sp500, data/README.md §2) into a LEAN data folder
/// (data/README.md §1): <c>equity/usa/daily/&lt;t&gt;.zip</c> (raw prices), <c>equity/usa/factor_files/&lt;t&gt;.csv</c>
/// (built by <see cref="RatioFactorBuilder"/> so LEAN's rule reproduces <c>adjusted_close</c>) and
/// <c>equity/usa/map_files/&lt;t&gt;.csv</c>, then checks the agreement of the adjusted closes.
/// </summary>
/// <remarks>
/// The output is written through <see cref="AtomicFolder"/> with the marker <see cref="OutputMarker.Import"/> (the manifest):
/// into a temporary sibling folder <c>&lt;output&gt;.tmp-&lt;pid&gt;-&lt;random&gt;</c>, renamed onto <c>&lt;output&gt;</c> only at
/// the end, replacing only an empty folder or a previous import. A failure or cancellation deletes the temporary folder
/// and leaves <c>&lt;output&gt;</c> as it was; leftovers of a killed import are removed by the next one. Every byte
/// written depends only on the input (zip entries carry a fixed 2000-01-01 time stamp, files are converted in parallel
/// but into separate files), so re-running gives byte-identical files.
/// </remarks>
public static class CsvImporter
{
    /// <summary>Manifest written last into the output root: the <see cref="ImportReport"/> as JSON. Its presence marks a
    /// folder as a previous import that a new import may replace.</summary>
    public const string ManifestFileName = "leanmodels-import.json";  // = OutputMarker.Import.FileName

    /// <summary>Time stamp stored in every zip entry, fixed so that re-running gives identical bytes.</summary>
    private static readonly DateTimeOffset ZipEntryTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly DateOnly MapFileEnd = new(2050, 12, 31);

    /// <summary>
    /// Imports every <c>*.csv</c> and <c>*.csv.gz</c> file directly in <paramref name="inputFolder"/> (not sub-folders).
    /// The ticker comes from the file name (<see cref="AlphaVantageCsv.TickerFromFileName"/>); rows are validated by
    /// <see cref="AlphaVantageCsv.Read"/>. Output per ticker t, below <paramref name="outputFolder"/>:
    /// <c>equity/usa/daily/t.zip</c> holding one entry <c>t.csv</c> with rows <c>yyyyMMdd 00:00,open,high,low,close,volume</c>,
    /// prices = raw dollars × 10,000 rounded to the nearest integer (midpoint away from zero), volume in shares;
    /// <c>equity/usa/factor_files/t.csv</c> (<see cref="RatioFactorBuilder.Build"/>, written by <see cref="FactorFile.Write"/>);
    /// <c>equity/usa/map_files/t.csv</c> with two rows <c>firstDate,t</c> and <c>20501231,t</c> (no exchange column; a
    /// ticker that stopped trading, e.g. VAR, still gets 20501231 because the CSV does not say it was delisted);
    /// and <see cref="ManifestFileName"/>. After writing, each factor file is read back with <see cref="FactorFile.Read"/>
    /// and every CSV row's close × <see cref="FactorFile.PriceScaleFactor"/>(date) is compared with its adjusted_close.
    /// </summary>
    /// <param name="inputFolder">Folder with the CSVs.</param>
    /// <param name="outputFolder">LEAN data folder root to create or replace. If it exists it must be empty or a previous
    /// import (holding <see cref="ManifestFileName"/>); it must not be inside the input folder or contain it.</param>
    /// <param name="options">Skip-bad behaviour, tolerance, change threshold, parallelism.</param>
    /// <param name="progress">Receives the number of files finished so far (1..files), from worker threads.</param>
    /// <param name="ct">Cancels the import; the output folder is then left untouched.</param>
    /// <returns>The report: per-ticker agreement and bad files (the latter only with <see cref="ImportOptions.SkipBad"/>).</returns>
    /// <exception cref="ArgumentException">An empty path, or an option out of range
    /// (tolerance not in [0, 1), change threshold not finite &gt; 0, parallelism 0 or &lt; -1); the message gives the value.</exception>
    /// <exception cref="DirectoryNotFoundException">The input folder does not exist.</exception>
    /// <exception cref="InvalidDataException">The input folder holds no <c>*.csv</c> / <c>*.csv.gz</c> file.</exception>
    /// <exception cref="InvalidDataException">Some file is bad and <see cref="ImportOptions.SkipBad"/> is false, or every
    /// file is bad; nothing is written. The message lists every bad file with file name, line number and row text
    /// (<see cref="DescribeBadFiles"/>).</exception>
    /// <exception cref="OutputRefusedException">The output exists and is neither empty nor a previous import, or it contains
    /// or lies inside the input folder; checked before any work.</exception>
    /// <exception cref="IOException">A file could not be written.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    public static ImportReport Import(string inputFolder, string outputFolder, ImportOptions options, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(inputFolder);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputFolder);
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.Tolerance >= 0 && options.Tolerance < 1))
            throw new ArgumentException($"Tolerance must be a fraction in [0, 1), got {options.Tolerance}.");
        if (!(double.IsFinite(options.ChangeThreshold) && options.ChangeThreshold > 0))
            throw new ArgumentException($"ChangeThreshold must be finite and > 0, got {options.ChangeThreshold}.");
        if (options.MaxDegreeOfParallelism == 0 || options.MaxDegreeOfParallelism < -1)
            throw new ArgumentException($"MaxDegreeOfParallelism must be -1 or ≥ 1, got {options.MaxDegreeOfParallelism}.");

        var input = Path.TrimEndingDirectorySeparator(Path.GetFullPath(inputFolder));
        if (!Directory.Exists(input)) throw new DirectoryNotFoundException($"Input folder not found: {input}");
        var output = AtomicFolder.CheckDestination(outputFolder, OutputMarker.Import, [input]);
        var files = Directory.EnumerateFiles(input)
            .Where(f => f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".csv.gz", StringComparison.OrdinalIgnoreCase))
            .OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal)
            .ToArray();
        if (files.Length == 0) throw new InvalidDataException($"{input}: no *.csv or *.csv.gz files to import.");

        var tickers = new string?[files.Length];
        var preErrors = new string?[files.Length];
        for (var i = 0; i < files.Length; i++)
        {
            try { tickers[i] = AlphaVantageCsv.TickerFromFileName(files[i]); }
            catch (ArgumentException e) { preErrors[i] = $"{Path.GetFileName(files[i])}: {e.Message.Split(" (Parameter")[0]}"; }
        }
        foreach (var group in Enumerable.Range(0, files.Length).Where(i => tickers[i] is not null).GroupBy(i => tickers[i]!).Where(g => g.Count() > 1))
            foreach (var i in group)
                preErrors[i] = $"{Path.GetFileName(files[i])}: ticker '{group.Key}' also comes from "
                               + string.Join(", ", group.Where(j => j != i).Select(j => Path.GetFileName(files[j]))) + "; import one of them only.";

        ImportReport? report = null;
        AtomicFolder.Write(output, OutputMarker.Import, tmp =>
        {
            foreach (var sub in new[] { "daily", "factor_files", "map_files" }) Directory.CreateDirectory(Path.Combine(tmp, "equity", "usa", sub));
            var results = new TickerResult?[files.Length];
            var bad = new BadFile?[files.Length];
            var done = 0;
            var parallel = new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = options.MaxDegreeOfParallelism };
            try
            {
                Parallel.For(0, files.Length, parallel, i =>
                {
                    if (preErrors[i] is { } pre) bad[i] = new BadFile(Path.GetFileName(files[i]), [pre], 1);
                    else (results[i], bad[i]) = ImportOne(files[i], tickers[i]!, tmp, options);
                    progress?.Report(Interlocked.Increment(ref done));
                });
            }
            catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
            {
                ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }

            var badFiles = bad.OfType<BadFile>().ToList();
            var good = results.OfType<TickerResult>().OrderBy(t => t.Ticker, StringComparer.Ordinal).ToList();
            if (badFiles.Count > 0 && !options.SkipBad)
                throw new InvalidDataException(DescribeBadFiles($"{badFiles.Count} of {files.Length} input files are bad; nothing was written (skip them with --skip-bad / ImportOptions.SkipBad):", badFiles));
            if (good.Count == 0)
                throw new InvalidDataException(DescribeBadFiles($"all {files.Length} input files are bad; nothing was written:", badFiles));

            report = new ImportReport(options.Tolerance, files.Length, good, badFiles);
            File.WriteAllBytes(Path.Combine(tmp, ManifestFileName), Encoding.UTF8.GetBytes(report.ToJson()));
        }, ct);
        return report!;
    }

    /// <summary>A summary line followed by every bad file's errors, indented, one per line.</summary>
    /// <param name="summary">First line: what happened and what was (not) written.</param>
    /// <param name="badFiles">Bad files in file-name order.</param>
    /// <returns>Multi-line text for an exception message or stderr.</returns>
    public static string DescribeBadFiles(string summary, IEnumerable<BadFile> badFiles) =>
        summary + string.Concat(badFiles.Select(b => "\n  " + b.Describe().Replace("\n", "\n  ")));

    /// <summary>Converts one file into <paramref name="root"/>; returns a result or, for bad input, a <see cref="BadFile"/>.</summary>
    private static (TickerResult? Result, BadFile? Bad) ImportOne(string path, string ticker, string root, ImportOptions options)
    {
        var name = Path.GetFileName(path);
        var errors = new List<string>();
        List<DailyPriceRow> rows;
        int errorCount;
        try
        {
            rows = AlphaVantageCsv.Parse(path, errors, out errorCount);
        }
        catch (InvalidDataException e)                            // e.g. a corrupt gzip stream
        {
            return (null, new BadFile(name, [$"{name}: cannot be read: {e.Message}"], 1));
        }
        if (errorCount > 0) return (null, new BadFile(name, errors, errorCount));

        var factors = RatioFactorBuilder.Build(rows, ticker, options.ChangeThreshold);
        var usa = Path.Combine(root, "equity", "usa");
        WriteFile(Path.Combine(usa, "daily", ticker + ".zip"), s => WriteDailyZip(s, ticker, rows));
        var factorPath = Path.Combine(usa, "factor_files", ticker + ".csv");
        WriteFile(factorPath, s => WriteText(s, factors.Write));
        var map = new MapFile(ticker, [new MapRow(rows[0].Date, ticker, null), new MapRow(MapFileEnd, ticker, null)], ticker);
        WriteFile(Path.Combine(usa, "map_files", ticker + ".csv"), s => WriteText(s, map.Write));

        var readBack = FactorFile.Read(factorPath);
        var agreeing = 0;
        var worst = 0.0;
        var worstDate = rows[0].Date;
        foreach (var row in rows)
        {
            var relative = (double)row.Close * readBack.PriceScaleFactor(row.Date) / row.AdjustedClose - 1.0;
            if (Math.Abs(relative) <= options.Tolerance) agreeing++;
            if (Math.Abs(relative) > Math.Abs(worst)) (worst, worstDate) = (relative, row.Date);
        }
        var result = new TickerResult(ticker, name, rows.Count, rows[0].Date, rows[^1].Date, readBack.Rows.Count,
            rows.Count(r => r.DividendAmount > 0), rows.Count(r => r.SplitCoefficient != 1.0), agreeing, worst, worstDate);
        return (result, null);
    }

    /// <summary>Writes LEAN's daily zip: one entry <c>&lt;ticker&gt;.csv</c>, rows <c>yyyyMMdd 00:00,o,h,l,c,v</c>, prices × 10,000.</summary>
    internal static void WriteDailyZip(Stream destination, string ticker, IReadOnlyList<DailyPriceRow> rows)
    {
        using var zip = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        var entry = zip.CreateEntry(ticker + ".csv", CompressionLevel.Optimal);
        entry.LastWriteTime = ZipEntryTime;
        using var writer = new StreamWriter(entry.Open(), new UTF8Encoding(false));
        foreach (var r in rows)
        {
            writer.Write(r.Date.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
            writer.Write(" 00:00,");
            writer.Write(Scaled(r.Open)); writer.Write(',');
            writer.Write(Scaled(r.High)); writer.Write(',');
            writer.Write(Scaled(r.Low)); writer.Write(',');
            writer.Write(Scaled(r.Close)); writer.Write(',');
            writer.Write(r.Volume.ToString(CultureInfo.InvariantCulture));
            writer.Write('\n');
        }
    }

    /// <summary>Dollars → LEAN's integer price (× 10,000), rounded to nearest, midpoint away from zero.</summary>
    internal static string Scaled(decimal dollars) =>
        ((long)decimal.Round(dollars * 10_000m, 0, MidpointRounding.AwayFromZero)).ToString(CultureInfo.InvariantCulture);

    private static void WriteText(Stream stream, Action<TextWriter> write)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
        write(writer);
    }

    /// <summary>Creates <paramref name="path"/> (it must not exist), writes it and flushes it to disk.</summary>
    private static void WriteFile(string path, Action<Stream> write)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        write(stream);
        stream.Flush(flushToDisk: true);
    }
}
