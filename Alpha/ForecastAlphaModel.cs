// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using Bar = LeanModels.Models.Data.Bar;
using LeanModels.Models.Forecasting;
using LeanModels.Models.Research;
using QuantConnect;
using QuantConnect.Algorithm;
using QuantConnect.Algorithm.Framework.Alphas;
using QuantConnect.Data;
using QuantConnect.Data.Market;
using QuantConnect.Data.UniverseSelection;

namespace LeanModels.Alpha;

/// <summary>
/// Emits one price insight per security per new daily bar from a cross-sectional return forecaster of <c>Models/</c>
/// (ridge, momentum, reversal or any later <see cref="IReturnForecaster"/>), in the idiom of LEAN's built-in alphas
/// (<c>HistoricalReturnsAlphaModel</c>): per-symbol state created and dropped in <see cref="OnSecuritiesChanged"/>, warmed
/// with one <c>History</c> call, nothing while the algorithm warms up.
/// </summary>
/// <remarks>
/// On each slice that brings new daily bars, the model predicts once for the whole cross-section: a <see cref="Panel"/> of
/// each tracked symbol's last <see cref="InputWindow.TotalBars"/> adjusted bars (the model's declared window: lookback T plus
/// its features' warm-up), the same input the <c>predict</c>
/// command builds from the full history, so the forecasts are bit-identical to it. Each symbol with a new bar gets
/// <c>Insight.Price(symbol, Resolution.Daily, model.Horizon, direction, magnitude, confidence)</c> where magnitude =
/// expm1(forecast log return), a signed simple return over the horizon; a symbol without a usable forecast (NaN, or
/// |magnitude| below <c>minMagnitude</c>) has this model's active insights cancelled instead of a Flat insight. Securities
/// must be subscribed at daily resolution (the models are daily): a security with no daily trade-bar subscription gets
/// no state and no insights, and <c>algorithm.Error</c> says why, once, when it is added. The model is read from a <see cref="ForecasterSlot"/> once
/// per prediction, so a model published by training on another thread is used from the next bar on.
/// </remarks>
public sealed class ForecastAlphaModel : AlphaModel
{
    /// <summary>Fewest bars kept per symbol: what the one-date baselines need (<see cref="FeatureBuilder.WarmUpBars"/> + the decision bar).</summary>
    private const int MinWindowBars = FeatureBuilder.WarmUpBars + 1;

    private readonly ForecasterSlot _forecaster;
    private readonly double _minMagnitude;
    private readonly bool _useAllocation;
    private IReturnForecaster? _warnedNoAllocation;
    private readonly Dictionary<Symbol, SymbolData> _symbolDataBySymbol = new();
    private int _windowBars = MinWindowBars;                    // bars kept per symbol: max(61, the model's InputWindow.TotalBars)

    /// <summary>Initializes a new instance of the <see cref="ForecastAlphaModel"/> class.</summary>
    /// <param name="forecaster">Where the model comes from: <see cref="ForecasterSlot.FromObjectStore"/>, or a slot that
    /// <see cref="WalkForwardTraining"/> fills. An empty slot makes the alpha emit nothing.</param>
    /// <param name="minMagnitude">Smallest |simple return| over the horizon worth an insight, as a fraction; defaults to 0
    /// (every finite non-zero forecast).</param>
    /// <param name="useAllocation">When the model has an allocation head (<see cref="Forecast.Allocation"/>, w ∈ [−1, 1]), emit
    /// it as the insight's <c>Weight</c>: direction = sign(w), Weight = |w|, Magnitude = expm1(forecast) when it has the same
    /// sign (else none); a zero or missing w cancels. <c>AllocationPortfolioConstructionModel</c> then targets w itself
    /// (scaled down only to its caps). Models without the head fall back to magnitudes (said once with <c>Debug</c>).
    /// Defaults to false.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minMagnitude"/> is negative or not finite.</exception>
    public ForecastAlphaModel(ForecasterSlot forecaster, double minMagnitude = 0.0, bool useAllocation = false)
    {
        ArgumentNullException.ThrowIfNull(forecaster);
        if (!double.IsFinite(minMagnitude) || minMagnitude < 0)
            throw new ArgumentOutOfRangeException(nameof(minMagnitude), minMagnitude, "minMagnitude must be a finite fraction ≥ 0.");
        _forecaster = forecaster;
        _minMagnitude = minMagnitude;
        if (forecaster.Current is { } initial) _windowBars = Math.Max(MinWindowBars, initial.Window.TotalBars);
        _useAllocation = useAllocation;
        Name = string.Create(CultureInfo.InvariantCulture,
            $"{nameof(ForecastAlphaModel)}({forecaster.Name},{minMagnitude}{(useAllocation ? ",allocation" : "")})");
    }

    /// <summary>The symbols this alpha currently keeps bars for: added by <see cref="OnSecuritiesChanged"/>, released when LEAN
    /// removes the security. Read on the algorithm thread.</summary>
    public IReadOnlyCollection<Symbol> TrackedSymbols => _symbolDataBySymbol.Keys;

    /// <summary>Takes the new daily bars of <paramref name="data"/>, then (unless warming up) predicts once and emits one insight
    /// or one cancel per symbol that got a new bar.</summary>
    /// <param name="algorithm">The algorithm.</param>
    /// <param name="data">The slice; only its trade bars are read.</param>
    /// <returns>The new insights; empty while warming up, without a model, or without new bars.</returns>
    public override IEnumerable<Insight> Update(QCAlgorithm algorithm, Slice data)
    {
        // A model (e.g. newly published) that declares a longer window than kept: keep more and refill from history first.
        if (_forecaster.Current is { } next && next.Window.TotalBars > _windowBars)
        {
            _windowBars = next.Window.TotalBars;
            foreach (var s in _symbolDataBySymbol.Values) s.Reset(_windowBars);
            WarmUp(algorithm, _symbolDataBySymbol.Keys.ToList());
        }
        var updated = new List<SymbolData>();
        foreach (var symbolData in _symbolDataBySymbol.Values)
        {
            if (data.Bars.TryGetValue(symbolData.Symbol, out var bar) && symbolData.Add(bar)) updated.Add(symbolData);
        }
        if (updated.Count == 0 || algorithm.IsWarmingUp) return Enumerable.Empty<Insight>();
        var model = _forecaster.Current;
        if (model is null) return Enumerable.Empty<Insight>();
        if (model.Window.TotalBars > _windowBars) return Enumerable.Empty<Insight>();  // published between the check above and now

        var ordered = _symbolDataBySymbol.Values.Where(s => s.Count > 0).OrderBy(s => s.Ticker, StringComparer.Ordinal).ToList();
        var window = Panel.FromBars(ordered.Select(s => s.Ticker).ToList(), ordered.Select(s => s.Bars(model.Window.TotalBars)).ToList());
        var forecast = model.Predict(window);
        var row = new Dictionary<string, int>(ordered.Count, StringComparer.Ordinal);
        for (var a = 0; a < forecast.Tickers.Count; a++) row[forecast.Tickers[a]] = a;

        var allocation = _useAllocation ? forecast.Allocation : null;
        if (_useAllocation && allocation is null && !ReferenceEquals(_warnedNoAllocation, model))
        {
            _warnedNoAllocation = model;
            algorithm.Debug($"{Name}: model '{model.Name}' has no allocation head; its insights carry magnitudes instead of weights.");
        }
        var insights = new List<Insight>(updated.Count);
        foreach (var symbolData in updated)
        {
            symbolData.PruneExpired(algorithm.UtcTime);
            var a = row[symbolData.Ticker];
            var magnitude = double.ExpM1(forecast.Mean[a]);        // Insight.Magnitude is a simple return; Models speak log
            var confidence = forecast.Confidence is { } c && double.IsFinite(c[a]) ? Math.Clamp(c[a], 0, 1) : (double?)null;
            Insight insight;
            if (allocation is not null)
            {
                var w = allocation[a];
                if (!double.IsFinite(w) || w == 0)
                {
                    symbolData.CancelInsights(algorithm);
                    continue;
                }
                var up = w > 0;
                double? sameSign = double.IsFinite(magnitude) && magnitude != 0 && magnitude > 0 == up ? magnitude : null;
                insight = Insight.Price(symbolData.Symbol, Resolution.Daily, model.Horizon, up ? InsightDirection.Up : InsightDirection.Down,
                    sameSign, confidence, Name, Math.Abs(w));
            }
            else
            {
                // A bar dated other than the window's last date (a stale symbol) has no forecast for today: NaN in the panel.
                if (!double.IsFinite(magnitude) || magnitude == 0 || Math.Abs(magnitude) < _minMagnitude)
                {
                    symbolData.CancelInsights(algorithm);
                    continue;
                }
                var direction = magnitude > 0 ? InsightDirection.Up : InsightDirection.Down;
                insight = Insight.Price(symbolData.Symbol, Resolution.Daily, model.Horizon, direction, magnitude, confidence, Name);
            }
            symbolData.Emitted.Add(insight);
            insights.Add(insight);
        }
        return insights;
    }

    /// <summary>Drops the state and cancels this model's insights for removed securities; creates state for added ones and warms
    /// it with one <c>History</c> request for all of them.</summary>
    /// <param name="algorithm">The algorithm.</param>
    /// <param name="changes">Added and removed securities.</param>
    public override void OnSecuritiesChanged(QCAlgorithm algorithm, SecurityChanges changes)
    {
        foreach (var removed in changes.RemovedSecurities)
        {
            if (!_symbolDataBySymbol.Remove(removed.Symbol, out var symbolData)) continue;
            symbolData.CancelInsights(algorithm);
        }
        var added = new List<Symbol>();
        foreach (var security in changes.AddedSecurities)
        {
            if (_symbolDataBySymbol.ContainsKey(security.Symbol)) continue;
            if (!security.Subscriptions.Any(c => c.Resolution == Resolution.Daily && c.Type == typeof(TradeBar)))
            {
                // The models are fitted on daily bars and predict() reads daily files: hourly or minute bars consolidated
                // here would differ from them (extended hours, volume), so the forecasts would not be the research ones.
                var resolutions = string.Join(", ", security.Subscriptions.Select(c => $"{c.Resolution} {c.Type.Name}").Distinct());
                algorithm.Error($"{Name}: {security.Symbol.Value} is subscribed at {resolutions}; this alpha needs daily trade bars (AddEquity(ticker, Resolution.Daily) or UniverseSettings.Resolution = Resolution.Daily) and gives it no insights.");
                continue;
            }
            _symbolDataBySymbol[security.Symbol] = new SymbolData(security.Symbol, _windowBars);
            added.Add(security.Symbol);
        }
        WarmUp(algorithm, added);
    }

    /// <summary>Fills the symbols' windows with one <c>History</c> request of the bars kept.</summary>
    private void WarmUp(QCAlgorithm algorithm, List<Symbol> symbols)
    {
        if (symbols.Count == 0) return;
        algorithm.History(symbols, _windowBars, Resolution.Daily).PushThrough(data =>
        {
            if (data is TradeBar bar && _symbolDataBySymbol.TryGetValue(bar.Symbol, out var symbolData)) symbolData.Add(bar);
        });
    }

    /// <summary>One symbol's last <c>capacity</c> daily bars (oldest first) and the insights this model gave it.</summary>
    private sealed class SymbolData(Symbol symbol, int capacity)
    {
        private readonly Queue<Bar> _bars = new(capacity + 1);
        private DateTime _lastEndTime = DateTime.MinValue;
        private int _capacity = capacity;

        public Symbol Symbol { get; } = symbol;

        public string Ticker { get; } = symbol.Value.ToLowerInvariant();

        public int Count => _bars.Count;

        public List<Insight> Emitted { get; } = new();

        /// <summary>Adds a bar newer than the last one; returns false for a bar already seen (history then the same slice) and
        /// for LEAN's fill-forward copies, which the research panel does not have either (nothing is forward-filled there).</summary>
        public bool Add(TradeBar bar)
        {
            if (bar.IsFillForward || bar.EndTime <= _lastEndTime) return false;
            _lastEndTime = bar.EndTime;
            // The bar's start time carries its trading date for LEAN's daily bars (00:00 or 09:30 of that day).
            _bars.Enqueue(new Bar(bar.Time.Date, (double)bar.Open, (double)bar.High, (double)bar.Low, (double)bar.Close, (double)bar.Volume));
            while (_bars.Count > _capacity) _bars.Dequeue();
            return true;
        }

        /// <summary>Forgets the bars (a history request refills them) and keeps up to <paramref name="newCapacity"/> from now on.</summary>
        public void Reset(int newCapacity)
        {
            _capacity = newCapacity;
            _bars.Clear();
            _lastEndTime = DateTime.MinValue;
        }

        public IReadOnlyList<Bar> Bars(int count) => _bars.Skip(Math.Max(0, _bars.Count - count)).ToList();

        public void PruneExpired(DateTime utcTime) =>
            Emitted.RemoveAll(i => i.CloseTimeUtc != default && i.IsExpired(utcTime));

        public void CancelInsights(QCAlgorithm algorithm)
        {
            if (Emitted.Count == 0) return;
            algorithm.Insights.Cancel(Emitted.ToList());
            Emitted.Clear();
        }
    }
}
