using System.Globalization;

namespace LeanModels.Models.Data;

/// <summary>
/// One row of a LEAN map file (<c>equity/usa/map_files/&lt;ticker&gt;.csv</c>): <c>yyyyMMdd,ticker[,primaryExchange[,mappingMode]]</c>.
/// The first row is the first date of the security; every later row gives the ticker in use up to and including its date.
/// </summary>
/// <param name="Date">Last date (inclusive) on which <paramref name="Ticker"/> was used; 2050-12-31 for the current ticker.</param>
/// <param name="Ticker">Lower-case ticker as traded, which is also the data file name for those dates.</param>
/// <param name="Exchange">Primary exchange code (Q NASDAQ, N NYSE, P NYSE Arca, Z BATS), or null when absent.</param>
public sealed record MapRow(DateOnly Date, string Ticker, string? Exchange);

/// <summary>
/// A LEAN map file: which ticker (and so which data file) a security traded under on each date
/// (LEAN <c>Common/Data/Auxiliary/MapFile.cs</c>; ../shared/docs/lean-api.md §5). The ticker for date d is the one of the
/// earliest row dated ≥ d; before the first row the security does not exist yet, after the last it is delisted.
/// </summary>
public sealed class MapFile
{
    private readonly MapRow[] _rows;

    /// <summary>Initializes a map file from rows that must be strictly ascending by date.</summary>
    /// <param name="permtick">The file's name without <c>.csv</c> (e.g. <c>googl</c>, <c>fb.1</c>); factor files use the same name.</param>
    /// <param name="rows">At least one row, oldest first.</param>
    /// <param name="source">Name used in error messages.</param>
    /// <exception cref="InvalidDataException">No rows, or dates not strictly ascending; the message names the source.</exception>
    public MapFile(string permtick, IEnumerable<MapRow> rows, string source = "map file")
    {
        Permtick = permtick;
        _rows = rows.ToArray();
        if (_rows.Length == 0) throw new InvalidDataException($"{source}: map file has no rows.");
        for (var i = 1; i < _rows.Length; i++)
            if (_rows[i].Date < _rows[i - 1].Date)
                throw new InvalidDataException($"{source}: row {i + 1}: date {_rows[i].Date:yyyyMMdd} is before {_rows[i - 1].Date:yyyyMMdd}.");
    }

    /// <summary>The map file's name without extension; LEAN keys factor files by it.</summary>
    public string Permtick { get; }

    /// <summary>The rows, oldest first.</summary>
    public IReadOnlyList<MapRow> Rows => _rows;

    /// <summary>First date of the security (the first row's date).</summary>
    public DateOnly FirstDate => _rows[0].Date;

    /// <summary>Last date of the security (the last row's date; 2050-12-31 while it still trades).</summary>
    public DateOnly LastDate => _rows[^1].Date;

    /// <summary>Reads a map file.</summary>
    /// <param name="path">Path of a <c>map_files/&lt;ticker&gt;.csv</c>.</param>
    /// <returns>The parsed file, named after the file.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A row is malformed (the message gives file, line and text), or no rows.</exception>
    public static MapFile Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Map file not found: {path}", path);
        var rows = new List<MapRow>();
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0) continue;
            var f = line.Split(',');
            if (f.Length < 2 || f[1].Length == 0
                || !DateOnly.TryParseExact(f[0], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                throw new InvalidDataException($"{path}:{lineNumber}: expected yyyyMMdd,ticker[,exchange], found '{line}'.");
            rows.Add(new MapRow(date, f[1].Trim().ToLowerInvariant(), f.Length > 2 && f[2].Length > 0 ? f[2].Trim() : null));
        }
        return new MapFile(Path.GetFileNameWithoutExtension(path).ToLowerInvariant(), rows, path);
    }

    /// <summary>The ticker in use on <paramref name="date"/>, or null before the first date or after the last.</summary>
    /// <param name="date">Exchange-local date.</param>
    /// <returns>Lower-case ticker, which names the data file for that date.</returns>
    public string? TickerOn(DateOnly date)
    {
        if (date < FirstDate || date > LastDate) return null;
        foreach (var r in _rows) if (r.Date >= date) return r.Ticker;
        return null;
    }

    /// <summary>
    /// The date ranges of each ticker, oldest first: (first date, last date inclusive, ticker). Consecutive rows with the
    /// same ticker are merged.
    /// </summary>
    /// <returns>Segments covering [<see cref="FirstDate"/>, <see cref="LastDate"/>] without gaps or overlaps.</returns>
    public IReadOnlyList<(DateOnly From, DateOnly To, string Ticker)> Segments()
    {
        var segments = new List<(DateOnly From, DateOnly To, string Ticker)>();
        var from = FirstDate;
        for (var i = 0; i < _rows.Length; i++)
        {
            var to = _rows[i].Date;
            if (i > 0 && to < from) continue;                          // duplicate date rows
            if (segments.Count > 0 && segments[^1].Ticker == _rows[i].Ticker)
                segments[^1] = (segments[^1].From, to, _rows[i].Ticker);
            else
                segments.Add((from, to, _rows[i].Ticker));
            if (to == DateOnly.MaxValue) break;
            from = to.AddDays(1);
        }
        return segments;
    }

    /// <summary>Writes the rows in LEAN's format (<c>yyyyMMdd,ticker[,exchange]</c>).</summary>
    /// <param name="writer">Destination.</param>
    public void Write(TextWriter writer)
    {
        foreach (var r in _rows)
            writer.Write(r.Exchange is null ? $"{r.Date:yyyyMMdd},{r.Ticker}\n" : $"{r.Date:yyyyMMdd},{r.Ticker},{r.Exchange}\n");
    }
}
