using LeanModels.Models.Engine;
using LeanModels.Models.Engine.Kernels;
using LeanModels.Models.Engine.Optimizers;
using LeanModels.Models.Numerics;
using LeanModels.Models.Stockformer;

namespace LeanModels.Tests.Models.Stockformer;

/// <summary>Properties of the float Stockformer: masking, asset order, causality, determinism, batch independence,
/// non-crossing quantiles, allocation range, memorisation, named parameters.</summary>
public class StockformerModelTests
{
    // d = 32 with 2 heads: head width 16, so the float fused kernels (where the engine has them) are exercised
    private static readonly StockformerOptions Small = new(Lookback: 8, Features: 3, Model: 32, Heads: 2, Layers: 2, FeedForward: 64,
        Dropout: 0.1, VocabularySize: 7);

    private static StockformerOutput<float> Eval(StockformerModel<float> m, Tensor<float> x, bool[] available, int[] ids, ThreadTeam? team = null,
        bool allSteps = false)
    {
        var tape = new Tape<float>(training: false, recording: false, team: team);
        return m.Forward(tape, x, available, ids, crossTickerAttention: true, allSteps: allSteps);
    }

    private static float[] Heads(StockformerOutput<float> y) =>
        [.. y.Return!.Data, .. y.DirectionLogit!.Data, .. y.Allocation!.Data, .. y.Quantiles!.Data];

    // values of asset a of date b from every head (return, logit, allocation, 3 quantiles)
    private static float[] AssetOutputs(StockformerOutput<float> y, int b, int a, int assets) =>
        [y.Return!.Data[b * assets + a], y.DirectionLogit!.Data[b * assets + a], y.Allocation!.Data[b * assets + a],
         .. y.Quantiles!.Data.AsSpan((b * assets + a) * 3, 3).ToArray()];

    [Test]
    public void Options_Invalid_ThrowWithFieldAndValue()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => new StockformerOptions(Model: 30, Heads: 4).Validate())!.Message, Does.Contain("Model (d_model) = 30"));
        Assert.That(Assert.Throws<ArgumentException>(() => new StockformerOptions(Dropout: 1).Validate())!.Message, Does.Contain("Dropout = 1"));
        Assert.That(Assert.Throws<ArgumentException>(() => new StockformerOptions(ProbSparseFactor: 5).Validate())!.Message, Does.Contain("CausalTemporal"));
        Assert.That(Assert.Throws<ArgumentException>(() => new StockformerOptions(Distil: true).Validate())!.Message, Does.Contain("Distil"));
        Assert.That(Assert.Throws<ArgumentException>(() => new StockformerOptions(KernelSize: 5).Validate())!.Message, Does.Contain("KernelSize = 5"));
        Assert.That(Assert.Throws<ArgumentException>(() => new StockformerOptions(Outputs: StockformerHeads.None).Validate())!.Message, Does.Contain("Outputs"));
        Assert.DoesNotThrow(() => new StockformerOptions().Validate());
    }

    [Test]
    public void Forward_BadShapesIdsOrNaNInPresentBar_ThrowNamingThem()
    {
        var m = new StockformerModel<float>(Small, 1);
        var d = StockformerBatch<float>.Create(2, 2, 8, 4, 3);
        Assert.That(Assert.Throws<ArgumentException>(() => Eval(m, Tensor<float>.Zeros(2, 7, 4, 3), d.Available, d.Ids))!.Message,
            Does.Contain("model built for [B, T=8, A, F=3], got [2, 7, 4, 3]"));
        var ids = (int[])d.Ids.Clone();
        ids[5] = 7;
        Assert.That(Assert.Throws<ArgumentException>(() => Eval(m, d.X, d.Available, ids))!.Message, Does.Contain("assetIds[b=1, a=1] = 7"));
        var x = new Tensor<float>((float[])d.X.Data.Clone(), [2, 8, 4, 3]);
        x.Data[((1 * 8 + 3) * 4 + 2) * 3 + 1] = float.NaN;
        Assert.That(Assert.Throws<ArgumentException>(() => Eval(m, x, d.Available, d.Ids))!.Message, Does.Contain("x[b=1, t=3, a=2, f=1] = NaN"));
    }

    [Test]
    public void Quantiles_RandomModelsAndInputs_NeverCross_AllocationsWithinUnitRange()
    {
        // 20 seeds, features scaled up to ±30σ and head weights ×20 so the softplus offsets span tiny to huge values
        for (ulong seed = 1; seed <= 20; seed++)
        {
            var m = new StockformerModel<float>(Small with { Dropout = 0 }, seed);
            foreach (var p in m.Parameters().Where(p => p.Name.StartsWith("head_", StringComparison.Ordinal)))
                for (var i = 0; i < p.Value.Length; i++) p.Value.Data[i] *= 20;
            var d = StockformerBatch<float>.Create(seed + 100, 3, 8, 5, 3);
            for (var i = 0; i < d.X.Length; i++) d.X.Data[i] *= 1 + 29 * (float)(seed % 2);
            var y = Eval(m, d.X, d.Available, d.Ids);
            var q = y.Quantiles!.Data;
            for (var i = 0; i < 15; i++)
            {
                Assert.That(q[3 * i], Is.LessThanOrEqualTo(q[3 * i + 1]), $"seed {seed}, asset {i}: q0.1 > q0.5");
                Assert.That(q[3 * i + 1], Is.LessThanOrEqualTo(q[3 * i + 2]), $"seed {seed}, asset {i}: q0.5 > q0.9");
                Assert.That(y.Allocation!.Data[i], Is.InRange(-1f, 1f));
            }
        }
    }

    [Test]
    public void Masking_AbsentBarData_ChangesNothing_AndAssetAbsentThroughoutInfluencesNoOtherAsset()
    {
        var m = new StockformerModel<float>(Small, 3);
        var d = StockformerBatch<float>.Create(4, 2, 8, 5, 3);
        var available = (bool[])d.Available.Clone();
        for (var t = 0; t < 8; t++) available[(0 * 8 + t) * 5 + 2] = false;                  // asset 2 of date 0 absent throughout
        var y1 = Eval(m, d.X, available, d.Ids);

        // (a) other values in every absent bar (NaN, huge): nothing changes at all, bit for bit
        var x2 = new Tensor<float>((float[])d.X.Data.Clone(), [2, 8, 5, 3]);
        for (var r = 0; r < available.Length; r++)
            if (!available[r]) for (var f = 0; f < 3; f++) x2.Data[r * 3 + f] = f == 0 ? float.NaN : 1e6f * (r + f);
        Assert.That(Heads(Eval(m, x2, available, d.Ids)), Is.EqualTo(Heads(y1)));

        // (b) asset 2 of date 0 also gets another ticker row (its tokens change), yet no other asset's output moves, bit for bit
        var ids = (int[])d.Ids.Clone();
        ids[2] = 6;
        var y3 = Eval(m, x2, available, ids);
        for (var b = 0; b < 2; b++)
            for (var a = 0; a < 5; a++)
                if (!(b == 0 && a == 2)) Assert.That(AssetOutputs(y3, b, a, 5), Is.EqualTo(AssetOutputs(y1, b, a, 5)), $"date {b}, asset {a}");
        Assert.That(AssetOutputs(y3, 0, 2, 5), Is.Not.EqualTo(AssetOutputs(y1, 0, 2, 5)), "the absent asset's own (unused) outputs do change");
        Assert.That(y1.PredictionMask[2], Is.False);

        // (c) Predict gives NaN, never a number, for assets absent on the last date
        var p = m.Predict(d.X, available, d.Ids);
        Assert.That(float.IsNaN(p.Return![2]) && float.IsNaN(p.Quantiles![7]) && float.IsNaN(p.Allocation![4]), Is.True);
        Assert.That(p.Return!.Count(float.IsNaN), Is.EqualTo(2));                            // date 0: assets 2 and 4
    }

    [Test]
    public void Predict_WithOrWithoutAttentionMap_EqualsForwardBitForBit()
    {
        var m = new StockformerModel<float>(Small, 13);
        var d = StockformerBatch<float>.Create(14, 2, 8, 5, 3);
        var y = Eval(m, d.X, d.Available, d.Ids);
        var p1 = m.Predict(d.X, d.Available, d.Ids);
        var p2 = m.Predict(d.X, d.Available, d.Ids, crossTickerAttention: true);
        var mask = y.PredictionMask;
        Assert.That(p1.CrossTickerAttention, Is.Null);
        Assert.That(p2.CrossTickerAttention, Is.EqualTo(y.CrossTickerAttention));
        Assert.That(p2.Return, Is.EqualTo(p1.Return));
        Assert.That(p2.Quantiles, Is.EqualTo(p1.Quantiles));
        for (var i = 0; i < mask.Length; i++)
        {
            Assert.That(p1.Return![i], Is.EqualTo(mask[i] ? y.Return!.Data[i] : float.NaN));
            Assert.That(p1.Allocation![i], Is.EqualTo(mask[i] ? y.Allocation!.Data[i] : float.NaN));
            if (mask[i]) Assert.That(p1.UpProbability![i], Is.EqualTo(1f / (1f + MathF.Exp(-y.DirectionLogit!.Data[i]))));
        }
    }

    [Test]
    public void Permutation_OfAssets_PermutesEveryOutput()
    {
        // Per-asset work is row-wise and the cross-ticker softmax/P·V sums run over keys in the new order: float sums in another
        // order differ in the last bits, so the comparison allows 1e-5 (outputs are O(1)).
        var m = new StockformerModel<float>(Small, 5);
        const int b = 2, t = 8, a = 5, f = 3;
        var d = StockformerBatch<float>.Create(6, b, t, a, f);
        int[] perm = [3, 0, 4, 1, 2];                                                           // new asset j = old asset perm[j]
        var x = new float[d.X.Length];
        var avail = new bool[d.Available.Length];
        var ids = new int[d.Ids.Length];
        for (var bi = 0; bi < b; bi++)
            for (var j = 0; j < a; j++)
            {
                ids[bi * a + j] = d.Ids[bi * a + perm[j]];
                for (var ti = 0; ti < t; ti++)
                {
                    avail[(bi * t + ti) * a + j] = d.Available[(bi * t + ti) * a + perm[j]];
                    d.X.Data.AsSpan(((bi * t + ti) * a + perm[j]) * f, f).CopyTo(x.AsSpan(((bi * t + ti) * a + j) * f, f));
                }
            }
        var y1 = Eval(m, d.X, d.Available, d.Ids);
        var y2 = Eval(m, new Tensor<float>(x, [b, t, a, f]), avail, ids);
        var maxDiff = 0f;
        for (var bi = 0; bi < b; bi++)
            for (var j = 0; j < a; j++)
            {
                var o1 = AssetOutputs(y1, bi, perm[j], a);
                var o2 = AssetOutputs(y2, bi, j, a);
                Assert.That(o2, Is.EqualTo(o1).Within(1e-5f), $"date {bi}, new asset {j}");
                maxDiff = Math.Max(maxDiff, o1.Zip(o2, (u, v) => Math.Abs(u - v)).Max());
                for (var k = 0; k < a; k++)                                                    // the attention map is permuted too
                    Assert.That(y2.CrossTickerAttention![(bi * a + j) * a + k], Is.EqualTo(y1.CrossTickerAttention![(bi * a + perm[j]) * a + perm[k]]).Within(1e-6f));
            }
        TestContext.Out.WriteLine($"max |difference| after permuting: {maxDiff:G3}");
    }

    [Test]
    public void Causal_ChangingStepT_LeavesEarlierEncoderStatesBitIdentical()
    {
        var m = new StockformerModel<float>(Small, 7);
        var d = StockformerBatch<float>.Create(8, 2, 8, 4, 3);
        const int changed = 5;
        var y1 = Eval(m, d.X, d.Available, d.Ids, allSteps: true);
        var x2 = new Tensor<float>((float[])d.X.Data.Clone(), [2, 8, 4, 3]);
        for (var b = 0; b < 2; b++)
            for (var s = changed; s < 8; s++)                                                  // every step ≥ t, every asset
                for (var i = ((b * 8 + s) * 4) * 3; i < ((b * 8 + s + 1) * 4) * 3; i++) x2.Data[i] += 3;
        var y2 = Eval(m, x2, d.Available, d.Ids, allSteps: true);
        var h1 = y1.Encoded.Data;
        var h2 = y2.Encoded.Data;                                                              // [B, A, T, D]
        for (var b = 0; b < 2; b++)
            for (var a = 0; a < 4; a++)
            {
                var row = (b * 4 + a) * 8 * 32;
                Assert.That(h2.AsSpan(row, changed * 32).ToArray(), Is.EqualTo(h1.AsSpan(row, changed * 32).ToArray()), $"date {b}, asset {a}, steps < {changed}");
                Assert.That(h2.AsSpan(row + changed * 32, 32).ToArray(), Is.Not.EqualTo(h1.AsSpan(row + changed * 32, 32).ToArray()));
            }
    }

    [Test]
    public void LastStepOnly_GivesTheHeadsAndAttentionOfTheFullEncoder()
    {
        // The default Forward runs the last layer's cross-ticker and feed-forward blocks on the last step only; the heads and
        // the attention map must be those of the full encoder (double: to rounding, 1e-12; causal and non-causal).
        foreach (var causal in new[] { true, false })
        {
            var o = new StockformerOptions(Lookback: 6, Features: 3, Model: 8, Heads: 2, Layers: 2, FeedForward: 16, Dropout: 0,
                VocabularySize: 6, CausalTemporal: causal);
            var m = new StockformerModel<double>(o, 11);
            var d = StockformerBatch<double>.Create(5, 2, 6, 5, 3);
            StockformerOutput<double> Run(bool all) => m.Forward(new Tape<double>(false, recording: false), d.X, d.Available, d.Ids, true, all);
            var (full, last) = (Run(true), Run(false));
            foreach (var (x, y) in new[] { (full.Return!, last.Return!), (full.DirectionLogit!, last.DirectionLogit!), (full.Allocation!, last.Allocation!), (full.Quantiles!, last.Quantiles!) })
                Assert.That(y.Data, Is.EqualTo(x.Data).Within(1e-12), $"causal {causal}");
            Assert.That(last.CrossTickerAttention, Is.EqualTo(full.CrossTickerAttention).Within(1e-12));
            Assert.That(last.Encoded.Shape.ToArray(), Is.EqualTo(new[] { 2, 5, 1, 8 }));
            Assert.That(full.Encoded.Shape.ToArray(), Is.EqualTo(new[] { 2, 5, 6, 8 }));
        }
    }

    [Test]
    public void NonCausalOption_ChangingLaterStep_ChangesEarlierStates()
    {
        // the causal test above can fail: with CausalTemporal = false an earlier state sees the later change
        var m = new StockformerModel<float>(Small with { CausalTemporal = false }, 7);
        var d = StockformerBatch<float>.Create(8, 1, 8, 4, 3);
        var y1 = Eval(m, d.X, d.Available, d.Ids, allSteps: true);
        var x2 = new Tensor<float>((float[])d.X.Data.Clone(), [1, 8, 4, 3]);
        x2.Data[(7 * 4 + 1) * 3] += 3;
        var y2 = Eval(m, x2, d.Available, d.Ids, allSteps: true);
        Assert.That(y2.Encoded.Data.AsSpan(0, 32).ToArray(), Is.Not.EqualTo(y1.Encoded.Data.AsSpan(0, 32).ToArray()));
    }

    [Test]
    public void Determinism_SameSeed_SameParameters_AndTrainingAtOneAndTwoThreadsIsBitIdentical()
    {
        var p1 = new StockformerModel<float>(Small, 42).NamedParameters();
        var p2 = new StockformerModel<float>(Small, 42).NamedParameters();
        var p3 = new StockformerModel<float>(Small, 43).NamedParameters();
        Assert.That(p1.Select(p => p.Name), Is.EqualTo(p2.Select(p => p.Name)));
        for (var i = 0; i < p1.Count; i++) Assert.That(p1[i].Values, Is.EqualTo(p2[i].Values), p1[i].Name);
        Assert.That(p1.Zip(p3).Any(z => !z.First.Values.SequenceEqual(z.Second.Values)), Is.True, "another seed gives other weights");

        (float[] Weights, float[] Outputs) Train(ThreadTeam? team)
        {
            var m = new StockformerModel<float>(Small, 42);
            var d = StockformerBatch<float>.Create(9, 4, 8, 6, 3);
            var opt = new AdamW<float>(m.Parameters(), 1e-3);
            var rng = new Xoshiro256StarStar(10);
            for (var step = 0; step < 3; step++)
            {
                opt.ZeroGrad();
                using var t = new Tape<float>(true, rng, team: team, pool: new BufferPool<float>());
                var y = m.Forward(t, d.X, d.Available, d.Ids);
                var loss = t.Add(StockformerLosses.NegativeIC(t, y.Return!, d.Label, d.LastMask()), StockformerLosses.Pinball(t, y.Quantiles!, d.Label, d.LastMask()));
                t.Backward(loss);
                opt.Step(loss.Item());
            }
            var w = m.Parameters().SelectMany(p => p.Value.Data).ToArray();
            return (w, Heads(Eval(m, d.X, d.Available, d.Ids, team)));
        }
        var one = Train(null);
        using var team = new ThreadTeam(2);
        var two = Train(team);
        Assert.That(two.Weights, Is.EqualTo(one.Weights));
        Assert.That(two.Outputs, Is.EqualTo(one.Outputs));
    }

    [Test]
    public void Batch_OneDate_EqualsItsSliceOfFourDates()
    {
        // Not bit-exact: Gemm.Multiply picks its kernel by size (M·K·N ≤ 64³ → SmallGemm, else the packed Sgemm), and the
        // projections of 1 date (M = A·T = 40 rows) and of 4 dates (160 rows) fall on different sides, which sum K in a
        // different order. Each date's rows are still computed independently; measured max |difference| ≈ 1e-7 on O(0.1–1)
        // outputs, so 1e-5 is allowed (a leak between dates would move outputs by O(0.01–1)).
        var m = new StockformerModel<float>(Small, 11);
        var d = StockformerBatch<float>.Create(12, 4, 8, 5, 3);
        var y4 = Eval(m, d.X, d.Available, d.Ids);
        var maxDiff = 0f;
        for (var b = 0; b < 4; b++)
        {
            var x1 = new Tensor<float>(d.X.Data.AsSpan(b * 8 * 5 * 3, 8 * 5 * 3).ToArray(), [1, 8, 5, 3]);
            var y1 = Eval(m, x1, d.Available.AsSpan(b * 40, 40).ToArray(), d.Ids.AsSpan(b * 5, 5).ToArray());
            for (var a = 0; a < 5; a++)
            {
                var (o1, o4) = (AssetOutputs(y1, 0, a, 5), AssetOutputs(y4, b, a, 5));
                Assert.That(o1, Is.EqualTo(o4).Within(1e-5f), $"date {b}, asset {a}");
                maxDiff = Math.Max(maxDiff, o1.Zip(o4, (u, v) => Math.Abs(u - v)).Max());
            }
        }
        TestContext.Out.WriteLine($"max |B=1 − B=4 slice| = {maxDiff:G3}");
    }

    [Test]
    public void ProbSparseWithDistilling_Float_PredictIsRepeatable_AndAttentionMapCoversTheDistilledLastStep()
    {
        // T = 16, c = 1: u = ⌈ln 16⌉ = 3 of 16 queries attend in layer 0; distilling 16 → 8 steps for layer 1
        var m = new StockformerModel<float>(Small with { Lookback = 16, CausalTemporal = false, ProbSparseFactor = 1, Distil = true }, 17);
        var d = StockformerBatch<float>.Create(18, 2, 16, 5, 3);
        var p1 = m.Predict(d.X, d.Available, d.Ids, crossTickerAttention: true);
        var p2 = m.Predict(d.X, d.Available, d.Ids, crossTickerAttention: true);
        Assert.That(p2.Return, Is.EqualTo(p1.Return));
        Assert.That(p1.Return!.Count(float.IsNaN), Is.EqualTo(1));                            // date 0, asset 4 absent on the last step
        Assert.That(p1.Return!.Where(v => !float.IsNaN(v)).All(float.IsFinite), Is.True);
        for (var row = 0; row < 10; row++)
            Assert.That(p1.CrossTickerAttention!.AsSpan(row * 5, 5).ToArray().Sum(), Is.EqualTo(1f).Within(1e-5f));
        Assert.That(m.Forward(new Tape<float>(false, new Xoshiro256StarStar(1)), d.X, d.Available, d.Ids, allSteps: true).Encoded.Shape.ToArray(),
            Is.EqualTo(new[] { 2, 5, 8, 32 }));
        Assert.That(m.Forward(new Tape<float>(false, new Xoshiro256StarStar(1)), d.X, d.Available, d.Ids).Encoded.Shape.ToArray(),
            Is.EqualTo(new[] { 2, 5, 1, 32 }));
    }

    [Test]
    public void NamedParameters_RoundTrip_GivesIdenticalOutputs_AndMismatchIsRefused()
    {
        var source = new StockformerModel<float>(Small, 1);
        var target = new StockformerModel<float>(Small, 2);
        var named = source.NamedParameters();
        Assert.That(named.Select(n => n.Name).Distinct().Count(), Is.EqualTo(named.Count));
        Assert.That(named[0].Name, Is.EqualTo("embed.weight"));
        Assert.That(named[0].Shape, Is.EqualTo(new[] { 3, 4, 32 }));                           // [K, F+1, D]
        target.LoadNamedParameters(named);
        var d = StockformerBatch<float>.Create(3, 2, 8, 4, 3);
        Assert.That(Heads(Eval(target, d.X, d.Available, d.Ids)), Is.EqualTo(Heads(Eval(source, d.X, d.Available, d.Ids))));
        var bad = named.ToList();
        bad[1] = bad[1] with { Shape = [9, 32], Values = new float[288] };
        Assert.That(Assert.Throws<ArgumentException>(() => target.LoadNamedParameters(bad))!.Message, Does.Contain("entry 1 is 'embed.bias' [9, 32] with 288 values; expected 'embed.bias' [32]"));
    }

    [Test]
    public void Memorise_SmallSyntheticSet_MseFallsHundredfoldWithin150AdamWSteps()
    {
        // 8 dates × 6 assets; label = 0.5·x[T−1, a, 0] − 0.3·x[T−2, a, 1] + 0.2·mean_a x[T−1, ·, 2] (own recent bars and the
        // cross-section). No dropout, AdamW 3e-3, full batch, 150 steps. Measured 2026-12-07: MSE 0.96 → 9.4e-7 (×1e6).
        var options = new StockformerOptions(Lookback: 6, Features: 3, Model: 16, Heads: 2, Layers: 1, FeedForward: 32, Dropout: 0,
            VocabularySize: 7, Outputs: StockformerHeads.Return);
        var m = new StockformerModel<float>(options, 3);
        var d = StockformerBatch<float>.Create(21, 8, 6, 6, 3);
        var available = Enumerable.Repeat(true, d.Available.Length).ToArray();
        for (var i = 0; i < d.X.Length; i++) if (float.IsNaN(d.X.Data[i])) d.X.Data[i] = 0.5f;   // the batch's absent bars, now present
        var label = new float[8 * 6];
        for (var b = 0; b < 8; b++)
        {
            var mean = 0f;
            for (var a = 0; a < 6; a++) mean += d.X.Data[((b * 6 + 5) * 6 + a) * 3 + 2] / 6;
            for (var a = 0; a < 6; a++)
                label[b * 6 + a] = 0.5f * d.X.Data[((b * 6 + 5) * 6 + a) * 3] - 0.3f * d.X.Data[((b * 6 + 4) * 6 + a) * 3 + 1] + 0.2f * mean;
        }
        var mask = Enumerable.Repeat(true, 48).ToArray();
        var opt = new AdamW<float>(m.Parameters(), 3e-3, weightDecay: 0);
        float first = 0, last = 0;
        for (var step = 0; step < 150; step++)
        {
            opt.ZeroGrad();
            using var t = new Tape<float>(true, new Xoshiro256StarStar(1));
            var loss = StockformerLosses.Mse(t, m.Forward(t, d.X, available, d.Ids).Return!, label, mask);
            t.Backward(loss);
            last = loss.Item();
            if (step == 0) first = last;
            opt.Step(last);
        }
        TestContext.Out.WriteLine($"MSE {first:G4} → {last:G4} (×{first / last:F0}) in 150 steps");
        Assert.That(last, Is.LessThan(first / 100), $"MSE {first} → {last}");
    }
}
