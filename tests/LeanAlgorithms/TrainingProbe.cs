// SPDX-License-Identifier: Apache-2.0
using LeanModels.Alpha;
using LeanModels.Models.Forecasting;
using LeanModels.Models.Research;
using QuantConnect;
using QuantConnect.Algorithm;

namespace LeanModels.Tests.LeanAlgorithms;

/// <summary>
/// <see cref="WalkForwardTraining"/> in a backtest, weekly, with a trainer that fails from its <c>fail-from</c>-th fit on
/// (0: never) or sleeps <c>sleep-seconds</c> from its <c>sleep-from</c>-th fit on (with <c>timeout-seconds</c>), so the tests
/// can see a failed or timed-out run keep the previous model. Parameters: start, end, tickers, train-window, history-bars,
/// fail-from, sleep-from, sleep-seconds, timeout-seconds, probe-out.
/// </summary>
public class TrainingProbe : QCAlgorithm
{
    /// <summary>Wires the training, the alpha and the probe.</summary>
    public override void Initialize()
    {
        var probe = new ProbeWriter(GetParameter("probe-out") ?? throw new ArgumentException("parameter 'probe-out' is required"));
        var start = this.GetDateParameter("start", "2012-01-03");
        var end = this.GetDateParameter("end", "2012-03-30");
        SetStartDate(start.Year, start.Month, start.Day);
        SetEndDate(end.Year, end.Month, end.Day);
        SetCash(1_000_000m);
        foreach (var ticker in this.GetListParameter("tickers", "aapl,aig,bac,ibm,spy")) AddEquity(ticker, Resolution.Daily);
        SetWarmUp(10, Resolution.Daily);
        var slot = new ForecasterSlot("ridge");
        var trainer = new FlakyTrainer(ForecasterCatalog.CreateTrainer("ridge"), this.GetIntParameter("fail-from", 0),
            this.GetIntParameter("sleep-from", 0), this.GetDoubleParameter("sleep-seconds", 0));
        new WalkForwardTraining(slot, trainer, 5, this.GetIntParameter("train-window", 250), this.GetIntParameter("history-bars", 400),
            this.GetDoubleParameter("timeout-seconds", 600)).Schedule(this, DateRules.WeekStart(), TimeRules.At(7, 0));
        SetAlpha(new ForecastAlphaModel(slot));
        InsightsGenerated += (_, e) =>
        {
            foreach (var i in e.Insights) probe.Write("INSIGHT", Time, i.Symbol.Value.ToLowerInvariant(), slot.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        };
        _probe = probe;
    }

    private ProbeWriter _probe = null!;

    /// <summary>Flushes the probe file.</summary>
    public override void OnEndOfAlgorithm() => _probe.Dispose();

    private sealed class FlakyTrainer(IForecasterTrainer inner, int failFrom, int sleepFrom, double sleepSeconds) : IForecasterTrainer
    {
        private int _calls;

        public string Name => inner.Name;

        public IReturnForecaster Fit(TrainingFold fold, CancellationToken cancellationToken = default)
        {
            var call = Interlocked.Increment(ref _calls);
            if (failFrom > 0 && call >= failFrom) throw new InvalidOperationException($"test trainer: fit {call} fails on purpose");
            if (sleepFrom > 0 && call >= sleepFrom) Thread.Sleep(TimeSpan.FromSeconds(sleepSeconds));
            return inner.Fit(fold, cancellationToken);
        }
    }
}
