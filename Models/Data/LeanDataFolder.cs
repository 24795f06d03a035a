using System.Text.RegularExpressions;

namespace LeanModels.Models.Data;

/// <summary>
/// A LEAN data folder (the CLI's <c>data-folder</c>, LEAN's <c>Data/</c>): reads US-equity daily, hour and minute trade bars
/// through map files (renamed tickers) and factor files (adjustment), and Coinbase-style crypto trade bars. LEAN-free: it
/// parses the files itself, following lean-api.md §5 and ../shared/data/README.md.
/// </summary>
/// <remarks>
/// Equity prices are stored as integers in deci-cents and divided by 10,000 here; crypto prices are plain decimals. Times
/// are exchange local (America/New_York for equities, UTC for crypto). Adjustment follows LEAN's <c>Adjusted</c> mode:
/// a bar dated d is multiplied by the price scale factor of the earliest factor-file row dated ≥ d; volume is divided by
/// the same factor and rounded (LEAN <c>Extensions.Scale</c>).
/// </remarks>
public sealed partial class LeanDataFolder
{
    /// <summary>Opens a data folder.</summary>
    /// <param name="root">The folder holding <c>equity/</c> and/or <c>crypto/</c>.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist; the message gives the full path.</exception>
    public LeanDataFolder(string root)
    {
        Root = Path.GetFullPath(root);
        if (!Directory.Exists(Root)) throw new DirectoryNotFoundException($"LEAN data folder not found: {Root}");
    }

    /// <summary>Full path of the folder.</summary>
    public string Root { get; }

    private string EquityFolder => Path.Combine(Root, "equity", "usa");

    /// <summary>
    /// US-equity tickers with trade data at <paramref name="resolution"/>: every current map file (names ending in a numeric
    /// suffix such as <c>fb.1</c> are delisted securities and skipped) with data for at least one of its tickers, plus data
    /// files that no map file refers to. Sorted, lower case.
    /// </summary>
    /// <param name="resolution">Daily or Hour (minute data is listed per ticker folder).</param>
    /// <returns>Tickers, e.g. <c>aapl</c>, <c>spy</c>.</returns>
    public IReadOnlyList<string> EquityTickers(BarResolution resolution = BarResolution.Daily)
    {
        var dataFolder = Path.Combine(EquityFolder, ResolutionFolder(resolution));
        if (!Directory.Exists(dataFolder)) return Array.Empty<string>();
        var files = resolution == BarResolution.Minute
            ? Directory.GetDirectories(dataFolder).Select(d => Path.GetFileName(d)!.ToLowerInvariant()).ToHashSet()
            : Directory.GetFiles(dataFolder, "*.zip").Select(f => Path.GetFileNameWithoutExtension(f).ToLowerInvariant()).ToHashSet();
        var result = new SortedSet<string>(StringComparer.Ordinal);
        var referenced = new HashSet<string>();
        var mapFolder = Path.Combine(EquityFolder, "map_files");
        if (Directory.Exists(mapFolder))
            foreach (var path in Directory.GetFiles(mapFolder, "*.csv"))
            {
                var name = Path.GetFileNameWithoutExtension(path).ToLowerInvariant();
                var map = MapFile.Read(path);
                var tickers = map.Segments().Select(s => s.Ticker).ToList();
                referenced.UnionWith(tickers);
                if (!DelistedSuffix().IsMatch(name) && tickers.Any(files.Contains)) result.Add(name);
            }
        foreach (var f in files) if (!referenced.Contains(f)) result.Add(f);
        return result.ToList();
    }

    /// <summary>
    /// Reads one US equity's daily or hour trade bars, oldest first, following its map file: each date's bars come from the
    /// file of the ticker in use on that date (so <c>googl</c> before 2014-04-03 reads <c>goog.zip</c>, and <c>wm</c> before
    /// 2009-08-05 reads <c>wmi.zip</c>, not Washington Mutual's rows in <c>wm.zip</c>). Prices are computed in decimal as LEAN
    /// does and converted to double last (<see cref="DecimalBar.ToBar"/>).
    /// </summary>
    /// <param name="ticker">Current ticker, any case (e.g. <c>AAPL</c>).</param>
    /// <param name="resolution"><see cref="BarResolution.Daily"/> or <see cref="BarResolution.Hour"/>.</param>
    /// <param name="adjustment">Price adjustment; LEAN's default for equities is <see cref="PriceAdjustment.Adjusted"/>.</param>
    /// <returns>Bars with strictly increasing times; prices in dollars.</returns>
    /// <exception cref="ArgumentException"><paramref name="resolution"/> is Minute (use <see cref="ReadEquityMinuteBars"/>).</exception>
    /// <exception cref="UnknownTickerException">No map file and no data file for the ticker; lists what exists.</exception>
    /// <exception cref="InvalidDataException">A zip is corrupt or truncated, or a row is malformed (file and line named).</exception>
    public IReadOnlyList<Bar> ReadEquityBars(string ticker, BarResolution resolution = BarResolution.Daily, PriceAdjustment adjustment = PriceAdjustment.Adjusted) =>
        ReadEquityDecimalBars(ticker, resolution, adjustment).Select(b => b.ToBar()).ToList();

    /// <summary>
    /// <see cref="ReadEquityBars"/> in decimal: the exact values a LEAN <c>TradeBar</c> carries (raw deci-cents × 0.0001m ×
    /// the factor file's decimal price scale factor; volume ÷ that factor, rounded half to even). Used to feed LEAN-like
    /// tests and wherever LEAN's decimals must be reproduced.
    /// </summary>
    /// <param name="ticker">Current ticker, any case.</param>
    /// <param name="resolution"><see cref="BarResolution.Daily"/> or <see cref="BarResolution.Hour"/>.</param>
    /// <param name="adjustment">Price adjustment.</param>
    /// <returns>Bars with strictly increasing times.</returns>
    /// <exception cref="ArgumentException"><paramref name="resolution"/> is Minute.</exception>
    /// <exception cref="UnknownTickerException">No map file and no data file for the ticker; lists what exists.</exception>
    /// <exception cref="InvalidDataException">A zip is corrupt or truncated, or a row is malformed (file and line named).</exception>
    public IReadOnlyList<DecimalBar> ReadEquityDecimalBars(string ticker, BarResolution resolution = BarResolution.Daily, PriceAdjustment adjustment = PriceAdjustment.Adjusted)
    {
        if (resolution == BarResolution.Minute)
            throw new ArgumentException("ReadEquityBars reads daily or hour files; use ReadEquityMinuteBars for minute data.", nameof(resolution));
        var (map, factors) = Resolve(ticker, resolution);
        var folder = Path.Combine(EquityFolder, ResolutionFolder(resolution));
        var bars = new List<DecimalBar>();
        foreach (var (from, to, fileTicker) in map.Segments())
        {
            var zip = Path.Combine(folder, fileTicker + ".zip");
            if (!File.Exists(zip)) continue;                       // LEAN also has no data for such a segment
            var (entry, lines) = LeanZip.ReadLines(zip);
            foreach (var bar in LeanZip.ParseTradeBars($"{zip}:{entry}", lines, EquityPriceScale, millisecondsOfDay: false))
            {
                var date = bar.Date;
                if (date < from || date > to) continue;
                bars.Add(Adjust(bar, factors, adjustment));
            }
        }
        return bars;
    }

    /// <summary>Reads one US equity's minute trade bars for one day (extended hours included, as stored).</summary>
    /// <param name="ticker">Current ticker, any case.</param>
    /// <param name="day">Exchange-local date.</param>
    /// <param name="adjustment">Price adjustment.</param>
    /// <returns>Bars oldest first; empty when the file for that day does not exist or the security was not listed then.</returns>
    /// <exception cref="UnknownTickerException">No map file and no data for the ticker.</exception>
    /// <exception cref="InvalidDataException">A zip is corrupt or a row malformed (file and line named).</exception>
    public IReadOnlyList<Bar> ReadEquityMinuteBars(string ticker, DateOnly day, PriceAdjustment adjustment = PriceAdjustment.Adjusted)
    {
        var (map, factors) = Resolve(ticker, BarResolution.Minute);
        var fileTicker = map.TickerOn(day);
        if (fileTicker is null) return Array.Empty<Bar>();
        var zip = Path.Combine(EquityFolder, "minute", fileTicker, $"{day:yyyyMMdd}_trade.zip");
        if (!File.Exists(zip)) return Array.Empty<Bar>();
        var (entry, lines) = LeanZip.ReadLines(zip);
        return LeanZip.ParseTradeBars($"{zip}:{entry}", lines, EquityPriceScale, millisecondsOfDay: true, day)
            .Select(b => Adjust(b, factors, adjustment).ToBar()).ToList();
    }

    /// <summary>Reads crypto trade bars (prices not scaled, UTC, no factor files).</summary>
    /// <param name="market">Exchange folder, e.g. <c>coinbase</c>.</param>
    /// <param name="pair">Pair, e.g. <c>btcusd</c>.</param>
    /// <param name="resolution">Daily reads <c>daily/&lt;pair&gt;_trade.zip</c>; Minute needs <paramref name="day"/>.</param>
    /// <param name="day">The UTC date for minute files.</param>
    /// <returns>Bars oldest first.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A zip is corrupt or a row malformed.</exception>
    public IReadOnlyList<Bar> ReadCryptoBars(string market, string pair, BarResolution resolution, DateOnly day = default)
    {
        pair = pair.ToLowerInvariant();
        var folder = Path.Combine(Root, "crypto", market.ToLowerInvariant());
        var zip = resolution == BarResolution.Minute
            ? Path.Combine(folder, "minute", pair, $"{day:yyyyMMdd}_trade.zip")
            : Path.Combine(folder, ResolutionFolder(resolution), pair + "_trade.zip");
        var (entry, lines) = LeanZip.ReadLines(zip);
        return LeanZip.ParseTradeBars($"{zip}:{entry}", lines, 1m, resolution == BarResolution.Minute, day).Select(b => b.ToBar()).ToList();
    }

    /// <summary>The factor file LEAN would use for <paramref name="ticker"/> (keyed by the map file's name), or the identity.</summary>
    /// <param name="ticker">Current ticker, any case.</param>
    /// <returns>The parsed factor file; <see cref="FactorFile.Identity"/> when none exists.</returns>
    /// <exception cref="InvalidDataException">The factor file is malformed.</exception>
    public FactorFile FactorFileFor(string ticker)
    {
        var path = Path.Combine(EquityFolder, "factor_files", ticker.ToLowerInvariant() + ".csv");
        return File.Exists(path) ? FactorFile.Read(path) : FactorFile.Identity;
    }

    private (MapFile Map, FactorFile Factors) Resolve(string ticker, BarResolution resolution)
    {
        var t = ticker.Trim().ToLowerInvariant();
        var mapPath = Path.Combine(EquityFolder, "map_files", t + ".csv");
        MapFile map;
        if (File.Exists(mapPath)) map = MapFile.Read(mapPath);
        else
        {
            var data = resolution == BarResolution.Minute
                ? Path.Combine(EquityFolder, "minute", t)
                : Path.Combine(EquityFolder, ResolutionFolder(resolution), t + ".zip");
            if (!File.Exists(data) && !Directory.Exists(data))
                throw new UnknownTickerException(ticker, Path.Combine(EquityFolder, ResolutionFolder(resolution)), EquityTickers(resolution));
            map = new MapFile(t, [new MapRow(DateOnly.MinValue, t, null), new MapRow(DateOnly.MaxValue, t, null)], "implicit map");
        }
        return (map, FactorFileFor(t));
    }

    /// <summary>LEAN's equity price scale: prices are stored in deci-cents (<c>TradeBar</c>'s <c>1/10000m</c>).</summary>
    private const decimal EquityPriceScale = 0.0001m;

    private static DecimalBar Adjust(DecimalBar bar, FactorFile factors, PriceAdjustment adjustment)
    {
        if (adjustment == PriceAdjustment.Raw) return bar;
        var f = adjustment == PriceAdjustment.Adjusted ? factors.PriceScaleFactorDecimal(bar.Date) : factors.SplitFactorDecimal(bar.Date);
        if (f == 1m) return bar;
        var volumeFactor = 1m / f;                                         // LEAN Extensions.Scale: volume × (1 / factor), rounded
        return new DecimalBar(bar.Time, bar.Open * f, bar.High * f, bar.Low * f, bar.Close * f, Math.Round(bar.Volume * volumeFactor));
    }

    private static string ResolutionFolder(BarResolution resolution) => resolution switch
    {
        BarResolution.Minute => "minute",
        BarResolution.Hour => "hour",
        BarResolution.Daily => "daily",
        _ => throw new ArgumentOutOfRangeException(nameof(resolution), resolution, "unknown resolution"),
    };

    [GeneratedRegex(@"\.\d+$")]
    private static partial Regex DelistedSuffix();
}
