using System.Globalization;
using LeanModels.Models.Cli;

namespace LeanModels.Tests.Models.Cli;

public class RegimeCommandTests : CliTestBase
{
    [Test]
    public void Regime_SpyFittedOnlyTo2007_FilteredHighVolCovers2008CrisisAndMarch2020OutOfSample()
    {
        var outFolder = Path.Combine(Root, "spy");
        var (code, stdout, stderr) = Run("regime", "--data", TestPaths.LeanData, "--ticker", "SPY", "--fit-end", "2007-12-31", "--out", outFolder);
        Assert.That(code, Is.EqualTo(0), stderr);
        Assert.That(stdout, Does.Contain("high volatility").And.Contain("fitted to 2007-12-31"));
        Assert.That(LeanModels.Tests.Models.Reporting.PngHeader.Read(Path.Combine(outFolder, "regime.png")), Is.EqualTo((1200, 500)));
        Assert.That(File.ReadAllText(Path.Combine(outFolder, "report.md")), Does.Contain("![regimes](regime.png)"));
        var rows = File.ReadAllLines(Path.Combine(outFolder, "regimes.csv")).Skip(1).Select(l => l.Split(','))
            .Select(f => (Date: f[0], P: double.Parse(f[3], CultureInfo.InvariantCulture))).ToList();
        double Mean(string from, string to) => rows.Where(r => string.CompareOrdinal(r.Date, from) >= 0 && string.CompareOrdinal(r.Date, to) <= 0).Average(r => r.P);
        // measured 0.996 and 0.998 (calm control 2017: 0.014): the models saw no data after 2007
        Assert.That(Mean("2008-10-01", "2008-11-30"), Is.GreaterThan(0.9));
        Assert.That(Mean("2020-03-09", "2020-03-31"), Is.GreaterThan(0.9));
        Assert.That(Mean("2017-01-01", "2017-12-31"), Is.LessThan(0.1));
    }

    [Test]
    public void Regime_TooFewObservations_ExitsNonZeroWithCounts()
    {
        var (code, _, stderr) = Run("regime", "--data", TestPaths.LeanData, "--ticker", "spy", "--start", "2020-01-01", "--end", "2020-02-28", "--out", Path.Combine(Root, "x"));
        Assert.That(code, Is.EqualTo(ExitCodes.Usage));
        Assert.That(stderr, Does.Contain("39 daily returns in the window").And.Contain("need at least 100").And.Contain("Widen the window"));
        Assert.That(Directory.Exists(Path.Combine(Root, "x")), Is.False);
    }

    [TestCase("--states", "100000", "--states must be in [2, 10]")]
    [TestCase("--states", "-2147483648", "--states must be in [2, 10]")]
    [TestCase("--min-days", "0", "--min-days must be ≥ 1")]
    [TestCase("--min-days", "2147483647", "--min-days 2147483647 exceeds")]
    public void Regime_OptionAtItsExtreme_ExitsTwoBeforeFitting(string option, string value, string message)
    {
        var (code, _, stderr) = Run("regime", "--data", TestPaths.LeanData, "--ticker", "spy", option, value, "--out", Path.Combine(Root, "x"));
        Assert.That(code, Is.EqualTo(ExitCodes.Usage), stderr);
        Assert.That(stderr, Does.Contain(message));
        Assert.That(Directory.GetFileSystemEntries(Root), Is.Empty);
    }

    [Test]
    public void Regime_WindowAfterTheData_AdvisesAnEarlierStart()
    {
        var (code, _, stderr) = Run("regime", "--data", TestPaths.LeanData, "--ticker", "spy", "--start", "2025-01-01", "--out", Path.Combine(Root, "x"));
        Assert.That(code, Is.EqualTo(ExitCodes.Usage));
        Assert.That(stderr, Does.Contain("after the data").And.Contain("choose a start before 2021-03-31"));
    }

    [Test]
    public void Regime_OutputFolderOfUserFiles_ExitsFourAndKeepsThem()
    {
        var output = Path.Combine(Root, "mine");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "a.txt"), "keep");
        var (code, _, stderr) = Run("regime", "--data", TestPaths.LeanData, "--ticker", "spy", "--out", output);
        Assert.That(code, Is.EqualTo(ExitCodes.OutputFailed));
        Assert.That(stderr, Does.Contain("leanmodels-regime.json"));
        Assert.That(Directory.GetFileSystemEntries(output), Is.EqualTo(new[] { Path.Combine(output, "a.txt") }));
    }

    [Test]
    public void Regime_OutputIsTheDataFoldersParent_ExitsFour()
    {
        var (code, _, stderr) = Run("regime", "--data", TestPaths.LeanData, "--ticker", "spy", "--out", Path.GetDirectoryName(TestPaths.LeanData)!);
        Assert.That(code, Is.EqualTo(ExitCodes.OutputFailed));
        Assert.That(stderr, Does.Contain("contains the input folder"));
    }

    [Test]
    public void Regime_Cancelled_ExitsOneThirtyAndWritesNothing()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        var stderr = new StringWriter();
        var code = Program.Run(["regime", "--data", TestPaths.LeanData, "--ticker", "spy", "--out", Path.Combine(Root, "x")], new StringWriter(), stderr, cancellation.Token);
        Assert.That(code, Is.EqualTo(ExitCodes.Cancelled));
        Assert.That(stderr.ToString(), Is.EqualTo("cancelled" + Environment.NewLine));
        Assert.That(Directory.GetFileSystemEntries(Root), Is.Empty);
    }

    [Test]
    public void Regime_UnknownTicker_ExitsThree()
    {
        var (code, _, stderr) = Run("regime", "--data", TestPaths.LeanData, "--ticker", "nope", "--out", Path.Combine(Root, "x"));
        Assert.That(code, Is.EqualTo(ExitCodes.BadData));
        Assert.That(stderr, Does.Contain("spy"));
    }
}
