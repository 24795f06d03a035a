using LeanModels.Models.Research;

namespace LeanModels.Tests.Models.Research;

public class WalkForwardTests
{
    [Test]
    public void Build_Rolling_PurgesHorizonPlusOneAndTilesTheTestRange()
    {
        var options = new WalkForwardOptions(Horizon: 5, TrainWindow: 50, RetrainEvery: 10, MinTrainDates: 20);
        var folds = WalkForward.Build(firstUsable: 10, firstTest: 0, endExclusive: 200, options);
        // first block: needs 20 training dates from 10 plus a purge of 6 → starts at 10 + 20 + 6 = 36
        Assert.That(folds[0].TestStart, Is.EqualTo(36));
        Assert.That(folds[0].TrainDates, Is.EqualTo(Enumerable.Range(10, 20)));
        for (var i = 0; i < folds.Count; i++)
        {
            var f = folds[i];
            // purge: the last training label (dated ≤ s − 7) ends at open s − 7 + 1 + 5 = s − 1 < s
            Assert.That(f.TrainDates[^1], Is.EqualTo(f.TestStart - 7));
            Assert.That(f.TrainDates.Count, Is.LessThanOrEqualTo(50));
            if (i > 0) Assert.That(f.TestStart, Is.EqualTo(folds[i - 1].TestEnd), "blocks are contiguous");
        }
        Assert.That(folds[^1].TestEnd, Is.EqualTo(200));
        Assert.That(folds[^1].TrainDates.Count, Is.EqualTo(50));
    }

    [Test]
    public void Build_Expanding_StartsAtFirstUsable()
    {
        var folds = WalkForward.Build(5, 100, 150, new WalkForwardOptions(Horizon: 1, TrainWindow: 10, RetrainEvery: 25, Expanding: true));
        // start = max(100, 5 + 126 (MinTrainDates) + 2 (purge)) = 133; one block [133, 150); training 5..130 despite TrainWindow 10
        Assert.That(folds.Select(f => (f.TestStart, f.TestEnd)), Is.EqualTo(new[] { (133, 150) }));
        Assert.That(folds[0].TrainDates, Is.EqualTo(Enumerable.Range(5, 126)));
    }

    [Test]
    public void Build_Embargo_DropsDaysAfterEachTestBlockFromLaterTraining()
    {
        var options = new WalkForwardOptions(Horizon: 1, TrainWindow: 1000, RetrainEvery: 10, Embargo: 3, MinTrainDates: 10);
        var folds = WalkForward.Build(0, 0, 60, options);
        // first block starts at 0 + 10 + 2 = 12 and ends at 22; dates 22, 23, 24 are embargoed from later folds
        Assert.That(folds[0].TestStart, Is.EqualTo(12));
        var later = folds.Skip(2).SelectMany(f => f.TrainDates).ToHashSet();
        Assert.That(later, Does.Not.Contain(22).And.Not.Contain(23).And.Not.Contain(24));
        Assert.That(later, Does.Contain(21).And.Contain(25));
    }

    [Test]
    public void Build_Validation_IsTheWindowsLastDaysPurgedFromTraining()
    {
        var options = new WalkForwardOptions(Horizon: 5, TrainWindow: 50, RetrainEvery: 10, MinTrainDates: 20, ValidationDays: 8);
        var folds = WalkForward.Build(firstUsable: 10, firstTest: 0, endExclusive: 200, options);
        // first block: 20 training dates from 10, a purge of 6, 8 validation dates, a purge of 6 → 10 + 20 + 6 + 8 + 6 = 50
        Assert.That(folds[0].TestStart, Is.EqualTo(50));
        Assert.That(folds[0].TrainDates, Is.EqualTo(Enumerable.Range(10, 20)));
        Assert.That(folds[0].ValidationDates, Is.EqualTo(Enumerable.Range(36, 8)));
        foreach (var f in folds)
        {
            // validation ends where training ended without it: its last label (dated s − 7) ends at open s − 1
            Assert.That(f.ValidationDates[^1], Is.EqualTo(f.TestStart - 7));
            Assert.That(f.ValidationDates, Has.Count.EqualTo(8));
            // the last training label (dated v0 − 7) ends at open v0 − 1, before the first validation decision v0
            Assert.That(f.TrainDates[^1], Is.EqualTo(f.ValidationDates[0] - 7));
            Assert.That(f.TrainDates.Count + 6 + 8, Is.LessThanOrEqualTo(50), "validation and its purge come out of the window");
        }
        Assert.That(folds[^1].TrainDates, Has.Count.EqualTo(50 - 8 - 6));
    }

    [Test]
    public void Build_NoValidation_LeavesTheFoldsAsBefore()
    {
        var a = WalkForward.Build(10, 0, 200, new WalkForwardOptions(Horizon: 5, TrainWindow: 50, RetrainEvery: 10, MinTrainDates: 20));
        Assert.That(a.All(f => f.ValidationDates.Count == 0));
        Assert.That(a[0].TestStart, Is.EqualTo(36));
    }

    [Test]
    public void Build_BadOptions_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WalkForward.Build(0, 0, 10, new WalkForwardOptions(Horizon: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => WalkForward.Build(0, 0, 10, new WalkForwardOptions(RetrainEvery: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => WalkForward.Build(0, 0, 10, new WalkForwardOptions(Embargo: -1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => WalkForward.Build(0, 0, 10, new WalkForwardOptions(ValidationDays: -1)));
    }
}
