using LeanModels.Models.Research.Metrics;

namespace LeanModels.Tests.Models.Research.Metrics;

public class SignalAnalysisTests
{
    private const double N = double.NaN;

    // [D=3, A=4]:
    // date 0: forecast 1,2,3,4 vs label 0.01,0.03,0.02,0.05 → IC = 0.055/√0.004375 ≈ 0.831522 (SignalMetricsTests),
    //         Rank IC: ranks 1,2,3,4 vs 1,3,2,4, Σd² = 2, ρ = 1 − 12/60 = 0.8.
    // date 1: only asset 1 has both values → skipped (NaN, not counted).
    // date 2: forecast 4,3,2,1 vs label 0.01..0.04 → IC = Rank IC = −1 (exactly reversed, linear).
    private static readonly double[] Forecast = [1, 2, 3, 4, /**/ N, 1, N, 2, /**/ 4, 3, 2, 1];
    private static readonly double[] Label = [0.01, 0.03, 0.02, 0.05, /**/ 0.02, 0.01, 0.03, N, /**/ 0.01, 0.02, 0.03, 0.04];
    private static readonly double IC0 = 0.055 / Math.Sqrt(0.004375);

    [Test]
    public void Analyse_ThreeDatesWithSkippedDate_MatchesHandValues()
    {
        var report = SignalAnalysis.Analyse(Forecast, Label, dates: 3, assets: 4, neweyWestLags: 1);

        Assert.That(report.Dates, Is.EqualTo(2));
        Assert.That(report.DailyIC[0], Is.EqualTo(IC0).Within(1e-12));
        Assert.That(report.DailyIC[1], Is.NaN);
        Assert.That(report.DailyIC[2], Is.EqualTo(-1.0).Within(1e-12));
        Assert.That(report.DailyRankIC, Is.EqualTo(new[] { 0.8, N, -1.0 }).Within(1e-12));

        // Two values a, b: mean (a+b)/2, sample std |a−b|/√2.
        Assert.That(report.IC, Is.EqualTo((IC0 - 1) / 2).Within(1e-12));                       // ≈ −0.084239
        Assert.That(report.ICStd, Is.EqualTo((IC0 + 1) / Math.Sqrt(2)).Within(1e-12));         // ≈ 1.295076
        Assert.That(report.Icir, Is.EqualTo((IC0 - 1) / 2 / ((IC0 + 1) / Math.Sqrt(2))).Within(1e-12));
        Assert.That(report.RankIC, Is.EqualTo(-0.1).Within(1e-12));                            // (0.8 − 1)/2
        Assert.That(report.RankICStd, Is.EqualTo(1.8 / Math.Sqrt(2)).Within(1e-12));           // ≈ 1.272792
        Assert.That(report.RankIcir, Is.EqualTo(-0.1 / (1.8 / Math.Sqrt(2))).Within(1e-12));   // ≈ −0.078567
        Assert.That(report.ICPositiveShare, Is.EqualTo(0.5).Within(1e-12));                    // 1 of 2 counted dates
        Assert.That(report.RankICPositiveShare, Is.EqualTo(0.5).Within(1e-12));

        // Newey–West, 2 points a, b, lags 1: u = ±(a−b)/2, γ0 = u², γ1 = (1/2)(−u²), w1 = 1/2 →
        // γ0 + 2·w1·γ1 = u²/2, Var(x̄) = u²/4, t = x̄/(|u|/2) = 2(a+b)/2 / ((a−b)/2) = 2(a+b)/(a−b).
        Assert.That(report.ICTStat, Is.EqualTo(2 * (IC0 - 1) / (IC0 + 1)).Within(1e-12));         // ≈ −0.183980
        Assert.That(report.RankICTStat, Is.EqualTo(2 * (0.8 - 1) / (0.8 + 1)).Within(1e-12));     // −0.2222
    }

    [Test]
    public void Analyse_NoCountedDate_AllSummariesNaN()
    {
        var report = SignalAnalysis.Analyse([1, N, 2, N], [0.1, 0.2, N, 0.3], dates: 2, assets: 2, neweyWestLags: 0);
        Assert.That(report.Dates, Is.Zero);
        Assert.That(new[] { report.IC, report.ICStd, report.Icir, report.ICPositiveShare, report.ICTStat }, Is.All.NaN);
    }

    [Test]
    public void Analyse_WrongShape_ThrowsWithNumbers()
    {
        var ex = Assert.Throws<ArgumentException>(() => SignalAnalysis.Analyse(Forecast, Label[..11], 3, 4, 1));
        Assert.That(ex!.Message, Does.Contain("11").And.Contain("12"));
        var tooFew = Assert.Throws<ArgumentException>(() => SignalAnalysis.Analyse([1, 2, 3], [1, 2, 3], 3, 1, 1));
        Assert.That(tooFew!.Message, Does.Contain("assets is 1"));
        Assert.Throws<ArgumentOutOfRangeException>(() => SignalAnalysis.Analyse(Forecast, Label, 3, 4, -1));
    }
}
