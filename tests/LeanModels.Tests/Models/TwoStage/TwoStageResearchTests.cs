using LeanModels.Models.Data;
using LeanModels.Models.Numerics;
using LeanModels.Models.Research;
using LeanModels.Models.TwoStage;
using LeanModels.Tests.Models.Cli;

namespace LeanModels.Tests.Models.TwoStage;

/// <summary>The two-stage models in the walk-forward: research = predict bit for bit, and no look-ahead (tiny shapes, real data).</summary>
public class TwoStageResearchTests : CliTestBase
{
    private static readonly string[] SmallFlags = ["--ts-epochs", "1", "--ts-lookback", "5", "--ts-width", "8", "--ts-embedding", "4", "--ts-hidden", "8",
        "--ts-batch", "16", "--ts-assets-per-sample", "4"];

    [Test]
    public void Predict_TwoStageArtifact_EqualsResearchPredictionsBitForBit()
    {
        var run = Path.Combine(Root, "run");
        var research = Run(["research", "--data", TestPaths.LeanData, "--tickers", "aapl,ibm,spy,bac,aig", "--start", "2012-06-01",
            "--end", "2012-12-31", "--train-window", "150", "--retrain-every", "126", "--validation-days", "20",
            "--models", "twostage-lstm,twostage-gru,twostage-tcn,twostage-frozen-gru", "--save-artifacts", "--charts", "none", "--out", run, .. SmallFlags]);
        Assert.That(research.Code, Is.EqualTo(0), research.Err);
        var report = File.ReadAllText(Path.Combine(run, "report.md"));
        Assert.That(report, Does.Contain("## Deep-model training").And.Contain("| twostage-lstm | ").And.Contain("| twostage-tcn | "));
        var rows = File.ReadAllLines(Path.Combine(run, "predictions.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        var header = File.ReadLines(Path.Combine(run, "predictions.csv")).First().Split(',');
        var date = rows[^1][0];
        foreach (var model in new[] { "twostage-lstm", "twostage-gru", "twostage-tcn", "twostage-frozen-gru" })
        {
            var (code, stdout, stderr) = Run(["predict", "--artifact", Path.Combine(run, "artifacts", model + ".lmfa"), "--data", TestPaths.LeanData, "--date", date]);
            Assert.That(code, Is.EqualTo(0), stderr);
            var column = Array.IndexOf(header, model);
            var expected = rows.Where(r => r[0] == date).ToDictionary(r => r[1], r => r[column]);
            var actual = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(','))
                .Where(r => r[2].Length > 0).ToDictionary(r => r[1], r => r[2]);
            Assert.That(actual, Is.EqualTo(expected), $"{model} on {date}");
            Assert.That(expected.Values.Distinct().Count(), Is.GreaterThan(1), "the forecasts differ across assets");
        }
    }

    [Test]
    public void Research_StageOneFlags_ReachTheModel()
    {
        string[] common = ["research", "--data", TestPaths.LeanData, "--tickers", "aapl,ibm,spy,bac", "--start", "2012-06-01",
            "--end", "2012-09-28", "--train-window", "150", "--retrain-every", "126", "--charts", "none", .. SmallFlags];
        var run = Path.Combine(Root, "heads");
        var r = Run([.. common, "--models", "twostage-gru", "--ts-heads", "4", "--ts-layers", "2", "--save-artifacts", "--out", run]);
        Assert.That(r.Code, Is.EqualTo(0), r.Err);
        var model = (TwoStageForecaster)LeanModels.Models.Forecasting.ForecasterArtifact.Load(Path.Combine(run, "artifacts", "twostage-gru.lmfa")).Model;
        Assert.That((model.Options.StageOneHeads, model.Options.StageOneLayers), Is.EqualTo((4, 2)));

        // --ts-stage1-epochs changes the frozen model's pretraining, hence its forecasts.
        var forecasts = new List<string[]>();
        foreach (var epochs in new[] { "1", "3" })
        {
            var folder = Path.Combine(Root, "frozen" + epochs);
            var f = Run([.. common, "--models", "twostage-frozen-gru", "--ts-stage1-epochs", epochs, "--out", folder]);
            Assert.That(f.Code, Is.EqualTo(0), f.Err);
            forecasts.Add(File.ReadAllLines(Path.Combine(folder, "predictions.csv")));
        }
        Assert.That(forecasts[0], Has.Length.EqualTo(forecasts[1].Length));
        Assert.That(forecasts[0], Is.Not.EqualTo(forecasts[1]), "1 and 3 stage-1 epochs give different forecasts");
    }

    [TestCase("--ts-heads", "3", "StageOneWidth")]
    [TestCase("--ts-heads", "0", "StageOneHeads")]
    [TestCase("--ts-layers", "0", "StageOneLayers")]
    [TestCase("--ts-stage1-epochs", "0", "stage-1 epochs 0")]
    public void Research_BadStageOneFlag_ExitsTwoAndWritesNothing(string flag, string value, string message)
    {
        var run = Path.Combine(Root, "bad");
        var r = Run(["research", "--data", TestPaths.LeanData, "--tickers", "aapl,ibm", "--models", "twostage-frozen-gru", "--out", run,
            .. SmallFlags, flag, value]);
        Assert.That(r.Code, Is.EqualTo(2), r.Err);
        Assert.That(r.Err, Does.Contain(message));
        Assert.That(Directory.Exists(run), Is.False);
    }

    [TestCase("twostage-gru")]
    [TestCase("twostage-frozen-gru")]
    public void Pipeline_PerturbAfterT_NoTwoStageForecastDatedAtOrBeforeTChanges(string model)
    {
        string[] tickers = ["aapl", "aig", "bac", "ibm", "spy", "qqq"];
        var folder = new LeanDataFolder(TestPaths.LeanData);
        var end = new DateOnly(2009, 6, 30);
        var bars = tickers.Select(x => folder.ReadEquityBars(x).Where(b => b.Date <= end).ToList()).ToArray();
        var options = new ResearchOptions(new DateOnly(2008, 6, 2), end, [model], Horizon: 5, TrainWindow: 150,
            RetrainEvery: 42, ValidationDays: 20, WarmStart: true,
            TwoStage: new TwoStageTrainingOptions(Lookback: 5, StageOneWidth: 8, Embedding: 4, Hidden: 8, Epochs: 2, BatchDates: 16, AssetsPerSample: 4));
        var original = ResearchPipeline.Run(Panel.FromBars(tickers, bars), options);
        Assert.That(original.Folds, Has.Count.GreaterThanOrEqualTo(4));

        var tIndex = original.Folds[2].TestStart + 3;
        var t = original.Panel.Dates[tIndex];
        var rng = new Xoshiro256StarStar(99);
        var perturbed = bars.Select(list => list.Select(b => b.Date <= t ? b : Scale(b, rng)).ToList()).ToArray();
        var changed = ResearchPipeline.Run(Panel.FromBars(tickers, perturbed), options);

        var upToT = (tIndex + 1) * tickers.Length;
        var (before, after) = (original.Forecasts[model], changed.Forecasts[model]);
        Assert.That(before.AsSpan(original.EvaluationStart * tickers.Length, upToT - original.EvaluationStart * tickers.Length).ToArray().Count(double.IsFinite),
            Is.GreaterThan(10), "forecasts exist before t");
        Assert.That(after.AsSpan(0, upToT).SequenceEqual(before.AsSpan(0, upToT)), "forecasts ≤ t are bit-identical");
        Assert.That(after.AsSpan(upToT).SequenceEqual(before.AsSpan(upToT)), Is.False, "the perturbation does reach forecasts after t");
    }

    private static Bar Scale(Bar b, Xoshiro256StarStar rng)
    {
        var f = Math.Exp(0.2 * rng.NextGaussian());
        return new Bar(b.Time, b.Open * f, b.High * f * 1.01, b.Low * f * 0.99, b.Close * f * Math.Exp(0.05 * rng.NextGaussian()), b.Volume * (0.5 + rng.NextDouble()));
    }
}
