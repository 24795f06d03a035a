using LeanModels.Models.Data;
using LeanModels.Models.Numerics;
using LeanModels.Models.Research;

namespace LeanModels.Tests.Models.Research;

/// <summary>
/// No look-ahead, proved on real data: overwrite every bar after date t and check that every feature and every
/// out-of-sample forecast dated ≤ t is bit-identical (training windows included, since each fold refits from scratch).
/// </summary>
public class LookAheadTests
{
    private static readonly string[] Tickers = ["aapl", "aig", "bac", "ibm", "spy", "qqq"];

    // t is placed relative to a fold's first test date s: on s itself (the purge is what protects its training labels),
    // just after it, and in the middle of a block.
    [TestCase(10, 0)]
    [TestCase(10, 2)]
    [TestCase(20, 11)]
    public void Pipeline_PerturbAfterT_NothingDatedAtOrBeforeTChanges(int fold, int daysAfterFoldStart)
    {
        var folder = new LeanDataFolder(TestPaths.LeanData);
        var end = new DateOnly(2011, 12, 30);
        var bars = Tickers.Select(x => folder.ReadEquityBars(x).Where(b => b.Date <= end).ToList()).ToArray();
        var options = new ResearchOptions(new DateOnly(2008, 1, 2), end, ResearchPipeline.DefaultModels, Horizon: 5, TrainWindow: 250, RetrainEvery: 21);
        var original = ResearchPipeline.Run(Panel.FromBars(Tickers, bars), options);

        var tIndex = original.Folds[fold].TestStart + daysAfterFoldStart;
        var t = original.Panel.Dates[tIndex];
        var rng = new Xoshiro256StarStar(99);
        var perturbed = bars.Select(list => list.Select(b => b.Date <= t ? b : Scale(b, rng)).ToList()).ToArray();
        var changed = ResearchPipeline.Run(Panel.FromBars(Tickers, perturbed), options);

        int A = Tickers.Length, F = original.Features.FeatureCount;
        var upToT = (tIndex + 1) * A;
        Assert.That(changed.Features.Values.AsSpan(0, upToT * F).SequenceEqual(original.Features.Values.AsSpan(0, upToT * F)), "features ≤ t");
        Assert.That(changed.Features.Valid.AsSpan(0, upToT).SequenceEqual(original.Features.Valid.AsSpan(0, upToT)), "validity ≤ t");
        Assert.That(original.EvaluationStart, Is.LessThan(tIndex), "some forecasts are dated before t");
        foreach (var model in options.Models)
        {
            var before = original.Forecasts[model];
            var after = changed.Forecasts[model];
            Assert.That(after.AsSpan(0, upToT).SequenceEqual(before.AsSpan(0, upToT)), $"{model}: forecasts ≤ t are bit-identical");
            Assert.That(after.AsSpan(upToT).SequenceEqual(before.AsSpan(upToT)), Is.False, $"{model}: the perturbation does reach forecasts after t");
        }
    }

    /// <summary>The same proof on Alpha158 with ridge and LightGBM (small trees, penalties low enough that the leaves are not
    /// all zero, so the forecasts vary and a leak would show).</summary>
    [Test]
    public void Pipeline_Alpha158RidgeAndLightGbm_PerturbAfterT_NothingDatedAtOrBeforeTChanges()
    {
        var folder = new LeanDataFolder(TestPaths.LeanData);
        var end = new DateOnly(2010, 12, 31);
        var bars = Tickers.Select(x => folder.ReadEquityBars(x).Where(b => b.Date >= new DateOnly(2006, 1, 1) && b.Date <= end).ToList()).ToArray();
        var options = new ResearchOptions(new DateOnly(2008, 1, 2), end, ["ridge", "lightgbm"], Horizon: 5, TrainWindow: 250, RetrainEvery: 42,
            FeatureSet: "alpha158", LightGbm: new(NumberOfLeaves: 8, Rounds: 20, MinDataInLeaf: 10, L1: 0, L2: 1));
        var original = ResearchPipeline.Run(Panel.FromBars(Tickers, bars), options);
        var tIndex = original.Folds[6].TestStart + 3;
        var t = original.Panel.Dates[tIndex];
        var rng = new Xoshiro256StarStar(7);
        var perturbed = bars.Select(list => list.Select(b => b.Date <= t ? b : Scale(b, rng)).ToList()).ToArray();
        var changed = ResearchPipeline.Run(Panel.FromBars(Tickers, perturbed), options);

        int A = Tickers.Length, F = original.Features.FeatureCount;
        var upToT = (tIndex + 1) * A;
        Assert.That(F, Is.EqualTo(157));
        Assert.That(changed.Features.Values.AsSpan(0, upToT * F).SequenceEqual(original.Features.Values.AsSpan(0, upToT * F)), "features ≤ t");
        foreach (var model in options.Models)
        {
            var before = original.Forecasts[model];
            var after = changed.Forecasts[model];
            var from = original.EvaluationStart * A;
            Assert.That(before.AsSpan(from, upToT - from).ToArray().Distinct().Count(), Is.GreaterThan(A), $"{model}: forecasts before t vary");
            Assert.That(after.AsSpan(0, upToT).SequenceEqual(before.AsSpan(0, upToT)), $"{model}: forecasts ≤ t are bit-identical");
            Assert.That(after.AsSpan(upToT).SequenceEqual(before.AsSpan(upToT)), Is.False, $"{model}: the perturbation does reach forecasts after t");
        }
    }

    private static Bar Scale(Bar b, Xoshiro256StarStar rng)
    {
        var f = Math.Exp(0.2 * rng.NextGaussian());
        return new Bar(b.Time, b.Open * f, b.High * f * 1.01, b.Low * f * 0.99, b.Close * f * Math.Exp(0.05 * rng.NextGaussian()), b.Volume * (0.5 + rng.NextDouble()));
    }
}

/// <summary>The look-ahead proof for the deep-model walk-forward: validation segment, rank-normalised training label and
/// a trainer that picks its model on validation Rank IC, with a warm start from the previous fold.</summary>
public class LookAheadValidationTests
{
    private static readonly string[] Tickers = ["aapl", "aig", "bac", "ibm", "spy", "qqq"];

    // t on a fold's first test date (the test-side purge protects the validation labels), just after it, and on the
    // first validation date of a later fold (the training-side purge protects it).
    [TestCase(6, 0, false)]
    [TestCase(6, 3, false)]
    [TestCase(9, 0, true)]
    public void WalkForward_WithValidation_PerturbAfterT_NothingDatedAtOrBeforeTChanges(int fold, int daysAfterFoldStart, bool atValidationStart)
    {
        var folder = new LeanDataFolder(TestPaths.LeanData);
        var end = new DateOnly(2010, 12, 31);
        var bars = Tickers.Select(x => folder.ReadEquityBars(x).Where(b => b.Date >= new DateOnly(2006, 1, 1) && b.Date <= end).ToList()).ToArray();
        var original = Run(bars, out var folds, out var panel);
        var tIndex = atValidationStart ? folds[fold].ValidationDates[0] : folds[fold].TestStart + daysAfterFoldStart;
        var t = panel.Dates[tIndex];
        var rng = new Xoshiro256StarStar(5);
        var perturbed = bars.Select(list => list.Select(b => b.Date <= t ? b : Scale(b, rng)).ToList()).ToArray();
        var changed = Run(perturbed, out var folds2, out _);
        var upToT = (tIndex + 1) * Tickers.Length;
        Assert.That(folds2.Select(f => (f.TestStart, f.TrainDates.Count, f.ValidationDates.Count)), Is.EqualTo(folds.Select(f => (f.TestStart, f.TrainDates.Count, f.ValidationDates.Count))));
        Assert.That(original.AsSpan(0, upToT).ToArray().Count(double.IsFinite), Is.GreaterThan(0), "forecasts exist before t");
        Assert.That(changed.AsSpan(0, upToT).SequenceEqual(original.AsSpan(0, upToT)), "forecasts ≤ t are bit-identical");
        Assert.That(changed.AsSpan(upToT).SequenceEqual(original.AsSpan(upToT)), Is.False, "the perturbation does reach forecasts after t");
    }

    /// <summary>Every price (the open too: labels are open to open) scaled by a random factor, the close a little more.</summary>
    private static Bar Scale(Bar b, Xoshiro256StarStar rng)
    {
        var f = Math.Exp(0.2 * rng.NextGaussian());
        return new Bar(b.Time, b.Open * f, b.High * f * 1.01, b.Low * f * 0.99, b.Close * f * Math.Exp(0.05 * rng.NextGaussian()), b.Volume * (0.5 + rng.NextDouble()));
    }

    private static double[] Run(List<Bar>[] bars, out IReadOnlyList<Fold> folds, out Panel panel)
    {
        panel = Panel.FromBars(Tickers, bars);
        var features = FeatureBuilder.Build(panel);
        var labels = Labels.ForwardLogReturn(panel, 5);
        folds = WalkForward.Build(60, panel.IndexOnOrAfter(new DateOnly(2008, 1, 2)), panel.DateCount,
            new WalkForwardOptions(Horizon: 5, TrainWindow: 250, RetrainEvery: 21, ValidationDays: 40));
        return WalkForwardPredictor.Run(features, FeatureSetCatalog.Get("basic").Specification, panel.Tickers, panel.Dates, labels, folds,
            new Forecasting.ValidatedRidgeTrainer(), 5, new WalkForwardTrainingOptions(LabelNormalisation.CrossSectionalRank, 3, WarmStart: true)).Forecasts;
    }
}
