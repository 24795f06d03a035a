using LeanModels.Models.Research.Metrics;

namespace LeanModels.Tests.Models.Research.Metrics;

/// <summary>The allocation book: the model's weights scaled to the gross cap, costs on turnover, NaN weights and returns at 0.</summary>
public class AllocationBookTests
{
    [Test]
    public void Allocation_ScalesToTheGrossCap_ChargesTurnover_AndSkipsNaN()
    {
        // D = 2, A = 3. Day 0: weights (0.5, −0.25, NaN) → gross 0.75 → scaled (2/3, −1/3, 0); returns (1%, 2%, 5%).
        // Day 1: weights (0.1, 0.1, 0.1) but asset 2 is untradable (NaN) → (0.5, 0.5, 0); returns (0, −1%, NaN).
        double[] w = [0.5, -0.25, double.NaN, 0.1, 0.1, 0.1];
        double[] r = [0.01, 0.02, 0.05, 0.0, -0.01, double.NaN];
        var book = PortfolioAnalysis.Allocation(w, r, 2, 3, 1.0, 10, 252);
        var earned0 = 2.0 / 3 * 0.01 - 1.0 / 3 * 0.02;                                        // 0
        Assert.That(book.GrossReturn[0], Is.EqualTo(earned0).Within(1e-15));
        Assert.That(book.Turnover[0], Is.EqualTo(1.0).Within(1e-15));                           // from cash
        Assert.That(book.NetReturn[0], Is.EqualTo(earned0 - 1.0 * 1e-3).Within(1e-15));
        var growth = 1 + earned0;
        double[] drifted = [2.0 / 3 * 1.01 / growth, -1.0 / 3 * 1.02 / growth, 0];
        var turnover1 = Math.Abs(0.5 - drifted[0]) + Math.Abs(0.5 - drifted[1]);
        Assert.That(book.Turnover[1], Is.EqualTo(turnover1).Within(1e-12));
        Assert.That(book.NetReturn[1], Is.EqualTo(0.5 * -0.01 - turnover1 * 1e-3).Within(1e-12));
        Assert.That(() => PortfolioAnalysis.Allocation(w, r, 2, 3, 0, 10, 252), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
