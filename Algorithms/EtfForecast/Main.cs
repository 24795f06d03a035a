// SPDX-License-Identifier: Apache-2.0
using LeanModels.Alpha;
using LeanModels.Portfolio;
using LeanModels.Risk;
using QuantConnect;
using QuantConnect.Algorithm;
using QuantConnect.Algorithm.Framework.Portfolio;

namespace LeanModels.Algorithms;

/// <summary>
/// Liquid-ETF universe traded from a model artifact in the ObjectStore (saved by the research notebook or by
/// <c>leanmodels research --save-artifacts</c>): <see cref="ForecastAlphaModel"/> → <see cref="AllocationPortfolioConstructionModel"/>
/// → <see cref="RegimeAwareRiskManagementModel"/>. Every hyperparameter comes from config.json through GetParameter.
/// </summary>
public class EtfForecast : QCAlgorithm
{
    /// <summary>Reads the parameters and wires the framework modules; holds no trading logic.</summary>
    public override void Initialize()
    {
        var p = EtfForecastSettings.Read(this);
        SetStartDate(p.Start.Year, p.Start.Month, p.Start.Day);
        SetEndDate(p.End.Year, p.End.Month, p.End.Day);
        SetCash(100_000m);
        foreach (var ticker in p.Tickers) AddEquity(ticker, Resolution.Daily);
        SetWarmUp(p.WarmUpBars, Resolution.Daily);

        SetAlpha(new ForecastAlphaModel(ForecasterSlot.FromObjectStore(this, p.ModelKey, p.AllowTrainingOverlap), p.MinMagnitude));
        SetPortfolioConstruction(new AllocationPortfolioConstructionModel(Resolution.Daily, p.Bias, p.MaxGrossExposure, p.MaxTurnover));
        SetRiskManagement(new RegimeAwareRiskManagementModel(
            new VolatilityDrawdownRegimeRule(p.HighVolatility, p.HighVolatilityExposure, p.CrashDrawdown),
            p.MaxDrawdown, p.MaxCvar, targetVolatility: p.TargetVolatility));
    }

    /// <summary>config.json parameters, parsed once (lean optimize sweeps the numeric ones).</summary>
    private sealed record EtfForecastSettings(DateTime Start, DateTime End, IReadOnlyList<string> Tickers, string ModelKey, int WarmUpBars,
        double MinMagnitude, PortfolioBias Bias, double MaxGrossExposure, double MaxTurnover, double MaxDrawdown, double MaxCvar,
        double TargetVolatility, double HighVolatility, double HighVolatilityExposure, double CrashDrawdown, bool AllowTrainingOverlap)
    {
        public static EtfForecastSettings Read(QCAlgorithm algorithm) => new(
            algorithm.GetDateParameter("start", "2015-01-02"),
            algorithm.GetDateParameter("end", "2021-03-31"),
            algorithm.GetListParameter("tickers", "spy,qqq,iwm,eem,uso,bno"),
            algorithm.GetParameter("model-key", "leanmodels/ridge.lmfa"),
            algorithm.GetIntParameter("warm-up-bars", 70),
            algorithm.GetDoubleParameter("min-magnitude", 0.0),
            algorithm.GetEnumParameter("portfolio-bias", PortfolioBias.LongShort),
            algorithm.GetDoubleParameter("max-gross-exposure", 1.0),
            algorithm.GetDoubleParameter("max-turnover", 0.5),
            algorithm.GetDoubleParameter("max-drawdown", 0.25),
            algorithm.GetDoubleParameter("max-cvar", 0.04),
            algorithm.GetDoubleParameter("target-volatility", 0.20),
            algorithm.GetDoubleParameter("high-volatility", 0.30),
            algorithm.GetDoubleParameter("high-volatility-exposure", 0.5),
            algorithm.GetDoubleParameter("crash-drawdown", 0.20),
            algorithm.GetBoolParameter("allow-training-overlap", false));

    }
}
