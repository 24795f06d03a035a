using System.Collections.Concurrent;
using LeanModels.Models.Data;
using LeanModels.Models.Forecasting;
using LeanModels.Models.Research;

namespace LeanModels.Tests.Lean;

/// <summary>Shared inputs of the real-engine tests: a few equities of ../shared/data/lean and models trained before the
/// backtests start (so no test trades on a model that saw its prices).</summary>
internal static class PackData
{
    public static readonly string[] Tickers = ["aapl", "aig", "bac", "ibm", "spy"];
    public static readonly DateOnly TrainEnd = new(2011, 11, 30);
    public const string ArtifactKey = "leanmodels/ridge.lmfa";

    private static readonly ConcurrentDictionary<string, IReadOnlyList<Bar>> BarCache = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, LoadedArtifact> Models = new(StringComparer.Ordinal);

    /// <summary>Adjusted daily bars of one ticker, as <c>predict</c> reads them (cached).</summary>
    public static IReadOnlyList<Bar> Bars(string ticker) =>
        BarCache.GetOrAdd(ticker, t => new LeanDataFolder(TestPaths.LeanData).ReadEquityBars(t, BarResolution.Daily, PriceAdjustment.Adjusted));

    /// <summary>The full-history panel up to <paramref name="last"/> (what <c>leanmodels predict</c> builds).</summary>
    public static Panel PanelUpTo(IReadOnlyList<string> tickers, DateOnly last) =>
        Panel.FromBars(tickers, tickers.Select(t => (IReadOnlyList<Bar>)Bars(t).Where(b => b.Date <= last).ToList()).ToList());

    /// <summary>A catalog model (ridge, ridge-regime, momentum20, …) with horizon 5 trained on <see cref="Tickers"/> up to
    /// <see cref="TrainEnd"/>, cached.</summary>
    public static LoadedArtifact Model(string name) =>
        Models.GetOrAdd(name, n => ForecasterTraining.Fit(PanelUpTo(Tickers, TrainEnd), Trainer(n), 5, trainWindow: 500));

    /// <summary>The catalog's trainer; a Stockformer small enough for a test (lookback 20, width 8, one epoch); two-stage and
    /// direct models likewise (lookback 20, stage-1 width 8, embedding 8, hidden 8, one epoch); LightGBM with L1 0 and L2 1
    /// (Qlib's penalties zero every leaf on five assets, which would make the forecast constant).</summary>
    public static IForecasterTrainer Trainer(string name) => ForecasterCatalog.CreateTrainer(name, 0.01,
        new LeanModels.Models.Forecasting.LightGbm.LightGbmOptions(L1: 0, L2: 1),
        new LeanModels.Models.Stockformer.StockformerTrainingOptions(Lookback: 20, Model: 8, Epochs: 1, BatchDates: 16, Threads: 2),
        new LeanModels.Models.TwoStage.TwoStageTrainingOptions(Lookback: 20, StageOneWidth: 8, Embedding: 8, Hidden: 8, Epochs: 1, BatchDates: 16, Threads: 2));

    /// <summary>Writes <paramref name="artifact"/> into a LEAN local ObjectStore folder under <paramref name="key"/>.</summary>
    public static void Store(string storage, string key, byte[] artifact)
    {
        var path = Path.Combine(storage, key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, artifact);
    }

    /// <summary>The serialized artifact of <see cref="Model"/>.</summary>
    public static byte[] Artifact(string name) => ForecasterArtifact.Serialize(Model(name).Model, Model(name).Training);
}
