using System.Text.Json;
using LeanModels.Models.RiskMeasures;
using LeanModels.Tests.Models.Regime;

namespace LeanModels.Tests.Models.RiskMeasures;

/// <summary>
/// HRP against reference/hrp_lopez_de_prado.json: a direct Python port of López de Prado (2016)'s appendix code run on
/// its own example data (np.random.seed(12345), 10 000 × 10, five columns copied with noise σ = 0.25). NOT the paper's
/// printed numbers, which we could not obtain; see the script's header.
/// </summary>
public class HierarchicalRiskParityTests
{
    private static JsonElement Ref() => SpyReturns.ReadReference("RiskMeasures", "hrp_lopez_de_prado.json");

    [Test]
    public void Compute_PaperExample_MatchesPortedAppendixCode()
    {
        // Same covariance and correlation, same algorithm: order and linkage ids exact; distances and weights agree to
        // rounding (1e-12).
        var r = Ref();
        var n = r.GetProperty("n").GetInt32();
        var result = HierarchicalRiskParity.Compute(SpyReturns.Doubles(r.GetProperty("cov")), SpyReturns.Doubles(r.GetProperty("corr")), n);
        var order = r.GetProperty("sortIx").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.That(result.Order, Is.EqualTo(order));
        var link = r.GetProperty("linkage").EnumerateArray().Select(row => SpyReturns.Doubles(row)).ToArray();
        for (var i = 0; i < n - 1; i++)
        {
            Assert.That(result.Linkage[i * 4], Is.EqualTo(link[i][0]), $"row {i} a");
            Assert.That(result.Linkage[i * 4 + 1], Is.EqualTo(link[i][1]), $"row {i} b");
            Assert.That(result.Linkage[i * 4 + 2], Is.EqualTo(link[i][2]).Within(1e-12), $"row {i} distance");
            Assert.That(result.Linkage[i * 4 + 3], Is.EqualTo(link[i][3]), $"row {i} size");
        }
        var w = SpyReturns.Doubles(r.GetProperty("weights"));
        for (var i = 0; i < n; i++) Assert.That(result.Weights[i], Is.EqualTo(w[i]).Within(1e-12), $"weight {i}");
        Assert.That(result.Weights.Sum(), Is.EqualTo(1.0).Within(1e-12));
    }

    [Test]
    public void Compute_CorrelationFromCovariance_SameOrderAndWeights()
    {
        // Deriving ρ from Σ changes it only by rounding (pandas computes it separately), so the result is the same.
        var r = Ref();
        var result = HierarchicalRiskParity.Compute(SpyReturns.Doubles(r.GetProperty("cov")), 10);
        Assert.That(result.Order, Is.EqualTo(r.GetProperty("sortIx").EnumerateArray().Select(e => e.GetInt32()).ToArray()));
        var w = SpyReturns.Doubles(r.GetProperty("weights"));
        for (var i = 0; i < 10; i++) Assert.That(result.Weights[i], Is.EqualTo(w[i]).Within(1e-10));
    }

    [Test]
    public void Compute_TwoUncorrelatedAssets_InverseVariance()
    {
        // One bisection: α = 1 − V₀/(V₀ + V₁) with V = variances 1 and 4 → w = (0.8, 0.2), the inverse-variance portfolio.
        var result = HierarchicalRiskParity.Compute([1.0, 0.0, 0.0, 4.0], 2);
        Assert.That(result.Weights, Is.EqualTo(new[] { 0.8, 0.2 }).Within(1e-12));
    }

    [Test]
    public void Compute_AsymmetricCovariance_Throws()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => HierarchicalRiskParity.Compute([1.0, 0.1, 0.2, 1.0], 2))!.Message, Does.Contain("symmetric"));
    }
}
