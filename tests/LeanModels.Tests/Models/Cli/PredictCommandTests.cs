using LeanModels.Models.Cli;

namespace LeanModels.Tests.Models.Cli;

public class PredictCommandTests : CliTestBase
{
    [Test]
    public void Predict_LastFoldModel_EqualsResearchPredictionsBitForBit()
    {
        var run = Path.Combine(Root, "run");
        var research = Run("research", "--data", TestPaths.LeanData, "--tickers", "aapl,ibm,spy,bac,aig", "--start", "2010-01-01",
            "--end", "2012-12-31", "--train-window", "250", "--save-artifacts", "--out", run);
        Assert.That(research.Code, Is.EqualTo(0), research.Err);
        var rows = File.ReadAllLines(Path.Combine(run, "predictions.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        var header = File.ReadLines(Path.Combine(run, "predictions.csv")).First().Split(',');
        foreach (var date in new[] { rows[^1][0], rows[^30][0] })      // the last day and one earlier in the last 21-day block
            foreach (var model in new[] { "ridge", "momentum20", "reversal5", "ridge-regime" })
            {
                // the earlier date lists the tickers in another order: forecasts must not depend on it
                string[] order = date == rows[^1][0] ? [] : ["--tickers", "aig,bac,spy,ibm,aapl"];
                var (code, stdout, stderr) = Run(["predict", "--artifact", Path.Combine(run, "artifacts", model + ".lmfa"),
                    "--data", TestPaths.LeanData, "--date", date, .. order]);
                Assert.That(code, Is.EqualTo(0), stderr);
                var column = Array.IndexOf(header, model);
                var expected = rows.Where(r => r[0] == date).ToDictionary(r => r[1], r => r[column]);
                var actual = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(','))
                    .Where(r => r[2].Length > 0).ToDictionary(r => r[1], r => r[2]);
                Assert.That(actual, Is.EqualTo(expected), $"{model} on {date}");
            }
    }

    [Test]
    public void Predict_LightGbmArtifact_EqualsResearchPredictionsBitForBit()
    {
        // LightGBM in research, then the saved last-fold artifact through `predict`: the same forecasts, to the last digit.
        // L1 0 and L2 1: Qlib's penalties zero every leaf on five assets (a constant forecast would make the test weak).
        var run = Path.Combine(Root, "run");
        var research = Run("research", "--data", TestPaths.LeanData, "--tickers", "aapl,ibm,spy,bac,aig", "--start", "2012-01-01",
            "--end", "2012-12-31", "--train-window", "250", "--retrain-every", "126", "--models", "lightgbm", "--lgb-l1", "0", "--lgb-l2", "1",
            "--lgb-rounds", "30", "--save-artifacts", "--charts", "none", "--out", run);
        Assert.That(research.Code, Is.EqualTo(0), research.Err);
        var rows = File.ReadAllLines(Path.Combine(run, "predictions.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        var header = File.ReadLines(Path.Combine(run, "predictions.csv")).First().Split(',');
        var column = Array.IndexOf(header, "lightgbm");
        foreach (var date in new[] { rows[^1][0], rows[^30][0] })
        {
            string[] order = date == rows[^1][0] ? [] : ["--tickers", "aig,bac,spy,ibm,aapl"];
            var (code, stdout, stderr) = Run(["predict", "--artifact", Path.Combine(run, "artifacts", "lightgbm.lmfa"), "--data", TestPaths.LeanData,
                "--date", date, .. order]);
            Assert.That(code, Is.EqualTo(0), stderr);
            var expected = rows.Where(r => r[0] == date).ToDictionary(r => r[1], r => r[column]);
            var actual = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(','))
                .Where(r => r[2].Length > 0).ToDictionary(r => r[1], r => r[2]);
            Assert.That(actual, Is.EqualTo(expected), $"lightgbm on {date}");
            Assert.That(expected.Values.Distinct().Count(), Is.GreaterThan(1), "the forecasts differ across assets");
        }
    }

    [Test]
    public void Predict_DateWithoutBars_ExitsThree()
    {
        var run = Path.Combine(Root, "run");
        Assert.That(Run("research", "--data", TestPaths.LeanData, "--tickers", "aapl,ibm", "--start", "2010-01-01", "--end", "2011-06-30",
            "--models", "ridge", "--save-artifacts", "--out", run).Code, Is.EqualTo(0));
        var (code, _, stderr) = Run("predict", "--artifact", Path.Combine(run, "artifacts", "ridge.lmfa"), "--data", TestPaths.LeanData, "--date", "2011-07-03");
        Assert.That(code, Is.EqualTo(ExitCodes.BadData));
        Assert.That(stderr, Does.Contain("no bar on 2011-07-03").And.Contain("2011-07-01"));
    }

    [Test]
    public void Predict_CorruptedArtifact_ExitsThreeWithReason()
    {
        var path = Path.Combine(Root, "bad.lmfa");
        File.WriteAllBytes(path, new byte[100]);
        var (code, _, stderr) = Run("predict", "--artifact", path, "--data", TestPaths.LeanData, "--date", "2011-07-01");
        Assert.That(code, Is.EqualTo(ExitCodes.BadData));
        Assert.That(stderr, Does.Contain("bad.lmfa").And.Contain("not a LeanModels"));
    }

    [Test]
    public void Predict_ArrayShorterThanTheDeclaredFeatureCount_ExitsThreeNamingTheFile()
    {
        var history = LeanModels.Tests.Models.Research.ResearchTestData.Panel(5, 300, 31);
        var trained = LeanModels.Models.Forecasting.ForecasterTraining.Fit(history, new LeanModels.Models.Forecasting.RidgeTrainer(), 5, 150);
        var bytes = LeanModels.Models.Forecasting.ForecasterArtifact.Serialize(trained.Model, trained.Training);
        // drop the last coefficient: rewrite "beta" as [11] instead of [12] and reseal
        var body = bytes[..^32];
        var at = body.AsSpan().LastIndexOf("beta"u8) + 4 + 1;                                   // name, element size → rank
        Assert.That(BitConverter.ToInt32(body, at + 4), Is.EqualTo(12));
        BitConverter.GetBytes(11).CopyTo(body, at + 4);
        body = [.. body[..(body.Length - 8 - 8)], .. body[(body.Length - 8)..]];                  // remove one double before the blob length
        var path = Path.Combine(Root, "short.lmfa");
        File.WriteAllBytes(path, [.. body, .. System.Security.Cryptography.SHA256.HashData(body)]);
        var (code, _, stderr) = Run("predict", "--artifact", path, "--data", TestPaths.LeanData, "--date", "2011-07-01");
        Assert.That(code, Is.EqualTo(ExitCodes.BadData), stderr);
        Assert.That(stderr, Does.Contain("short.lmfa").And.Contain("'beta' has 11 values").And.Contain("needs 12"));
    }
}
