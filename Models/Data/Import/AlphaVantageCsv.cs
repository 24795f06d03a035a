using System.Globalization;
using System.Text.RegularExpressions;

namespace LeanModels.Models.Data.Import;

/// <summary>
/// Reader and validator for Alpha Vantage <c>TIME_SERIES_DAILY_ADJUSTED</c> CSV files, plain (<c>*.csv</c>) or gzip
/// (<c>*.csv.gz</c>), as in ../shared/data/sp500 (data/README.md §2).
/// </summary>
public static partial class AlphaVantageCsv
{
    /// <summary>The header line every file must start with.</summary>
    public const string Header = "timestamp,open,high,low,close,adjusted_close,volume,dividend_amount,split_coefficient";

    /// <summary>Errors listed per file before the rest are only counted.</summary>
    public const int MaxErrorsPerFile = 10;

    /// <summary>
    /// LEAN's factor and map files end with a 2050-12-31 sentinel row; data must be dated before it.
    /// </summary>
    internal static readonly DateOnly Sentinel = new(2050, 12, 31);

    /// <summary>
    /// The lower-case ticker a file name stands for: <c>DA-&lt;TICKER&gt;-T-yyyy-MM-dd.csv[.gz]</c> → <c>&lt;ticker&gt;</c>
    /// (dots kept: <c>DA-BRK.B-T-2021-04-21.csv.gz</c> → <c>brk.b</c>); any other <c>*.csv</c> / <c>*.csv.gz</c> → its
    /// stem lower-cased (<c>KO.csv</c> → <c>ko</c>).
    /// </summary>
    /// <param name="fileName">File name, with or without folder.</param>
    /// <returns>The ticker, which names the LEAN files (<c>daily/&lt;ticker&gt;.zip</c> etc.).</returns>
    /// <exception cref="ArgumentException">The name does not end in <c>.csv</c> or <c>.csv.gz</c>, or the ticker is empty or
    /// has characters other than a–z, 0–9, '.', '-' and '_'; the message gives the name.</exception>
    public static string TickerFromFileName(string fileName)
    {
        var name = Path.GetFileName(fileName);
        var match = AlphaVantageName().Match(name);
        string ticker;
        if (match.Success) ticker = match.Groups[1].Value;
        else if (name.EndsWith(".csv.gz", StringComparison.OrdinalIgnoreCase)) ticker = name[..^".csv.gz".Length];
        else if (name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) ticker = name[..^".csv".Length];
        else throw new ArgumentException($"'{name}': expected a *.csv or *.csv.gz file name.", nameof(fileName));
        ticker = ticker.ToLowerInvariant();
        if (!SafeTicker().IsMatch(ticker))
            throw new ArgumentException($"'{name}': ticker '{ticker}' must be non-empty, start with a letter or digit and use only a-z, 0-9, '.', '-', '_'.", nameof(fileName));
        return ticker;
    }

    /// <summary>
    /// Reads and validates a whole file. Rows may be in ascending or descending date order (they are returned ascending);
    /// duplicate dates are an error. Checks per row: 9 fields; date <c>yyyy-MM-dd</c> before 2050-12-31; open, high,
    /// low, close, adjusted_close finite and &gt; 0; high ≥ max(open, close) and low ≤ min(open, close) (the S&amp;P files
    /// satisfy this on every row, data/README.md §2); volume an integer ≥ 0; dividend_amount finite ≥ 0;
    /// split_coefficient finite &gt; 0. Blank lines are skipped; <c>\r\n</c> line ends are accepted.
    /// </summary>
    /// <param name="path">Path of a <c>*.csv</c> or <c>*.csv.gz</c> file (gzip is chosen by the <c>.gz</c> extension; its trailer's
    /// CRC-32 and length are verified by <see cref="IO.VerifiedGzipStream"/>, so a file cut short is refused as truncated).</param>
    /// <returns>[N] rows, oldest first, N ≥ 1.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not price data (wrong or missing header, e.g. an Alpha Vantage
    /// JSON error message), has no data rows, or has bad rows. The message names the file and, for every bad row (up to
    /// <see cref="MaxErrorsPerFile"/>, then a count), its line number, what is wrong and the row's text.</exception>
    public static IReadOnlyList<DailyPriceRow> Read(string path)
    {
        var errors = new List<string>();
        var rows = Parse(path, errors, out var errorCount);
        if (errorCount > 0) throw new InvalidDataException(FormatErrors(errors, errorCount));
        return rows;
    }

    /// <summary>Joins up to <see cref="MaxErrorsPerFile"/> messages and says how many more there were.</summary>
    internal static string FormatErrors(IReadOnlyList<string> errors, int errorCount)
    {
        var text = string.Join("\n", errors);
        return errorCount > errors.Count ? $"{text}\n... and {errorCount - errors.Count} more bad rows." : text;
    }

    /// <summary>
    /// Parses and validates; appends up to <see cref="MaxErrorsPerFile"/> messages to <paramref name="errors"/> and counts
    /// all of them in <paramref name="errorCount"/>. The returned rows are meaningful only when the count is 0.
    /// </summary>
    internal static List<DailyPriceRow> Parse(string path, List<string> errors, out int errorCount)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"CSV file not found: {path}", path);
        var name = Path.GetFileName(path);
        var count = 0;
        void Error(string message)
        {
            count++;
            if (errors.Count < MaxErrorsPerFile) errors.Add($"{name}:{message}");
        }

        var rows = new List<DailyPriceRow>();
        using (var stream = OpenText(path))
        {
            var lineNumber = 0;
            var sawHeader = false;
            while (stream.ReadLine() is { } raw)
            {
                lineNumber++;
                var line = raw.Trim();
                if (!sawHeader)
                {
                    if (line.Length == 0) continue;
                    if (!string.Equals(line, Header, StringComparison.OrdinalIgnoreCase))
                    {
                        Error($"{lineNumber}: not Alpha Vantage daily-adjusted price data: expected the header '{Header}', found '{Shorten(line)}'.");
                        errorCount = count;
                        return rows;
                    }
                    sawHeader = true;
                    continue;
                }
                if (line.Length == 0) continue;
                if (TryParseRow(line, lineNumber, out var row, out var why)) rows.Add(row!);
                else Error($"{lineNumber}: {why}: '{Shorten(line)}'");
            }
            if (!sawHeader) Error("1: empty file; expected the header '" + Header + "'.");
            else if (rows.Count == 0 && count == 0) Error($"{lineNumber}: no data rows after the header.");
        }

        rows.Sort((a, b) => a.Date.CompareTo(b.Date));
        for (var i = 1; i < rows.Count; i++)
            if (rows[i].Date == rows[i - 1].Date)
            {
                var (first, second) = rows[i].LineNumber < rows[i - 1].LineNumber ? (rows[i], rows[i - 1]) : (rows[i - 1], rows[i]);
                Error($"{second.LineNumber}: duplicate date {second.Date:yyyy-MM-dd}, already on line {first.LineNumber}.");
            }
        errorCount = count;
        return rows;
    }

    private static StreamReader OpenText(string path)
    {
        Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new IO.VerifiedGzipStream(path)                    // checks the gzip trailer (CRC-32, length): a cut file is refused
            : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return new StreamReader(stream);
    }

    private static bool TryParseRow(string line, int lineNumber, out DailyPriceRow? row, out string why)
    {
        row = null;
        var f = line.Split(',');
        if (f.Length != 9) { why = $"expected 9 fields ({Header}), found {f.Length}"; return false; }
        if (!DateOnly.TryParseExact(f[0].Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        { why = $"timestamp '{f[0]}' is not a yyyy-MM-dd date"; return false; }
        if (date >= Sentinel) { why = $"date {date:yyyy-MM-dd} is not before LEAN's sentinel date 2050-12-31"; return false; }
        if (!TryPrice(f[1], "open", out var open, out why)
            || !TryPrice(f[2], "high", out var high, out why)
            || !TryPrice(f[3], "low", out var low, out why)
            || !TryPrice(f[4], "close", out var close, out why))
            return false;
        if (!TryPositiveDouble(f[5], "adjusted_close", out var adjusted, out why)) return false;
        if (!decimal.TryParse(f[6].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var volumeDecimal)
            || volumeDecimal < 0 || volumeDecimal != decimal.Truncate(volumeDecimal) || volumeDecimal > long.MaxValue)
        { why = $"volume '{f[6]}' is not an integer ≥ 0"; return false; }
        if (!double.TryParse(f[7].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var dividend) || !double.IsFinite(dividend) || dividend < 0)
        { why = $"dividend_amount '{f[7]}' is not a finite number ≥ 0"; return false; }
        if (!TryPositiveDouble(f[8], "split_coefficient", out var split, out why)) return false;
        if (high < Math.Max(open, close) || low > Math.Min(open, close))
        { why = $"inconsistent prices: need low ≤ min(open, close) and high ≥ max(open, close), found open {open}, high {high}, low {low}, close {close}"; return false; }
        row = new DailyPriceRow(date, open, high, low, close, adjusted, (long)volumeDecimal, dividend, split, lineNumber);
        why = "";
        return true;
    }

    /// <summary>A raw price: a finite decimal &gt; 0 whose × 10,000 integer fits LEAN's long prices.</summary>
    private static bool TryPrice(string text, string column, out decimal value, out string why)
    {
        why = "";
        if (decimal.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value > 0 && value < 1e12m) return true;
        why = $"{column} '{text}' is not a price in (0, 1e12) dollars";
        return false;
    }

    private static bool TryPositiveDouble(string text, string column, out double value, out string why)
    {
        why = "";
        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value) && value > 0) return true;
        why = $"{column} '{text}' is not a finite number > 0";
        return false;
    }

    private static string Shorten(string line) => line.Length <= 200 ? line : line[..200] + "...";

    [GeneratedRegex(@"^DA-(.+)-T-\d{4}-\d{2}-\d{2}\.csv(\.gz)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AlphaVantageName();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._\-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeTicker();
}
