using System.Globalization;
using System.IO.Compression;
using System.IO.Hashing;

namespace LeanModels.Models.Data;

/// <summary>
/// Reads LEAN data zips: each holds exactly one headerless CSV (lean-api.md §5). Every failure names the file, the entry
/// and the line.
/// </summary>
internal static class LeanZip
{
    /// <summary>Largest entry read (256 MiB; SPY's hour file in ../shared/data/lean holds 2.2 MB).</summary>
    internal const long MaxEntryBytes = 256L << 20;

    /// <summary>Reads all lines of the single CSV entry of <paramref name="zipPath"/>.</summary>
    /// <exception cref="FileNotFoundException">The zip does not exist.</exception>
    /// <exception cref="InvalidDataException">The zip is corrupt or truncated, does not hold exactly one entry, or the entry's
    /// CRC-32 or length differs from what the zip records (file and entry named).</exception>
    public static (string EntryName, List<string> Lines) ReadLines(string zipPath)
    {
        if (!File.Exists(zipPath)) throw new FileNotFoundException($"LEAN data file not found: {zipPath}", zipPath);
        try
        {
            using var archive = ZipFile.OpenRead(zipPath);
            if (archive.Entries.Count != 1)
                throw new InvalidDataException($"{zipPath}: expected exactly one CSV entry, found {archive.Entries.Count}.");
            var entry = archive.Entries[0];
            if (entry.Length > MaxEntryBytes)
                throw new InvalidDataException($"{zipPath}: entry {entry.FullName} claims {entry.Length:N0} bytes, more than the {MaxEntryBytes:N0} a LEAN data file may hold.");
            var bytes = new byte[(int)entry.Length];
            using (var stream = entry.Open())
            {
                var read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
                if (read != bytes.Length || stream.ReadByte() >= 0)
                    throw new InvalidDataException($"{zipPath}: entry {entry.FullName}: the zip records {bytes.Length:N0} bytes, the entry holds {(read != bytes.Length ? read.ToString("N0", CultureInfo.InvariantCulture) : "more")}; the file is damaged.");
            }
            var crc = Crc32.HashToUInt32(bytes);
            if (crc != entry.Crc32)
                throw new InvalidDataException($"{zipPath}: entry {entry.FullName}: CRC-32 {crc:x8} of the data does not match the {entry.Crc32:x8} recorded in the zip; the file is damaged.");
            var lines = new List<string>();
            using var reader = new StreamReader(new MemoryStream(bytes, writable: false));
            while (reader.ReadLine() is { } line) lines.Add(line);
            return (entry.FullName, lines);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(zipPath, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{zipPath}: corrupt or truncated zip ({e.Message}).", e);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{zipPath}: truncated zip ({e.Message}).", e);
        }
    }

    /// <summary>
    /// Parses the bar rows of a LEAN trade file. The first field reads
    /// <c>yyyyMMdd HH:mm</c> for daily/hour files, or milliseconds since midnight of <paramref name="day"/> for minute files.
    /// </summary>
    /// <param name="source">"file:entry" for messages.</param>
    /// <param name="lines">The CSV lines.</param>
    /// <param name="priceScale">Multiplier applied to prices: 0.0001m for equities (deci-cents, LEAN's <c>1/10000m</c>), 1 for crypto.</param>
    /// <param name="millisecondsOfDay">True for minute files (first field = ms since midnight of <paramref name="day"/>).</param>
    /// <param name="day">The file's date, for minute files.</param>
    /// <exception cref="InvalidDataException">A row is malformed, a price not finite and positive, open or close outside
    /// [low, high], or times not ascending. Inconsistent bars are refused, not flagged: none of the 369,329 bars of
    /// ../shared/data/lean (equity daily/hour/minute, crypto) nor of the 2,402,891 S&amp;P 500 CSV rows has one, so one
    /// means a damaged file or a wrong column order, and features such as log(high/low) would silently be wrong.</exception>
    public static List<DecimalBar> ParseTradeBars(string source, List<string> lines, decimal priceScale, bool millisecondsOfDay, DateOnly day = default)
    {
        var bars = new List<DecimalBar>(lines.Count);
        Span<Range> ranges = stackalloc Range[8];
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].AsSpan().Trim();
            if (line.Length == 0) continue;
            var n = line.Split(ranges, ',');
            if (n != 6) throw Malformed(source, i + 1, lines[i], $"expected 6 fields ({(millisecondsOfDay ? "ms" : "yyyyMMdd HH:mm")},open,high,low,close,volume), found {n}");
            DateTime time;
            if (millisecondsOfDay)
            {
                if (!long.TryParse(line[ranges[0]], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) || ms < 0 || ms >= 86_400_000)
                    throw Malformed(source, i + 1, lines[i], "time is not milliseconds since midnight");
                time = day.ToDateTime(TimeOnly.MinValue).AddMilliseconds(ms);
            }
            else if (!DateTime.TryParseExact(line[ranges[0]], "yyyyMMdd HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time))
                throw Malformed(source, i + 1, lines[i], "time is not 'yyyyMMdd HH:mm'");
            var o = Price(source, i + 1, lines[i], line[ranges[1]], priceScale);
            var h = Price(source, i + 1, lines[i], line[ranges[2]], priceScale);
            var l = Price(source, i + 1, lines[i], line[ranges[3]], priceScale);
            var c = Price(source, i + 1, lines[i], line[ranges[4]], priceScale);
            if (!decimal.TryParse(line[ranges[5]], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || v < 0)
                throw Malformed(source, i + 1, lines[i], "volume is not a finite number ≥ 0");
            if (bars.Count > 0 && time <= bars[^1].Time)
                throw Malformed(source, i + 1, lines[i], $"time {time:yyyy-MM-dd HH:mm} is not after the previous row's {bars[^1].Time:yyyy-MM-dd HH:mm}");
            if (l > h || o < l || o > h || c < l || c > h)
                throw Malformed(source, i + 1, lines[i], "inconsistent prices: need low ≤ open, close ≤ high");
            bars.Add(new DecimalBar(time, o, h, l, c, v));
        }
        return bars;
    }

    private static decimal Price(string source, int line, string text, ReadOnlySpan<char> field, decimal scale)
    {
        if (!decimal.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) || p <= 0)
            throw Malformed(source, line, text, $"price '{field}' is not a finite number > 0");
        return p * scale;
    }

    private static InvalidDataException Malformed(string source, int line, string text, string what) =>
        new($"{source}:{line}: {what}: '{text}'");
}
