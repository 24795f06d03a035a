using System.Text.Json;

namespace LeanModels.Tests.Models.Cli;

/// <summary><c>leanmodels efficiency</c> on tiny settings (LEAN sample data, 5 tickers, lookback 10, 1 epoch, seconds): the files,
/// columns and numbers exist and are finite and positive where they must be; the child-process and in-process runs train the
/// same models; bad options exit 2.</summary>
public class EfficiencyCommandTests : CliTestBase
{
    private static readonly string[] Tiny = ["efficiency", "--data", TestPaths.LeanData, "--tickers", "aapl,aig,bac,ibm,spy", "--start", "2012-06-01",
        "--end", "2012-12-31", "--lookback", "10", "--epochs", "1", "--batch", "16", "--train-window", "150", "--retrain-every", "126",
        "--hidden", "8", "--width", "8", "--embedding", "4", "--family", "gru"];

    [Test]
    public void Tiny_WritesMarkdownAndJson_FiniteNumbers_SameModelsInChildProcessesAndInProcess()
    {
        var isolated = Path.Combine(Root, "isolated");
        var (code, stdout, stderr) = Run([.. Tiny, "--out", isolated]);
        Assert.That(code, Is.EqualTo(0), stderr);
        Assert.That(stdout, Does.Contain("| twostage-gru |").And.Contain("| twostage-frozen-gru |").And.Contain("| direct-gru |")
            .And.Contain("| twostage-gru / direct-gru |").And.Contain("| twostage-frozen-gru / direct-gru |"));
        Assert.That(File.Exists(Path.Combine(isolated, "leanmodels-efficiency.json")), "the output folder carries its marker");
        var md = File.ReadAllText(Path.Combine(isolated, "efficiency.md"));
        foreach (var column in new[] { "Parameters", "FLOPs/sample", "s/epoch (median)", "samples/s", "Peak managed MiB", "Peak working set MiB", "IC", "Rank IC" })
            Assert.That(md, Does.Contain(column));
        Assert.That(md, Does.Contain("fresh child process").And.Contain("157 features a day"));

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(isolated, "efficiency.json")));
        var root = json.RootElement;
        Assert.That(root.GetProperty("features").GetInt32(), Is.EqualTo(157));
        Assert.That(root.GetProperty("isolated").GetBoolean(), Is.True);
        var models = root.GetProperty("models").EnumerateArray().ToList();
        Assert.That(models.Select(m => m.GetProperty("model").GetString()), Is.EqualTo(new[] { "twostage-gru", "twostage-frozen-gru", "direct-gru" }));
        foreach (var m in models)
        {
            foreach (var positive in new[] { "parameters", "flopsPerSample", "secondsPerEpochMedian", "samplesPerSecond", "epochs", "peakManagedBytes",
                "peakWorkingSetBytes", "baselineWorkingSetBytes", "wallSeconds", "evaluatedDates" })
                Assert.That(m.GetProperty(positive).GetDouble(), Is.GreaterThan(0), positive);
            Assert.That(m.GetProperty("peakWorkingSetBytes").GetInt64(), Is.GreaterThanOrEqualTo(m.GetProperty("baselineWorkingSetBytes").GetInt64()));
            Assert.That(m.GetProperty("epochs").GetInt32(), Is.EqualTo(2), "2 folds of 1 epoch");
            foreach (var ic in new[] { "IC", "Rank IC" })
                Assert.That(m.GetProperty(ic).GetDouble(), Is.InRange(-1.0, 1.0).And.Not.EqualTo(0.0), ic);
        }
        // 5 assets, alpha158 (F = 157), T = 10, H = 8, GRU: the direct model's input is N·(F + 1) = 790 a day.
        Assert.That(models[2].GetProperty("parameters").GetInt64(), Is.EqualTo(3 * 8 * (790 + 8) + 6 * 8 + 8 * 5 + 5));
        Assert.That(models[1].GetProperty("pretrainSecondsPerFold").GetDouble(), Is.GreaterThan(0), "the frozen model pretrains and caches stage 1");
        Assert.That(models[0].GetProperty("pretrainSecondsPerFold").GetDouble(), Is.EqualTo(0));
        Assert.That(models[1].GetProperty("flopsPerSample").GetInt64(), Is.LessThan(models[0].GetProperty("flopsPerSample").GetInt64()),
            "stage 1 counted once per date, not once per window day");
        var ratios = root.GetProperty("ratios");
        foreach (var r in new[] { "parameters", "flopsPerSample", "secondsPerEpochMedian", "samplesPerSecond", "peakManagedBytes", "peakWorkingSetBytes" })
            Assert.That(ratios.GetProperty(r).GetDouble(), Is.GreaterThan(0), r);
        Assert.That(ratios.GetProperty("parameters").GetDouble(),
            Is.EqualTo(models[0].GetProperty("parameters").GetDouble() / models[2].GetProperty("parameters").GetDouble()).Within(1e-12));
        Assert.That(root.GetProperty("ratiosToDirect").GetProperty("twostage-frozen-gru").GetProperty("secondsPerEpochMedian").GetDouble(), Is.GreaterThan(0));

        // The same study in this process trains the same models: the same parameter counts, FLOPs and out-of-sample IC, bit for bit.
        var inProcess = Path.Combine(Root, "in-process");
        var again = Run([.. Tiny, "--isolate", "false", "--out", inProcess]);
        Assert.That(again.Code, Is.EqualTo(0), again.Err);
        using var json2 = JsonDocument.Parse(File.ReadAllText(Path.Combine(inProcess, "efficiency.json")));
        Assert.That(json2.RootElement.GetProperty("isolated").GetBoolean(), Is.False);
        var models2 = json2.RootElement.GetProperty("models").EnumerateArray().ToList();
        for (var i = 0; i < 3; i++)
            foreach (var key in new[] { "parameters", "flopsPerSample", "IC", "Rank IC", "evaluatedDates" })
                Assert.That(models2[i].GetProperty(key).GetRawText(), Is.EqualTo(models[i].GetProperty(key).GetRawText()), $"{models[i].GetProperty("model")} {key}");
    }

    [TestCase("--family", "rnn", "--family must be lstm, gru or tcn")]
    [TestCase("--lookback", "0", "Lookback = 0")]
    [TestCase("--epochs", "0", "epochs 0")]
    [TestCase("--batch", "0", "batch 0")]
    [TestCase("--feature-set", "nope", "unknown feature set 'nope'")]
    [TestCase("--start", "2012-13-01", "--start: '2012-13-01' is not a date")]
    [TestCase("--tickers", "1", "at least 2 assets")]
    [TestCase("--tickers", "aapl,AAPL", "'aapl' is listed 2 times")]
    [TestCase("--seeds", "1,1", "seeds repeat")]
    [TestCase("--train-window", "50", "train window must be ≥ 100")]
    public void BadOption_Exits2_WithAMessage(string option, string value, string message)
    {
        var args = Tiny.ToList();
        var i = args.IndexOf(option);
        if (i >= 0) args[i + 1] = value;
        else args.AddRange([option, value]);
        var (code, _, stderr) = Run([.. args, "--out", Path.Combine(Root, "out")]);
        Assert.That(code, Is.EqualTo(2), stderr);
        Assert.That(stderr, Does.Contain(message));
        Assert.That(Directory.Exists(Path.Combine(Root, "out")), Is.False, "nothing written");
    }

    [Test]
    public void OutputFolderNotOurs_IsRefused_Exit4_BeforeAnyWork()
    {
        var foreign = Path.Combine(Root, "mine");
        Directory.CreateDirectory(foreign);
        File.WriteAllText(Path.Combine(foreign, "notes.txt"), "keep");
        var (code, _, stderr) = Run([.. Tiny, "--out", foreign]);
        Assert.That(code, Is.EqualTo(4), stderr);
        Assert.That(stderr, Does.Not.Contain("training"), "refused before any model is trained");
        Assert.That(File.ReadAllText(Path.Combine(foreign, "notes.txt")), Is.EqualTo("keep"));
    }
}
