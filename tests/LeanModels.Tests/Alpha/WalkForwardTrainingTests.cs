using LeanModels.Alpha;
using LeanModels.Models.Forecasting;
using LeanModels.Models.Research;
using LeanModels.Tests.LeanFacade;
using QuantConnect;
using QuantConnect.Algorithm;
using QuantConnect.Algorithm.Framework.Alphas;

namespace LeanModels.Tests.Alpha;

/// <summary>Training inside LEAN: walk-forward from History before Time, atomic swaps, failures keep the previous model.</summary>
public class WalkForwardTrainingTests
{
    private static readonly DateOnly TrainDate = new(2012, 3, 5);   // a Monday

    /// <summary>An algorithm at <see cref="TrainDate"/> 07:00 (before that day's bar) with the loop's history source.</summary>
    private static QCAlgorithm AlgorithmAtTrainTime(IEnumerable<string>? tickers = null)
    {
        var algorithm = PackFixture.NewAlgorithm(tickers);
        var loop = new FrameworkLoop(algorithm);
        loop.Run(TrainDate.AddDays(-3), TrainDate.AddDays(-3), warmUpBars: 1);    // registers the data; one warm-up step
        var local = TrainDate.ToDateTime(new TimeOnly(7, 0));
        algorithm.FacadeSetTime(local, local + FrameworkLoop.UtcOffset);
        return algorithm;
    }

    [Test]
    public void Run_TrainsOnHistoryBeforeTime_AndEqualsFitOnThatHistory()
    {
        var algorithm = AlgorithmAtTrainTime();
        var slot = new ForecasterSlot("ridge");
        var training = new WalkForwardTraining(slot, ForecasterCatalog.CreateTrainer("ridge"), horizon: 5, trainWindow: 200, historyBars: 300);
        Assert.That(training.Run(algorithm), Is.True);
        Assert.That(slot.Version, Is.EqualTo(1));

        // The same fit on the last 300 bars dated before TrainDate (the 07:00 history cannot contain that day's bar).
        var history = Panel.FromBars(PackFixture.Tickers.Order(StringComparer.Ordinal).ToList(), PackFixture.Tickers.Order(StringComparer.Ordinal)
            .Select(t => (IReadOnlyList<LeanModels.Models.Data.Bar>)FrameworkLoop.Bars(t).Where(b => b.Date < TrainDate).TakeLast(300).ToList()).ToList());
        var expected = ForecasterTraining.Fit(history, ForecasterCatalog.CreateTrainer("ridge"), 5, 200).Model;
        var probe = PackFixture.PanelUpTo(PackFixture.Tickers, new DateOnly(2012, 6, 1));
        Assert.That(slot.Current!.Predict(probe).Mean, Is.EqualTo(expected.Predict(probe).Mean));
        Assert.That(algorithm.DebugMessages.Last(), Does.Contain("trained on 200 dates").And.Contain("model version 1"));
    }

    [Test]
    public void Run_FailedFit_KeepsThePreviousModelAndSaysWhy()
    {
        var algorithm = AlgorithmAtTrainTime(["spy"]);                      // one asset: a cross-sectional fit is impossible
        var slot = new ForecasterSlot("ridge", PackFixture.Ridge.Model);
        var training = new WalkForwardTraining(slot, ForecasterCatalog.CreateTrainer("ridge"), horizon: 5, trainWindow: 200, historyBars: 300);
        Assert.That(training.Run(algorithm), Is.False);
        Assert.That(slot.Current, Is.SameAs(PackFixture.Ridge.Model));
        Assert.That(slot.Version, Is.EqualTo(1));
        Assert.That(algorithm.ErrorMessages.Single(), Does.Contain("training failed, keeping model version 1").And.Contain("at least 2 assets"));
    }

    [Test]
    public void Run_TimedOut_KeepsThePreviousModelAndSaysWhy()
    {
        var algorithm = AlgorithmAtTrainTime();
        var slot = new ForecasterSlot("ridge", PackFixture.Ridge.Model);
        var training = new WalkForwardTraining(slot, ForecasterCatalog.CreateTrainer("ridge"), historyBars: 700, timeoutSeconds: 1e-7);
        Assert.That(training.Run(algorithm), Is.False);
        Assert.That(slot.Current, Is.SameAs(PackFixture.Ridge.Model));
        Assert.That(algorithm.ErrorMessages.Single(), Does.Contain("training took longer than").And.Contain("keeping model version 1"));
    }

    [Test]
    public void Schedule_RegistersATrainEventThatRunsTheTraining()
    {
        var algorithm = AlgorithmAtTrainTime();
        var slot = new ForecasterSlot("ridge");
        var scheduled = new WalkForwardTraining(slot, ForecasterCatalog.CreateTrainer("ridge"), historyBars: 300, trainWindow: 100)
            .Schedule(algorithm, algorithm.DateRules.WeekStart(), algorithm.TimeRules.At(7, 0));
        Assert.That(algorithm.FacadeScheduledEvents, Does.Contain(scheduled));
        scheduled.Callback();
        Assert.That(slot.Version, Is.EqualTo(1));
    }

    /// <summary>
    /// Live threading (lean-api.md §4): a background thread keeps swapping two models with different horizons (ridge H = 5,
    /// momentum H = 10) while the loop runs Update on this thread. Each day's batch must be entirely one model's: its
    /// magnitudes equal that model's forecasts bit for bit and its insight periods are that model's horizon.
    /// </summary>
    [Test]
    public void Update_WhileAnotherThreadSwapsModels_NeverSeesATornModel()
    {
        var a = PackFixture.Ridge.Model;
        var b = PackFixture.Momentum.Model;
        var algorithm = PackFixture.NewAlgorithm();
        var slot = new ForecasterSlot("swapping", a);
        algorithm.SetAlpha(new ForecastAlphaModel(slot));
        using var stop = new CancellationTokenSource();
        var published = 0L;
        var swapper = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                slot.Publish(b);
                slot.Publish(a);
                Interlocked.Add(ref published, 2);
            }
        }) { IsBackground = true };
        swapper.Start();
        while (Interlocked.Read(ref published) < 10) Thread.Yield();
        List<FrameworkLoop.Step> steps;
        try
        {
            steps = new FrameworkLoop(algorithm).Run(PackFixture.LoopStart, new DateOnly(2012, 10, 31), PackFixture.WarmUpBars);
        }
        finally
        {
            stop.Cancel();
            swapper.Join();
        }

        var seen = new HashSet<int>();
        foreach (var step in steps.Where(s => !s.WarmingUp))
        {
            var horizons = step.Insights.Select(i => i.BarCount).Distinct().ToList();
            Assert.That(horizons, Has.Count.EqualTo(1), $"{step.Date}: insights from two models in one batch");
            var model = horizons[0] == a.Horizon ? a : b;
            Assert.That(horizons[0], Is.EqualTo(model.Horizon));
            seen.Add(model.Horizon);
            var window = PackFixture.PanelUpTo(PackFixture.Tickers, step.Date);
            var forecast = model.Predict(window);
            foreach (var insight in step.Insights)
            {
                var k = forecast.Tickers.ToList().IndexOf(insight.Symbol.Value.ToLowerInvariant());
                Assert.That(insight.Magnitude, Is.EqualTo(double.ExpM1(forecast.Mean[k])), $"{step.Date} {insight.Symbol}: magnitude of another model");
            }
        }
        Assert.That(seen, Is.EquivalentTo(new[] { a.Horizon, b.Horizon }), "both models were used during the run");
        Assert.That(Interlocked.Read(ref published), Is.GreaterThan(100));
    }

    /// <summary>
    /// The same with real training: a background thread runs <see cref="WalkForwardTraining.Run"/> again and again (History,
    /// fit, publish) while the loop runs Update. Every batch must be exactly the forecasts of one published model.
    /// </summary>
    [Test]
    public void Update_WhileTrainingRunsOnAnotherThread_UsesOneWholeModelPerBatch()
    {
        var algorithm = PackFixture.NewAlgorithm();
        var slot = new ForecasterSlot("ridge", PackFixture.Ridge.Model);
        algorithm.SetAlpha(new ForecastAlphaModel(slot));
        var training = new WalkForwardTraining(slot, ForecasterCatalog.CreateTrainer("ridge"), horizon: 5, trainWindow: 100, historyBars: 200);
        var published = new System.Collections.Concurrent.ConcurrentQueue<IReturnForecaster>();
        published.Enqueue(PackFixture.Ridge.Model);
        using var stop = new CancellationTokenSource();
        var loop = new FrameworkLoop(algorithm);
        var trainer = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (algorithm.UtcTime == default) { Thread.Yield(); continue; }
                if (training.Run(algorithm)) published.Enqueue(slot.Current!);   // only this thread publishes
            }
        }) { IsBackground = true };
        trainer.Start();
        List<FrameworkLoop.Step> steps;
        try
        {
            steps = loop.Run(PackFixture.LoopStart, new DateOnly(2012, 6, 29), PackFixture.WarmUpBars);
        }
        finally
        {
            stop.Cancel();
            trainer.Join();
        }

        var models = published.ToList();
        Assert.That(models, Has.Count.GreaterThan(3), "training published several models during the run");
        Assert.That(algorithm.ErrorMessages, Is.Empty);
        var used = new HashSet<IReturnForecaster>();
        foreach (var step in steps.Where(s => !s.WarmingUp))
        {
            Assert.That(step.Insights, Has.Count.EqualTo(PackFixture.Tickers.Length));
            var window = PackFixture.PanelUpTo(PackFixture.Tickers, step.Date);
            var match = models.FirstOrDefault(m =>
            {
                var f = m.Predict(window);
                return step.Insights.All(i => i.Magnitude == double.ExpM1(f.Mean[f.Tickers.ToList().IndexOf(i.Symbol.Value.ToLowerInvariant())]));
            });
            Assert.That(match, Is.Not.Null, $"{step.Date}: the batch is not any single published model's forecast");
            used.Add(match!);
        }
        Assert.That(used, Has.Count.GreaterThan(1), "the alpha picked up new models during the run");
    }

    [Test]
    public void Slot_Publish_IsAtomicAndCounted()
    {
        var slot = new ForecasterSlot("x");
        Assert.That(slot.Current, Is.Null);
        Assert.That(slot.Version, Is.EqualTo(0));
        slot.Publish(PackFixture.Ridge.Model);
        Assert.That(slot.Current, Is.SameAs(PackFixture.Ridge.Model));
        Assert.That(slot.Version, Is.EqualTo(1));
        Assert.That(() => new ForecasterSlot(" "), Throws.ArgumentException);
    }
}
