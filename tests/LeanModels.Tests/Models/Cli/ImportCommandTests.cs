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

    [Test]
    public void Import_ForeignOutputFolder_Exits4()
    {
        var input = InputWith(("DA-TEST-T-2021-04-21.csv", ImportTestData.Csv(ImportTestData.TestRows)));
        var output = Path.Combine(Root, "lean");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "other.txt"), "x");
        var (code, _, stderr) = Run("import", "--input", input, "--output", output);
        Assert.That(code, Is.EqualTo(ExitCodes.OutputFailed));
        Assert.That(stderr, Does.Contain("Refusing to replace"));
    }
}
