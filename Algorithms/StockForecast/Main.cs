// SPDX-License-Identifier: Apache-2.0
using LeanModels.Alpha;
using LeanModels.Models.Forecasting;
using LeanModels.Portfolio;
using LeanModels.Risk;
using QuantConnect;
using QuantConnect.Algorithm;
using QuantConnect.Algorithm.Framework.Portfolio;

namespace LeanModels.Algorithms;

/// <summary>
/// Stock universe with the model trained inside LEAN: <see cref="WalkForwardTraining"/> refits the chosen forecaster every
/// week from History before the current time and swaps it into the <see cref="ForecastAlphaModel"/> atomically (in live
/// mode the training runs on LEAN's scheduler thread). Long-only allocation with turnover and exposure caps and regime-aware
/// risk. Every hyperparameter comes from config.json through GetParameter.
/// </summary>
public class StockForecast : QCAlgorithm
{
    /// <summary>Reads the parameters and wires training and the framework modules; holds no trading logic.</summary>
    public override void Initialize()
    {
        var p = StockForecastSettings.Read(this);
        SetStartDate(p.Start.Year, p.Start.Month, p.Start.Day);
        SetEndDate(p.End.Year, p.End.Month, p.End.Day);
        SetCash(100_000m);
        foreach (var ticker in p.Tickers) AddEquity(ticker, Resolution.Daily);
        // The warm-up spans more than a week, so the first weekly training runs before trading starts.
        SetWarmUp(p.WarmUpBars, Resolution.Daily);

        var slot = new ForecasterSlot(p.Model);
        new WalkForwardTraining(slot, ForecasterCatalog.CreateTrainer(p.Model, p.RidgeLambda), p.Horizon, p.TrainWindow, p.HistoryBars,
            p.TrainingTimeoutSeconds).Schedule(this, DateRules.WeekStart(), TimeRules.At(7, 0));

        SetAlpha(new ForecastAlphaModel(slot, p.MinMagnitude));
        SetPortfolioConstruction(new AllocationPortfolioConstructionModel(Resolution.Daily, p.Bias, p.MaxGrossExposure, p.MaxTurnover));
        SetRiskManagement(new RegimeAwareRiskManagementModel(maxDrawdown: p.MaxDrawdown, maxCvar: p.MaxCvar, targetVolatility: p.TargetVolatility));
    }

    /// <summary>config.json parameters, parsed once (lean optimize sweeps the numeric ones).</summary>
    private sealed record StockForecastSettings(DateTime Start, DateTime End, IReadOnlyList<string> Tickers, string Model, double RidgeLambda, int Horizon,
        int TrainWindow, int HistoryBars, double TrainingTimeoutSeconds, int WarmUpBars, double MinMagnitude, PortfolioBias Bias,
        double MaxGrossExposure, double MaxTurnover, double MaxDrawdown, double MaxCvar, double TargetVolatility)
    {
        public static StockForecastSettings Read(QCAlgorithm algorithm) => new(
            algorithm.GetDateParameter("start", "2015-01-02"),
            algorithm.GetDateParameter("end", "2021-03-31"),
            algorithm.GetListParameter("tickers", "aapl,aig,bac,ibm,goog,wm"),
            algorithm.GetParameter("model", "ridge"),
            algorithm.GetDoubleParameter("ridge-lambda", 0.01),
            algorithm.GetIntParameter("horizon", 5),
            algorithm.GetIntParameter("train-window", 500),
            algorithm.GetIntParameter("history-bars", 756),
            algorithm.GetDoubleParameter("training-timeout-seconds", 600.0),
            algorithm.GetIntParameter("warm-up-bars", 70),
            algorithm.GetDoubleParameter("min-magnitude", 0.0),
            algorithm.GetEnumParameter("portfolio-bias", PortfolioBias.Long),
            algorithm.GetDoubleParameter("max-gross-exposure", 1.0),
            algorithm.GetDoubleParameter("max-turnover", 0.5),
            algorithm.GetDoubleParameter("max-drawdown", 0.25),
            algorithm.GetDoubleParameter("max-cvar", 0.04),
            algorithm.GetDoubleParameter("target-volatility", 0.25));

    }
}
