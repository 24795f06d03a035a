using System.Text.Json;
using LeanModels.Models.Cli;
using LeanModels.Tests.Models.Data.Import;

namespace LeanModels.Tests.Models.Cli;

public class ImportCommandTests : CliTestBase
{
    private string InputWith(params (string Name, string Content)[] files)
    {
        var input = Path.Combine(Root, "in");
        Directory.CreateDirectory(input);
        foreach (var (name, content) in files) File.WriteAllText(Path.Combine(input, name), content);
        return input;
    }

    [Test]
    public void Import_GoodInput_ExitsZeroPrintsAgreementAndWritesReport()
    {
        var input = InputWith(("DA-TEST-T-2021-04-21.csv", ImportTestData.Csv(ImportTestData.TestRows)));
        var output = Path.Combine(Root, "lean");
        var reportPath = Path.Combine(Root, "report.json");
        var (code, stdout, stderr) = Run("import", "--input", input, "--output", output, "--report", reportPath);
        Assert.That(code, Is.EqualTo(ExitCodes.Success), stderr);
        Assert.That(stdout, Does.Contain("100.0000 %"));               // 7 of 7 rows within 0.5%
        Assert.That(stdout, Does.Contain("1 / 1"));
        Assert.That(File.Exists(Path.Combine(output, "equity", "usa", "daily", "test.zip")), Is.True);
        using var json = JsonDocument.Parse(File.ReadAllText(reportPath));
        var ticker = json.RootElement.GetProperty("tickers")[0];
        Assert.That(ticker.GetProperty("ticker").GetString(), Is.EqualTo("test"));
        Assert.That(ticker.GetProperty("rows").GetInt32(), Is.EqualTo(7));
        Assert.That(ticker.GetProperty("agreeingRows").GetInt32(), Is.EqualTo(7));
        Assert.That(json.RootElement.GetProperty("agreementShare").GetDouble(), Is.EqualTo(1.0));
    }

    [Test]
    public void Import_MalformedRow_Exits3NamesFileAndLineWritesNothing()
    {
        var input = InputWith(("DA-TEST-T-2021-04-21.csv", ImportTestData.Csv(["2020-01-02,10.0,10.5,9.5,10.25,10.25,100,0.0,1.0", "2020-01-03,oops"])));
        var output = Path.Combine(Root, "lean");
        var (code, _, stderr) = Run("import", "--input", input, "--output", output);
        Assert.That(code, Is.EqualTo(ExitCodes.BadData));
        Assert.That(stderr, Does.Contain("DA-TEST-T-2021-04-21.csv:3: expected 9 fields"));
        Assert.That(Directory.Exists(output), Is.False);
        Assert.That(Directory.GetFileSystemEntries(Root).Select(Path.GetFileName), Is.EqualTo(new[] { "in" }));
    }

    [Test]
    public void Import_BadFileWithSkipBad_Exits0AndListsBadFileOnStderr()
    {
        var input = InputWith(("DA-TEST-T-2021-04-21.csv", ImportTestData.Csv(ImportTestData.TestRows)),
                              ("DA-BF.B-T-2021-04-21.csv", "{\n    \"Error Message\": \"Invalid API call.\"\n}\n"));
        var output = Path.Combine(Root, "lean");
        var (code, stdout, stderr) = Run("import", "--input", input, "--output", output, "--skip-bad");
        Assert.That(code, Is.EqualTo(ExitCodes.Success), stderr);
        Assert.That(stderr, Does.Contain("skipped 1 bad file(s) of 2"));
        Assert.That(stderr, Does.Contain("DA-BF.B-T-2021-04-21.csv:1: not Alpha Vantage daily-adjusted price data"));
        Assert.That(File.Exists(Path.Combine(output, "equity", "usa", "factor_files", "test.csv")), Is.True);
    }

    [Test]
    public void Import_BadFileWithoutSkipBad_Exits3()
    {
        var input = InputWith(("DA-TEST-T-2021-04-21.csv", ImportTestData.Csv(ImportTestData.TestRows)),
                              ("DA-BF.B-T-2021-04-21.csv", "{\n    \"Error Message\": \"Invalid API call.\"\n}\n"));
        var output = Path.Combine(Root, "lean");
        var (code, _, stderr) = Run("import", "--input", input, "--output", output);
        Assert.That(code, Is.EqualTo(ExitCodes.BadData));
        Assert.That(stderr, Does.Contain("1 of 2 input files are bad; nothing was written"));
        Assert.That(Directory.Exists(output), Is.False);
    }

    [Test]
    public void Import_MissingInputFolder_Exits3()
    {
        var (code, _, stderr) = Run("import", "--input", Path.Combine(Root, "nope"), "--output", Path.Combine(Root, "lean"));
        Assert.That(code, Is.EqualTo(ExitCodes.BadData));
        Assert.That(stderr, Does.Contain("Input folder not found"));
    }

    [Test]
    public void Import_MissingRequiredOption_Exits2()
    {
        var (code, _, stderr) = Run("import", "--input", Root);
        Assert.That(code, Is.EqualTo(ExitCodes.Usage));
        Assert.That(stderr, Does.Contain("--output"));
    }

    [TestCase("lean/report.json", "inside the --output folder")]
    [TestCase("in/report.json", "inside the --input folder")]
    [TestCase("", "is a folder")]
    public void Import_ReportPathThatWouldFailAfterCommit_ExitsTwoBeforeImporting(string report, string message)
    {
        var input = InputWith(("DA-TEST-T-2021-04-21.csv", ImportTestData.Csv(ImportTestData.TestRows)));
        var output = Path.Combine(Root, "lean");
        var (code, _, stderr) = Run("import", "--input", input, "--output", output, "--report", report.Length == 0 ? Root : Path.Combine(Root, report));
        Assert.That(code, Is.EqualTo(ExitCodes.Usage), stderr);
        Assert.That(stderr, Does.Contain(message));
        Assert.That(Directory.Exists(output), Is.False, "nothing was imported");
    }

    [Test]
    public void Import_LeftoverOfAKilledImport_IsRemovedByTheNextImport()
    {
        var input = InputWith(("DA-TEST-T-2021-04-21.csv", ImportTestData.Csv(ImportTestData.TestRows)));
        var output = Path.Combine(Root, "lean");
        var leftover = LeaveKilledRunsTemporaryFolder(output, LeanModels.Models.IO.OutputMarker.Import);
        var (code, _, stderr) = Run("import", "--input", input, "--output", output);
        Assert.That(code, Is.EqualTo(ExitCodes.Success), stderr);
        Assert.That(Directory.Exists(leftover), Is.False);
        Assert.That(Directory.GetFileSystemEntries(Root).Select(Path.GetFileName), Is.EquivalentTo(new[] { "in", "lean" }));
    }

    [Test]
    public void Import_Cancelled_ExitsOneThirtyAndWritesNothing()
    {
        var input = InputWith(("DA-TEST-T-2021-04-21.csv", ImportTestData.Csv(ImportTestData.TestRows)));
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        var stderr = new StringWriter();
        var code = Program.Run(["import", "--input", input, "--output", Path.Combine(Root, "lean")], new StringWriter(), stderr, cancellation.Token);
        Assert.That(code, Is.EqualTo(ExitCodes.Cancelled));
        Assert.That(stderr.ToString(), Is.EqualTo("cancelled" + Environment.NewLine));
        Assert.That(Directory.GetFileSystemEntries(Root).Select(Path.GetFileName), Is.EqualTo(new[] { "in" }));
    }

    [Test]
    public void Import_GzipCutShort_ExitsThreeNamingTheFileAsTruncated()
    {
        var input = InputWith();
        using (var memory = new MemoryStream())
        {
            using (var gzip = new System.IO.Compression.GZipStream(memory, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
                gzip.Write(System.Text.Encoding.UTF8.GetBytes(ImportTestData.Csv(ImportTestData.TestRows)));
            File.WriteAllBytes(Path.Combine(input, "DA-TEST-T-2021-04-21.csv.gz"), memory.ToArray()[..^8]);
        }
        var output = Path.Combine(Root, "lean");
        var (code, _, stderr) = Run("import", "--input", input, "--output", output);
        Assert.That(code, Is.EqualTo(ExitCodes.BadData));
        Assert.That(stderr, Does.Contain("DA-TEST-T-2021-04-21.csv.gz").And.Contain("truncated"));
        Assert.That(Directory.Exists(output), Is.False);
    }

    [TestCase("--input", TestName = "Import_EmptyInputPath_ExitsTwo")]
    [TestCase("--output", TestName = "Import_EmptyOutputPath_ExitsTwo")]
    [TestCase("--report", TestName = "Import_EmptyReportPath_ExitsTwo")]
    public void Import_EmptyPath_ExitsTwoWithoutDotNetInternals(string option)
    {
        var input = InputWith(("DA-TEST-T-2021-04-21.csv", ImportTestData.Csv(ImportTestData.TestRows)));
        var args = new Dictionary<string, string> { ["--input"] = input, ["--output"] = Path.Combine(Root, "lean"), ["--report"] = Path.Combine(Root, "r.json") };
        args[option] = "";
        var (code, _, stderr) = Run(["import", .. args.SelectMany(kv => new[] { kv.Key, kv.Value })]);
        Assert.That(code, Is.EqualTo(ExitCodes.Usage));
        Assert.That(stderr, Is.EqualTo($"error: {option}: empty path.{Environment.NewLine}"));
    }

    [Test]
    public void Import_ForeignOutputFolder_Exits4()
    {
        var input = InputWith(("DA-TEST-T-2021-04-21.csv", ImportTestData.Csv(ImportTestData.TestRows)));
        var output = Path.Combine(Root, "lean");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "other.txt"), "x");
        var (code, _, stderr) = Run("import", "--input", input, "--output", output);
        Assert.That(code, Is.EqualTo(ExitCodes.OutputFailed));
        Assert.That(stderr, Does.Contain("refusing to replace"));
        Assert.That(File.ReadAllText(Path.Combine(output, "other.txt")), Is.EqualTo("x"));
    }
}
