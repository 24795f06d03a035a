using LeanModels.Models.Engine.Layers;
using LeanModels.Models.Forecasting;
using LeanModels.Models.Numerics;
using LeanModels.Models.Research;
using LeanModels.Tests.Models.Research;

namespace LeanModels.Tests.Models.Forecasting;

public class ValidationEarlyStoppingTests
{
    [Test]
    public void Report_MaximisingRankIC_KeepsTheBestEpochAndStopsAfterPatience()
    {
        var monitor = new ValidationEarlyStopping(maximise: true, patience: 2);
        var saved = new List<int>();
        double[] curve = [0.01, 0.03, 0.02, 0.025];
        for (var epoch = 0; epoch < curve.Length && !monitor.ShouldStop; epoch++)
        {
            var e = epoch;
            monitor.Report(curve[epoch], () => saved.Add(e));
        }
        // epochs 0 and 1 improve; 2 and 3 do not → stop after epoch 3 with epoch 1 best
        Assert.That(saved, Is.EqualTo(new[] { 0, 1 }));
        Assert.That(monitor.BestEpoch, Is.EqualTo(1));
        Assert.That(monitor.Best, Is.EqualTo(0.03));
        Assert.That(monitor.ShouldStop);
        Assert.That(monitor.Curve, Is.EqualTo(curve));
    }

    [Test]
    public void Report_MinimisingLoss_AndNonFiniteRefused()
    {
        var monitor = new ValidationEarlyStopping(maximise: false, patience: 1);
        Assert.That(monitor.Report(1.0), Is.True);
        Assert.That(monitor.Report(0.5), Is.True);
        Assert.That(monitor.Report(0.7), Is.False);
        Assert.That(monitor.Best, Is.EqualTo(0.5));
        Assert.Throws<ArgumentException>(() => monitor.Report(double.NaN));
    }

    [Test]
    public void ParameterSnapshot_RestoresTheBestEpochsWeights()
    {
        var layer = new Linear<float>(3, 2, new Xoshiro256StarStar(1));
        var best = ParameterSnapshot<float>.Capture(layer.Parameters());
        var before = layer.Parameters().Select(p => p.Value.Data.ToArray()).ToList();
        foreach (var p in layer.Parameters()) Array.Fill(p.Value.Data, 7f);                     // a later, worse epoch
        best.RestoreTo(layer.Parameters());
        Assert.That(layer.Parameters().Select(p => p.Value.Data), Is.EqualTo(before));
    }

    [Test]
    public void ValidatedTrainer_ChoosesByValidationRankIC_OnTheRawLabel()
    {
        var panel = ResearchTestData.Panel(8, 400, 12);
        var features = FeatureBuilder.Build(panel);
        var labels = Labels.ForwardLogReturn(panel, 5);
        var folds = WalkForward.Build(60, 300, 330, new WalkForwardOptions(Horizon: 5, TrainWindow: 200, RetrainEvery: 30, ValidationDays: 40));
        var fold = folds[0];
        var trainer = new ValidatedRidgeTrainer(patience: 5);
        var data = new TrainingFold(features, FeatureSetCatalog.Get("basic").Specification, panel.Tickers, panel.Dates, labels,
            fold.TrainDates, fold.ValidationDates, 5, LabelNormalisation.CrossSectionalRank);
        var model = (RidgeModel)trainer.Fit(data);
        var monitor = trainer.LastMonitor!;
        Assert.That(monitor.Curve, Has.Count.EqualTo(ValidatedRidgeTrainer.Grid.Length));
        Assert.That(monitor.Best, Is.EqualTo(monitor.Curve.Max()));
        // the kept model is the best epoch's: refitting that λ gives the same slopes (the trainer shifts only the intercept)
        var again = (RidgeModel)new RidgeTrainer(ValidatedRidgeTrainer.Grid[monitor.BestEpoch]).Fit(data);
        Assert.That(model.Coefficients.SkipLast(1), Is.EqualTo(again.Coefficients.SkipLast(1)));
        Assert.That(model.Coefficients[^1], Is.EqualTo(again.Coefficients[^1] + 1e-3 * monitor.Best));
    }
}
