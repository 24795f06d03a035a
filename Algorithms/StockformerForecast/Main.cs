// SPDX-License-Identifier: Apache-2.0
using LeanModels.Alpha;
using LeanModels.Portfolio;
using LeanModels.Risk;
using QuantConnect;
using QuantConnect.Algorithm;
using QuantConnect.Algorithm.Framework.Portfolio;

namespace LeanModels.Algorithms;

/// <summary>
/// Stock universe traded from a Stockformer artifact in the ObjectStore (saved by <c>leanmodels research --models
/// stockformer-alloc --save-artifacts</c>): with <c>use-allocation</c> the model's allocation head w ∈ [−1, 1] goes to each
/// insight's Weight and <see cref="AllocationPortfolioConstructionModel"/> targets w itself within its gross and turnover
/// caps; otherwise the return (or median) head gives magnitudes. Regime-aware risk on top. Every hyperparameter comes from
/// config.json through the strict parameter readers.
/// </summary>
public class StockformerForecast : QCAlgorithm
{
    /// <summary>Reads the parameters and wires the framework modules; holds no trading logic.</summary>
    public override void Initialize()
    {
        var p = StockformerForecastSettings.Read(this);
        SetStartDate(p.Start.Year, p.Start.Month, p.Start.Day);
        SetEndDate(p.End.Year, p.End.Month, p.End.Day);
        SetCash(100_000m);
        foreach (var ticker in p.Tickers) AddEquity(ticker, Resolution.Daily);
        // The Stockformer's window (lookback + feature warm-up) is longer than the baselines'; the alpha refills it from
        // History, and the warm-up only has to cover the first regime and risk look-backs.
        SetWarmUp(p.WarmUpBars, Resolution.Daily);

        SetAlpha(new ForecastAlphaModel(ForecasterSlot.FromObjectStore(this, p.ModelKey, p.AllowTrainingOverlap), p.MinMagnitude, p.UseAllocation));
        SetPortfolioConstruction(new AllocationPortfolioConstructionModel(Resolution.Daily, p.Bias, p.MaxGrossExposure, p.MaxTurnover));
        SetRiskManagement(new RegimeAwareRiskManagementModel(maxDrawdown: p.MaxDrawdown, maxCvar: p.MaxCvar, targetVolatility: p.TargetVolatility));
    }

    /// <summary>config.json parameters, parsed once (lean optimize sweeps the numeric ones).</summary>
    private sealed record StockformerForecastSettings(DateTime Start, DateTime End, IReadOnlyList<string> Tickers, string ModelKey, bool UseAllocation,
        int WarmUpBars, double MinMagnitude, PortfolioBias Bias, double MaxGrossExposure, double MaxTurnover, double MaxDrawdown, double MaxCvar,
        double TargetVolatility, bool AllowTrainingOverlap)
    {
        public static StockformerForecastSettings Read(QCAlgorithm algorithm) => new(
            algorithm.GetDateParameter("start", "2015-01-02"),
            algorithm.GetDateParameter("end", "2021-03-31"),
            algorithm.GetListParameter("tickers", "aapl,aig,bac,ibm,goog,wm"),
            algorithm.GetParameter("model-key", "leanmodels/stockformer.lmfa"),
            algorithm.GetBoolParameter("use-allocation", true),
            algorithm.GetIntParameter("warm-up-bars", 90),
            algorithm.GetDoubleParameter("min-magnitude", 0.0),
            algorithm.GetEnumParameter("portfolio-bias", PortfolioBias.LongShort),
            algorithm.GetDoubleParameter("max-gross-exposure", 1.0),
            algorithm.GetDoubleParameter("max-turnover", 0.5),
            algorithm.GetDoubleParameter("max-drawdown", 0.25),
            algorithm.GetDoubleParameter("max-cvar", 0.04),
            algorithm.GetDoubleParameter("target-volatility", 0.25),
            algorithm.GetBoolParameter("allow-training-overlap", false));
    }
}
