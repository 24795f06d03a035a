using LeanModels.Models.Engine;
using LeanModels.Models.Engine.Kernels;
using LeanModels.Models.Engine.Optimizers;
using LeanModels.Models.Numerics;
using LeanModels.Models.Stockformer;
using LeanModels.Models.TwoStage;
using LeanModels.Tests.Models.Stockformer;

namespace LeanModels.Tests.Models.TwoStage;

/// <summary>Properties of the float two-stage model: embedding shape and per-date locality, masking, asset order, the frozen
/// option, determinism, memorisation, validation, named parameters.</summary>
public class TwoStageModelTests
{
    // D₁ = 32 with 2 heads: head width 16, so the engine's fused float attention kernel runs; E = 32 (the default)
    private static readonly TwoStageOptions Small = new(Lookback: 8, Features: 3, StageOneWidth: 32, StageOneHeads: 2, StageOneLayers: 2,
        StageOneFeedForward: 64, Hidden: 16, TcnLevels: 2, TcnKernel: 3, Dropout: 0.1);

    private static TwoStageOutput<float> Eval(TwoStageModel<float> m, Tensor<float> x, bool[] available, ThreadTeam? team = null) =>
        m.Forward(new Tape<float>(training: false, recording: false, team: team), x, available);

    private static Tensor<float> Copy(Tensor<float> x) => new((float[])x.Data.Clone(), x.Shape.ToArray());

    // e[b, t, a, :] of a [B, T, A, E] embedding
    private static float[] Row(Tensor<float> e, int b, int t, int a)
    {
        int steps = e.Shape[1], assets = e.Shape[2], width = e.Shape[3];
        return e.Data.AsSpan(((b * steps + t) * assets + a) * width, width).ToArray();
    }

    [Test]
    public void Options_Invalid_ThrowWithFieldAndValue()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => new TwoStageOptions(StageOneWidth: 30, StageOneHeads: 4).Validate())!.Message,
            Does.Contain("StageOneWidth = 30; must be a positive multiple of StageOneHeads = 4"));
        Assert.That(Assert.Throws<ArgumentException>(() => new TwoStageOptions(Embedding: 0).Validate())!.Message, Does.Contain("Embedding = 0"));
        Assert.That(Assert.Throws<ArgumentException>(() => new TwoStageOptions(Family: (TemporalFamily)7).Validate())!.Message, Does.Contain("Family = 7"));
        Assert.That(Assert.Throws<ArgumentException>(() => new TwoStageOptions(TcnKernel: 1).Validate())!.Message, Does.Contain("TcnKernel = 1"));
        Assert.That(Assert.Throws<ArgumentException>(() => new TwoStageOptions(Dropout: 1).Validate())!.Message, Does.Contain("Dropout = 1"));
        Assert.That(Assert.Throws<ArgumentException>(() => new TwoStageModel<float>(new TwoStageOptions(Lookback: 0), 1))!.Message, Does.Contain("Lookback = 0"));
        Assert.That(Assert.Throws<ArgumentException>(() => new DirectOptions(Assets: 0).Validate())!.Message, Does.Contain("Assets = 0"));
        Assert.That(Assert.Throws<ArgumentException>(() => new DirectOptions(Assets: 5, Hidden: 0).Validate())!.Message, Does.Contain("Hidden = 0"));
        Assert.DoesNotThrow(() => new TwoStageOptions().Validate());
        Assert.That(new TwoStageOptions().Embedding, Is.EqualTo(32));
        Assert.That(new TwoStageOptions().FreezeStageOne, Is.False);
    }

    [Test]
    public void Forward_BadShapeOrNaNInPresentBar_ThrowsNamingIt_NaNInAbsentBarIsFine()
    {
        var m = new TwoStageModel<float>(Small, 1);
        var d = StockformerBatch<float>.Create(2, 2, 8, 4, 3);                       // NaN in every absent bar
        Assert.That(Assert.Throws<ArgumentException>(() => Eval(m, Tensor<float>.Zeros(2, 7, 4, 3), d.Available))!.Message,
            Does.Contain("model built for [B, T=8, A, F=3], got [2, 7, 4, 3]"));
        Assert.That(Assert.Throws<ArgumentException>(() => Eval(m, d.X, d.Available.AsSpan(1).ToArray()))!.Message,
            Does.Contain("available has 63 flags; expected [B=2, T=8, A=4] = 64"));
        var x = Copy(d.X);
        x.Data[((1 * 8 + 3) * 4 + 2) * 3 + 1] = float.NaN;
        Assert.That(Assert.Throws<ArgumentException>(() => Eval(m, x, d.Available))!.Message, Does.Contain("x[b=1, t=3, a=2, f=1] = NaN"));
        var y = Eval(m, d.X, d.Available);
        Assert.That(y.Return.Data.All(float.IsFinite) && y.Embedding!.Data.All(float.IsFinite), Is.True);
    }

    [Test]
    public void StageOneEmbedding_IsBTAx32_AndZeroInAbsentBars()
    {
        var m = new TwoStageModel<float>(Small, 2);
        var d = StockformerBatch<float>.Create(3, 2, 8, 5, 3);
        var e = Eval(m, d.X, d.Available).Embedding!;
        Assert.That(e.Shape.ToArray(), Is.EqualTo(new[] { 2, 8, 5, 32 }));
        for (var r = 0; r < d.Available.Length; r++)
            Assert.That(e.Data.AsSpan(r * 32, 32).ToArray().All(v => v == 0), Is.EqualTo(!d.Available[r]), $"bar {r}");
    }

    [Test]
    public void StageOneEmbedding_DependsOnlyOnItsOwnDate_BitForBit()
    {
        // change every feature of one (b, t) — another time step of the same window and another window — and only that date's
        // embeddings move
        var m = new TwoStageModel<float>(Small, 4);
        var d = StockformerBatch<float>.Create(5, 2, 8, 5, 3);
        var e1 = Eval(m, d.X, d.Available).Embedding!;
        foreach (var (cb, ct) in new[] { (0, 3), (1, 7), (1, 0) })
        {
            var x = Copy(d.X);
            for (var a = 0; a < 5; a++)
                for (var f = 0; f < 3; f++)
                {
                    var i = ((cb * 8 + ct) * 5 + a) * 3 + f;
                    if (d.Available[(cb * 8 + ct) * 5 + a]) x.Data[i] += 1.5f + f;
                }
            var e2 = Eval(m, x, d.Available).Embedding!;
            for (var b = 0; b < 2; b++)
                for (var t = 0; t < 8; t++)
                    for (var a = 0; a < 5; a++)
                    {
                        if (b == cb && t == ct)
                        {
                            if (d.Available[(b * 8 + t) * 5 + a])
                                Assert.That(Row(e2, b, t, a), Is.Not.EqualTo(Row(e1, b, t, a)), $"changed date ({b}, {t}), asset {a}");
                        }
                        else Assert.That(Row(e2, b, t, a), Is.EqualTo(Row(e1, b, t, a)), $"changed ({cb}, {ct}); date ({b}, {t}), asset {a}");
                    }
        }
    }

    [Test]
    public void AbsentAsset_ItsDataChangesNoOtherAssetsEmbeddingOrForecast_AndWhenPresentItWould()
    {
        var m = new TwoStageModel<float>(Small, 5);
        var d = StockformerBatch<float>.Create(6, 2, 8, 5, 3);
        var available = (bool[])d.Available.Clone();
        const int ab = 1, at = 4, aa = 2;                                           // asset 2 of window 1 absent on step 4
        available[(ab * 8 + at) * 5 + aa] = false;
        var x = Copy(d.X);
        x.Data.AsSpan(((ab * 8 + at) * 5 + aa) * 3, 3).Fill(0.25f);
        var y1 = Eval(m, x, available);
        var x2 = Copy(x);
        x2.Data[((ab * 8 + at) * 5 + aa) * 3] = float.NaN;
        x2.Data[((ab * 8 + at) * 5 + aa) * 3 + 1] = 1e6f;
        x2.Data[((ab * 8 + at) * 5 + aa) * 3 + 2] = -3f;
        var y2 = Eval(m, x2, available);
        Assert.That(y2.Embedding!.Data, Is.EqualTo(y1.Embedding!.Data), "every embedding, bit for bit");
        Assert.That(y2.Return.Data, Is.EqualTo(y1.Return.Data), "every forecast, bit for bit");

        // the control: the same change with the bar present moves the other assets' embeddings that day and their forecasts
        var present = (bool[])available.Clone();
        present[(ab * 8 + at) * 5 + aa] = true;
        x2.Data[((ab * 8 + at) * 5 + aa) * 3] = 2f;
        var y3 = Eval(m, x, present);
        var y4 = Eval(m, x2, present);
        for (var a = 0; a < 5; a++)
        {
            if (a == aa) continue;
            Assert.That(Row(y4.Embedding!, ab, at, a), Is.Not.EqualTo(Row(y3.Embedding!, ab, at, a)), $"asset {a} sees a present asset");
            Assert.That(y4.Return.Data[ab * 5 + a], Is.Not.EqualTo(y3.Return.Data[ab * 5 + a]));
        }
    }

    [Test]
    public void AbsentAsset_EqualsARemovedAsset_ForEveryOtherAsset()
    {
        // The key mask and the present-only market mean make an absent asset equivalent to no asset at all: the other assets'
        // embeddings and forecasts with asset 2 absent on steps 0–7 of window 0 equal those of the same panel without asset 2.
        // Not asserted bit for bit: the attention has one key fewer and the GEMMs other row counts, so sums may run in another
        // order (measured differences are printed).
        var m = new TwoStageModel<float>(Small, 6);
        var d = StockformerBatch<float>.Create(7, 1, 8, 5, 3);
        var available = Enumerable.Repeat(true, 8 * 5).ToArray();
        for (var t = 0; t < 8; t++) available[t * 5 + 2] = false;
        var x = Copy(d.X);
        for (var i = 0; i < x.Length; i++) if (float.IsNaN(x.Data[i])) x.Data[i] = 0.5f;
        var xr = new float[8 * 4 * 3];
        for (var t = 0; t < 8; t++)
            for (int a = 0, j = 0; a < 5; a++)
                if (a != 2) x.Data.AsSpan((t * 5 + a) * 3, 3).CopyTo(xr.AsSpan((t * 4 + j++) * 3, 3));
        var y1 = Eval(m, x, available);
        var y2 = Eval(m, new Tensor<float>(xr, [1, 8, 4, 3]), Enumerable.Repeat(true, 32).ToArray());
        double maxE = 0, maxR = 0;
        for (int a = 0, j = 0; a < 5; a++)
        {
            if (a == 2) continue;
            for (var t = 0; t < 8; t++)
            {
                var (r1, r2) = (Row(y1.Embedding!, 0, t, a), Row(y2.Embedding!, 0, t, j));
                Assert.That(r2, Is.EqualTo(r1).Within(1e-5f), $"asset {a}, step {t}");
                maxE = Math.Max(maxE, r1.Zip(r2, (u, v) => Math.Abs(u - v)).Max());
            }
            Assert.That(y2.Return.Data[j], Is.EqualTo(y1.Return.Data[a]).Within(1e-5f));
            maxR = Math.Max(maxR, Math.Abs(y2.Return.Data[j] - y1.Return.Data[a]));
            j++;
        }
        TestContext.Out.WriteLine($"absent vs removed: max |Δe| = {maxE:G3}, max |Δforecast| = {maxR:G3}");
    }

    [Test]
    public void Predict_IsNaNForAssetsAbsentOnTheLastDate_AndForwardElsewhere()
    {
        foreach (var family in Enum.GetValues<TemporalFamily>())
        {
            var m = new TwoStageModel<float>(Small with { Family = family }, 7);
            var d = StockformerBatch<float>.Create(8, 2, 8, 5, 3);                // date 0, asset 4 absent on the last step
            var y = Eval(m, d.X, d.Available);
            var p = m.Predict(d.X, d.Available);
            Assert.That(p.Batch, Is.EqualTo(2));
            Assert.That(p.Assets, Is.EqualTo(5));
            for (var i = 0; i < 10; i++)
                Assert.That(p.Return[i], Is.EqualTo(i == 4 ? float.NaN : y.Return.Data[i]), $"{family}, {i}");
            Assert.That(p.Available, Is.EqualTo(y.PredictionMask));
        }
    }

    [Test]
    public void Permutation_OfAssets_PermutesTheForecasts()
    {
        // no per-position parameter: any universe in any order. Float sums over the attention keys run in the new order, so 1e-5.
        var m = new TwoStageModel<float>(Small, 8);
        const int b = 2, t = 8, a = 5, f = 3;
        var d = StockformerBatch<float>.Create(9, b, t, a, f);
        int[] perm = [3, 0, 4, 1, 2];
        var x = new float[d.X.Length];
        var avail = new bool[d.Available.Length];
        for (var bi = 0; bi < b; bi++)
            for (var j = 0; j < a; j++)
                for (var ti = 0; ti < t; ti++)
                {
                    avail[(bi * t + ti) * a + j] = d.Available[(bi * t + ti) * a + perm[j]];
                    d.X.Data.AsSpan(((bi * t + ti) * a + perm[j]) * f, f).CopyTo(x.AsSpan(((bi * t + ti) * a + j) * f, f));
                }
        var p1 = m.Predict(d.X, d.Available);
        var p2 = m.Predict(new Tensor<float>(x, [b, t, a, f]), avail);
        for (var bi = 0; bi < b; bi++)
            for (var j = 0; j < a; j++)
                Assert.That(p2.Return[bi * a + j], Is.EqualTo(p1.Return[bi * a + perm[j]]).Within(1e-5f), $"date {bi}, new asset {j}");
    }

    [TestCase(false)]
    [TestCase(true)]
    public void ForwardWithEmbedding_OfEachDatesEmbedding_EqualsForward_AndShapesAreChecked(bool frozen)
    {
        // The frozen trainer's cache: EmbedDates of one date at a time, then stage 2 on the cached rows. It must give what
        // Forward gives on the whole window (evaluation mode), to float rounding.
        var m = new TwoStageModel<float>(Small with { FreezeStageOne = frozen }, 4);
        int b = 2, t = 8, a = 5, f = 3, e = Small.Embedding;
        var d = StockformerBatch<float>.Create(12, b, t, a, f);
        var reference = Eval(m, d.X, d.Available);
        var cached = new float[b * t * a * e];
        for (var bi = 0; bi < b; bi++)
            for (var ti = 0; ti < t; ti++)
            {
                var x1 = d.X.Data.AsSpan((bi * t + ti) * a * f, a * f).ToArray();
                var m1 = d.Available.AsSpan((bi * t + ti) * a, a).ToArray();
                var one = m.EmbedDates(new Tape<float>(training: false, recording: false), new Tensor<float>(x1, [1, a, f]), m1);
                Assert.That(one.Embedding.Shape.ToArray(), Is.EqualTo(new[] { 1, a, e }));
                Assert.That(one.Return is not null, Is.EqualTo(frozen), "the pretraining forecast exists only with the frozen option");
                one.Embedding.Data.AsSpan(0, a * e).CopyTo(cached.AsSpan((bi * t + ti) * a * e));
            }
        var y = m.ForwardWithEmbedding(new Tape<float>(training: false, recording: false), d.X, d.Available, new Tensor<float>(cached, [b, t, a, e]));
        Assert.That(y.PredictionMask, Is.EqualTo(reference.PredictionMask));
        for (var i = 0; i < y.Return.Length; i++)
            Assert.That(y.Return.Data[i], Is.EqualTo(reference.Return.Data[i]).Within(1e-5f), $"forecast {i}");
        for (var i = 0; i < cached.Length; i++)
            Assert.That(y.Embedding!.Data[i], Is.EqualTo(reference.Embedding!.Data[i]).Within(1e-5f), $"embedding {i}");
        Assert.That(y.Return.Data.Distinct().Count(), Is.GreaterThan(1));
        Assert.That(Assert.Throws<ArgumentException>(() => m.ForwardWithEmbedding(new Tape<float>(false), d.X, d.Available, Tensor<float>.Zeros(b, t, a, e - 1)))!.Message,
            Does.Contain($"expected [B=2, T=8, A=5, E={e}]"));
        Assert.That(Assert.Throws<ArgumentException>(() => m.EmbedDates(new Tape<float>(false), Tensor<float>.Zeros(2, 5, 4), new bool[10]))!.Message,
            Does.Contain("expected [B, A, F=3]"));
        var present = Array.IndexOf(d.Available, true);
        cached[present * e] = float.NaN;
        Assert.That(Assert.Throws<ArgumentException>(() => m.ForwardWithEmbedding(new Tape<float>(false), d.X, d.Available, new Tensor<float>(cached, [b, t, a, e])))!.Message,
            Does.Contain("NaN in a bar marked available"));
    }

    [Test]
    public void FrozenStageOne_TrainingLeavesStageOneBitIdentical_PretrainingTrainsIt()
    {
        var m = new TwoStageModel<float>(Small with { FreezeStageOne = true }, 9);
        var d = StockformerBatch<float>.Create(10, 4, 8, 6, 3);
        var trainable = m.TrainableParameters();
        Assert.That(trainable.Any(p => p.Name.StartsWith("stage1.", StringComparison.Ordinal)), Is.False);
        Assert.That(trainable.Count + m.StageOneParameters().Count, Is.EqualTo(m.Parameters().Count));
        var before = m.NamedParameters();
        var opt = new AdamW<float>(trainable, 1e-2);
        for (var step = 0; step < 2; step++)
        {
            opt.ZeroGrad();
            using var t = new Tape<float>(true, new Xoshiro256StarStar(1));
            var loss = StockformerLosses.Mse(t, m.Forward(t, d.X, d.Available).Return, d.Label, d.LastMask());
            t.Backward(loss);
            opt.Step(loss.Item());
        }
        var after = m.NamedParameters();
        for (var i = 0; i < after.Count; i++)
        {
            if (after[i].Name.StartsWith("stage1.", StringComparison.Ordinal))
                Assert.That(after[i].Values, Is.EqualTo(before[i].Values), after[i].Name);
            else if (after[i].Name.EndsWith("weight", StringComparison.Ordinal) || after[i].Name.EndsWith("weight_ih", StringComparison.Ordinal))
                Assert.That(after[i].Values, Is.Not.EqualTo(before[i].Values), after[i].Name);
        }
        Assert.That(m.StageOneParameters().All(p => p.Value.Grad!.All(g => g == 0)), Is.True, "no gradient reaches a frozen stage 1");

        // stage 1 first: the pretraining forecast trains stage 1 (and its head)
        var pre = new AdamW<float>(m.StageOneParameters(), 1e-2);
        using (var t = new Tape<float>(true, new Xoshiro256StarStar(2)))
        {
            var loss = StockformerLosses.Mse(t, m.ForwardStageOne(t, d.X, d.Available).Return!, d.Label, d.LastMask());
            t.Backward(loss);
            pre.Step(loss.Item());
        }
        Assert.That(m.NamedParameters()[0].Values, Is.Not.EqualTo(after[0].Values), "stage1.asset_token.weight moved");
        Assert.That(new TwoStageModel<float>(Small, 9).ForwardStageOne(new Tape<float>(false), d.X, d.Available).Return, Is.Null,
            "an end-to-end model has no pretraining head");
    }

    [TestCase(TemporalFamily.Lstm)]
    [TestCase(TemporalFamily.Gru)]
    [TestCase(TemporalFamily.Tcn)]
    public void Determinism_SameSeed_SameParameters_AndTrainingAtOneAndTwoThreadsIsBitIdentical(TemporalFamily family)
    {
        var options = Small with { Family = family };
        var p1 = new TwoStageModel<float>(options, 42).NamedParameters();
        var p2 = new TwoStageModel<float>(options, 42).NamedParameters();
        var p3 = new TwoStageModel<float>(options, 43).NamedParameters();
        for (var i = 0; i < p1.Count; i++) Assert.That(p1[i].Values, Is.EqualTo(p2[i].Values), p1[i].Name);
        Assert.That(p1.Zip(p3).Any(z => !z.First.Values.SequenceEqual(z.Second.Values)), Is.True, "another seed gives other weights");

        (float[] Weights, float[] Forecasts) Train(ThreadTeam? team)
        {
            var m = new TwoStageModel<float>(options, 42);
            var d = StockformerBatch<float>.Create(11, 4, 8, 6, 3);
            var opt = new AdamW<float>(m.TrainableParameters(), 1e-3);
            var rng = new Xoshiro256StarStar(10);
            for (var step = 0; step < 3; step++)
            {
                opt.ZeroGrad();
                using var t = new Tape<float>(true, rng, team: team, pool: new BufferPool<float>());
                var loss = StockformerLosses.Mse(t, m.Forward(t, d.X, d.Available).Return, d.Label, d.LastMask());
                t.Backward(loss);
                opt.Step(loss.Item());
            }
            return (m.Parameters().SelectMany(p => p.Value.Data).ToArray(), m.Predict(d.X, d.Available, team).Return);
        }
        var one = Train(null);
        using var team = new ThreadTeam(2);
        var two = Train(team);
        Assert.That(two.Weights, Is.EqualTo(one.Weights));
        Assert.That(two.Forecasts, Is.EqualTo(one.Forecasts));
        Assert.That(one.Weights, Is.Not.EqualTo(new TwoStageModel<float>(options, 42).Parameters().SelectMany(p => p.Value.Data).ToArray()), "training moved the weights");
    }

    [TestCase(TemporalFamily.Lstm)]
    [TestCase(TemporalFamily.Gru)]
    [TestCase(TemporalFamily.Tcn)]
    public void Memorise_SmallSyntheticSet_MseFallsHundredfold(TemporalFamily family)
    {
        // 8 dates × 6 assets; label = 0.5·x[T−1, a, 0] − 0.3·x[T−2, a, 1] + 0.2·mean_a x[T−1, ·, 2] (own recent bars and the
        // cross-section). No dropout, AdamW 3e-3, full batch, 200 steps.
        var options = new TwoStageOptions(Lookback: 6, Features: 3, StageOneWidth: 16, StageOneHeads: 2, StageOneLayers: 1, StageOneFeedForward: 32,
            Embedding: 8, Family: family, Hidden: 16, TcnLevels: 2, TcnKernel: 3, Dropout: 0);
        var m = new TwoStageModel<float>(options, 3);
        var (x, available, label) = MemorisationSet();
        var mask = Enumerable.Repeat(true, 48).ToArray();
        var opt = new AdamW<float>(m.Parameters(), 3e-3, weightDecay: 0);
        float first = 0, last = 0;
        for (var step = 0; step < 200; step++)
        {
            opt.ZeroGrad();
            using var t = new Tape<float>(true, new Xoshiro256StarStar(1));
            var loss = StockformerLosses.Mse(t, m.Forward(t, x, available).Return, label, mask);
            t.Backward(loss);
            last = loss.Item();
            if (step == 0) first = last;
            opt.Step(last);
        }
        TestContext.Out.WriteLine($"{family}: MSE {first:G4} → {last:G4} (×{first / last:F0}) in 200 steps");
        Assert.That(last, Is.LessThan(first / 100), $"MSE {first} → {last}");
    }

    /// <summary>8 windows × 6 assets × 6 steps × 3 features, all present, and the label of the memorisation tests.</summary>
    internal static (Tensor<float> X, bool[] Available, float[] Label) MemorisationSet()
    {
        var d = StockformerBatch<float>.Create(21, 8, 6, 6, 3);
        for (var i = 0; i < d.X.Length; i++) if (float.IsNaN(d.X.Data[i])) d.X.Data[i] = 0.5f;
        var label = new float[8 * 6];
        for (var b = 0; b < 8; b++)
        {
            var mean = 0f;
            for (var a = 0; a < 6; a++) mean += d.X.Data[((b * 6 + 5) * 6 + a) * 3 + 2] / 6;
            for (var a = 0; a < 6; a++)
                label[b * 6 + a] = 0.5f * d.X.Data[((b * 6 + 5) * 6 + a) * 3] - 0.3f * d.X.Data[((b * 6 + 4) * 6 + a) * 3 + 1] + 0.2f * mean;
        }
        return (d.X, Enumerable.Repeat(true, d.Available.Length).ToArray(), label);
    }

    [Test]
    public void NamedParameters_RoundTrip_GivesIdenticalForecasts_AndMismatchIsRefused()
    {
        var source = new TwoStageModel<float>(Small, 1);
        var target = new TwoStageModel<float>(Small, 2);
        var named = source.NamedParameters();
        Assert.That(named.Select(n => n.Name).Distinct().Count(), Is.EqualTo(named.Count));
        Assert.That(named[0].Name, Is.EqualTo("stage1.asset_token.weight"));
        Assert.That(named[0].Shape, Is.EqualTo(new[] { 4, 32 }));                          // [F+1, D₁]
        Assert.That(named.Single(n => n.Name == "stage2.lstm.weight_ih").Shape, Is.EqualTo(new[] { 3 + 32 + 1, 64 }));   // [F+E+1, 4H]
        target.LoadNamedParameters(named);
        var d = StockformerBatch<float>.Create(3, 2, 8, 4, 3);
        Assert.That(target.Predict(d.X, d.Available).Return, Is.EqualTo(source.Predict(d.X, d.Available).Return));
        var bad = named.ToList();
        bad[1] = bad[1] with { Shape = [9, 32], Values = new float[288] };
        Assert.That(Assert.Throws<ArgumentException>(() => target.LoadNamedParameters(bad))!.Message,
            Does.Contain("entry 1 is 'stage1.asset_token.bias' [9, 32] with 288 values; expected 'stage1.asset_token.bias' [32]"));
    }
}
