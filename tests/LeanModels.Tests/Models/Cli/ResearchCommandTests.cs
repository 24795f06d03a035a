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
        var report = File.ReadAllText(Path.Combine(Out, "report.md"));
        foreach (var chart in new[] { "cumulative.png", "drawdown.png", "rolling-rank-ic.png" })
        {
            Assert.That(report, Does.Contain($"]({chart})"), $"report.md embeds {chart}");
            Assert.That(LeanModels.Tests.Models.Reporting.PngHeader.Read(Path.Combine(Out, chart)), Is.EqualTo((1200, 600)), chart);
            Assert.That(new FileInfo(Path.Combine(Out, chart)).Length, Is.InRange(20_000, 2_000_000), chart);
        }
    }

    [Test]
    public void Research_ChartsSvgOrNone_WritesSvgOrNoPicture()
    {
        var (code, _, stderr) = Run(Small("--models", "momentum20,reversal5", "--charts", "svg"));
        Assert.That(code, Is.EqualTo(ExitCodes.Success), stderr);
        Assert.That(File.ReadAllText(Path.Combine(Out, "report.md")), Does.Contain("](cumulative.svg)"));
        Assert.That(File.ReadAllText(Path.Combine(Out, "rolling-rank-ic.svg")), Does.Contain("<svg"));
        Assert.That(Run(Small("--models", "momentum20", "--charts", "none")).Code, Is.EqualTo(ExitCodes.Success));
        Assert.That(Directory.GetFiles(Out, "*.png").Concat(Directory.GetFiles(Out, "*.svg")), Is.Empty);
        Assert.That(File.ReadAllText(Path.Combine(Out, "report.md")), Does.Not.Contain("!["));
        var (bad, _, error) = Run(Small("--charts", "gif"));
        Assert.That(bad, Is.EqualTo(ExitCodes.Usage));
        Assert.That(error, Does.Contain("--charts must be png, svg or none"));
    }

    [Test]
    public void Research_SameInputTwice_PredictionsAndChartsAreByteIdentical()
    {
        Assert.That(Run(Small()).Code, Is.EqualTo(0));
        var first = File.ReadAllBytes(Path.Combine(Out, "predictions.csv"));
        var chart = File.ReadAllBytes(Path.Combine(Out, "cumulative.png"));
        Assert.That(Run(Small()).Code, Is.EqualTo(0));
        Assert.That(File.ReadAllBytes(Path.Combine(Out, "predictions.csv")), Is.EqualTo(first));
        Assert.That(File.ReadAllBytes(Path.Combine(Out, "cumulative.png")), Is.EqualTo(chart), "same run, same chart bytes");
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
