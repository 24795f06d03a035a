using LeanModels.Alpha;
using LeanModels.Models.Data;
using LeanModels.Models.Forecasting;
using LeanModels.Models.Research;
using QuantConnect;
using QuantConnect.Algorithm;

namespace LeanModels.Tests.LeanFacade;

/// <summary>Shared inputs of the LEAN-pack tests: a few equities, two trained models, and algorithm set-up helpers.</summary>
internal static class PackFixture
{
    public static readonly string[] Tickers = ["aapl", "aig", "bac", "ibm", "spy"];
    public static readonly DateOnly TrainEnd = new(2011, 12, 30);
    public static readonly DateOnly LoopStart = new(2012, 1, 3);
    public static readonly DateOnly LoopEnd = new(2013, 6, 28);
    public const int WarmUpBars = 70;
    public const string ArtifactKey = "leanmodels/ridge.lmfa";

    private static readonly Lazy<LoadedArtifact> RidgeLazy = new(() => Train("ridge", 5));
    private static readonly Lazy<LoadedArtifact> MomentumLazy = new(() => Train("momentum20", 10));
    private static readonly Lazy<LoadedArtifact> RegimeRidgeLazy = new(() => Train("ridge-regime", 5));

    /// <summary>Ridge, H = 5, trained on the tickers up to <see cref="TrainEnd"/> (before the loop starts).</summary>
    public static LoadedArtifact Ridge => RidgeLazy.Value;

    /// <summary>Momentum(20), H = 10: a second model with another horizon, for swap tests.</summary>
    public static LoadedArtifact Momentum => MomentumLazy.Value;

    /// <summary>Ridge with market regime features (HMM, GARCH), H = 5.</summary>
    public static LoadedArtifact RegimeRidge => RegimeRidgeLazy.Value;

    /// <summary>A trained model by catalog name.</summary>
    public static LoadedArtifact ByName(string name) => name switch
    {
        "ridge" => Ridge,
        "momentum20" => Momentum,
        "ridge-regime" => RegimeRidge,
        _ => throw new ArgumentException(name),
    };

    /// <summary>The full-history panel up to <paramref name="last"/>, from <see cref="LeanDataFolder"/> (what <c>predict</c> reads).</summary>
    public static Panel PanelUpTo(IReadOnlyList<string> tickers, DateOnly last) =>
        Panel.FromBars(tickers, tickers.Select(t => (IReadOnlyList<Bar>)FrameworkLoop.Bars(t).Where(b => b.Date <= last).ToList()).ToList());

    private static LoadedArtifact Train(string name, int horizon) =>
        ForecasterTraining.Fit(PanelUpTo(Tickers, TrainEnd), ForecasterCatalog.CreateTrainer(name), horizon, trainWindow: 500);

    /// <summary>A bare algorithm holding the tickers, with an artifact (ridge by default) saved in its ObjectStore.</summary>
    public static QCAlgorithm NewAlgorithm(IEnumerable<string>? tickers = null, decimal cash = 10_000_000m, LoadedArtifact? artifact = null)
    {
        var algorithm = new QCAlgorithm();
        algorithm.SetCash(cash);
        foreach (var t in tickers ?? Tickers) algorithm.AddEquity(t, Resolution.Daily);
        artifact ??= Ridge;
        algorithm.ObjectStore.SaveBytes(ArtifactKey, ForecasterArtifact.Serialize(artifact.Model, artifact.Training));
        return algorithm;
    }

    public static ForecastAlphaModel RidgeAlpha(QCAlgorithm algorithm) =>
        new(ForecasterSlot.FromObjectStore(algorithm, ArtifactKey));

    public static Symbol Equity(string ticker) => Symbol.Create(ticker, SecurityType.Equity, Market.USA);
}
