using LeanModels.Models.Cli;

namespace LeanModels.Tests.Models.Cli;

public class ResearchCommandTests : CliTestBase
{
    private string Out => Path.Combine(Root, "run");

    private string[] Small(params string[] extra) =>
        ["research", "--data", TestPaths.LeanData, "--tickers", "aapl,ibm,spy,bac", "--start", "2010-01-01", "--end", "2012-12-31",
         "--train-window", "250", "--out", Out, .. extra];

    [Test]
    public void Research_SmallRun_PrintsMetricsAndWritesTheRunFolder()
    {
        var (code, stdout, stderr) = Run(Small());
        Assert.That(code, Is.EqualTo(ExitCodes.Success), stderr);
        foreach (var header in new[] { "IC", "Rank IC", "ICIR", "Sharpe", "max DD", "turnover", "momentum20", "reversal5", "ridge", "equal-weight benchmark" })
            Assert.That(stdout, Does.Contain(header));
        Assert.That(File.Exists(Path.Combine(Out, "report.md")) && File.Exists(Path.Combine(Out, "report.json")));
        var predictions = File.ReadAllLines(Path.Combine(Out, "predictions.csv"));
        Assert.That(predictions[0], Is.EqualTo("date,ticker,label,momentum20,reversal5,ridge,ridge-regime"));
        Assert.That(predictions[1], Does.StartWith("2010-01-04,"));
        Assert.That(Directory.GetDirectories(Root), Is.EqualTo(new[] { Out }), "no temporary folder left behind");
    }

    [Test]
    public void Research_SeedsAndValidation_ReportMeanAndStdOverSeeds()
    {
        var (code, stdout, stderr) = Run(Small("--models", "ridge,reversal5", "--seeds", "1,2,3", "--validation-days", "30", "--label-norm", "rank"));
        Assert.That(code, Is.EqualTo(ExitCodes.Success), stderr);
        var md = File.ReadAllText(Path.Combine(Out, "report.md"));
        Assert.That(md, Does.Contain("Over the seeds 1, 2, 3, mean ± sample std").And.Contain("| Model | Seeds | IC | Rank IC |"));
        Assert.That(md, Does.Contain("validation the last 30 days").And.Contain("training label CrossSectionalRank"));
        // the baselines ignore the seed: ± 0 for every metric
        var ridgeRow = md.Split('\n').Single(l => l.StartsWith("| ridge | 3 |"));
        Assert.That(ridgeRow.Split('|').Skip(3).Where(c => c.Trim().Length > 0), Is.All.Contain("± 0.0"));
        var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Out, "report.json"))).RootElement;
        var seeds = json.GetProperty("models")[0].GetProperty("seeds");
        Assert.That(seeds.GetProperty("seeds").GetArrayLength(), Is.EqualTo(3));
        Assert.That(seeds.GetProperty("Rank IC").GetProperty("std").GetDouble(), Is.EqualTo(0));
        Assert.That(seeds.GetProperty("Rank IC").GetProperty("mean").GetDouble(), Is.EqualTo(json.GetProperty("models")[0].GetProperty("Rank IC").GetDouble()));
        Assert.That(json.GetProperty("options").GetProperty("validationDays").GetInt32(), Is.EqualTo(30));
    }

    [Test]
    public void Research_SameInputTwice_PredictionsAreByteIdentical()
    {
        Assert.That(Run(Small()).Code, Is.EqualTo(0));
        var first = File.ReadAllBytes(Path.Combine(Out, "predictions.csv"));
        Assert.That(Run(Small()).Code, Is.EqualTo(0));
        Assert.That(File.ReadAllBytes(Path.Combine(Out, "predictions.csv")), Is.EqualTo(first));
    }

    [Test]
    public void Research_MissingDataFolder_ExitsThreeAndWritesNothing()
    {
        var (code, _, stderr) = Run("research", "--data", Path.Combine(Root, "nope"), "--out", Out);
        Assert.That(code, Is.EqualTo(ExitCodes.BadData));
        Assert.That(stderr, Does.Contain("nope"));
        Assert.That(Directory.Exists(Out), Is.False);
    }

    [Test]
    public void Research_UnknownTicker_ExitsThreeAndListsTickers()
    {
        var (code, _, stderr) = Run("research", "--data", TestPaths.LeanData, "--tickers", "aapl,zzzz", "--out", Out);
        Assert.That(code, Is.EqualTo(ExitCodes.BadData));
        Assert.That(stderr, Does.Contain("zzzz").And.Contain("spy").And.Contain("ibm"));
        Assert.That(Directory.Exists(Out), Is.False);
    }

    [TestCase("--start", "2012-01-01", "--end", "2011-01-01", "before end")]
    [TestCase("--horizon", "0", "--end", "2012-01-01", "horizon")]
    [TestCase("--start", "2012-13-01", "--end", "2013-01-01", "yyyy-MM-dd")]
    [TestCase("--models", "ridge,lstm", "--end", "2013-01-01", "unknown model 'lstm'")]
    [TestCase("--label-norm", "median", "--end", "2013-01-01", "--label-norm: 'median'")]
    [TestCase("--seeds", "1,x", "--end", "2013-01-01", "--seeds: 'x'")]
    [TestCase("--seeds", "2,2", "--end", "2013-01-01", "seeds repeat")]
    [TestCase("--feature-set", "alpha999", "--end", "2013-01-01", "unknown feature set 'alpha999'")]
    [TestCase("--validation-days", "600", "--end", "2013-01-01", "fewer than the training window")]
    public void Research_BadOptions_ExitTwo(string o1, string v1, string o2, string v2, string message)
    {
        var (code, _, stderr) = Run("research", "--data", TestPaths.LeanData, "--tickers", "aapl,ibm", o1, v1, o2, v2, "--out", Out);
        Assert.That(code, Is.EqualTo(ExitCodes.Usage));
        Assert.That(stderr, Does.Contain(message));
        Assert.That(Directory.Exists(Out), Is.False);
    }

    [Test]
    public void Research_OneAsset_ExitsTwo()
    {
        var (code, _, stderr) = Run("research", "--data", TestPaths.LeanData, "--tickers", "spy", "--out", Out);
        Assert.That(code, Is.EqualTo(ExitCodes.Usage));
        Assert.That(stderr, Does.Contain("at least 2 assets"));
    }

    [Test]
    public void Research_TruncatedZip_ExitsThreeNamingTheFile()
    {
        var data = Path.Combine(Root, "data");
        var daily = Path.Combine(data, "equity", "usa", "daily");
        Directory.CreateDirectory(daily);
        var source = Path.Combine(TestPaths.LeanData, "equity", "usa", "daily");
        File.Copy(Path.Combine(source, "spy.zip"), Path.Combine(daily, "spy.zip"));
        var bytes = File.ReadAllBytes(Path.Combine(source, "ibm.zip"));
        File.WriteAllBytes(Path.Combine(daily, "ibm.zip"), bytes[..(bytes.Length - 100)]);
        var (code, _, stderr) = Run("research", "--data", data, "--out", Out);
        Assert.That(code, Is.EqualTo(ExitCodes.BadData));
        Assert.That(stderr, Does.Contain("ibm.zip"));
        Assert.That(Directory.Exists(Out), Is.False);
    }

    [Test]
    public void Research_UnknownFlag_ExitsTwo()
    {
        var (code, _, stderr) = Run("research", "--data", TestPaths.LeanData, "--bogus", "1");
        Assert.That(code, Is.EqualTo(ExitCodes.Usage));
        Assert.That(stderr, Does.Contain("--bogus"));
    }
}
