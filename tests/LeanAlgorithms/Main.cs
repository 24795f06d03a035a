// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using LeanModels.Alpha;
using LeanModels.Portfolio;
using LeanModels.Risk;
using QuantConnect;
using QuantConnect.Algorithm;
using QuantConnect.Algorithm.Framework.Alphas;
using QuantConnect.Algorithm.Framework.Portfolio;
using QuantConnect.Algorithm.Framework.Risk;
using QuantConnect.Data.UniverseSelection;

namespace LeanModels.Tests.LeanAlgorithms;

/// <summary>
/// The pack as a user composes it (<see cref="ForecastAlphaModel"/> from an ObjectStore artifact →
/// <see cref="AllocationPortfolioConstructionModel"/> → optionally <see cref="RegimeAwareRiskManagementModel"/>), with probes
/// around the framework modules that record, one line each, every insight LEAN received, every target the portfolio model
/// returned (as a weight of the portfolio value next to the current weight) and every risk override. Optionally removes a
/// security on a date. Parameters: start, end, tickers, model-key, warm-up-bars, min-magnitude, portfolio-bias,
/// max-gross-exposure, max-turnover, allow-training-overlap, risk (none | regime), max-drawdown, remove-ticker, remove-date,
/// hourly-ticker (one more security subscribed at hourly resolution), window-mean-lookback (instead of an artifact, the test
/// sequence model <see cref="WindowMeanModel"/> with that lookback), publish-later (publish it after the alpha is built),
/// use-allocation (insights carry the model's allocation as Weight),
/// probe-out (file).
/// </summary>
public class AlphaProbe : QCAlgorithm
{
    private ProbeWriter _probe = null!;
    private ForecastAlphaModel _alpha = null!;

    /// <summary>Wires the modules and the probes.</summary>
    public override void Initialize()
    {
        _probe = new ProbeWriter(GetParameter("probe-out") ?? throw new ArgumentException("parameter 'probe-out' is required"));
        var start = this.GetDateParameter("start", "2012-01-03");
        var end = this.GetDateParameter("end", "2012-12-31");
        SetStartDate(start.Year, start.Month, start.Day);
        SetEndDate(end.Year, end.Month, end.Day);
        SetCash(1_000_000m);
        foreach (var ticker in this.GetListParameter("tickers", "aapl,aig,bac,ibm,spy")) AddEquity(ticker, Resolution.Daily);
        var hourly = GetParameter("hourly-ticker");
        if (!string.IsNullOrEmpty(hourly)) AddEquity(hourly, Resolution.Hour);
        SetWarmUp(this.GetIntParameter("warm-up-bars", 70), Resolution.Daily);

        var windowMean = this.GetIntParameter("window-mean-lookback", 0);
        var publishLater = this.GetBoolParameter("publish-later", false);
        var slot = windowMean > 0
            ? new ForecasterSlot("window-mean", publishLater ? null : new WindowMeanModel(windowMean))
            : ForecasterSlot.FromObjectStore(this, GetParameter("model-key") ?? "leanmodels/ridge.lmfa", this.GetBoolParameter("allow-training-overlap", false));
        _alpha = new ForecastAlphaModel(slot, this.GetDoubleParameter("min-magnitude", 0), this.GetBoolParameter("use-allocation", false));
        if (windowMean > 0 && publishLater) slot.Publish(new WindowMeanModel(windowMean));
        SetAlpha(_alpha);
        SetPortfolioConstruction(new RecordingPortfolioConstruction(_probe, new AllocationPortfolioConstructionModel(Resolution.Daily,
            this.GetEnumParameter("portfolio-bias", PortfolioBias.LongShort), this.GetDoubleParameter("max-gross-exposure", 1),
            this.GetDoubleParameter("max-turnover", 2))));
        if (GetParameter("risk") == "regime")
            SetRiskManagement(new RecordingRisk(_probe, new RegimeAwareRiskManagementModel(maxDrawdown: this.GetDoubleParameter("max-drawdown", 0.25))));

        InsightsGenerated += (_, e) =>
        {
            foreach (var i in e.Insights)
                _probe.Write("INSIGHT", Time, i.Symbol.Value.ToLowerInvariant(), IsWarmingUp ? "warm" : "live", R(i.Magnitude), R(i.Confidence), R(i.Weight),
                    i.SourceModel, i.Id.ToString("N"), ((int)i.Direction).ToString(CultureInfo.InvariantCulture));
        };
        var removeTicker = GetParameter("remove-ticker");
        if (!string.IsNullOrEmpty(removeTicker))
        {
            var date = this.GetDateParameter("remove-date", "2012-06-01");
            Schedule.On(DateRules.On(date.Year, date.Month, date.Day), TimeRules.At(12, 0), () =>
            {
                var symbol = Securities.Keys.Single(s => s.Value.Equals(removeTicker, StringComparison.OrdinalIgnoreCase));
                RemoveSecurity(symbol);
            });
        }
    }

    /// <summary>Records securities removed (LEAN calls the algorithm before the framework models).</summary>
    public override void OnSecuritiesChanged(SecurityChanges changes)
    {
        foreach (var removed in changes.RemovedSecurities) _probe.Write("REMOVED", Time, removed.Symbol.Value.ToLowerInvariant());
    }

    /// <summary>Records the symbols the alpha still tracks and flushes the probe file.</summary>
    public override void OnEndOfAlgorithm()
    {
        _probe.Write("END", Time, _alpha.TrackedSymbols.Count.ToString(CultureInfo.InvariantCulture),
            string.Join('|', _alpha.TrackedSymbols.Select(s => s.Value.ToLowerInvariant()).Order(StringComparer.Ordinal)));
        _probe.Dispose();
    }

    internal static string R(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "NA";
}

/// <summary>Appends probe records, tab-separated: kind, exchange time, fields.</summary>
public sealed class ProbeWriter(string path) : IDisposable
{
    private readonly StreamWriter _writer = new(path, append: false);

    /// <summary>Writes one record.</summary>
    public void Write(string kind, DateTime time, params string[] fields) =>
        _writer.WriteLine(kind + "\t" + time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "\t" + string.Join('\t', fields));

    /// <summary>Closes the file.</summary>
    public void Dispose() => _writer.Dispose();
}

/// <summary>Passes targets through unchanged; records each as TARGET (ticker, target weight, current weight) and each
/// rebalance as REBALANCE (targets, gross Σ|w| after it, turnover Σ|Δw|, tolerance: whole shares and LEAN's cash buffer), weights of the portfolio value.</summary>
public sealed class RecordingPortfolioConstruction(ProbeWriter probe, IPortfolioConstructionModel inner) : IPortfolioConstructionModel
{
    /// <inheritdoc />
    public IEnumerable<IPortfolioTarget> CreateTargets(QCAlgorithm algorithm, Insight[] insights)
    {
        var targets = inner.CreateTargets(algorithm, insights).ToList();
        if (targets.Count == 0) return targets;
        var value = (double)algorithm.Portfolio.TotalPortfolioValue;
        var current = algorithm.Securities.Values.ToDictionary(s => s.Symbol, s => (double)s.Holdings.Quantity * (double)s.Price / value);
        var final = new Dictionary<QuantConnect.Symbol, double>(current);
        var tolerance = 0.0;
        foreach (var t in targets)
        {
            var price = (double)algorithm.Securities[t.Symbol].Price;
            final[t.Symbol] = (double)t.Quantity * price / value;
            tolerance += price / value;              // whole shares: one share of rounding per position
            probe.Write("TARGET", algorithm.Time, t.Symbol.Value.ToLowerInvariant(), AlphaProbe.R(final[t.Symbol]), AlphaProbe.R(current[t.Symbol]));
        }
        var gross = final.Values.Sum(Math.Abs);
        // PortfolioTarget.Percent sizes a weight w as w·(1 − FreePortfolioValuePercentage) of the portfolio value (LEAN keeps
        // that cash buffer for fees), which moves each realised weight by up to that fraction of it.
        tolerance += (double)algorithm.Settings.FreePortfolioValuePercentage * gross;
        var turnover = final.Sum(kv => Math.Abs(kv.Value - current[kv.Key]));
        probe.Write("REBALANCE", algorithm.Time, targets.Count.ToString(CultureInfo.InvariantCulture), AlphaProbe.R(gross), AlphaProbe.R(turnover), AlphaProbe.R(tolerance));
        return targets;
    }

    /// <inheritdoc />
    public void OnSecuritiesChanged(QCAlgorithm algorithm, SecurityChanges changes) => inner.OnSecuritiesChanged(algorithm, changes);
}

/// <summary>Passes risk overrides through and records each as RISK ticker, quantity.</summary>
public sealed class RecordingRisk(ProbeWriter probe, IRiskManagementModel inner) : IRiskManagementModel
{
    /// <inheritdoc />
    public IEnumerable<IPortfolioTarget> ManageRisk(QCAlgorithm algorithm, IPortfolioTarget[] targets)
    {
        var overrides = inner.ManageRisk(algorithm, targets).ToList();
        foreach (var t in overrides)
            probe.Write("RISK", algorithm.Time, t.Symbol.Value.ToLowerInvariant(), t.Quantity.ToString(CultureInfo.InvariantCulture),
                algorithm.Securities[t.Symbol].Holdings.Quantity.ToString(CultureInfo.InvariantCulture));
        return overrides;
    }

    /// <inheritdoc />
    public void OnSecuritiesChanged(QCAlgorithm algorithm, SecurityChanges changes) => inner.OnSecuritiesChanged(algorithm, changes);
}
