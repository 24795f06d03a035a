using System.Text.Json;
using System.Text.RegularExpressions;
using LeanModels.Algorithms;
using LeanModels.Models.Forecasting;
using LeanModels.Tests.LeanFacade;
using QuantConnect.Algorithm;

namespace LeanModels.Tests.Algorithms;

/// <summary>The Algorithms/ projects: LEAN CLI layout rules (lean-api.md §6.2) and a run through the framework loop.</summary>
public class AlgorithmTests
{
    private static readonly string[] Projects = ["EtfForecast", "StockForecast"];

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
            Assert.That(main, Does.Contain($"GetParameter(\"{parameter.Name}\""), parameter.Name);
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

    private static List<FrameworkLoop.Step> Run(QCAlgorithm algorithm, string start, string end, Dictionary<string, string> parameters)
    {
        parameters["start"] = start;
        parameters["end"] = end;
        foreach (var (key, value) in parameters) algorithm.FacadeParameters[key] = value;
        algorithm.Initialize();
        return new FrameworkLoop(algorithm).Run(DateOnly.Parse(start), DateOnly.Parse(end), algorithm.FacadeWarmUpBars);
    }

    [Test]
    public void EtfForecast_RunsFromAnObjectStoreArtifact()
    {
        var algorithm = new EtfForecast();
        algorithm.SetCash(1m);
        algorithm.ObjectStore.SaveBytes("leanmodels/ridge.lmfa", ForecasterArtifact.Serialize(PackFixture.Ridge.Model, PackFixture.Ridge.Training));
        var steps = Run(algorithm, "2012-01-03", "2012-12-31", new() { ["tickers"] = "spy,qqq,iwm,eem,uso" });

        Assert.That(algorithm.RunTimeError, Is.Null);
        Assert.That(algorithm.ErrorMessages, Is.Empty);
        Assert.That(steps.Count(s => s.WarmingUp), Is.EqualTo(70));
        Assert.That(steps.Where(s => s.WarmingUp).SelectMany(s => s.Insights), Is.Empty);
        var insights = steps.Where(s => !s.WarmingUp).SelectMany(s => s.Insights).ToList();
        Assert.That(insights, Has.Count.GreaterThan(500));
        Assert.That(insights.Select(i => i.SourceModel).Distinct(), Is.EqualTo(new[] { "ForecastAlphaModel(leanmodels/ridge.lmfa,0)" }));
        Assert.That(algorithm.Portfolio.Invested, Is.True);
    }

    [Test]
    public void StockForecast_TrainsInsideTheAlgorithmBeforeTrading()
    {
        var algorithm = new StockForecast();
        algorithm.SetCash(1m);
        var steps = Run(algorithm, "2012-01-03", "2012-09-28", new() { ["tickers"] = "aapl,aig,bac,ibm,wm", ["train-window"] = "250", ["history-bars"] = "400" });

        Assert.That(algorithm.RunTimeError, Is.Null);
        Assert.That(algorithm.ErrorMessages, Is.Empty);
        var trainings = algorithm.DebugMessages.Where(m => m.Contains("trained on 250 dates")).ToList();
        Assert.That(trainings, Has.Count.GreaterThanOrEqualTo(30), "weekly retraining over nine months");
        var firstLive = steps.First(s => !s.WarmingUp);
        Assert.That(firstLive.Insights, Is.Not.Empty, "a model exists when warm-up ends");
        Assert.That(steps.Where(s => !s.WarmingUp).SelectMany(s => s.Targets).All(t => t.Quantity >= 0), Is.True, "long-only by default");
    }
}
