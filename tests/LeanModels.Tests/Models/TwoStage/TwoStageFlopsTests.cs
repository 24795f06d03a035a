using LeanModels.Models.TwoStage;

namespace LeanModels.Tests.Models.TwoStage;

/// <summary>FLOPs and parameter counts of tiny configurations worked out by hand, and the counts against the built models.</summary>
public class TwoStageFlopsTests
{
    // T = 3, F = 2, D₁ = 4, 2 heads, L₁ = 1, d_ff = 8, E = 3, H = 5, TCN 2 levels of kernel 2
    private static readonly TwoStageOptions Tiny = new(Lookback: 3, Features: 2, StageOneWidth: 4, StageOneHeads: 2, StageOneLayers: 1,
        StageOneFeedForward: 8, Embedding: 3, Hidden: 5, TcnLevels: 2, TcnKernel: 2);

    [Test]
    public void TwoStage_TinyConfiguration_ByHand()
    {
        // A = 4. Stage 1 per day: tokens 4·3·4 = 48, market 2·4 = 8, projection 4·4·3 = 48, one layer:
        // 5·4·16 = 320 + 2·25·4 = 200 + 5·2·4·8 = 320 → 840; per day 944, × T = 3 → 2832 multiply-adds.
        // Stage 2 per asset, I = 2 + 3 + 1 = 6: LSTM 3·20·11 = 660, GRU 3·15·11 = 495,
        // TCN 3·(2·6·5 + 2·25 + 6·5) + 3·(2·25 + 2·25) = 420 + 300 = 720; head 5; × A = 4.
        Assert.That(TwoStageFlops.FlopsPerSample(Tiny, 4), Is.EqualTo(2 * (2832 + 4 * (660 + 5))));              // 10,984
        Assert.That(TwoStageFlops.FlopsPerSample(Tiny with { Family = TemporalFamily.Gru }, 4), Is.EqualTo(2 * (2832 + 4 * (495 + 5))));
        Assert.That(TwoStageFlops.FlopsPerSample(Tiny with { Family = TemporalFamily.Tcn }, 4), Is.EqualTo(2 * (2832 + 4 * (720 + 5))));
        // parameters: stage 1 = 16 + 12 + (16 + 80 + 76) + 8 + 15 = 223; LSTM 20·11 + 20 = 240; head 6
        Assert.That(TwoStageFlops.Parameters(Tiny), Is.EqualTo(223 + 240 + 6));
        Assert.That(TwoStageFlops.Parameters(Tiny with { FreezeStageOne = true }), Is.EqualTo(223 + 4 + 240 + 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => TwoStageFlops.FlopsPerSample(Tiny, 0));
        // training: end to end as the forward; frozen, stage 1 once per date (944 instead of 3 × 944)
        Assert.That(TwoStageFlops.TrainingFlopsPerSample(Tiny, 4), Is.EqualTo(2 * (2832 + 4 * (660 + 5))));
        Assert.That(TwoStageFlops.TrainingFlopsPerSample(Tiny with { FreezeStageOne = true }, 4), Is.EqualTo(2 * (944 + 4 * (660 + 5))));
    }

    [Test]
    public void Direct_TinyConfiguration_ByHand()
    {
        // N = 4, F = 2 → I = 12; T = 3, H = 5. LSTM 3·20·17 = 1020, GRU 3·15·17 = 765,
        // TCN 3·(2·12·5 + 2·25 + 12·5) + 3·(2·25 + 2·25) = 690 + 300 = 990; head 5·4 = 20.
        var o = new DirectOptions(Assets: 4, Lookback: 3, Features: 2, Hidden: 5, TcnLevels: 2, TcnKernel: 2);
        Assert.That(TwoStageFlops.FlopsPerSample(o), Is.EqualTo(2 * (1020 + 20)));
        Assert.That(TwoStageFlops.FlopsPerSample(o with { Family = TemporalFamily.Gru }), Is.EqualTo(2 * (765 + 20)));
        Assert.That(TwoStageFlops.FlopsPerSample(o with { Family = TemporalFamily.Tcn }), Is.EqualTo(2 * (990 + 20)));
        Assert.That(TwoStageFlops.Parameters(o), Is.EqualTo(20 * 17 + 20 + 5 * 4 + 4));                         // 384
    }

    [Test]
    public void ParameterCounts_EqualTheBuiltModels_ForEveryFamily()
    {
        foreach (var family in Enum.GetValues<TemporalFamily>())
        {
            foreach (var freeze in new[] { false, true })
            {
                var o = Tiny with { Family = family, FreezeStageOne = freeze };
                Assert.That(new TwoStageModel<double>(o, 1).ParameterCount, Is.EqualTo(TwoStageFlops.Parameters(o)), $"{family}, freeze {freeze}");
            }
            var dOpt = new DirectOptions(Assets: 4, Lookback: 3, Features: 2, Family: family, Hidden: 5, TcnLevels: 2, TcnKernel: 2);
            Assert.That(new DirectModel<double>(dOpt, 1).ParameterCount, Is.EqualTo(TwoStageFlops.Parameters(dOpt)), family.ToString());
            // a TCN whose first block keeps the width (I = H) has no 1×1 residual projection
            var same = new DirectOptions(Assets: 1, Lookback: 3, Features: 4, Family: family, Hidden: 5, TcnLevels: 2, TcnKernel: 2);
            Assert.That(new DirectModel<double>(same, 1).ParameterCount, Is.EqualTo(TwoStageFlops.Parameters(same)), $"{family}, I = H");
        }
    }

    [Test]
    public void Defaults_PrintedForTheReadme()
    {
        foreach (var family in Enum.GetValues<TemporalFamily>())
        {
            var o = new TwoStageOptions(Family: family);
            var d = new DirectOptions(Assets: 50, Family: family);
            TestContext.Out.WriteLine($"{family}: two-stage {TwoStageFlops.Parameters(o):N0} parameters, {TwoStageFlops.FlopsPerSample(o, 50):N0} FLOPs at A = 50, {TwoStageFlops.FlopsPerSample(o, 500):N0} at A = 500; direct N = 50: {TwoStageFlops.Parameters(d):N0} parameters, {TwoStageFlops.FlopsPerSample(d):N0} FLOPs; N = 500: {TwoStageFlops.Parameters(d with { Assets = 500 }):N0}, {TwoStageFlops.FlopsPerSample(d with { Assets = 500 }):N0}");
            Assert.That(TwoStageFlops.FlopsPerSample(o, 500), Is.GreaterThan(TwoStageFlops.FlopsPerSample(o, 50)));
        }
    }
}
