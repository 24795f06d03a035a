using LeanModels.Models.Research.Metrics;

namespace LeanModels.Tests.Models.Research.Metrics;

public class RiskFiguresTests
{
    // Four periods, 2 per year: equity 1 → 1.1 → 0.88 → 0.924 → 1.0164 (peak 1.1, then a trough at 0.88).
    private static readonly double[] Returns = [0.10, -0.20, 0.05, 0.10];

    [Test]
    public void AnnualisedReturn_FourPeriods_IsCompounded()
    {
        // Π(1+r) = 1.1·0.8·1.05·1.1 = 1.0164; (1.0164)^(2/4) − 1 = √1.0164 − 1 ≈ 0.0081667 (summing would give 0.025).
        Assert.That(RiskFigures.AnnualisedReturn(Returns, 2), Is.EqualTo(Math.Sqrt(1.0164) - 1).Within(1e-12));
    }

    [Test]
    public void AnnualisedVolatility_FourPeriods_IsSampleStdTimesSqrtPeriods()
    {
        // mean 0.0125; deviations 0.0875, −0.2125, 0.0375, 0.0875; Σ² = 0.00765625+0.04515625+0.00140625+0.00765625 = 0.061875;
        // sample variance 0.061875/3 = 0.020625; × 2 periods per year → √0.04125 ≈ 0.203101.
        Assert.That(RiskFigures.AnnualisedVolatility(Returns, 2), Is.EqualTo(Math.Sqrt(0.04125)).Within(1e-12));
    }

    [Test]
    public void Sharpe_FourPeriods_IsMeanOverSampleStdTimesSqrtPeriods()
    {
        // 0.0125 / √0.020625 · √2 ≈ 0.123091.
        Assert.That(RiskFigures.Sharpe(Returns, 2), Is.EqualTo(0.0125 / Math.Sqrt(0.020625) * Math.Sqrt(2)).Within(1e-12));
    }

    [Test]
    public void MaxDrawdown_PeakThenTrough_IsLargestFallFromPeak()
    {
        // drawdowns 0, 1 − 0.88/1.1 = 0.2, 1 − 0.924/1.1 = 0.16, 1 − 1.0164/1.1 = 0.076 → 0.2.
        Assert.That(RiskFigures.MaxDrawdown(Returns), Is.EqualTo(0.2).Within(1e-12));
    }

    [Test]
    public void MaxDrawdown_LossFirst_CountsStartAsPeak()
    {
        // equity 1 → 0.9 → 0.945: the peak is the starting 1, so 0.1.
        Assert.That(RiskFigures.MaxDrawdown([-0.1, 0.05]), Is.EqualTo(0.1).Within(1e-12));
    }

    [Test]
    public void Figures_DegenerateInput_NaNOrThrows()
    {
        Assert.That(RiskFigures.Sharpe([0.01], 252), Is.NaN);                       // n = 1
        Assert.That(RiskFigures.Sharpe([0.01, 0.01], 252), Is.NaN);                 // zero std
        Assert.That(RiskFigures.AnnualisedReturn([0.5, -1.0, 0.5], 252), Is.EqualTo(-1.0));   // wiped out
        Assert.Throws<ArgumentException>(() => RiskFigures.MaxDrawdown([]));
        var ex = Assert.Throws<ArgumentException>(() => RiskFigures.Sharpe([0.01, double.NaN], 252));
        Assert.That(ex!.Message, Does.Contain("returns[1]"));
        Assert.Throws<ArgumentOutOfRangeException>(() => RiskFigures.AnnualisedVolatility(Returns, 0));
    }
}
