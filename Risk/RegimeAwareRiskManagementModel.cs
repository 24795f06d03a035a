// SPDX-License-Identifier: Apache-2.0
using LeanModels.Models.RiskMeasures;
using QuantConnect;
using QuantConnect.Algorithm;
using QuantConnect.Algorithm.Framework.Portfolio;
using QuantConnect.Algorithm.Framework.Risk;

namespace LeanModels.Risk;

/// <summary>
/// Scales or liquidates the book by market regime and by portfolio risk limits, returning only the targets it overrides
/// (LEAN's risk-model contract; the engine lets them win over the portfolio model's).
/// </summary>
/// <remarks>
/// Once per trading date it records the total portfolio value and an equal-weight market proxy (mean daily log return of
/// the algorithm's securities with a price on both days). The allowed exposure is the minimum of: the regime rule's
/// multiplier on the market returns (<see cref="IMarketRegimeRule"/>); the volatility-targeting weight
/// <see cref="VolatilityTargeting.Weight"/>(realised portfolio volatility, targetVolatility, 1) (annualised with 252 days,
/// sample standard deviation of the last <c>lookbackDays</c> daily log returns; Moreira and Muir 2017); maxCvar / CVaR
/// when the historical CVaR (<see cref="TailRiskMeasures.Historical"/> at tail probability α over the same returns, a
/// positive daily loss; Rockafellar and Uryasev 2002) exceeds maxCvar; and 0 when the portfolio's drawdown
/// (<see cref="DrawdownTracker"/>) reaches <c>maxDrawdown</c> (the peak is then reset to the current value, as LEAN's
/// <c>MaximumDrawdownPercentPortfolio</c> does, so trading can resume). Below 1, each incoming target's quantity is
/// scaled toward zero (whole shares); at 0, every invested security and every incoming target is set to 0 and the
/// symbol's insights are cancelled first, so the portfolio model does not buy it back. Nothing is returned at 1.
/// </remarks>
public sealed class RegimeAwareRiskManagementModel : RiskManagementModel
{
    private const int TradingDaysPerYear = 252;
    private readonly IMarketRegimeRule _regimeRule;
    private readonly double _maxDrawdown;
    private readonly double _maxCvar;
    private readonly double _tailProbability;
    private readonly double _targetVolatility;
    private readonly int _lookbackDays;
    private readonly List<double> _portfolioReturns = new();
    private readonly List<double> _marketReturns = new();
    private readonly Dictionary<Symbol, decimal> _lastPrices = new();
    private DrawdownTracker _drawdown = new();
    private DateTime _lastDate;
    private double _lastValue;

    /// <summary>Initializes a new instance of the <see cref="RegimeAwareRiskManagementModel"/> class.</summary>
    /// <param name="regimeRule">Market regime → exposure; defaults to <see cref="VolatilityDrawdownRegimeRule"/> with its defaults.</param>
    /// <param name="maxDrawdown">Portfolio drawdown (fraction below peak) that liquidates everything, in (0, 1]; defaults to 0.25.</param>
    /// <param name="maxCvar">Cap on the daily historical CVaR, a positive fraction; defaults to 0.04 (4 % mean loss on the worst days).</param>
    /// <param name="tailProbability">α of the CVaR, in (0, 0.5]; defaults to 0.05.</param>
    /// <param name="targetVolatility">Annualised volatility target, a positive fraction; defaults to 0.25.</param>
    /// <param name="lookbackDays">Daily returns used for volatility and CVaR (≥ 2, and α·lookbackDays ≥ 1 so the tail holds a
    /// day); defaults to 63.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of its range.</exception>
    public RegimeAwareRiskManagementModel(IMarketRegimeRule? regimeRule = null, double maxDrawdown = 0.25, double maxCvar = 0.04,
        double tailProbability = 0.05, double targetVolatility = 0.25, int lookbackDays = 63)
    {
        if (!(maxDrawdown > 0 && maxDrawdown <= 1)) throw new ArgumentOutOfRangeException(nameof(maxDrawdown), maxDrawdown, "must be in (0, 1].");
        if (!(maxCvar > 0) || !double.IsFinite(maxCvar)) throw new ArgumentOutOfRangeException(nameof(maxCvar), maxCvar, "must be a positive fraction.");
        if (!(tailProbability > 0 && tailProbability <= 0.5)) throw new ArgumentOutOfRangeException(nameof(tailProbability), tailProbability, "must be in (0, 0.5].");
        if (!(targetVolatility > 0) || !double.IsFinite(targetVolatility)) throw new ArgumentOutOfRangeException(nameof(targetVolatility), targetVolatility, "must be a positive fraction.");
        ArgumentOutOfRangeException.ThrowIfLessThan(lookbackDays, 2);
        if (tailProbability * lookbackDays < 1)
            throw new ArgumentOutOfRangeException(nameof(lookbackDays), lookbackDays, $"α·lookbackDays = {tailProbability}·{lookbackDays} < 1: the CVaR tail would hold no day.");
        _regimeRule = regimeRule ?? new VolatilityDrawdownRegimeRule();
        _maxDrawdown = maxDrawdown;
        _maxCvar = maxCvar;
        _tailProbability = tailProbability;
        _targetVolatility = targetVolatility;
        _lookbackDays = lookbackDays;
    }

    /// <summary>The exposure multiplier of the last call, in [0, 1] (for tests).</summary>
    internal double LastExposure { get; private set; } = 1;

    /// <summary>Overriding targets: scaled or zero quantities, or nothing when no limit binds.</summary>
    /// <param name="algorithm">The algorithm (portfolio value, securities, insights).</param>
    /// <param name="targets">The portfolio model's targets of this step; may be empty.</param>
    /// <returns>Only the targets this model overrides.</returns>
    public override IEnumerable<IPortfolioTarget> ManageRisk(QCAlgorithm algorithm, IPortfolioTarget[] targets)
    {
        var value = (double)algorithm.Portfolio.TotalPortfolioValue;
        if (algorithm.Time.Date != _lastDate) Sample(algorithm, value);

        var exposure = Math.Min(_regimeRule.Exposure(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_marketReturns)), Limits());
        if (_drawdown.Count > 0 && _drawdown.Drawdown >= _maxDrawdown)
        {
            exposure = 0;
            _drawdown = new DrawdownTracker();                // reset the peak, as MaximumDrawdownPercentPortfolio does
            if (value > 0) _drawdown.Update(value);
        }
        LastExposure = exposure;
        if (exposure >= 1) return Array.Empty<IPortfolioTarget>();

        var overrides = new List<IPortfolioTarget>();
        if (exposure <= 0)
        {
            var symbols = algorithm.Portfolio.Values.Where(h => h.Invested).Select(h => h.Symbol)
                .Concat(targets.Select(t => t.Symbol)).Distinct().ToList();
            foreach (var symbol in symbols)
            {
                algorithm.Insights.Cancel(new[] { symbol });
                overrides.Add(new PortfolioTarget(symbol, 0m));
            }
            return overrides;
        }
        foreach (var target in targets)
            overrides.Add(new PortfolioTarget(target.Symbol, decimal.Truncate(target.Quantity * (decimal)exposure)));
        return overrides;
    }

    /// <summary>Records today's portfolio and market-proxy returns (once per date).</summary>
    private void Sample(QCAlgorithm algorithm, double value)
    {
        _lastDate = algorithm.Time.Date;
        if (_lastValue > 0 && value > 0) _portfolioReturns.Add(Math.Log(value / _lastValue));
        if (value > 0)
        {
            _lastValue = value;
            _drawdown.Update(value);
        }

        double sum = 0;
        var count = 0;
        foreach (var security in algorithm.Securities.Values)
        {
            var price = security.Price;
            if (price <= 0) continue;
            if (_lastPrices.TryGetValue(security.Symbol, out var last) && last > 0)
            {
                sum += Math.Log((double)(price / last));
                count++;
            }
            _lastPrices[security.Symbol] = price;
        }
        if (count > 0) _marketReturns.Add(sum / count);
        Trim(_portfolioReturns, _lookbackDays);
        Trim(_marketReturns, 2520);                            // ten years is enough for any drawdown the rule looks at
    }

    /// <summary>min(1, volatility-targeting weight, maxCvar / CVaR) over the last lookbackDays portfolio returns.</summary>
    private double Limits()
    {
        var n = _portfolioReturns.Count;
        if (n < _lookbackDays) return 1;
        var returns = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_portfolioReturns);
        var mean = _portfolioReturns.Average();
        var variance = _portfolioReturns.Sum(r => (r - mean) * (r - mean)) / (n - 1);
        var limit = 1.0;
        if (variance > 0)
            limit = VolatilityTargeting.Weight(VolatilityTargeting.AnnualisedVolatility(variance, TradingDaysPerYear), _targetVolatility, maxLeverage: 1);
        var cvar = TailRiskMeasures.Historical(returns, _tailProbability).ConditionalValueAtRisk;
        if (cvar > _maxCvar) limit = Math.Min(limit, _maxCvar / cvar);
        return limit;
    }

    private static void Trim(List<double> values, int keep)
    {
        if (values.Count > keep) values.RemoveRange(0, values.Count - keep);
    }
}
