using LeanModels.Models.Research.Metrics;

namespace LeanModels.Tests.Models.Research.Metrics;

public class PortfolioAnalysisTests
{
    private const double N = double.NaN;

    // TopkDropout, topK = 2 (weight 0.5 each), nDrop = 1, A = 5, costBps = 10 (cost = turnover · 0.001).
    // date 0: scores 5,4,3,2,1; nothing held. today = best 1+2−0 = 3 → [0,1,2]; buy first 0+2−0 = 2 → hold {0,1}.
    //   turnover 0.5+0.5 = 1 (from cash); gross = 0.5·0.10 + 0.5·(−0.10) = 0; net = −0.001.
    //   drift (1 + gross = 1): w0 = 0.5·1.1 = 0.55, w1 = 0.5·0.9 = 0.45.
    // date 1: scores 1,4,5,3,2; last = [1 (4), 0 (1)]; today = best 1+2−2 = 1 non-held → [2 (5)];
    //   comb = [2, 1, 0]; bottom 1 = {0} → sell {0}; buy first 1+2−2 = 1 → {2}; hold {1,2}.
    //   turnover |0−0.55| + |0.5−0.45| + |0.5−0| = 1.10 (1.0 without drift); gross = 0.5·0.02 + 0.5·0.04 = 0.03
    //   ({0,1} would earn 0.05, {0,2} 0.06); net = 0.03 − 0.0011 = 0.0289.
    //   drift (1.03): w1 = 0.51/1.03, w2 = 0.52/1.03.
    // date 2: scores 3,2,NaN,6,0.5 and asset 3's return is NaN (untradable, cannot be bought despite the best score).
    //   last = [1 (2), 2 (NaN, worst)]; one unscored held name, today = max(1,1)+2−2 = 1 → [0 (3)] (3 is excluded);
    //   comb = [0, 1, 2]; bottom 1 = {2} → sell {2}; buy {0}; hold {0,1}.
    //   turnover 0.5 + (0.5 − 0.51/1.03) + 0.52/1.03 = 1 + 0.01/1.03 ≈ 1.0097087; gross = 0.5·0.01 + 0.5·(−0.03) = −0.01
    //   ({1,2} would earn 0.02); net = −0.01 − 0.001·(1 + 0.01/1.03).
    //   drift (0.99): w0 = 0.505/0.99, w1 = 0.485/0.99 (sum 1).
    // date 3: scores NaN,NaN,1,2,1: both held names lost their score. last = [0, 1]; two unscored, today = max(1,2)+2−2 = 2
    //   → [3 (2), 2 (1, ties with 4, lower index first)]; comb = [3, 2, 0, 1]; bottom 1 = {1}, plus NaN-scored {0} →
    //   sell {0,1} (Qlib's bottom-nDrop rule alone would keep 0); buy first 2+2−2 = 2 → {3,2}; hold {2,3}.
    //   turnover = 1 (sell all drifted) + 1 (buy 0.5+0.5) = 2; gross = 0.5·0.05 + 0.5·(−0.01) = 0.02
    //   ({3,4} would earn 0.095, {0,3} −0.005); net = 0.02 − 0.002 = 0.018.
    private static readonly double[] TopkScores =
    [
        5, 4, 3, 2, 1,
        1, 4, 5, 3, 2,
        3, 2, N, 6, 0.5,
        N, N, 1, 2, 1,
    ];
    private static readonly double[] TopkReturns =
    [
        0.10, -0.10, 0.30, 0.00, 0.00,
        0.08, 0.02, 0.04, 0.00, 0.00,
        0.01, -0.03, 0.07, N, 0.00,
        0.00, 0.00, 0.05, -0.01, 0.20,
    ];

    [Test]
    public void TopkDropout_FourDateTrace_MatchesHandTrace()
    {
        var report = PortfolioAnalysis.TopkDropout(TopkScores, TopkReturns, dates: 4, assets: 5, topK: 2, nDrop: 1,
            costBps: 10, periodsPerYear: 252);

        var turnover2 = 1 + 0.01 / 1.03;
        Assert.That(report.Turnover, Is.EqualTo(new[] { 1.0, 1.1, turnover2, 2.0 }).Within(1e-12));
        Assert.That(report.GrossReturn, Is.EqualTo(new[] { 0.0, 0.03, -0.01, 0.02 }).Within(1e-12));
        Assert.That(report.NetReturn, Is.EqualTo(new[] { -0.001, 0.0289, -0.01 - 0.001 * turnover2, 0.018 }).Within(1e-12));
        Assert.That(report.MeanTurnover, Is.EqualTo((1.0 + 1.1 + turnover2 + 2.0) / 4).Within(1e-12));
        Assert.That(report.Name, Is.EqualTo("TopkDropout(topK=2, nDrop=1)"));
    }

    [Test]
    public void TopkDropout_Summaries_AreRiskFiguresOfNetReturn()
    {
        // net = −0.001, 0.0289, −0.0110097, 0.018: equity 0.999 is below the start, the deepest point is after date 2:
        // 0.999·1.0289·(1 − 0.0110097) ≈ 1.016549 vs peak 0.999·1.0289 = 1.0278711 → drawdown 0.0110097 (the date-2 loss).
        var report = PortfolioAnalysis.TopkDropout(TopkScores, TopkReturns, 4, 5, 2, 1, 10, 252);
        Assert.That(report.MaxDrawdown, Is.EqualTo(0.01 + 0.001 * (1 + 0.01 / 1.03)).Within(1e-12));
        Assert.That(report.AnnualisedReturn, Is.EqualTo(RiskFigures.AnnualisedReturn(report.NetReturn, 252)));
        Assert.That(report.Sharpe, Is.EqualTo(RiskFigures.Sharpe(report.NetReturn, 252)));
        Assert.That(report.AnnualisedVolatility, Is.EqualTo(RiskFigures.AnnualisedVolatility(report.NetReturn, 252)));
    }

    [Test]
    public void TopkDropout_HeldNameWithNaNReturn_EarnsZeroAndIsKept()
    {
        // topK = 1, nDrop = 1, A = 2. date 0: hold {0}, earns 0.10, turnover 1; drift w0 = 1·1.1/1.1 = 1.
        // date 1: asset 0 still scores best and stays held, but its return is NaN → gross 0, turnover |1 − 1| = 0.
        var report = PortfolioAnalysis.TopkDropout([2, 1, 2, 1], [0.10, 0.0, N, 0.05], 2, 2, topK: 1, nDrop: 1, costBps: 0, 252);
        Assert.That(report.GrossReturn, Is.EqualTo(new[] { 0.10, 0.0 }).Within(1e-12));
        Assert.That(report.Turnover, Is.EqualTo(new[] { 1.0, 0.0 }).Within(1e-12));
    }

    [Test]
    public void TopkDropout_ZeroDrop_KeepsHoldings()
    {
        // nDrop = 0: date 0 buys {0,1}; date 1 scores reverse, but nothing is dropped, so {0,1} earn 0.5·0.02 + 0.5·0.04.
        // (Qlib's comb[-0:] would sell every name.) Drifted weights 0.5·1.0/1.0 stay 0.5 → turnover 0.
        var report = PortfolioAnalysis.TopkDropout([3, 2, 1, 1, 2, 3], [0, 0, 0, 0.02, 0.04, 0.5], 2, 3, topK: 2, nDrop: 0,
            costBps: 0, 252);
        Assert.That(report.GrossReturn[1], Is.EqualTo(0.03).Within(1e-12));
        Assert.That(report.Turnover[1], Is.EqualTo(0.0).Within(1e-12));
    }

    [Test]
    public void TopkDropout_BadArguments_ThrowWithNumbers()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PortfolioAnalysis.TopkDropout(TopkScores, TopkReturns, 4, 5, 0, 0, 10, 252));
        Assert.Throws<ArgumentOutOfRangeException>(() => PortfolioAnalysis.TopkDropout(TopkScores, TopkReturns, 4, 5, 2, 3, 10, 252));
        Assert.Throws<ArgumentOutOfRangeException>(() => PortfolioAnalysis.TopkDropout(TopkScores, TopkReturns, 4, 5, 2, -1, 10, 252));
        Assert.Throws<ArgumentOutOfRangeException>(() => PortfolioAnalysis.TopkDropout(TopkScores, TopkReturns, 4, 5, 2, 1, -1, 252));
        Assert.Throws<ArgumentOutOfRangeException>(() => PortfolioAnalysis.TopkDropout(TopkScores, TopkReturns, 4, 5, 2, 1, 10, 0));
        var ex = Assert.Throws<ArgumentException>(() => PortfolioAnalysis.TopkDropout(TopkScores, TopkReturns[..19], 4, 5, 2, 1, 10, 252));
        Assert.That(ex!.Message, Does.Contain("19").And.Contain("20"));
        double[] infinite = (double[])TopkReturns.Clone();
        infinite[7] = double.PositiveInfinity;
        var inf = Assert.Throws<ArgumentException>(() => PortfolioAnalysis.TopkDropout(TopkScores, infinite, 4, 5, 2, 1, 10, 252));
        Assert.That(inf!.Message, Does.Contain("d=1, a=2"));
    }

    [Test]
    public void LongShortQuantile_TwoDates_MatchesHandTrace()
    {
        // quantile 0.4, costBps 10.
        // date 0: all 5 eligible, n = int(0.4·5) = 2: long {0,1} +0.25 each, short {3,4} −0.25 each; turnover 1.
        //   gross = 0.25(0.04+0.02) − 0.25(−0.01−0.03) = 0.025 = (top mean 0.03 − bottom mean −0.02)/2 (Qlib); net 0.024.
        //   drift (1.025): w0 = 0.26/1.025, w1 = 0.255/1.025, w3 = −0.2475/1.025, w4 = −0.2425/1.025.
        // date 1: asset 3 has no score; asset 4 has the worst score but no return (untradable, so it is not shorted) →
        //   eligible {0 (1), 1 (4), 2 (5)}, n = max(1, int(1.2)) = 1: long {2} +0.5, short {0} −0.5.
        //   gross = 0.5·0.03 − 0.5·0.01 = 0.01 (shorting 4, which earns 0, would give 0.015).
        //   turnover = (0.5 + 0.26/1.025) + 0.255/1.025 + 0.5 + 0.2475/1.025 + 0.2425/1.025 = 1 + 1.005/1.025 ≈ 1.980488.
        double[] scores = [5, 4, 3, 2, 1, /**/ 1, 4, 5, N, 0.5];
        double[] returns = [0.04, 0.02, 0.0, -0.01, -0.03, /**/ 0.01, 0.02, 0.03, 0.05, N];
        var report = PortfolioAnalysis.LongShortQuantile(scores, returns, 2, 5, quantile: 0.4, costBps: 10, periodsPerYear: 252);

        var turnover1 = 1 + 1.005 / 1.025;
        Assert.That(report.GrossReturn, Is.EqualTo(new[] { 0.025, 0.01 }).Within(1e-12));
        Assert.That(report.Turnover, Is.EqualTo(new[] { 1.0, turnover1 }).Within(1e-12));
        Assert.That(report.NetReturn, Is.EqualTo(new[] { 0.024, 0.01 - 0.001 * turnover1 }).Within(1e-12));
        Assert.Throws<ArgumentOutOfRangeException>(() => PortfolioAnalysis.LongShortQuantile(scores, returns, 2, 5, 0.6, 10, 252));
        Assert.Throws<ArgumentOutOfRangeException>(() => PortfolioAnalysis.LongShortQuantile(scores, returns, 2, 5, 0.0, 10, 252));
    }

    [Test]
    public void EqualWeightBenchmark_NaNReturn_IsLeftOut()
    {
        // costBps 5 → cost = turnover · 0.0005.
        // date 0: asset 2 untradable → 1/2, 1/2, 0; gross = 0.5·0.03 − 0.5·0.01 = 0.01; turnover 1; net 0.0095.
        //   drift (1.01): w0 = 0.515/1.01, w1 = 0.495/1.01 (both above 1/3).
        // date 1: 1/3 each; turnover = (w0 − 1/3) + (w1 − 1/3) + 1/3 = 1 − 1/3 = 2/3; gross = (0 + 0.03 + 0.06)/3 = 0.03.
        double[] returns = [0.03, -0.01, N, /**/ 0.0, 0.03, 0.06];
        var report = PortfolioAnalysis.EqualWeightBenchmark(returns, 2, 3, costBps: 5, periodsPerYear: 252);

        Assert.That(report.GrossReturn, Is.EqualTo(new[] { 0.01, 0.03 }).Within(1e-12));
        Assert.That(report.Turnover, Is.EqualTo(new[] { 1.0, 2.0 / 3 }).Within(1e-12));
        Assert.That(report.NetReturn, Is.EqualTo(new[] { 0.0095, 0.03 - 0.0005 * 2 / 3 }).Within(1e-12));
        Assert.That(report.MaxDrawdown, Is.EqualTo(0.0));                    // both net returns positive
        Assert.That(report.Name, Is.EqualTo("EqualWeight"));
    }
}
