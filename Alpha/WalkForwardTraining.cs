// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using Bar = LeanModels.Models.Data.Bar;
using LeanModels.Models.Forecasting;
using LeanModels.Models.Research;
using QuantConnect;
using QuantConnect.Algorithm;
using QuantConnect.Data;
using QuantConnect.Data.Market;
using QuantConnect.Scheduling;

namespace LeanModels.Alpha;

/// <summary>
/// Refits a forecaster inside LEAN, walk-forward: each run requests the last <c>historyBars</c> daily bars of the
/// algorithm's equities from <c>History</c> (data up to the current <c>Time</c>, nothing later), trains with
/// <see cref="ForecasterTraining.Fit"/> (the last H + 1 dates are purged, as in <c>research</c>), and publishes the model
/// to a <see cref="ForecasterSlot"/> with one atomic reference write. A failed or timed-out run keeps the previous model
/// and says why through <c>algorithm.Error</c>; a success is reported with <c>algorithm.Debug</c>.
/// </summary>
/// <remarks>
/// Scheduled with <c>algorithm.Train(dateRule, timeRule, …)</c> (<see cref="Schedule"/>). In backtests LEAN runs it on the
/// algorithm thread; in live mode on its "RealTime Thread" while <c>Update</c> runs (lean-api.md §4). The run never mutates
/// anything the alpha reads: it builds a new immutable model and swaps it in. A run that exceeds <c>timeout</c> is
/// abandoned (its result, should it arrive later, is dropped).
/// </remarks>
public sealed class WalkForwardTraining
{
    private readonly ForecasterSlot _slot;
    private readonly IForecasterTrainer _trainer;
    private readonly int _horizon;
    private readonly int _trainWindow;
    private readonly int _historyBars;
    private readonly TimeSpan _timeout;
    private DateTime _lastTrainedBarDate = DateTime.MinValue;

    /// <summary>Initializes a new instance of the <see cref="WalkForwardTraining"/> class.</summary>
    /// <param name="slot">Receives each trained model.</param>
    /// <param name="trainer">A trainer from <see cref="ForecasterCatalog.CreateTrainer"/>.</param>
    /// <param name="horizon">H, forecast horizon in daily bars (≥ 1); defaults to 5.</param>
    /// <param name="trainWindow">Most recent usable training dates (≥ 1); defaults to 500.</param>
    /// <param name="historyBars">Daily bars requested per symbol (≥ trainWindow + 61 + H + 2 to use the whole window);
    /// defaults to 756, three years.</param>
    /// <param name="timeoutSeconds">A run taking longer is abandoned and the previous model kept (&gt; 0); defaults to 600.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count or the timeout is out of range.</exception>
    public WalkForwardTraining(ForecasterSlot slot, IForecasterTrainer trainer, int horizon = 5, int trainWindow = 500,
        int historyBars = 756, double timeoutSeconds = 600)
    {
        ArgumentNullException.ThrowIfNull(slot);
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(trainWindow, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(historyBars, FeatureBuilder.WarmUpBars + horizon + 3);
        if (!(timeoutSeconds > 0)) throw new ArgumentOutOfRangeException(nameof(timeoutSeconds), timeoutSeconds, "timeoutSeconds must be > 0.");
        _slot = slot;
        _trainer = trainer;
        _horizon = horizon;
        _trainWindow = trainWindow;
        _historyBars = historyBars;
        _timeout = TimeSpan.FromSeconds(timeoutSeconds);
    }

    /// <summary>Schedules <see cref="Run"/> with <c>algorithm.Train(dateRule, timeRule, …)</c>.</summary>
    /// <param name="algorithm">The algorithm.</param>
    /// <param name="dateRule">When to retrain, e.g. <c>DateRules.WeekStart()</c>.</param>
    /// <param name="timeRule">At what time, e.g. <c>TimeRules.At(7, 0)</c>.</param>
    /// <returns>LEAN's scheduled event.</returns>
    public ScheduledEvent Schedule(QCAlgorithm algorithm, IDateRule dateRule, ITimeRule timeRule)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        return algorithm.Train(dateRule, timeRule, () => Run(algorithm));
    }

    /// <summary>Trains once on the history up to now and publishes the model; never throws for a failed fit.</summary>
    /// <param name="algorithm">The algorithm (its equities and <c>History</c>).</param>
    /// <returns>True when a new model was published; false when the previous one was kept (the reason is in <c>algorithm.Error</c>).</returns>
    public bool Run(QCAlgorithm algorithm)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        var now = algorithm.Time;
        try
        {
            var symbols = algorithm.Securities.Keys.Where(s => s.SecurityType == SecurityType.Equity).ToList();
            var history = algorithm.History(symbols, _historyBars, Resolution.Daily);
            var panel = ToPanel(history, symbols);
            if (panel.DateCount > 0 && panel.Dates[^1].ToDateTime(TimeOnly.MinValue) <= _lastTrainedBarDate)
            {
                // After the data ends (or on a holiday run) the window is the one the current model was fitted on.
                algorithm.Debug(string.Create(CultureInfo.InvariantCulture,
                    $"{nameof(WalkForwardTraining)} {_slot.Name} at {now:yyyy-MM-dd HH:mm}: no bar after {_lastTrainedBarDate:yyyy-MM-dd} since the last training; keeping model version {_slot.Version}."));
                return false;
            }
            var fit = Task.Run(() => ForecasterTraining.Fit(panel, _trainer, _horizon, _trainWindow));
            if (!fit.Wait(_timeout))
            {
                algorithm.Error(string.Create(CultureInfo.InvariantCulture,
                    $"{nameof(WalkForwardTraining)} {_slot.Name} at {now:yyyy-MM-dd HH:mm}: training took longer than {_timeout.TotalSeconds} s; keeping model version {_slot.Version}."));
                return false;
            }
            var trained = fit.Result;
            _slot.Publish(trained.Model);
            _lastTrainedBarDate = panel.Dates[^1].ToDateTime(TimeOnly.MinValue);
            algorithm.Debug(string.Create(CultureInfo.InvariantCulture,
                $"{nameof(WalkForwardTraining)} {_slot.Name} at {now:yyyy-MM-dd HH:mm}: trained on {trained.Training.Dates} dates {trained.Training.From:yyyy-MM-dd}..{trained.Training.To:yyyy-MM-dd}, {panel.AssetCount} assets; model version {_slot.Version}."));
            return true;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or AggregateException or InvalidDataException)
        {
            var reason = e is AggregateException { InnerException: { } inner } ? inner.Message : e.Message;
            algorithm.Error($"{nameof(WalkForwardTraining)} {_slot.Name} at {now:yyyy-MM-dd HH:mm}: training failed, keeping model version {_slot.Version}: {reason}");
            return false;
        }
    }

    /// <summary>Daily trade bars of a history request → a panel of adjusted bars, one asset per security, tickers in ordinal order.</summary>
    /// <remarks>Bars are keyed by security identifier, not by ticker: LEAN's <c>History</c> labels a renamed security's older
    /// bars with the ticker of their date (GOOG's bars before 2014-04-03 come as GOOCV, same identifier), and keying by
    /// ticker would split one asset in two. Each asset is named by the algorithm's current ticker of its identifier.</remarks>
    private static Panel ToPanel(IEnumerable<Slice> history, IReadOnlyList<Symbol> symbols)
    {
        var tickerById = symbols.ToDictionary(s => s.ID, s => s.Value.ToLowerInvariant());
        var bars = new SortedDictionary<string, List<Bar>>(StringComparer.Ordinal);
        history.PushThrough(data =>
        {
            if (data is not TradeBar bar || bar.IsFillForward) return;          // the research panel forward-fills nothing
            if (!tickerById.TryGetValue(bar.Symbol.ID, out var ticker)) ticker = bar.Symbol.Value.ToLowerInvariant();
            if (!bars.TryGetValue(ticker, out var list)) bars[ticker] = list = new List<Bar>();
            var date = bar.Time.Date;
            if (list.Count > 0 && list[^1].Time >= date) return;   // one bar per date, ascending
            list.Add(new Bar(date, (double)bar.Open, (double)bar.High, (double)bar.Low, (double)bar.Close, (double)bar.Volume));
        });
        return Panel.FromBars(bars.Keys.ToList(), bars.Values.Select(l => (IReadOnlyList<Bar>)l).ToList());
    }
}
