using LeanModels.Models.Regime;

namespace LeanModels.Tests.Models.Regime;

public class RegimeFeatureProviderTests
{
    private static readonly RegimeFeatureProvider Provider = BuildProvider();

    private static RegimeFeatureProvider BuildProvider()
    {
        // Train on 1998-01-05..2009-12-31 only (the first 3018 returns); features are then computed on the whole series.
        var train = SpyReturns.Returns.AsSpan(0, Array.FindLastIndex(SpyReturns.Dates, d => d.Year <= 2009) + 1);
        return RegimeFeatureProvider.Fit(train, 100, new GaussianHmmOptions { Restarts = 3, Seed = 5 }, GarchVariant.Gjr, GarchInnovation.StudentT);
    }

    [Test]
    public void FeatureNames_TwoStatesWithGarch_AreListedInColumnOrder()
    {
        Assert.That(Provider.FeatureNames, Is.EqualTo(new[] { "regime_p0", "regime_p1", "regime_sigma_next", "garch_sigma_next" }));
    }

    [Test]
    public void Compute_DataAfterTChanged_RowsUpToTAreBitIdentical()
    {
        var returns = SpyReturns.Returns;
        var before = Provider.Compute(returns);
        const int t = 4000;
        var changed = (double[])returns.Clone();
        for (var i = t + 1; i < changed.Length; i++) changed[i] = 0.05 * Math.Sin(i);      // every value after t
        var after = Provider.Compute(changed);
        var f = Provider.FeatureNames.Count;
        for (var i = 0; i < (t + 1) * f; i++) Assert.That(after[i], Is.EqualTo(before[i]), $"row {i / f}, feature {Provider.FeatureNames[i % f]}");
        Assert.That(after[(t + 1) * f], Is.Not.EqualTo(before[(t + 1) * f]), "row t + 1 must see the change");
    }

    [Test]
    public void Compute_Spy_ProbabilitiesSumToOneAndVolatilitiesPlausible()
    {
        // Daily SPY volatility lies between ~0.3 % and ~10 % a day over 1998–2021; both σ features must stay in
        // [0.001, 0.15] (log return per day) and the two state probabilities sum to 1.
        var x = Provider.Compute(SpyReturns.Returns);
        var f = Provider.FeatureNames.Count;
        for (var t = 0; t < SpyReturns.Returns.Length; t++)
        {
            Assert.That(x[t * f] + x[t * f + 1], Is.EqualTo(1.0).Within(1e-12));
            Assert.That(x[t * f + 2], Is.InRange(0.001, 0.15));
            Assert.That(x[t * f + 3], Is.InRange(0.001, 0.15));
        }
    }

    [Test]
    public void Compute_NaNReturn_ThrowsWithIndex()
    {
        var r = SpyReturns.Returns[..100];
        r[42] = double.NaN;
        Assert.That(Assert.Throws<ArgumentException>(() => Provider.Compute(r))!.Message, Does.Contain("returns[42]"));
    }
}
