using System.Collections.Concurrent;
using System.Globalization;
using LeanModels.Models.Data;
using QuantConnect;
using QuantConnect.Algorithm;
using QuantConnect.Algorithm.Framework.Alphas;
using QuantConnect.Algorithm.Framework.Portfolio;
using QuantConnect.Data;
using QuantConnect.Data.Market;
using QuantConnect.Data.UniverseSelection;
using QuantConnect.Securities;

namespace LeanModels.Tests.LeanFacade;

/// <summary>
/// Drives a facade <see cref="QCAlgorithm"/> through LEAN's framework loop (lean-api.md §3) over real daily bars from
/// ../shared/data/lean (LEAN's Adjusted mode, read by <see cref="LeanDataFolder"/>), one step per trading date at 16:00:
/// scheduled events due that day (at their time of day), security changes (Alpha → PCM → Risk), prices, then on data
/// Alpha.Update → insights initialised and stored → PCM.CreateTargets → Risk.ManageRisk → fills at the close (risk targets
/// win). Warm-up: the first <c>warmUpBars</c> steps run the same loop with IsWarmingUp set and no fills.
/// Simplifications: New York time without DST (UTC = local + 5 h); fills are immediate, whole shares, no fees.
/// </summary>
internal sealed class FrameworkLoop
{
    public static readonly TimeSpan UtcOffset = TimeSpan.FromHours(5);
    public static readonly TimeSpan MarketOpen = new(9, 30, 0);
    public static readonly TimeSpan MarketClose = new(16, 0, 0);

    private static readonly ConcurrentDictionary<string, IReadOnlyList<Bar>> BarCache = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, IReadOnlyList<DecimalBar>> DecimalCache = new(StringComparer.Ordinal);
    private readonly Dictionary<Symbol, IReadOnlyList<Bar>> _bars = new();
    private readonly Dictionary<Symbol, Dictionary<DateOnly, TradeBar>> _tradeBars = new();
    private readonly HashSet<Symbol> _removed = new();
    private List<DateOnly> _calendar = new();

    public FrameworkLoop(QCAlgorithm algorithm)
    {
        Algorithm = algorithm;
        algorithm.FacadeHistory = History;
    }

    public QCAlgorithm Algorithm { get; }

    /// <summary>Adjusted daily bars of one ticker (cached for the whole test run).</summary>
    public static IReadOnlyList<Bar> Bars(string ticker) =>
        BarCache.GetOrAdd(ticker.ToLowerInvariant(), t => new LeanDataFolder(TestPaths.LeanData).ReadEquityBars(t, BarResolution.Daily, PriceAdjustment.Adjusted));

    /// <summary>The ticker's bars in decimal, as a LEAN <c>TradeBar</c> carries them (what the loop feeds the algorithm), cached.
    /// <see cref="Bars"/> is each of these converted with <c>(double)</c>, so the alpha sees exactly the doubles <c>predict</c> reads.</summary>
    public static IReadOnlyList<DecimalBar> DecimalBars(string ticker) =>
        DecimalCache.GetOrAdd(ticker.ToLowerInvariant(), t => new LeanDataFolder(TestPaths.LeanData).ReadEquityDecimalBars(t, BarResolution.Daily, PriceAdjustment.Adjusted));

    public static DateTime LocalClose(DateOnly date) => date.ToDateTime(TimeOnly.MinValue) + MarketClose;

    /// <summary>Runs the loop over the trading dates in [start, end] of the algorithm's equities.</summary>
    /// <param name="start">First date (warm-up included).</param>
    /// <param name="end">Last date.</param>
    /// <param name="warmUpBars">Steps flagged IsWarmingUp at the start.</param>
    /// <param name="removals">Tickers removed from the universe at a date (before that date's data).</param>
    /// <returns>One record per step.</returns>
    public List<Step> Run(DateOnly start, DateOnly end, int warmUpBars, IReadOnlyDictionary<DateOnly, string[]>? removals = null)
    {
        var added = Algorithm.FacadePendingAdditions.ToList();
        Algorithm.FacadePendingAdditions.Clear();
        foreach (var security in added)
        {
            var bars = Bars(security.Symbol.Value);
            _bars[security.Symbol] = bars;
            _tradeBars[security.Symbol] = DecimalBars(security.Symbol.Value).ToDictionary(b => b.Date, b => ToTradeBar(security.Symbol, b));
        }
        _calendar = _bars.Values.SelectMany(b => b.Select(x => x.Date)).Distinct().Order().ToList();
        var steps = new List<Step>();
        var first = true;
        var index = 0;
        foreach (var date in _calendar.Where(d => d >= start && d <= end))
        {
            var warmingUp = index++ < warmUpBars;
            Algorithm.FacadeSetWarmingUp(warmingUp);
            RunScheduledEvents(date);
            SetTime(date, MarketClose);

            SecurityChanges changes = SecurityChanges.None;
            if (first)
            {
                changes = new SecurityChanges(added, []);
                first = false;
            }
            if (removals is not null && removals.TryGetValue(date, out var tickers))
            {
                var removedSecurities = tickers.Select(t => Algorithm.Securities[Symbol.Create(t, SecurityType.Equity, Market.USA)]).ToList();
                foreach (var s in removedSecurities) _removed.Add(s.Symbol);
                changes = new SecurityChanges(changes.AddedSecurities, removedSecurities);
            }

            var today = new List<BaseData>();
            foreach (var (symbol, byDate) in _tradeBars)
            {
                if (_removed.Contains(symbol) || !byDate.TryGetValue(date, out var bar)) continue;
                today.Add(bar);
                Algorithm.Securities[symbol].CurrentPrice = bar.Close;
            }
            if (changes != SecurityChanges.None)
            {
                Algorithm.Alpha?.OnSecuritiesChanged(Algorithm, changes);
                Algorithm.PortfolioConstruction?.OnSecuritiesChanged(Algorithm, changes);
                Algorithm.RiskManagement?.OnSecuritiesChanged(Algorithm, changes);
            }
            var slice = new Slice(Algorithm.Time, today, Algorithm.UtcTime);
            var step = new Step(date, warmingUp, (double)Algorithm.Portfolio.TotalPortfolioValue,
                Algorithm.Securities.Values.ToDictionary(s => s.Symbol, s => s.Holdings.Quantity),
                Algorithm.Securities.Values.ToDictionary(s => s.Symbol, s => s.Price));
            steps.Add(step);
            if (!slice.HasData) continue;

            var insights = Algorithm.Alpha?.Update(Algorithm, slice).ToArray() ?? [];
            foreach (var insight in insights) Initialise(insight, date);
            Algorithm.Insights.AddRange(insights);
            step.Insights.AddRange(insights);
            var targets = Algorithm.PortfolioConstruction?.CreateTargets(Algorithm, insights).ToArray() ?? [];
            step.Targets.AddRange(targets);
            var riskTargets = Algorithm.RiskManagement?.ManageRisk(Algorithm, targets).ToArray() ?? [];
            step.RiskTargets.AddRange(riskTargets);
            step.ActiveAfterRisk = Algorithm.Insights.GetActiveInsights(Algorithm.UtcTime).Select(i => i.Symbol).ToHashSet();
            if (!warmingUp) Fill(riskTargets.Concat(targets).DistinctBy(t => t.Symbol));
        }
        return steps;
    }

    private void SetTime(DateOnly date, TimeSpan timeOfDay)
    {
        var local = date.ToDateTime(TimeOnly.MinValue) + timeOfDay;
        Algorithm.FacadeSetTime(local, local + UtcOffset);
    }

    private void RunScheduledEvents(DateOnly date)
    {
        foreach (var scheduled in Algorithm.FacadeScheduledEvents.ToList())
        {
            var day = date.ToDateTime(TimeOnly.MinValue);
            if (!scheduled.DateRule.GetDates(day, day).Contains(day)) continue;
            var time = scheduled.TimeRule.CreateUtcEventTimes([day]).Single();
            if (time.TimeOfDay > MarketClose) continue;
            SetTime(date, time.TimeOfDay);
            scheduled.Callback();
        }
    }

    /// <summary>What LEAN does to an insight returned by Update (§3 step 12d): times, source model, close after its bars.</summary>
    private void Initialise(Insight insight, DateOnly date)
    {
        insight.GeneratedTimeUtc = Algorithm.UtcTime;
        if (string.IsNullOrEmpty(insight.SourceModel)) insight.SourceModel = (Algorithm.Alpha as INamedModel)?.Name ?? Algorithm.Alpha!.GetType().Name;
        var i = _calendar.BinarySearch(date);
        var closeIndex = i + insight.BarCount;
        var closeDate = closeIndex < _calendar.Count ? _calendar[closeIndex] : _calendar[^1].AddDays(insight.BarCount);
        insight.CloseTimeUtc = LocalClose(closeDate) + UtcOffset;
        insight.Period = insight.CloseTimeUtc - insight.GeneratedTimeUtc;
    }

    private void Fill(IEnumerable<IPortfolioTarget> targets)
    {
        foreach (var target in targets)
        {
            var security = Algorithm.Securities[target.Symbol];
            var delta = target.Quantity - security.Holdings.Quantity;
            Algorithm.Portfolio.CashBalance -= delta * security.Price;
            security.Holdings.SetQuantity(target.Quantity);
        }
    }

    private IEnumerable<Slice> History(IReadOnlyList<Symbol> symbols, int periods, DateTime time)
    {
        var rows = new List<TradeBar>();
        foreach (var symbol in symbols)
        {
            if (!_tradeBars.TryGetValue(symbol, out var byDate)) continue;
            rows.AddRange(byDate.Values.Where(b => b.EndTime <= time).OrderBy(b => b.EndTime).TakeLast(periods));
        }
        return rows.GroupBy(b => b.EndTime).OrderBy(g => g.Key)
            .Select(g => new Slice(g.Key, g.Cast<BaseData>().ToList(), g.Key + UtcOffset)).ToList();
    }

    private static TradeBar ToTradeBar(Symbol symbol, DecimalBar bar) =>
        new(bar.Time.Date + MarketOpen, symbol, bar.Open, bar.High, bar.Low, bar.Close, bar.Volume, MarketClose - MarketOpen);

    /// <summary>One step of the loop: state before execution and what each module returned.</summary>
    internal sealed class Step(DateOnly date, bool warmingUp, double totalPortfolioValue, Dictionary<Symbol, decimal> holdings, Dictionary<Symbol, decimal> prices)
    {
        public DateOnly Date { get; } = date;
        public bool WarmingUp { get; } = warmingUp;
        public double TotalPortfolioValue { get; } = totalPortfolioValue;
        public Dictionary<Symbol, decimal> HoldingsBefore { get; } = holdings;
        public Dictionary<Symbol, decimal> Prices { get; } = prices;
        public List<Insight> Insights { get; } = new();
        public List<IPortfolioTarget> Targets { get; } = new();
        public List<IPortfolioTarget> RiskTargets { get; } = new();
        public HashSet<Symbol> ActiveAfterRisk { get; set; } = new();
    }
}
