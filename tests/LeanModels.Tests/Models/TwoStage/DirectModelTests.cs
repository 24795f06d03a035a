using LeanModels.Models.Engine;
using LeanModels.Models.Engine.Kernels;
using LeanModels.Models.Engine.Optimizers;
using LeanModels.Models.Numerics;
using LeanModels.Models.Stockformer;
using LeanModels.Models.TwoStage;
using LeanModels.Tests.Models.Stockformer;

namespace LeanModels.Tests.Models.TwoStage;

/// <summary>Properties of the float direct model (the seed's traditional approach): the fixed universe, masking, determinism,
/// memorisation, named parameters.</summary>
public class DirectModelTests
{
    private static readonly DirectOptions Small = new(Assets: 5, Lookback: 8, Features: 3, Hidden: 16, TcnLevels: 2, TcnKernel: 3, Dropout: 0.1);

    [Test]
    public void Forward_OtherUniverseSizeOrNaNInPresentBar_ThrowsNamingIt()
    {
        var m = new DirectModel<float>(Small, 1);
        var d = StockformerBatch<float>.Create(2, 2, 8, 6, 3);
        Assert.That(Assert.Throws<ArgumentException>(() => m.Predict(d.X, d.Available))!.Message,
            Does.Contain("fixed universe of N = 5 assets, got x [2, 8, 6, 3] with A = 6"));
        var d5 = StockformerBatch<float>.Create(2, 2, 8, 5, 3);
        var x = new Tensor<float>((float[])d5.X.Data.Clone(), [2, 8, 5, 3]);
        x.Data[((0 * 8 + 1) * 5 + 3) * 3 + 2] = float.PositiveInfinity;
        Assert.That(Assert.Throws<ArgumentException>(() => m.Predict(x, d5.Available))!.Message, Does.Contain("x[b=0, t=1, a=3, f=2] = Infinity"));
    }

    [Test]
    public void Predict_NaNForAssetsAbsentOnTheLastDate_AbsentBarDataChangesNothing()
    {
        foreach (var family in Enum.GetValues<TemporalFamily>())
        {
            var m = new DirectModel<float>(Small with { Family = family }, 2);
            var d = StockformerBatch<float>.Create(3, 2, 8, 5, 3);                  // NaN in absent bars; date 0, asset 4 absent last
            var p = m.Predict(d.X, d.Available);
            Assert.That(p.Return.Select((v, i) => float.IsNaN(v) ? i : -1).Where(i => i >= 0), Is.EqualTo(new[] { 4 }), family.ToString());
            var x = new Tensor<float>((float[])d.X.Data.Clone(), [2, 8, 5, 3]);
            for (var i = 0; i < x.Length; i++) if (float.IsNaN(x.Data[i])) x.Data[i] = 1e6f;
            Assert.That(m.Predict(x, d.Available).Return, Is.EqualTo(p.Return), family.ToString());
        }
    }

    [TestCase(TemporalFamily.Lstm)]
    [TestCase(TemporalFamily.Gru)]
    [TestCase(TemporalFamily.Tcn)]
    public void Determinism_SameSeed_SameParameters_AndTrainingAtOneAndTwoThreadsIsBitIdentical(TemporalFamily family)
    {
        var options = Small with { Family = family };
        var p1 = new DirectModel<float>(options, 42).NamedParameters();
        var p2 = new DirectModel<float>(options, 42).NamedParameters();
        for (var i = 0; i < p1.Count; i++) Assert.That(p1[i].Values, Is.EqualTo(p2[i].Values), p1[i].Name);
        Assert.That(new DirectModel<float>(options, 43).NamedParameters()[0].Values, Is.Not.EqualTo(p1[0].Values));

        (float[] Weights, float[] Forecasts) Train(ThreadTeam? team)
        {
            var m = new DirectModel<float>(options, 42);
            var d = StockformerBatch<float>.Create(11, 4, 8, 5, 3);
            var opt = new AdamW<float>(m.Parameters(), 1e-3);
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
    }

    [TestCase(TemporalFamily.Lstm)]
    [TestCase(TemporalFamily.Gru)]
    [TestCase(TemporalFamily.Tcn)]
    public void Memorise_SmallSyntheticSet_MseFallsHundredfold(TemporalFamily family)
    {
        // the two-stage memorisation set (8 windows × 6 assets), N = 6; no dropout, AdamW 3e-3, full batch, 200 steps
        var m = new DirectModel<float>(new DirectOptions(Assets: 6, Lookback: 6, Features: 3, Family: family, Hidden: 32, TcnLevels: 2,
            TcnKernel: 3, Dropout: 0), 3);
        var (x, available, label) = TwoStageModelTests.MemorisationSet();
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

    [Test]
    public void NamedParameters_RoundTrip_GivesIdenticalForecasts()
    {
        var source = new DirectModel<float>(Small, 1);
        var target = new DirectModel<float>(Small, 2);
        var named = source.NamedParameters();
        Assert.That(named.Select(n => n.Name), Is.EqualTo(new[] { "temporal.lstm.weight_ih", "temporal.lstm.weight_hh", "temporal.lstm.bias", "head.weight", "head.bias" }));
        Assert.That(named[0].Shape, Is.EqualTo(new[] { 5 * 4, 64 }));                        // [N·(F+1), 4H]
        Assert.That(named[3].Shape, Is.EqualTo(new[] { 16, 5 }));                            // [H, N]
        target.LoadNamedParameters(named);
        var d = StockformerBatch<float>.Create(3, 2, 8, 5, 3);
        Assert.That(target.Predict(d.X, d.Available).Return, Is.EqualTo(source.Predict(d.X, d.Available).Return));
        Assert.That(Assert.Throws<ArgumentException>(() => target.LoadNamedParameters(named.Take(4).ToList()))!.Message,
            Does.Contain("got 4 tensors; this model has 5 parameters"));
    }
}
