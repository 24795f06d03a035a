using LeanModels.Models.Forecasting;
using LeanModels.Models.Numerics;
using LeanModels.Models.Research;

namespace LeanModels.Tests.Models.Research;

public class SequenceBatcherTests
{
    [Test]
    public void Fill_EqualsTheProcessedContractWindow_InEngineLayout()
    {
        var (tickers, bars) = ResearchTestData.RandomWalk(4, 140, 9);
        bars[2].RemoveAt(130);                                                         // asset 2 misses date 130
        var panel = Panel.FromBars(tickers, bars);
        var features = FeatureBuilder.Build(panel);
        var spec = FeatureSetCatalog.Get("basic").Specification;
        var processor = InferenceProcessor.Fit(features, Enumerable.Range(60, 50).ToList(), clip: 3);
        const int T = 8;
        var batcher = new SequenceBatcher(features, processor, T);
        int[] dates = [135, 133];
        int[] assets = [3, 2];
        var x = new float[2 * T * 2 * 11];
        var mask = new bool[2 * T * 2];
        batcher.Fill(dates, assets, x, mask);
        for (var b = 0; b < 2; b++)
        {
            var window = FeatureWindow.FromFeatureSet(features, spec, panel.Tickers, panel.Dates, dates[b], new InputWindow(T, 60));
            var one = new float[T * 4 * 11];
            var oneMask = new bool[T * 4];
            processor.Apply(window, one, oneMask);                                  // [T, A, F]: the inference path
            for (var t = 0; t < T; t++)
                for (var i = 0; i < 2; i++)
                {
                    var a = assets[i];
                    Assert.That(mask[(b * T + t) * 2 + i], Is.EqualTo(oneMask[t * 4 + a]), $"b={b} t={t} a={a}");
                    Assert.That(x.AsSpan(((b * T + t) * 2 + i) * 11, 11).ToArray(), Is.EqualTo(one.AsSpan((t * 4 + a) * 11, 11).ToArray()));
                }
        }
        // date 130 is step T − 1 − 5 of the window ending at 135: asset 2 is masked there, its features are 0
        Assert.That(mask[(0 * T + T - 1 - 5) * 2 + 1], Is.False);
        Assert.That(x.AsSpan(((T - 1 - 5) * 2 + 1) * 11, 11).ToArray(), Is.All.EqualTo(0f));
        Assert.That(x.All(v => v is >= -3f and <= 3f), "clipped to ±3");
    }

    [Test]
    public void FillLabels_NormalisedLabelsOfTrainingDatesOnly_WithTheirMask()
    {
        var panel = ResearchTestData.Panel(5, 150, 6);
        var features = FeatureBuilder.Build(panel);
        var labels = Labels.ForwardLogReturn(panel, 5);
        labels[100 * 5 + 3] = double.NaN;                                              // asset 3 has no label on date 100
        var fold = new TrainingFold(features, FeatureSetCatalog.Get("basic").Specification, panel.Tickers, panel.Dates, labels,
            Enumerable.Range(70, 40).ToList(), [], 5, LabelNormalisation.CrossSectionalRank);
        var batcher = new SequenceBatcher(features, InferenceProcessor.Fit(features, fold.TrainDates), 3);
        var y = new float[2 * 5];
        var m = new bool[2 * 5];
        batcher.FillLabels(fold, [100, 80], [], y, m);
        Assert.That(m, Is.EqualTo(new[] { true, true, true, false, true, true, true, true, true, true }));
        for (var a = 0; a < 5; a++) Assert.That(y[5 + a], Is.EqualTo((float)fold.LearnLabels(80)[a]));
        Assert.That(y.Where((_, k) => m[k]).All(v => v is >= -0.5f and <= 0.5f), "rank labels in [−0.5, 0.5]");
        Assert.Throws<ArgumentOutOfRangeException>(() => batcher.FillLabels(fold, [140], [], new float[5], new bool[5]), "a test date's label is not reachable");
    }

    [Test]
    public void ShuffledDates_SameSeedAndEpochSameOrder_OtherwiseAnother()
    {
        var dates = Enumerable.Range(100, 50).ToList();
        var a = SequenceBatcher.ShuffledDates(dates, 7, 0);
        Assert.That(SequenceBatcher.ShuffledDates(dates, 7, 0), Is.EqualTo(a));
        Assert.That(a, Is.EquivalentTo(dates));
        Assert.That(SequenceBatcher.ShuffledDates(dates, 7, 1), Is.Not.EqualTo(a));
        Assert.That(SequenceBatcher.ShuffledDates(dates, 8, 0), Is.Not.EqualTo(a));
    }

    [Test]
    public void SampleAssets_OnlyValidDistinct()
    {
        var panel = ResearchTestData.Panel(6, 100, 4);
        var features = FeatureBuilder.Build(panel);
        features.Valid[90 * 6 + 4] = false;
        var batcher = new SequenceBatcher(features, InferenceProcessor.Fit(features, Enumerable.Range(60, 30).ToList()), 5);
        var picked = batcher.SampleAssets(90, 3, new Xoshiro256StarStar(1));
        Assert.That(picked, Has.Length.EqualTo(3).And.Unique);
        Assert.That(batcher.SampleAssets(90, 10, new Xoshiro256StarStar(1)), Is.EquivalentTo(new[] { 0, 1, 2, 3, 5 }));
    }

    [Test]
    public void Fill_WrongShape_ThrowsWithTheShapes()
    {
        var features = FeatureBuilder.Build(ResearchTestData.Panel(3, 80, 4));
        var batcher = new SequenceBatcher(features, InferenceProcessor.Fit(features, Enumerable.Range(60, 10).ToList()), 4);
        var e = Assert.Throws<ArgumentException>(() => batcher.Fill([70], [], new float[10], new bool[12]));
        Assert.That(e!.Message, Does.Contain("[B, T, A', F] = [1, 4, 3, 11]"));
    }
}
