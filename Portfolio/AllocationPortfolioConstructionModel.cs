// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using QuantConnect;
using QuantConnect.Algorithm.Framework.Alphas;
using QuantConnect.Algorithm.Framework.Portfolio;
using QuantConnect.Scheduling;

namespace LeanModels.Portfolio;

/// <summary>
/// Allocates in proportion to each insight's score, within a gross-exposure cap and a turnover cap, respecting a
/// <see cref="PortfolioBias"/>. Accepts insights from any alpha. Built on LEAN's <see cref="PortfolioConstructionModel"/>
/// (the last active insight per symbol; flat targets for symbols whose insights expired) with the same rebalancing
/// overloads as <c>EqualWeightingPortfolioConstructionModel</c>.
/// </summary>
/// <remarks>
/// Score sᵢ = direction · |Weight| when the insight has a weight (an allocation score); otherwise direction · |Magnitude| ·
/// Confidence, with Magnitude and Confidence taken as 1 when absent (so an alpha without magnitudes gets equal weights).
/// An insight whose direction contradicts the bias scores 0. Desired weights wᵢ = sᵢ · G / Σ|s| (fully invested at the
/// gross cap G) — except when every active insight carries a weight (an allocation, e.g. <c>ForecastAlphaModel</c> with
/// <c>useAllocation</c>): then the weights are the targets themselves, wᵢ = sᵢ, scaled down to G only when Σ|s| &gt; G. Then, when the turnover Σ|wᵢ − cᵢ| from the current holding weights cᵢ (holdings value / total portfolio
/// value) exceeds the cap U, every weight moves only the fraction U / turnover of the way: wᵢ' = cᵢ + (wᵢ − cᵢ)·U/turnover.
/// Both ends have Σ|·| ≤ G, so the blend does too. Holdings that drifted above G are first scaled back to G, which uses
/// Σ|c| − G of the budget, and a holding against the bias is closed; only when these alone exceed U does the model trade
/// more than U (the caps on exposure and sign win over the turnover cap).
/// Weights are fractions of total portfolio value, signed (negative = short).
/// </remarks>
public sealed class AllocationPortfolioConstructionModel : PortfolioConstructionModel
{
    private readonly PortfolioBias _portfolioBias;
    private readonly double _maxGrossExposure;
    private readonly double _maxTurnover;

    /// <summary>Initializes a new instance of the <see cref="AllocationPortfolioConstructionModel"/> class, rebalancing on the dates of a rule.</summary>
    /// <param name="rebalancingDateRules">Rebalancing dates, e.g. <c>DateRules.WeekStart()</c>.</param>
    /// <param name="portfolioBias">Long, Short or LongShort (default).</param>
    /// <param name="maxGrossExposure">G, cap on Σ|weight| as a fraction of portfolio value (&gt; 0); defaults to 1.</param>
    /// <param name="maxTurnover">U, cap on Σ|weight change| per rebalance (&gt; 0); defaults to 2 (no cap for an unlevered book).</param>
    /// <exception cref="ArgumentOutOfRangeException">A cap is not a positive finite number.</exception>
    public AllocationPortfolioConstructionModel(IDateRule rebalancingDateRules, PortfolioBias portfolioBias = PortfolioBias.LongShort,
        double maxGrossExposure = 1.0, double maxTurnover = 2.0)
        : this(rebalancingDateRules.ToFunc(), portfolioBias, maxGrossExposure, maxTurnover)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AllocationPortfolioConstructionModel"/> class with a rebalancing function.</summary>
    /// <param name="rebalancingFunc">UTC time → next rebalance UTC time (null: no schedule, rebalance on every call).</param>
    /// <param name="portfolioBias">Long, Short or LongShort (default).</param>
    /// <param name="maxGrossExposure">G, cap on Σ|weight| (&gt; 0); defaults to 1.</param>
    /// <param name="maxTurnover">U, cap on Σ|weight change| per rebalance (&gt; 0); defaults to 2.</param>
    /// <exception cref="ArgumentOutOfRangeException">A cap is not a positive finite number.</exception>
    public AllocationPortfolioConstructionModel(Func<DateTime, DateTime?>? rebalancingFunc, PortfolioBias portfolioBias = PortfolioBias.LongShort,
        double maxGrossExposure = 1.0, double maxTurnover = 2.0)
        : base(rebalancingFunc)
    {
        if (!double.IsFinite(maxGrossExposure) || maxGrossExposure <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxGrossExposure), maxGrossExposure, "maxGrossExposure must be a positive finite fraction.");
        if (!double.IsFinite(maxTurnover) || maxTurnover <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxTurnover), maxTurnover, "maxTurnover must be a positive finite fraction.");
        _portfolioBias = portfolioBias;
        _maxGrossExposure = maxGrossExposure;
        _maxTurnover = maxTurnover;
    }

    /// <summary>Initializes a new instance of the <see cref="AllocationPortfolioConstructionModel"/> class with a rebalancing function.</summary>
    /// <param name="rebalancingFunc">UTC time → next rebalance UTC time.</param>
    /// <param name="portfolioBias">Long, Short or LongShort (default).</param>
    /// <param name="maxGrossExposure">G, cap on Σ|weight| (&gt; 0); defaults to 1.</param>
    /// <param name="maxTurnover">U, cap on Σ|weight change| per rebalance (&gt; 0); defaults to 2.</param>
    /// <exception cref="ArgumentOutOfRangeException">A cap is not a positive finite number.</exception>
    public AllocationPortfolioConstructionModel(Func<DateTime, DateTime>? rebalancingFunc, PortfolioBias portfolioBias = PortfolioBias.LongShort,
        double maxGrossExposure = 1.0, double maxTurnover = 2.0)
        : this(rebalancingFunc is null ? null : (Func<DateTime, DateTime?>)(t => rebalancingFunc(t)), portfolioBias, maxGrossExposure, maxTurnover)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AllocationPortfolioConstructionModel"/> class, rebalancing every <paramref name="timeSpan"/>.</summary>
    /// <param name="timeSpan">Time between rebalances.</param>
    /// <param name="portfolioBias">Long, Short or LongShort (default).</param>
    /// <param name="maxGrossExposure">G, cap on Σ|weight| (&gt; 0); defaults to 1.</param>
    /// <param name="maxTurnover">U, cap on Σ|weight change| per rebalance (&gt; 0); defaults to 2.</param>
    /// <exception cref="ArgumentOutOfRangeException">A cap is not a positive finite number.</exception>
    public AllocationPortfolioConstructionModel(TimeSpan timeSpan, PortfolioBias portfolioBias = PortfolioBias.LongShort,
        double maxGrossExposure = 1.0, double maxTurnover = 2.0)
        : this(t => t.Add(timeSpan), portfolioBias, maxGrossExposure, maxTurnover)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AllocationPortfolioConstructionModel"/> class, rebalancing once per <paramref name="resolution"/> period.</summary>
    /// <param name="resolution">Rebalancing period; defaults to daily.</param>
    /// <param name="portfolioBias">Long, Short or LongShort (default).</param>
    /// <param name="maxGrossExposure">G, cap on Σ|weight| (&gt; 0); defaults to 1.</param>
    /// <param name="maxTurnover">U, cap on Σ|weight change| per rebalance (&gt; 0); defaults to 2.</param>
    /// <exception cref="ArgumentOutOfRangeException">A cap is not a positive finite number.</exception>
    public AllocationPortfolioConstructionModel(Resolution resolution = Resolution.Daily, PortfolioBias portfolioBias = PortfolioBias.LongShort,
        double maxGrossExposure = 1.0, double maxTurnover = 2.0)
        : this(resolution.ToTimeSpan(), portfolioBias, maxGrossExposure, maxTurnover)
    {
    }

    /// <summary>Skips insights with a non-finite magnitude, confidence or weight, reporting them with <c>SetRunTimeError</c>.</summary>
    /// <param name="insight">An active insight.</param>
    /// <returns>True when the insight can be allocated.</returns>
    protected override bool ShouldCreateTargetForInsight(Insight insight)
    {
        if (IsFiniteOrNull(insight.Magnitude) && IsFiniteOrNull(insight.Confidence) && IsFiniteOrNull(insight.Weight)) return true;
        Algorithm.SetRunTimeError(new ArgumentException(string.Create(CultureInfo.InvariantCulture,
            $"{nameof(AllocationPortfolioConstructionModel)}: insight for {insight.Symbol} from '{insight.SourceModel}' has magnitude {insight.Magnitude}, confidence {insight.Confidence}, weight {insight.Weight}; each must be finite.")));
        return false;
    }

    /// <summary>Target weights of the last active insight per symbol (see the class remarks).</summary>
    /// <param name="activeInsights">One insight per symbol.</param>
    /// <returns>Insight → signed fraction of total portfolio value.</returns>
    protected override Dictionary<Insight, double> DetermineTargetPercent(List<Insight> activeInsights)
    {
        var n = activeInsights.Count;
        var result = new Dictionary<Insight, double>(n);
        if (n == 0) return result;
        var desired = new double[n];
        var gross = 0.0;
        var allocations = true;                       // every insight carries a weight: target the weights themselves
        for (var i = 0; i < n; i++)
        {
            desired[i] = Score(activeInsights[i]);
            gross += Math.Abs(desired[i]);
            allocations &= activeInsights[i].Weight.HasValue;
        }
        var scale = gross <= 0 ? 0 : allocations ? Math.Min(1, _maxGrossExposure / gross) : _maxGrossExposure / gross;
        for (var i = 0; i < n; i++) desired[i] *= scale;

        var current = new double[n];
        var totalValue = (double)Algorithm.Portfolio.TotalPortfolioValue;
        var currentGross = 0.0;
        for (var i = 0; i < n; i++)
        {
            current[i] = totalValue > 0 && Algorithm.Portfolio.TryGetValue(activeInsights[i].Symbol, out var holding)
                ? (double)holding.HoldingsValue / totalValue : 0;
            // A holding against the bias (opened elsewhere) is closed outright: the bias wins over the turnover cap.
            if (_portfolioBias != PortfolioBias.LongShort && Math.Sign(current[i]) == -(int)_portfolioBias) current[i] = 0;
            currentGross += Math.Abs(current[i]);
        }
        // Holdings that drifted above G are first scaled back to G (that trade uses part of the turnover budget) …
        var shrink = currentGross > _maxGrossExposure ? _maxGrossExposure / currentGross : 1.0;
        var budget = _maxTurnover - currentGross * (1 - shrink);
        var turnover = 0.0;
        for (var i = 0; i < n; i++)
        {
            current[i] *= shrink;
            turnover += Math.Abs(desired[i] - current[i]);
        }
        // … then every weight moves the same fraction of the way to its desired value, within the remaining budget.
        var step = turnover <= budget ? 1.0 : Math.Max(0, budget) / turnover;
        for (var i = 0; i < n; i++)
            result[activeInsights[i]] = step == 1.0 ? desired[i] : current[i] + (desired[i] - current[i]) * step;
        return result;
    }

    private double Score(Insight insight)
    {
        var direction = (int)insight.Direction;
        if (direction == 0 || (_portfolioBias != PortfolioBias.LongShort && direction != (int)_portfolioBias)) return 0;
        if (insight.Weight is { } weight) return direction * Math.Abs(weight);
        return direction * Math.Abs(insight.Magnitude ?? 1.0) * Math.Clamp(insight.Confidence ?? 1.0, 0, 1);
    }

    private static bool IsFiniteOrNull(double? x) => x is not { } v || double.IsFinite(v);
}
