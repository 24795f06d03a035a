using LeanModels.Models.Numerics;
using LeanModels.Models.Research;
using LeanModels.Models.Forecasting;

namespace LeanModels.Tests.Models.Forecasting;

public class RidgeTrainerTests
{
    /// <summary>F = 2 random features (cross-sectionally centred) over [D = 40, A = 5]; label = 0.5·x0 − 0.25·x1 + date effect.</summary>
    private static (FeatureSet Features, double[] Labels) Linear(int dates = 40, int assets = 5)
    {
        var rng = new Xoshiro256StarStar(11);
        var values = new double[dates * assets * 2];
        var labels = new double[dates * assets];
        for (var d = 0; d < dates; d++)
        {
            var dateEffect = rng.NextGaussian();
            var x0 = Enumerable.Range(0, assets).Select(_ => 2 * rng.NextGaussian()).ToArray();
            var x1 = Enumerable.Range(0, assets).Select(_ => 0.5 * rng.NextGaussian()).ToArray();
            double m0 = x0.Average(), m1 = x1.Average();
            for (var a = 0; a < assets; a++)
            {
                // features have cross-sectional mean 0 on every date, so the demeaned label is exactly 0.5·x0 − 0.25·x1
                values[(d * assets + a) * 2] = x0[a] - m0;
                values[(d * assets + a) * 2 + 1] = x1[a] - m1;
                labels[d * assets + a] = 0.5 * (x0[a] - m0) - 0.25 * (x1[a] - m1) + dateEffect;
            }
        }
        return (new FeatureSet(["x0", "x1"], dates, assets, values, Enumerable.Repeat(true, dates * assets).ToArray()), labels);
    }

    private static readonly FeatureSpecification Spec = new("test", "test/1", ["x0", "x1"]);

    private static TrainingFold Fold(FeatureSet features, double[] labels, IReadOnlyList<int> train, LabelNormalisation norm = LabelNormalisation.None) =>
        new(features, Spec, Enumerable.Range(0, features.AssetCount).Select(a => $"t{a}").ToList(),
            Enumerable.Range(0, features.DateCount).Select(d => new DateOnly(2020, 1, 1).AddDays(d)).ToList(), labels, train, [], 5, norm);

    private static double[] Predict(IReturnForecaster model, FeatureSet features, int date) =>
        model.PredictDate(features, Enumerable.Range(0, features.AssetCount).Select(a => $"t{a}").ToList(),
            Enumerable.Range(0, features.DateCount).Select(d => new DateOnly(2020, 1, 1).AddDays(d)).ToList(), date).Mean;

    [Test]
    public void Fit_ExactLinearLabelWithoutPenalty_RecoversCrossSectionalSlope()
    {
        var (features, labels) = Linear();
        var ridge = new RidgeTrainer(lambda: 0).Fit(Fold(features, labels, Enumerable.Range(0, 30).ToList()));
        // On the training dates the demeaned label is exactly 0.5·(x0 − x̄0,d) − 0.25·(x1 − x̄1,d); predictions on a test date
        // must reproduce the cross-sectional differences of the true relation.
        var forecast = Predict(ridge, features, 35);
        for (var a = 1; a < 5; a++)
        {
            var truth = labels[35 * 5 + a] - labels[35 * 5];
            Assert.That(forecast[a] - forecast[0], Is.EqualTo(truth).Within(1e-9));
        }
    }

    [Test]
    public void Fit_LargePenalty_ShrinksSlopesTowardZero()
    {
        var (features, labels) = Linear();
        var loose = (RidgeModel)new RidgeTrainer(0).Fit(Fold(features, labels, Enumerable.Range(0, 30).ToList()));
        var tight = (RidgeModel)new RidgeTrainer(100).Fit(Fold(features, labels, Enumerable.Range(0, 30).ToList()));
        Assert.That(Math.Abs(tight.Coefficients[0]), Is.LessThan(0.02 * Math.Abs(loose.Coefficients[0])));
    }

    [Test]
    public void Fit_NormaliserSeesTrainingRowsOnly()
    {
        var (features, labels) = Linear();
        var train = Enumerable.Range(0, 30).ToList();
        var before = FeatureNormaliser.Fit(features, train);
        for (var i = 30 * 5 * 2; i < features.Values.Length; i++) features.Values[i] = 1e6;   // change every test row
        var after = FeatureNormaliser.Fit(features, train);
        Assert.That(after.Mean, Is.EqualTo(before.Mean));
        Assert.That(after.Std, Is.EqualTo(before.Std));
    }

    [Test]
    public void Fit_TooFewRows_Throws()
    {
        var (features, labels) = Linear();
        features.Valid[0] = features.Valid[1] = features.Valid[2] = false;          // date 0 keeps 2 valid rows for 3 coefficients
        var e = Assert.Throws<ArgumentException>(() => new RidgeTrainer().Fit(Fold(features, labels, [0])));
        Assert.That(e!.Message, Does.Contain("training rows"));
    }

    [Test]
    public void Predict_InvalidRow_IsNaN()
    {
        var (features, labels) = Linear();
        features.Valid[35 * 5 + 2] = false;
        var ridge = new RidgeTrainer().Fit(Fold(features, labels, Enumerable.Range(0, 30).ToList()));
        var forecast = Predict(ridge, features, 35);
        Assert.That(double.IsNaN(forecast[2]));
        Assert.That(double.IsFinite(forecast[1]));
    }

    [Test]
    public void Fold_TestDateLabels_AreNotReachable()
    {
        var (features, labels) = Linear();
        var fold = Fold(features, labels, Enumerable.Range(0, 30).ToList());
        Assert.That(fold.RawLabels(29)[1], Is.EqualTo(labels[29 * 5 + 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => fold.RawLabels(35));
        Assert.Throws<ArgumentOutOfRangeException>(() => fold.LearnLabels(30));
    }

    [Test]
    public void Fit_RankNormalisedLabel_IsWhatTheTrainerLearns()
    {
        // The trainer reads LearnLabels: with the rank label the coefficients change (ranks are not linear in x), but the
        // signs of the true relation 0.5·x0 − 0.25·x1 survive the monotone per-date transform.
        var (features, labels) = Linear();
        var raw = (RidgeModel)new RidgeTrainer(0).Fit(Fold(features, labels, Enumerable.Range(0, 30).ToList()));
        var ranked = (RidgeModel)new RidgeTrainer(0).Fit(Fold(features, labels, Enumerable.Range(0, 30).ToList(), LabelNormalisation.CrossSectionalRank));
        Assert.That(ranked.Coefficients[0], Is.Not.EqualTo(raw.Coefficients[0]));
        Assert.That(Math.Sign(ranked.Coefficients[0]), Is.EqualTo(1));
        Assert.That(Math.Sign(ranked.Coefficients[1]), Is.EqualTo(-1));
    }
}
