using System.Globalization;
using System.Text.RegularExpressions;
using LeanModels.Alpha;
using LeanModels.Models.Forecasting;
using LeanModels.Tests.Lean;

namespace LeanModels.Tests.Alpha;

/// <summary>Training inside LEAN, in the real engine: walk-forward from History before Time, weekly, one asset per security
/// across ticker renames, no refit without new bars, failures and time-outs keep the previous model.</summary>
[Category("Lean")]
public class WalkForwardTrainingTests
{
    private static readonly Regex Trained = new(@"Debug: (\S+) \S+ WalkForwardTraining ridge at \S+ \S+: trained on (\d+) dates (\S+)\.\.(\S+), (\d+) assets; model version (\d+)\.");

    private static List<(DateOnly At, int Dates, DateOnly From, DateOnly To, int Assets)> Trainings(Backtest run) =>
        Trained.Matches(run.Log).Select(m => (DateOnly.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
            DateOnly.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture), DateOnly.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture),
            int.Parse(m.Groups[5].Value, CultureInfo.InvariantCulture))).ToList();

    private static Backtest Probe(string name, Dictionary<string, string> parameters) => RealLean.RunProbe(name, "TrainingProbe", parameters);

    [Test]
    public void WeeklyTraining_UsesHistoryBeforeTime_AndEqualsFitOnThatHistory()
    {
        var run = Probe("training-weekly", new() { ["start"] = "2012-01-03", ["end"] = "2012-03-30" });
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Errors, Is.Empty, run.ToString());
        var trainings = Trainings(run);
        // Mondays (or the first trading day of the week) from the warm-up's start to the end of March: one a week, not one a day.
        Assert.That(trainings, Has.Count.InRange(13, 15), string.Join("\n", trainings));
        Assert.That(trainings.Select(t => t.At).Distinct().Count(), Is.EqualTo(trainings.Count));
        foreach (var t in trainings)
        {
            Assert.That(t.At.DayOfWeek, Is.Not.EqualTo(DayOfWeek.Saturday).And.Not.EqualTo(DayOfWeek.Sunday));
            Assert.That(t.Dates, Is.EqualTo(250));
            Assert.That(t.Assets, Is.EqualTo(5));
            // History before the 07:00 training time ends with the previous trading day's bar; its last usable date is H + 1 earlier.
            var expected = ForecasterTraining.Fit(PackData.PanelUpTo(PackData.Tickers, t.At.AddDays(-1)), ForecasterCatalog.CreateTrainer("ridge"), 5, 250);
            Assert.That((t.From, t.To), Is.EqualTo((expected.Training.From, expected.Training.To)), $"training at {t.At}");
        }
        Assert.That(run.Probe("INSIGHT").First().Time.Date, Is.EqualTo(new DateTime(2012, 1, 3)), "a model exists when warm-up ends");
    }

    [Test]
    public void FailedOrTimedOutTraining_KeepsThePreviousModel_AndSaysWhy()
    {
        var failing = Probe("training-failing", new() { ["fail-from"] = "2" });
        Assert.That(failing.ExitCode, Is.Zero, failing.ToString());
        Assert.That(Trainings(failing), Has.Count.EqualTo(1));
        Assert.That(failing.Errors, Has.Count.GreaterThan(5));
        Assert.That(failing.Errors, Has.All.Contain("training failed, keeping model version 1: test trainer: fit"));
        Assert.That(failing.Probe("INSIGHT").Select(i => i.Fields[1]).Distinct(), Is.EqualTo(new[] { "1" }), "the alpha keeps predicting with model 1");

        var slow = Probe("training-slow", new() { ["end"] = "2012-01-31", ["sleep-from"] = "2", ["sleep-seconds"] = "3", ["timeout-seconds"] = "1" });
        Assert.That(slow.ExitCode, Is.Zero, slow.ToString());
        Assert.That(Trainings(slow), Has.Count.EqualTo(1));
        Assert.That(slow.Errors, Is.Not.Empty);
        Assert.That(slow.Errors, Has.All.Contain("training took longer than 1 s; keeping model version 1"));
    }

    [Test]
    public void Slot_Publish_IsAtomicAndCounted()
    {
        var slot = new ForecasterSlot("x");
        Assert.That(slot.Current, Is.Null);
        Assert.That(slot.Version, Is.EqualTo(0));
        var model = ForecasterCatalog.CreateTrainer("momentum20");
        var trained = PackData.Model("momentum20").Model;
        slot.Publish(trained);
        Assert.That(slot.Current, Is.SameAs(trained));
        Assert.That(slot.Version, Is.EqualTo(1));
        Assert.That(model.Name, Is.EqualTo("momentum20"));
        Assert.That(() => new ForecasterSlot(" "), Throws.ArgumentException);
    }
}
