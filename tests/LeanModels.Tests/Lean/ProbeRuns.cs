using System.Collections.Concurrent;

namespace LeanModels.Tests.Lean;

/// <summary>The real-engine backtests of tests/LeanAlgorithms' <c>AlphaProbe</c> that several test classes read, each run once
/// per test run: the pack on aapl, aig, bac, ibm, spy over 2012 (70 warm-up bars) with a ridge artifact trained up to
/// <see cref="PackData.TrainEnd"/>.</summary>
internal static class ProbeRuns
{
    public const string Start = "2012-01-03";
    public const string End = "2012-12-31";
    public static readonly DateOnly RemovalDate = new(2012, 9, 4);

    private static readonly ConcurrentDictionary<string, Lazy<Backtest>> Runs = new(StringComparer.Ordinal);

    private static Dictionary<string, string> Base(string model = "ridge") => new()
    {
        ["start"] = Start, ["end"] = End, ["tickers"] = string.Join(',', PackData.Tickers), ["model-key"] = PackData.ArtifactKey,
        ["warm-up-bars"] = "70", ["portfolio-bias"] = "LongShort", ["max-gross-exposure"] = "1", ["max-turnover"] = "0.5",
    };

    private static Backtest Once(string name, Func<Backtest> run) => Runs.GetOrAdd(name, _ => new Lazy<Backtest>(run)).Value;

    private static Action<string> Storing(byte[] artifact) => storage => PackData.Store(storage, PackData.ArtifactKey, artifact);

    /// <summary>Long-short, gross 1, turnover 0.5; BAC removed on <see cref="RemovalDate"/>.</summary>
    public static Backtest Ridge => Once("alpha-ridge", () => RealLean.RunProbe("alpha-ridge", "AlphaProbe",
        new Dictionary<string, string>(Base()) { ["remove-ticker"] = "bac", ["remove-date"] = RemovalDate.ToString("yyyy-MM-dd") },
        Storing(PackData.Artifact("ridge"))));

    /// <summary>Another catalog model, no removal.</summary>
    public static Backtest Model(string name) => Once("alpha-" + name, () => RealLean.RunProbe("alpha-" + name, "AlphaProbe", Base(),
        Storing(PackData.Artifact(name))));

    /// <summary>Long-only, gross 0.8, turnover 0.3.</summary>
    public static Backtest LongOnly => Once("alpha-long", () => RealLean.RunProbe("alpha-long", "AlphaProbe",
        new Dictionary<string, string>(Base()) { ["portfolio-bias"] = "Long", ["max-gross-exposure"] = "0.8", ["max-turnover"] = "0.3" },
        Storing(PackData.Artifact("ridge"))));

    /// <summary>With the regime-aware risk model and a 2% portfolio drawdown limit, which binds early.</summary>
    public static Backtest DrawdownLimit => Once("alpha-risk", () => RealLean.RunProbe("alpha-risk", "AlphaProbe",
        new Dictionary<string, string>(Base()) { ["risk"] = "regime", ["max-drawdown"] = "0.02" }, Storing(PackData.Artifact("ridge"))));

    /// <summary>The ridge artifact with one byte flipped in the middle.</summary>
    public static Backtest Corrupted => Once("alpha-corrupted", () =>
    {
        var bytes = PackData.Artifact("ridge");
        bytes[bytes.Length / 2] ^= 0x5A;
        return RealLean.RunProbe("alpha-corrupted", "AlphaProbe", new Dictionary<string, string>(Base()) { ["end"] = "2012-06-29" }, Storing(bytes));
    });

    /// <summary>The test sequence model with a 60-day lookback (120 bars per asset), published before or after the alpha is built.</summary>
    public static Backtest WindowMean(bool publishLater) => Once("alpha-window-mean-" + publishLater, () => RealLean.RunProbe("alpha-window-mean-" + publishLater, "AlphaProbe",
        new Dictionary<string, string>(Base()) { ["window-mean-lookback"] = "60", ["publish-later"] = publishLater ? "true" : "false", ["end"] = "2012-06-29" }));

    /// <summary>The test sequence model's allocation head through the insights' Weight on IBM and SPY (two calm assets, so
    /// Σ|w| is sometimes below the gross cap 1 and sometimes above), turnover cap 2 (never binds).</summary>
    public static Backtest Allocation => Once("alpha-allocation", () => RealLean.RunProbe("alpha-allocation", "AlphaProbe",
        new Dictionary<string, string>(Base()) { ["tickers"] = "ibm,spy", ["window-mean-lookback"] = "20", ["use-allocation"] = "true", ["max-turnover"] = "2", ["end"] = "2012-06-29" }));

    /// <summary>SPY subscribed hourly next to four daily equities, over 2012-01..2012-03.</summary>
    public static Backtest HourlySubscription => Once("alpha-hourly", () => RealLean.RunProbe("alpha-hourly", "AlphaProbe",
        new Dictionary<string, string>(Base()) { ["tickers"] = "aapl,aig,bac,ibm", ["hourly-ticker"] = "spy", ["end"] = "2012-03-30" },
        Storing(PackData.Artifact("ridge"))));

    /// <summary>A backtest starting 2011-06-01, inside the artifact's training window; <paramref name="allow"/> sets
    /// allow-training-overlap.</summary>
    public static Backtest Overlapping(bool allow) => Once("alpha-overlap-" + allow, () => RealLean.RunProbe("alpha-overlap-" + allow, "AlphaProbe",
        new Dictionary<string, string>(Base()) { ["start"] = "2011-06-01", ["end"] = "2011-09-30", ["allow-training-overlap"] = allow ? "true" : "false" },
        Storing(PackData.Artifact("ridge"))));
}
