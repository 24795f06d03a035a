using System.Text.Json;
using System.Text.RegularExpressions;
using LeanModels.Algorithms;
using LeanModels.Models.Forecasting;
using LeanModels.Tests.Lean;

namespace LeanModels.Tests.Algorithms;

/// <summary>The Algorithms/ projects: LEAN CLI layout rules (lean-api.md §6.2) and backtests in the real LEAN engine, built and
/// run as `lean backtest` does (../shared/lean-engine/run-backtest.sh) on ../shared/data/lean.</summary>
[Category("Lean")]
public class AlgorithmTests
{
    private static readonly string[] Projects = ["EtfForecast", "StockForecast", "StockformerForecast"];

    private static string Folder(string name) => Path.Combine(TestPaths.RepositoryRoot, "Algorithms", name);

    [TestCaseSource(nameof(Projects))]
    public void Project_FollowsTheLeanCliLayout(string name)
    {
        var folder = Folder(name);
        Assert.That(Directory.GetFiles(folder, "*.csproj").Select(Path.GetFileName), Is.EqualTo(new[] { name + ".csproj" }));
        // The CLI's regex (lean_config_manager.py): the first match names the algorithm class.
        var match = Regex.Match(File.ReadAllText(Path.Combine(folder, "Main.cs")), @"class\s*([^\s:]+)\s*:\s*QCAlgorithm");
        Assert.That(match.Success, Is.True);
        Assert.That(match.Groups[1].Value, Is.EqualTo(name));
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "config.json")));
        Assert.That(config.RootElement.GetProperty("algorithm-language").GetString(), Is.EqualTo("CSharp"));
        Assert.That(config.RootElement.GetProperty("parameters").EnumerateObject().Count(), Is.GreaterThan(5));
        var csproj = File.ReadAllText(Path.Combine(folder, name + ".csproj"));
        Assert.That(csproj, Does.Contain("<TargetFramework>net10.0</TargetFramework>"));
        Assert.That(csproj, Does.Contain("<PackageReference Include=\"QuantConnect.Lean\" />"));
        Assert.That(csproj, Does.Contain("backtests/*/code/**;live/*/code/**;optimizations/*/code/**"));
    }

    [TestCaseSource(nameof(Projects))]
    public void EveryConfigParameter_IsReadWithGetParameter(string name)
    {
        var main = File.ReadAllText(Path.Combine(Folder(name), "Main.cs"));
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder(name), "config.json")));
        foreach (var parameter in config.RootElement.GetProperty("parameters").EnumerateObject())
            Assert.That(Regex.IsMatch(main, $@"Get\w*Parameter\(""{Regex.Escape(parameter.Name)}"""), Is.True, parameter.Name);
    }

    [Test]
    public void EtfForecastNotebook_IsACSharpQuantBookNotebookSavingTheConfiguredArtifact()
    {
        using var notebook = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder("EtfForecast"), "Research.ipynb")));
        Assert.That(notebook.RootElement.GetProperty("metadata").GetProperty("kernelspec").GetProperty("language").GetString(), Is.EqualTo("C#"));
        var code = string.Concat(notebook.RootElement.GetProperty("cells").EnumerateArray()
            .Where(c => c.GetProperty("cell_type").GetString() == "code")
            .SelectMany(c => c.GetProperty("source").EnumerateArray().Select(l => l.GetString())));
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder("EtfForecast"), "config.json")));
        var key = config.RootElement.GetProperty("parameters").GetProperty("model-key").GetString()!;
        Assert.That(code, Does.Contain("new QuantBook()").And.Contain("ForecasterTraining.Fit").And.Contain("ObjectStore.SaveBytes")
            .And.Contain($"\"{key}\"").And.Contain(".Predict("));
    }

    private static readonly string[] EtfTickers = ["spy", "qqq", "iwm", "eem", "uso", "bno"];

    /// <summary>Ridge on the ETF universe, trained on history up to 2014-12-31 (labels included), before the backtest starts.</summary>
    private static byte[] EtfArtifact()
    {
        var trained = ForecasterTraining.Fit(PackData.PanelUpTo(EtfTickers, new DateOnly(2014, 12, 31)), ForecasterCatalog.CreateTrainer("ridge"), 5, 500);
        return ForecasterArtifact.Serialize(trained.Model, trained.Training);
    }

    private static readonly Lazy<Backtest> Etf = new(() => RealLean.RunProject("EtfForecast", Folder("EtfForecast"),
        prepareStorage: storage => PackData.Store(storage, "leanmodels/ridge.lmfa", EtfArtifact())));

    // Config as shipped, but run two months past the end of the data (2021-03-31) to see training stop.
    private static readonly Lazy<Backtest> Stock = new(() => RealLean.RunProject("StockForecast", Folder("StockForecast"),
        new Dictionary<string, string> { ["end"] = "2021-05-28", ["horizon"] = "5.0" }));

    [Test]
    public void EtfForecast_RunsInRealLean_FromAnObjectStoreArtifact()
    {
        var run = Etf.Value;
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Errors, Is.Empty, run.ToString());
        Assert.That(run.Statistics["Total Orders"], Is.Not.EqualTo("0"));
        Assert.That(run.OrderCount, Is.GreaterThan(100));
        var insights = run.Insights;
        Assert.That(insights, Has.Count.GreaterThan(1000));
        Assert.That(insights.Select(i => i.SourceModel).Distinct(), Is.EqualTo(new[] { "ForecastAlphaModel(leanmodels/ridge.lmfa,0)" }));
        Assert.That(insights.Min(i => i.GeneratedUtc), Is.GreaterThanOrEqualTo(new DateTime(2015, 1, 2)), "nothing while warming up");
        Assert.That(insights.Select(i => i.Ticker).Distinct().Order(), Is.EqualTo(EtfTickers.Order()));
    }

    [Test]
    public void StockForecast_TrainsWeeklyInRealLean_OneAssetPerSecurity_AndStopsWhenTheDataEnds()
    {
        var run = Stock.Value;
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Errors, Is.Empty, run.ToString());
        Assert.That(run.OrderCount, Is.GreaterThan(100));
        var trained = Regex.Matches(run.Log, @"Debug: (\S+) \S+ WalkForwardTraining ridge at \S+ \S+: trained on (\d+) dates \S+\.\.(\S+), (\d+) assets")
            .Select(m => (At: DateOnly.Parse(m.Groups[1].Value), Last: DateOnly.Parse(m.Groups[3].Value), Assets: int.Parse(m.Groups[4].Value))).ToList();
        // Weekly over 2014-09 (warm-up) .. 2021-03: about 340 weeks.
        Assert.That(trained, Has.Count.InRange(320, 360));
        // GOOG's bars before 2014-04-03 come from History as GOOCV (same security): still one asset, six in all.
        Assert.That(trained.Select(t => t.Assets).Distinct(), Is.EqualTo(new[] { 6 }));
        // The data ends 2021-03-31: no training after the first run that sees the last bar.
        Assert.That(trained.Count(t => t.At > new DateOnly(2021, 4, 6)), Is.Zero, "refits on a window without new bars");
        Assert.That(run.Log, Does.Contain("no bar after 2021-03-31 since the last training"));
        Assert.That(run.Insights.Max(i => i.GeneratedUtc), Is.LessThan(new DateTime(2021, 4, 2)));
    }

    private static readonly string[] StockTickers = ["aapl", "aig", "bac", "ibm", "goog", "wm"];

    // A small Stockformer with its allocation head trained on the stocks up to 2014-12-31 (labels included), one year of trading.
    private static readonly Lazy<Backtest> Stockformer = new(() => RealLean.RunProject("StockformerForecast", Folder("StockformerForecast"),
        new Dictionary<string, string> { ["end"] = "2015-12-31" },
        storage =>
        {
            var trained = ForecasterTraining.Fit(PackData.PanelUpTo(StockTickers, new DateOnly(2014, 12, 31)), PackData.Trainer("stockformer-alloc"), 5, 500);
            PackData.Store(storage, "leanmodels/stockformer.lmfa", ForecasterArtifact.Serialize(trained.Model, trained.Training));
        }));

    [Test]
    public void StockformerForecast_RunsInRealLean_WithTheAllocationHeadAsInsightWeights()
    {
        var run = Stockformer.Value;
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Errors, Is.Empty, run.ToString());
        Assert.That(run.OrderCount, Is.GreaterThan(20));
        var insights = run.Insights;
        Assert.That(insights, Has.Count.GreaterThan(500));
        Assert.That(insights.Select(i => i.SourceModel).Distinct(), Is.EqualTo(new[] { "ForecastAlphaModel(leanmodels/stockformer.lmfa,0,allocation)" }));
        Assert.That(insights.All(i => i.Weight is > 0 and <= 1), Is.True, "every insight carries |allocation| as its weight");
        Assert.That(insights.Select(i => i.Ticker).Distinct().Order(), Is.EqualTo(StockTickers.Order()));
        Assert.That(insights.Min(i => i.GeneratedUtc), Is.GreaterThanOrEqualTo(new DateTime(2015, 1, 2)), "nothing while warming up");
    }

    [Test]
    public void IntegerParameter_WrittenAsADecimal_IsRead_AFractionStopsTheAlgorithm()
    {
        Assert.That(Stock.Value.ExitCode, Is.Zero, "horizon = 5.0 is read as 5");
        var run = RealLean.RunProject("StockForecast-bad-horizon", Folder("StockForecast"),
            new Dictionary<string, string> { ["start"] = "2015-01-02", ["end"] = "2015-01-30", ["horizon"] = "5.5" });
        Assert.That(run.Log, Does.Contain("parameter 'horizon' is '5.5', which is not a whole number"));
        Assert.That(run.Insights, Is.Empty);
        Assert.That(run.OrderCount, Is.Zero);
    }
}
