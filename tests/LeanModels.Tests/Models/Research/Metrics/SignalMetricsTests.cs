using LeanModels.Models.Research.Metrics;

namespace LeanModels.Tests.Models.Research.Metrics;

public class SignalMetricsTests
{
    // Hand case used below: forecast 1,2,3,4 (mean 2.5, deviations −1.5,−0.5,0.5,1.5, Σdx² = 5);
    // label 0.01,0.03,0.02,0.05 (mean 0.0275, deviations −0.0175,0.0025,−0.0075,0.0225, Σdy² = 0.000875);
    // Σdx·dy = 0.02625 − 0.00125 − 0.00375 + 0.03375 = 0.055; r = 0.055 / √(5 · 0.000875) = 0.055 / √0.004375 ≈ 0.831522.
    private static readonly double HandIC = 0.055 / Math.Sqrt(0.004375);

    [Test]
    public void IC_SmallCase_MatchesHandValue()
    {
        Assert.That(SignalMetrics.IC([1.0, 2.0, 3.0, 4.0], [0.01, 0.03, 0.02, 0.05]), Is.EqualTo(HandIC).Within(1e-12));
        Assert.That(HandIC, Is.EqualTo(0.831522).Within(1e-6));
    }

    [Test]
    public void IC_NonFinitePairs_AreDropped()
    {
        // The hand case plus three pairs that must be dropped: forecast +∞, label NaN, forecast NaN.
        double[] forecast = [1.0, 2.0, double.PositiveInfinity, 3.0, 4.0, 9.0, double.NaN];
        double[] label = [0.01, 0.03, 0.7, 0.02, 0.05, double.NaN, 0.3];
        Assert.That(SignalMetrics.IC(forecast, label), Is.EqualTo(HandIC).Within(1e-12));
    }

    [Test]
    public void IC_FewerThanTwoPairs_IsNaN()
    {
        Assert.That(SignalMetrics.IC([1.0, double.NaN, 3.0], [0.01, 0.02, double.NaN]), Is.NaN);   // 1 pair left
        Assert.That(SignalMetrics.IC([], []), Is.NaN);
    }

    [Test]
    public void IC_ConstantSide_IsNaN()
    {
        Assert.That(SignalMetrics.IC([1.0, 1.0, 1.0], [0.01, 0.02, 0.03]), Is.NaN);
        Assert.That(SignalMetrics.RankIC([1.0, 2.0, 3.0], [0.02, 0.02, 0.02]), Is.NaN);
    }

    [Test]
    public void IC_LengthsDiffer_ThrowsWithBothLengths()
    {
        var ex = Assert.Throws<ArgumentException>(() => SignalMetrics.IC([1.0, 2.0, 3.0], [0.1, 0.2, 0.3, 0.4]));
        Assert.That(ex!.Message, Does.Contain("3").And.Contain("4"));
        Assert.Throws<ArgumentException>(() => SignalMetrics.RankIC([1.0, 2.0], [0.1]));
    }

    [Test]
    public void RankIC_ReversedOrder_IsMinusOne()
    {
        // ranks 1,2,3,4 vs 4,3,2,1: Σd² = 9+1+1+9 = 20; ρ = 1 − 6·20 / (4·(16−1)) = −1
        Assert.That(SignalMetrics.RankIC([0.1, 0.2, 0.3, 0.4], [0.04, 0.03, 0.02, -0.01]), Is.EqualTo(-1.0).Within(1e-12));
    }

    [Test]
    public void RankIC_NonLinearMonotone_UsesRanks()
    {
        // label ranks 1,3,2,4 vs 1,2,3,4 (the hand case): Σd² = 0+1+1+0 = 2; ρ = 1 − 6·2/(4·15) = 0.8 (Pearson gave 0.8315).
        Assert.That(SignalMetrics.RankIC([1.0, 2.0, 3.0, 4.0], [0.01, 0.03, 0.02, 0.05]), Is.EqualTo(0.8).Within(1e-12));
    }

    [Test]
    public void RankIC_Ties_UsesAverageRanks()
    {
        // forecast 1,2,2,3 → average ranks 1, 2.5, 2.5, 4; label ranks 1,2,3,4. Both mean 2.5.
        // dx = −1.5,0,0,1.5 (Σdx² = 4.5); dy = −1.5,−0.5,0.5,1.5 (Σdy² = 5); Σdx·dy = 2.25+0+0+2.25 = 4.5.
        // ρ = 4.5/√(4.5·5) = √(4.5/5) = √0.9 ≈ 0.948683. (Min ranks 1,2,2,4 would give 4.5/√(4.75·5) ≈ 0.9234; first ranks 1.)
        Assert.That(SignalMetrics.RankIC([1.0, 2.0, 2.0, 3.0], [0.1, 0.2, 0.3, 0.4]), Is.EqualTo(Math.Sqrt(0.9)).Within(1e-12));
    }

    [Test]
    public void RankIC_NonFinitePairs_AreDropped()
    {
        // Same as RankIC_Ties once the NaN-label and −∞-forecast pairs are removed.
        double[] forecast = [1.0, double.NegativeInfinity, 2.0, 2.0, 5.0, 3.0];
        double[] label = [0.1, 0.9, 0.2, 0.3, double.NaN, 0.4];
        Assert.That(SignalMetrics.RankIC(forecast, label), Is.EqualTo(Math.Sqrt(0.9)).Within(1e-12));
    }

    // Series for the Newey–West cases: sum 0.12, n = 8, x̄ = 0.015; deviations ±0.035, ±0.015, ±0.005, ±0.025 (see below).
    private static readonly double[] Series = [0.05, -0.02, 0.03, 0.01, 0.04, -0.01, 0.02, 0.00];

    [Test]
    public void NeweyWestTStat_ZeroLags_IsMeanOverPopulationStandardError()
    {
        // With lags = 0 the HAC variance is γ0 / n, so t = x̄ / (s_pop / √n), s_pop² = γ0 = (1/n) Σ (x − x̄)².
        // u = 0.035,−0.035,0.015,−0.005,0.025,−0.025,0.005,−0.015; Σu² = (1225+1225+225+25+625+625+25+225)e-6 = 0.0042;
        // γ0 = 0.0042/8 = 0.000525; t = 0.015 / √(0.000525/8) ≈ 1.851640 (statsmodels: 1.851640199545103, reference script).
        Assert.That(SignalMetrics.NeweyWestTStat(Series, 0), Is.EqualTo(0.015 / Math.Sqrt(0.000525 / 8)).Within(1e-12));
    }

    [Test]
    public void NeweyWestTStat_TwoLags_MatchesStatsmodels()
    {
        // reference/newey_west_reference.py: statsmodels OLS(x, ones) HAC maxlags=2, use_correction=False → 2.9692299558323625.
        // By hand: γ1 = (1/8)(−1225−525−75−125−625−125−75)e-6 = −346.875e-6; γ2 = (1/8)(525+175+375+125+125+375)e-6 = 212.5e-6;
        // w1 = 2/3, w2 = 1/3; γ0 + 2(w1γ1 + w2γ2) = 525e-6 − 320.8333e-6 = 204.1667e-6; t = 0.015/√(204.1667e-6/8) ≈ 2.969230.
        Assert.That(SignalMetrics.NeweyWestTStat(Series, 2), Is.EqualTo(2.9692299558323625).Within(1e-12));
    }

    [Test]
    public void NeweyWestTStat_LagsBeyondLength_MatchesStatsmodels()
    {
        // reference/newey_west_reference.py, maxlags=9 > n − 1 = 7 (γ8, γ9 are empty sums; the weights still use lags=9):
        // statsmodels 4.819315973415, ours in Python 4.8193159734149935.
        Assert.That(SignalMetrics.NeweyWestTStat(Series, 9), Is.EqualTo(4.8193159734149935).Within(1e-10));
    }

    [Test]
    public void NeweyWestTStat_NonFiniteEntries_AreCompactedAway()
    {
        // Removing the NaN and ∞ entries leaves Series, so the lag-2 value is the statsmodels one above.
        double[] withGaps = [0.05, double.NaN, -0.02, 0.03, 0.01, double.PositiveInfinity, 0.04, -0.01, 0.02, 0.00, double.NaN];
        Assert.That(SignalMetrics.NeweyWestTStat(withGaps, 2), Is.EqualTo(2.9692299558323625).Within(1e-12));
    }

    [Test]
    public void NeweyWestTStat_DegenerateInput_IsNaNOrThrows()
    {
        Assert.That(SignalMetrics.NeweyWestTStat([0.1, double.NaN], 1), Is.NaN);        // n = 1 after compaction
        Assert.That(SignalMetrics.NeweyWestTStat([0.1, 0.1, 0.1], 1), Is.NaN);          // zero variance
        Assert.Throws<ArgumentOutOfRangeException>(() => SignalMetrics.NeweyWestTStat(Series, -1));
    }
}
