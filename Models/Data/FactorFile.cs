using System.Globalization;

namespace LeanModels.Models.Data;

/// <summary>
/// One row of a LEAN factor file (<c>equity/usa/factor_files/&lt;permtick&gt;.csv</c>): <c>yyyyMMdd,priceFactor,splitFactor,referencePrice</c>.
/// The row holds the factors for bars dated after the previous row's date up to and including <see cref="Date"/>
/// (LEAN <c>Common/Data/Auxiliary/CorporateFactorRow.cs</c>).
/// </summary>
/// <param name="Date">Last trading day to which these factors apply (the day before an ex-date).</param>
/// <param name="PriceFactor">Cumulative dividend factor, a fraction: LEAN writes it CRSP style (1 − D / previous close per dividend); files from <c>leanmodels import</c> carry the source's own adjustment instead (Alpha Vantage: C_ex / (C_ex + D)).</param>
/// <param name="SplitFactor">Cumulative split factor (old shares per new share), a fraction.</param>
/// <param name="ReferencePrice">Raw close on <see cref="Date"/> in dollars; 1 on the first row and 0 on the sentinel row by convention.</param>
public sealed record FactorRow(DateOnly Date, double PriceFactor, double SplitFactor, double ReferencePrice)
{
    /// <summary>PriceFactor × SplitFactor: the number LEAN's <c>Adjusted</c> mode multiplies raw prices by.</summary>
    public double PriceScaleFactor => PriceFactor * SplitFactor;
}

/// <summary>
/// A LEAN factor file: rows ascending by date, each giving price and split factors. The adjustment rule is LEAN's
/// (<c>CorporateFactorProvider.GetPriceFactor</c>): a bar dated d uses the earliest row dated ≥ d; bars after the last
/// row use 1. See ../shared/docs/lean-api.md §5.
/// </summary>
public sealed class FactorFile
{
    private readonly FactorRow[] _rows;
    private readonly decimal[] _priceScale;                              // [rows] priceFactor × splitFactor in decimal, as LEAN
    private readonly decimal[] _split;                                   // [rows] splitFactor in decimal

    /// <summary>Initializes a factor file from rows that must be strictly ascending by date.</summary>
    /// <param name="rows">Rows, oldest first; may be empty (no adjustment).</param>
    /// <param name="source">Name used in error messages (file path or ticker).</param>
    /// <exception cref="InvalidDataException">Dates are not strictly ascending, or a factor is not finite and positive; the message names the source and both dates.</exception>
    public FactorFile(IEnumerable<FactorRow> rows, string source = "factor file")
        : this(rows.ToArray(), null, source)
    {
    }

    /// <summary>Rows plus the decimal factors parsed from the file's text (null: converted from the doubles).</summary>
    private FactorFile(FactorRow[] rows, (decimal Price, decimal Split)[]? exact, string source)
    {
        _rows = rows;
        for (var i = 0; i < _rows.Length; i++)
        {
            var r = _rows[i];
            if (!(double.IsFinite(r.PriceFactor) && r.PriceFactor > 0 && double.IsFinite(r.SplitFactor) && r.SplitFactor > 0))
                throw new InvalidDataException($"{source}: row {i + 1} ({r.Date:yyyyMMdd}) has factors {r.PriceFactor}, {r.SplitFactor}; both must be finite and > 0.");
            if (i > 0 && r.Date <= _rows[i - 1].Date)
                throw new InvalidDataException($"{source}: row {i + 1}: date {r.Date:yyyyMMdd} is not after {_rows[i - 1].Date:yyyyMMdd}.");
        }
        Source = source;
        _priceScale = new decimal[_rows.Length];
        _split = new decimal[_rows.Length];
        for (var i = 0; i < _rows.Length; i++)
        {
            var (price, split) = exact?[i] ?? ((decimal)_rows[i].PriceFactor, (decimal)_rows[i].SplitFactor);
            _priceScale[i] = price * split;
            _split[i] = split;
        }
    }

    /// <summary>A factor file with no rows: every factor is 1 (raw = adjusted).</summary>
    public static FactorFile Identity { get; } = new(Array.Empty<FactorRow>(), "identity");

    /// <summary>Where the rows came from, for messages.</summary>
    public string Source { get; }

    /// <summary>The rows, oldest first.</summary>
    public IReadOnlyList<FactorRow> Rows => _rows;

    /// <summary>
    /// Reads a factor file. Like LEAN, rows whose text contains <c>inf</c> or <c>e+</c>, or with a zero factor, are ignored.
    /// </summary>
    /// <param name="path">Path of a <c>factor_files/&lt;ticker&gt;.csv</c>.</param>
    /// <returns>The parsed file.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A row is malformed (the message gives file, line and text) or dates are not ascending.</exception>
    public static FactorFile Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Factor file not found: {path}", path);
        var rows = new List<FactorRow>();
        var exact = new List<(decimal, decimal)>();
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.Contains("inf", StringComparison.OrdinalIgnoreCase) || line.Contains("e+", StringComparison.OrdinalIgnoreCase)) continue;
            var f = line.Split(',');
            if (f.Length < 3
                || !DateOnly.TryParseExact(f[0], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                || !decimal.TryParse(f[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var priceFactor)
                || !decimal.TryParse(f[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var splitFactor))
                throw new InvalidDataException($"{path}:{lineNumber}: expected yyyyMMdd,priceFactor,splitFactor[,referencePrice], found '{line}'.");
            var reference = 0.0;
            if (f.Length > 3 && !double.TryParse(f[3], NumberStyles.Float, CultureInfo.InvariantCulture, out reference))
                throw new InvalidDataException($"{path}:{lineNumber}: reference price '{f[3]}' is not a number.");
            if (priceFactor == 0 || splitFactor == 0) continue;
            rows.Add(new FactorRow(date, (double)priceFactor, (double)splitFactor, reference));
            exact.Add((priceFactor, splitFactor));
        }
        return new FactorFile(rows.ToArray(), exact.ToArray(), path);
    }

    /// <summary>The row that applies to a bar dated <paramref name="date"/>: the earliest row dated ≥ it, or null after the last row.</summary>
    /// <param name="date">Bar date (exchange local).</param>
    /// <returns>The applicable row; null means factor 1.</returns>
    public FactorRow? RowFor(DateOnly date)
    {
        var i = IndexFor(date);
        return i < _rows.Length ? _rows[i] : null;
    }

    /// <summary>LEAN's decimal price scale factor (the file's price factor × split factor, as parsed) for a bar dated <paramref name="date"/>; 1 when no row applies.</summary>
    /// <param name="date">Bar date (exchange local).</param>
    /// <returns>A positive decimal.</returns>
    public decimal PriceScaleFactorDecimal(DateOnly date)
    {
        var i = IndexFor(date);
        return i < _rows.Length ? _priceScale[i] : 1m;
    }

    /// <summary>LEAN's decimal split factor for a bar dated <paramref name="date"/>; 1 when no row applies.</summary>
    /// <param name="date">Bar date (exchange local).</param>
    /// <returns>A positive decimal.</returns>
    public decimal SplitFactorDecimal(DateOnly date)
    {
        var i = IndexFor(date);
        return i < _rows.Length ? _split[i] : 1m;
    }

    private int IndexFor(DateOnly date)
    {
        int lo = 0, hi = _rows.Length;                                  // first index with Date >= date
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_rows[mid].Date < date) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /// <summary>Price scale factor (price factor × split factor) for a bar dated <paramref name="date"/>; LEAN's <c>Adjusted</c> mode.</summary>
    /// <param name="date">Bar date (exchange local).</param>
    /// <returns>A positive fraction; 1 when no row applies.</returns>
    public double PriceScaleFactor(DateOnly date) => RowFor(date)?.PriceScaleFactor ?? 1.0;

    /// <summary>Split factor alone for a bar dated <paramref name="date"/>; LEAN's <c>SplitAdjusted</c> mode.</summary>
    /// <param name="date">Bar date (exchange local).</param>
    /// <returns>A positive fraction; 1 when no row applies.</returns>
    public double SplitFactor(DateOnly date) => RowFor(date)?.SplitFactor ?? 1.0;

    /// <summary>
    /// Writes the rows in LEAN's format (<c>yyyyMMdd,priceFactor,splitFactor,referencePrice</c>, invariant culture, never
    /// in exponent notation, which LEAN would skip).
    /// </summary>
    /// <param name="writer">Destination.</param>
    public void Write(TextWriter writer)
    {
        foreach (var r in _rows)
            writer.Write($"{r.Date:yyyyMMdd},{Format(r.PriceFactor)},{Format(r.SplitFactor)},{Format(r.ReferencePrice)}\n");
    }

    /// <summary>Formats a factor with up to 15 decimals, no exponent, invariant culture.</summary>
    internal static string Format(double x) => x.ToString("0.###############", CultureInfo.InvariantCulture);
}
