// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
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

        SetAlpha(new ForecastAlphaModel(ForecasterSlot.FromObjectStore(this, p.ModelKey), p.MinMagnitude));
        SetPortfolioConstruction(new AllocationPortfolioConstructionModel(Resolution.Daily, p.Bias, p.MaxGrossExposure, p.MaxTurnover));
        SetRiskManagement(new RegimeAwareRiskManagementModel(
            new VolatilityDrawdownRegimeRule(p.HighVolatility, p.HighVolatilityExposure, p.CrashDrawdown),
            p.MaxDrawdown, p.MaxCvar, targetVolatility: p.TargetVolatility));
    }

    /// <summary>config.json parameters, parsed once (lean optimize sweeps the numeric ones).</summary>
    private sealed record EtfForecastSettings(DateTime Start, DateTime End, IReadOnlyList<string> Tickers, string ModelKey, int WarmUpBars,
        double MinMagnitude, PortfolioBias Bias, double MaxGrossExposure, double MaxTurnover, double MaxDrawdown, double MaxCvar,
        double TargetVolatility, double HighVolatility, double HighVolatilityExposure, double CrashDrawdown)
    {
        public static EtfForecastSettings Read(QCAlgorithm algorithm) => new(
            Date(algorithm.GetParameter("start", "2015-01-02")),
            Date(algorithm.GetParameter("end", "2021-12-31")),
            algorithm.GetParameter("tickers", "spy,qqq,iwm,eem,uso,bno").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            algorithm.GetParameter("model-key", "leanmodels/ridge.lmfa"),
            algorithm.GetParameter("warm-up-bars", 70),
            algorithm.GetParameter("min-magnitude", 0.0),
            Enum.Parse<PortfolioBias>(algorithm.GetParameter("portfolio-bias", "LongShort"), ignoreCase: true),
            algorithm.GetParameter("max-gross-exposure", 1.0),
            algorithm.GetParameter("max-turnover", 0.5),
            algorithm.GetParameter("max-drawdown", 0.25),
            algorithm.GetParameter("max-cvar", 0.04),
            algorithm.GetParameter("target-volatility", 0.20),
            algorithm.GetParameter("high-volatility", 0.30),
            algorithm.GetParameter("high-volatility-exposure", 0.5),
            algorithm.GetParameter("crash-drawdown", 0.20));

        private static DateTime Date(string text) => DateTime.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}
