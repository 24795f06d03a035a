using System.Runtime.ExceptionServices;
using LeanModels.Models.Data;

namespace LeanModels.Models.Research;

/// <summary>
/// Adjusted daily OHLCV of several assets aligned on the union of their trading dates, with an availability mask. An asset
/// without a bar on a date (before listing, after delisting, or a missing day) is unavailable there: its prices are NaN and
/// nothing is forward-filled. Arrays are [D, A] row-major (index d·A + a), dates oldest first.
/// </summary>
public sealed class Panel
{
    private Panel(DateOnly[] dates, string[] tickers)
    {
        Dates = dates;
        Tickers = tickers;
        var n = dates.Length * tickers.Length;
        Open = new double[n];
        High = new double[n];
        Low = new double[n];
        Close = new double[n];
        Volume = new double[n];
        Available = new bool[n];
        Array.Fill(Open, double.NaN);
        Array.Fill(High, double.NaN);
        Array.Fill(Low, double.NaN);
        Array.Fill(Close, double.NaN);
        Array.Fill(Volume, double.NaN);
    }

    /// <summary>[D] the union calendar, strictly ascending.</summary>
    public IReadOnlyList<DateOnly> Dates { get; }

    /// <summary>[A] tickers, lower case, in the order given.</summary>
    public IReadOnlyList<string> Tickers { get; }

    /// <summary>D, the number of dates.</summary>
    public int DateCount => Dates.Count;

    /// <summary>A, the number of assets.</summary>
    public int AssetCount => Tickers.Count;

    /// <summary>[D, A] adjusted open in dollars; NaN where unavailable.</summary>
    public double[] Open { get; }

    /// <summary>[D, A] adjusted high in dollars; NaN where unavailable.</summary>
    public double[] High { get; }

    /// <summary>[D, A] adjusted low in dollars; NaN where unavailable.</summary>
    public double[] Low { get; }

    /// <summary>[D, A] adjusted close in dollars; NaN where unavailable.</summary>
    public double[] Close { get; }

    /// <summary>[D, A] adjusted volume in shares; NaN where unavailable.</summary>
    public double[] Volume { get; }

    /// <summary>[D, A] true where the asset has a bar on that date.</summary>
    public bool[] Available { get; }

    /// <summary>Index of the first date ≥ <paramref name="date"/>, or <see cref="DateCount"/> when none.</summary>
    /// <param name="date">A calendar date.</param>
    /// <returns>A date index in [0, D].</returns>
    public int IndexOnOrAfter(DateOnly date)
    {
        var i = 0;
        while (i < Dates.Count && Dates[i] < date) i++;
        return i;
    }

    /// <summary>Aligns per-asset daily bars on the union of their dates.</summary>
    /// <param name="tickers">[A] asset names.</param>
    /// <param name="bars">[A] bar lists, each strictly ascending by date (as <see cref="LeanDataFolder"/> returns them).</param>
    /// <returns>The aligned panel.</returns>
    /// <exception cref="ArgumentException">Counts differ, a ticker repeats, or an asset's bars are not strictly ascending by date.</exception>
    public static Panel FromBars(IReadOnlyList<string> tickers, IReadOnlyList<IReadOnlyList<Bar>> bars)
    {
        if (tickers.Count != bars.Count)
            throw new ArgumentException($"Panel: {tickers.Count} tickers but {bars.Count} bar lists.", nameof(bars));
        var duplicate = tickers.GroupBy(t => t, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Panel: ticker '{duplicate.Key}' is given twice.", nameof(tickers));
        var calendar = new SortedSet<DateOnly>();
        for (var a = 0; a < bars.Count; a++)
            for (var i = 0; i < bars[a].Count; i++)
            {
                if (i > 0 && bars[a][i].Date <= bars[a][i - 1].Date)
                    throw new ArgumentException($"Panel: {tickers[a]} bar {i} dated {bars[a][i].Date} is not after {bars[a][i - 1].Date}.", nameof(bars));
                calendar.Add(bars[a][i].Date);
            }
        var panel = new Panel(calendar.ToArray(), tickers.Select(t => t.ToLowerInvariant()).ToArray());
        var index = new Dictionary<DateOnly, int>(panel.DateCount);
        for (var d = 0; d < panel.DateCount; d++) index[panel.Dates[d]] = d;
        var count = panel.AssetCount;
        for (var a = 0; a < count; a++)
            foreach (var bar in bars[a])
            {
                var k = index[bar.Date] * count + a;
                panel.Open[k] = bar.Open;
                panel.High[k] = bar.High;
                panel.Low[k] = bar.Low;
                panel.Close[k] = bar.Close;
                panel.Volume[k] = bar.Volume;
                panel.Available[k] = true;
            }
        return panel;
    }

    /// <summary>
    /// Loads adjusted daily bars (LEAN's <c>Adjusted</c> mode) for <paramref name="tickers"/> from a LEAN data folder, keeping
    /// bars dated ≤ <paramref name="end"/> only (so nothing after the research range can leak in), and aligns them.
    /// </summary>
    /// <param name="folder">The LEAN data folder.</param>
    /// <param name="tickers">[A] tickers; ≥ 1.</param>
    /// <param name="end">Last date loaded, inclusive.</param>
    /// <param name="progress">Receives the number of assets loaded so far; may be null.</param>
    /// <returns>The panel.</returns>
    /// <exception cref="UnknownTickerException">A ticker has no data; the message lists what exists.</exception>
    /// <exception cref="InvalidDataException">A data file is corrupt or malformed (file and line named).</exception>
    public static Panel Load(LeanDataFolder folder, IReadOnlyList<string> tickers, DateOnly end, IProgress<int>? progress = null)
    {
        var bars = new IReadOnlyList<Bar>[tickers.Count];
        var errors = new Exception?[tickers.Count];
        var done = 0;
        Parallel.For(0, tickers.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, a =>
        {
            try
            {
                bars[a] = folder.ReadEquityBars(tickers[a], BarResolution.Daily, PriceAdjustment.Adjusted).Where(b => b.Date <= end).ToList();
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnknownTickerException)
            {
                errors[a] = e;
            }
            progress?.Report(Interlocked.Increment(ref done));
        });
        // Report the first failing ticker in the order given, whatever order the threads ran in.
        if (errors.FirstOrDefault(e => e is not null) is { } error) ExceptionDispatchInfo.Capture(error).Throw();
        return FromBars(tickers, bars);
    }
}
