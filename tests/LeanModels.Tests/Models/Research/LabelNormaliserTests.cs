using LeanModels.Models.Research;

namespace LeanModels.Tests.Models.Research;

public class LabelNormaliserTests
{
    [Test]
    public void Rank_TiesAverageAndNaNStays_MapsToMinusHalfToHalf()
    {
        // finite values 0.3, −0.1, 0.3, 0.0 → 0-based sorted ranks −0.1:0, 0.0:1, 0.3:2.5 (tie of 2 and 3); /(n − 1 = 3) − 0.5
        var y = new double[5];
        LabelNormaliser.Apply(LabelNormalisation.CrossSectionalRank, [0.3, -0.1, double.NaN, 0.3, 0.0], y);
        Assert.That(y[0], Is.EqualTo(2.5 / 3 - 0.5).Within(1e-15));
        Assert.That(y[1], Is.EqualTo(-0.5));
        Assert.That(double.IsNaN(y[2]));
        Assert.That(y[3], Is.EqualTo(y[0]));
        Assert.That(y[4], Is.EqualTo(1.0 / 3 - 0.5).Within(1e-15));
    }

    [Test]
    public void ZScore_UsesSampleStd()
    {
        // 1, 2, 3: mean 2, sample std 1 → −1, 0, 1
        var y = new double[3];
        LabelNormaliser.Apply(LabelNormalisation.CrossSectionalZScore, [1, 2, 3], y);
        Assert.That(y, Is.EqualTo(new[] { -1.0, 0.0, 1.0 }).Within(1e-15));
        LabelNormaliser.Apply(LabelNormalisation.CrossSectionalZScore, [5, 5, 5], y);
        Assert.That(y, Is.EqualTo(new[] { 0.0, 0.0, 0.0 }), "constant cross-section → 0, not NaN");
    }

    [Test]
    public void None_CopiesBits()
    {
        var raw = new[] { 0.1, double.NaN, -3e-7 };
        var y = new double[3];
        LabelNormaliser.Apply(LabelNormalisation.None, raw, y);
        Assert.That(y, Is.EqualTo(raw));
    }
}
