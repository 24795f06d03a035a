using System.Text.Json;
using LeanModels.Models.Research;

namespace LeanModels.Tests.Models.Research;

public class ResearchOptionsTests
{
    private static readonly DateOnly Start = new(2020, 7, 1);
    private static readonly DateOnly End = new(2021, 12, 31);

    private static ResearchOptions Options(int horizon = 5, int trainWindow = 100, int retrain = 21, int embargo = 0, int topK = 0, int nDrop = -1,
        double cost = 5, double lambda = 0.01, DateOnly? start = null) =>
        new(start ?? Start, End, ["momentum20", "ridge"], horizon, trainWindow, retrain, false, embargo, cost, topK, nDrop, 0.2, lambda);

    [TestCase(int.MaxValue, 100, 21, 0, "horizon 2147483647 is longer than the data")]
    [TestCase(5, int.MaxValue, 21, 0, "train window 2147483647 is longer than the data")]
    [TestCase(5, 100, int.MaxValue, 0, "retrain step 2147483647 is longer than the data")]
    [TestCase(5, 100, 21, int.MaxValue, "embargo 2147483647 is longer than the data")]
    public void ValidateAgainst_DayCountBeyondTheData_IsAnOptionError(int horizon, int trainWindow, int retrain, int embargo, string message)
    {
        var panel = ResearchTestData.Panel(4, 400, 1);
        var e = Assert.Throws<InvalidOptionException>(() => ResearchPipeline.Run(panel, Options(horizon, trainWindow, retrain, embargo)));
        Assert.That(e!.Message, Does.Contain(message).And.Contain("400 trading days"));
    }

    [TestCase(5, -1, 10_000, 0.01, "cost must be in [0, 10000)")]
    [TestCase(5, -1, double.NaN, 0.01, "cost")]
    [TestCase(5, -1, 5, 1e300, "ridge lambda must be in [0, 1e6]")]
    [TestCase(2, 3, 5, 0.01, "n-drop 3 must not exceed top-k 2")]
    public void Validate_ValueOutOfRange_IsAnOptionError(int topK, int nDrop, double cost, double lambda, string message)
    {
        var e = Assert.Throws<InvalidOptionException>(() => Options(topK: topK, nDrop: nDrop, cost: cost, lambda: lambda).Validate());
        Assert.That(e!.Message, Does.Contain(message));
    }

    [Test]
    public void ValidateAgainst_TopKAboveAssetCount_IsAnOptionError()
    {
        var e = Assert.Throws<InvalidOptionException>(() => Options(topK: 5).ValidateAgainst(ResearchTestData.Panel(4, 400, 1)));
        Assert.That(e!.Message, Does.Contain("top-k 5 exceeds the 4 assets"));
    }

    [Test]
    public void ValidateAgainst_StartAfterTheData_AdvisesAnEarlierStartNotALaterOne()
    {
        var panel = ResearchTestData.Panel(4, 400, 1);
        var last = panel.Dates[^1];
        var e = Assert.Throws<InvalidOptionException>(() => Options(start: last.AddDays(30)).ValidateAgainst(panel));
        Assert.That(e!.Message, Does.Contain("after the last bar").And.Contain($"choose a start before {last:yyyy-MM-dd}"));
        Assert.That(e.Message, Does.Not.Contain("later start"));
    }

    [Test]
    public void ValidateAgainst_OnlyOneAssetHasDataInTheWindow_IsAnOptionError()
    {
        var (tickers, bars) = ResearchTestData.RandomWalk(3, 400, 2);
        bars[1] = bars[1].Take(50).ToList();                      // delisted early
        bars[2] = bars[2].Take(60).ToList();
        var panel = Panel.FromBars(tickers, bars);
        var e = Assert.Throws<InvalidOptionException>(() => Options().ValidateAgainst(panel));
        Assert.That(e!.Message, Does.Contain("at least 2 assets with data").And.Contain("only t0 has"));
    }

    [Test]
    public void Run_DataTooShortForAFold_SaysWhatAFoldNeeds()
    {
        var panel = ResearchTestData.Panel(4, 150, 1);
        var e = Assert.Throws<InvalidOptionException>(() => ResearchPipeline.Run(panel, Options(start: new DateOnly(2020, 1, 1))));
        Assert.That(e!.Message, Does.Contain("no walk-forward fold fits").And.Contain("150 trading days").And.Contain("Choose a later end"));
    }

    [Test]
    public void Run_HorizonLeavesNoLabelledTestDay_IsAnOptionErrorNotANaNTable()
    {
        var panel = ResearchTestData.Panel(4, 400, 1);
        // Folds start after 60 + 126 + 201 = 387 days; a 200-day label never fits before day 400.
        var e = Assert.Throws<InvalidOptionException>(() => ResearchPipeline.Run(panel, Options(horizon: 200, start: new DateOnly(2020, 1, 1))));
        Assert.That(e!.Message, Does.Contain("horizon 200").And.Contain("Choose a shorter horizon"));
    }

    [Test]
    public void ReportJson_UndefinedMetric_IsJsonNullNotTheStringNaN()
    {
        var panel = ResearchTestData.Panel(4, 400, 1);
        var options = Options(start: new DateOnly(2020, 1, 1));
        var result = ResearchEvaluation.Evaluate(ResearchPipeline.Run(panel, options), options);
        var first = result.Models[0];
        result = result with { Models = [first with { Signal = first.Signal with { IC = double.NaN, Icir = double.PositiveInfinity } }, .. result.Models.Skip(1)] };
        var json = ResearchReportWriter.Json(result, "/data", null, TimeSpan.Zero);
        Assert.That(json, Does.Not.Contain("NaN").And.Not.Contain("Infinity"));
        using var document = JsonDocument.Parse(json);
        var model = document.RootElement.GetProperty("models")[0];
        Assert.That(model.GetProperty("IC").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(model.GetProperty("ICIR").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(model.GetProperty("Rank IC").ValueKind, Is.EqualTo(JsonValueKind.Number));
    }
}
