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
    [TestCase("--horizon", "2147483647", "--end", "2013-01-01", "horizon 2147483647 is longer than the data")]
    [TestCase("--train-window", "2147483647", "--end", "2013-01-01", "train window 2147483647 is longer than the data")]
    [TestCase("--train-window", "3", "--end", "2013-01-01", "train window must be ≥ 100 trading days")]
    [TestCase("--retrain-every", "2147483647", "--end", "2013-01-01", "retrain step 2147483647 is longer than the data")]
    [TestCase("--embargo", "2147483647", "--end", "2013-01-01", "embargo 2147483647 is longer than the data")]
    [TestCase("--top-k", "3", "--end", "2013-01-01", "top-k 3 exceeds the 2 assets")]
    [TestCase("--cost-bps", "1e308", "--end", "2013-01-01", "cost must be in [0, 10000)")]
    [TestCase("--ridge-lambda", "1e308", "--end", "2013-01-01", "ridge lambda must be in [0, 1e6]")]
    [TestCase("--start", "2025-01-01", "--end", "2026-01-01", "choose a start before 2021-03-31")]
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
    public void Research_WindowLeavesOneAssetWithData_ExitsTwo()
    {
        // fb's data starts in 2012: in 2005 only aapl has bars.
        var (code, _, stderr) = Run("research", "--data", TestPaths.LeanData, "--tickers", "fb,aapl", "--start", "2005-01-01", "--end", "2006-01-01", "--out", Out);
        Assert.That(code, Is.EqualTo(ExitCodes.Usage), stderr);
        Assert.That(stderr, Does.Contain("at least 2 assets with data").And.Contain("only aapl has"));
        Assert.That(Directory.Exists(Out), Is.False);
    }

    [Test]
    public void Research_OutputFolderOfUserFiles_ExitsFourBeforeAnyWorkAndKeepsThem()
    {
        Directory.CreateDirectory(Out);
        File.WriteAllText(Path.Combine(Out, "notes.txt"), "mine");
        var (code, stdout, stderr) = Run(Small());
        Assert.That(code, Is.EqualTo(ExitCodes.OutputFailed));
        Assert.That(stderr, Does.Contain("refusing to replace").And.Contain("leanmodels-research.json"));
        Assert.That(stderr, Does.Not.Contain("loaded"), "refused before the data is read");
        Assert.That(stdout, Is.Empty);
        Assert.That(Directory.GetFileSystemEntries(Out), Is.EqualTo(new[] { Path.Combine(Out, "notes.txt") }));
    }

    [TestCase("data", TestName = "Research_OutputIsTheDataFolder_ExitsFour")]
    [TestCase("", TestName = "Research_OutputIsTheDataFoldersParent_ExitsFour")]
    [TestCase("data/equity", TestName = "Research_OutputIsInsideTheDataFolder_ExitsFour")]
    public void Research_OutputOverlapsTheData_ExitsFour(string output)
    {
        var data = Path.Combine(Root, "data");
        var daily = Path.Combine(data, "equity", "usa", "daily");
        Directory.CreateDirectory(daily);
        foreach (var t in new[] { "spy", "ibm" }) File.Copy(Path.Combine(TestPaths.LeanData, "equity", "usa", "daily", t + ".zip"), Path.Combine(daily, t + ".zip"));
        var (code, _, stderr) = Run("research", "--data", data, "--out", output.Length == 0 ? Root : Path.Combine(Root, output));
        Assert.That(code, Is.EqualTo(ExitCodes.OutputFailed));
        Assert.That(stderr, Does.Contain("input folder"));
        Assert.That(Directory.GetFiles(daily).Select(Path.GetFileName), Is.EquivalentTo(new[] { "spy.zip", "ibm.zip" }));
        Assert.That(Directory.GetFileSystemEntries(Root).Select(Path.GetFileName), Is.EqualTo(new[] { "data" }));
    }

    [Test]
    public void Research_CancelledMidRun_ExitsOneThirtyPrintsCancelledLeavesNothing()
    {
        var (code, stdout, stderr) = RunAndCancelOn("walk-forward momentum20", Small());
        Assert.That(code, Is.EqualTo(ExitCodes.Cancelled), stderr);
        Assert.That(stderr, Does.EndWith("cancelled" + Environment.NewLine));
        Assert.That(stderr, Does.Not.Contain("walk-forward ridge"), "stopped at the next fold");
        Assert.That(stdout, Is.Empty);
        Assert.That(Directory.GetFileSystemEntries(Root), Is.Empty, "no output, no temporary folder");
    }

    [Test]
    public void Research_CancelledMidRun_PreviousOutputIsKept()
    {
        Assert.That(Run(Small()).Code, Is.EqualTo(ExitCodes.Success));
        var before = File.ReadAllBytes(Path.Combine(Out, "predictions.csv"));
        var (code, _, _) = RunAndCancelOn("walk-forward ridge:", Small());
        Assert.That(code, Is.EqualTo(ExitCodes.Cancelled));
        Assert.That(File.ReadAllBytes(Path.Combine(Out, "predictions.csv")), Is.EqualTo(before));
        Assert.That(Directory.GetFileSystemEntries(Root), Is.EqualTo(new[] { Out }));
    }

    [Test]
    public void Research_LeftoverOfAKilledRun_IsRemovedByTheNextRun()
    {
        var leftover = LeaveKilledRunsTemporaryFolder(Out, LeanModels.Models.IO.OutputMarker.Research);
        var (code, _, stderr) = Run(Small());
        Assert.That(code, Is.EqualTo(ExitCodes.Success), stderr);
        Assert.That(Directory.Exists(leftover), Is.False);
        Assert.That(Directory.GetFileSystemEntries(Root), Is.EqualTo(new[] { Out }));
    }

    [Test]
    public void Research_SigtermToTheProcess_ExitsOneThirtyPrintsCancelledLeavesNothing()
    {
        if (OperatingSystem.IsWindows()) Assert.Ignore("SIGTERM is sent with kill(1), which Windows lacks.");
        var cli = Path.Combine(AppContext.BaseDirectory, "leanmodels.dll");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { cli, "research", "--data", TestPaths.LeanData, "--out", Out }) start.ArgumentList.Add(a);
        using var child = System.Diagnostics.Process.Start(start)!;
        var stdout = child.StandardOutput.ReadToEndAsync();
        var err = new System.Text.StringBuilder();
        while (child.StandardError.ReadLine() is { } line)
        {
            err.AppendLine(line);
            if (line.StartsWith("loaded ", StringComparison.Ordinal)) break;     // loading done: the walk-forward (10 s) runs now
        }
        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!) kill.WaitForExit();
        err.Append(child.StandardError.ReadToEnd());
        child.WaitForExit();
        Assert.That(child.ExitCode, Is.EqualTo(ExitCodes.Cancelled), err.ToString());
        Assert.That(err.ToString(), Does.Contain("cancelled"));
        Assert.That(stdout.Result, Is.Empty);
        Assert.That(Directory.GetFileSystemEntries(Root), Is.Empty, "no output, no temporary folder");
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
