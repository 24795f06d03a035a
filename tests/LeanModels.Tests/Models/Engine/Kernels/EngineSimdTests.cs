using LeanModels.Models.Engine;
using LeanModels.Models.Engine.Kernels;
using LeanModels.Models.Numerics;

namespace LeanModels.Tests.Models.Engine.Kernels;

/// <summary>
/// The SIMD tiers (<see cref="EngineSimd"/>) against each other on the main fused ops, forward and backward: every tier this
/// process supports (512, 256, scalar) is forced in turn and compared with the scalar tier within
/// <see cref="Atol"/> + <see cref="Rtol"/>·|scalar|. Bit-identity across tiers is not promised (vector exp vs
/// <see cref="MathF.Exp"/>, FMA grouping of row sums), bit-identity at 1 vs 2 threads within a tier is, and is tested here too.
/// Run the suite under <c>DOTNET_EnableAVX512=0</c> and <c>DOTNET_EnableHWIntrinsic=0</c> to check the detection itself.
/// </summary>
public class EngineSimdTests
{
    /// <summary>Absolute tolerance between tiers (values and gradients are O(1)–O(10) here; measured differences 2026-12-07 are
    /// listed beside each op's case in <see cref="Ops"/>).</summary>
    private const double Atol = 2e-5;

    /// <summary>Relative tolerance between tiers.</summary>
    private const double Rtol = 2e-5;

    private static readonly int[] Widths = [512, 256, 0];

    /// <summary>One op run forward and backward on fixed inputs; returns every output and gradient buffer, named.</summary>
    private delegate List<(string Name, float[] Values)> OpRun(ThreadTeam? team);

    private static IEnumerable<TestCaseData> Ops()
    {
        yield return new TestCaseData("attention (causal, dropout 0.1, Tk padded)", (OpRun)Attention);
        yield return new TestCaseData("attention across axis 1", (OpRun)AttentionAcross);
        yield return new TestCaseData("LSTM B=3 T=5 F=7 H=20", (OpRun)(t => Recurrent(false, t)));
        yield return new TestCaseData("GRU B=3 T=5 F=7 H=20", (OpRun)(t => Recurrent(true, t)));
        yield return new TestCaseData("LayerNorm C=48, 40, 13", (OpRun)LayerNorm);
        yield return new TestCaseData("Softmax C=50, LogSoftmax C=17", (OpRun)Softmax);
        yield return new TestCaseData("GELU, GeluDropout, BiasGeluDropout C=48, 40", (OpRun)Gelu);
    }

    [TestCaseSource(nameof(Ops))]
    public void Tiers_AgreeWithScalarWithinTolerance(string op, Delegate run)
    {
        var f = (OpRun)run;
        List<(string Name, float[] Values)> scalar;
        using (EngineSimd.Force(SimdTier.Scalar)) scalar = f(null);
        var compared = 0;
        foreach (var width in Widths)
        {
            var tier = (SimdTier)width;
            if (tier == SimdTier.Scalar || tier > EngineSimd.Detected) continue;
            List<(string Name, float[] Values)> got;
            using (EngineSimd.Force(tier)) got = f(null);
            for (var b = 0; b < scalar.Count; b++)
            {
                var (name, expected) = scalar[b];
                var actual = got[b].Values;
                double worst = double.NegativeInfinity, maxDiff = 0;
                var at = 0;
                for (var i = 0; i < expected.Length; i++)
                {
                    var diff = Math.Abs((double)actual[i] - expected[i]);
                    maxDiff = Math.Max(maxDiff, diff);
                    var excess = diff - (Atol + Rtol * Math.Abs(expected[i]));
                    if (excess > worst || double.IsNaN(excess)) (worst, at) = (double.IsNaN(excess) ? double.PositiveInfinity : excess, i);
                }
                TestContext.Out.WriteLine($"{op}, {name}: {tier} vs Scalar max |diff| {maxDiff:G3}");
                Assert.That(worst <= 0 || expected.Length == 0, Is.True,
                    $"{op}, {name}: {tier} vs Scalar at [{at}]: {actual[at]} vs {expected[at]}, beyond {Atol} + {Rtol}·|x|");
                Assert.That(expected.All(float.IsFinite), Is.True, $"{op}, {name}: non-finite values");
                compared++;
            }
        }
        if (compared == 0) Assert.Ignore($"only the scalar tier is available here ({EngineSimd.Detected}); nothing to compare");
    }

    [TestCaseSource(nameof(Ops))]
    public void EachTier_TwoThreads_BitIdenticalToOne(string op, Delegate run)
    {
        var f = (OpRun)run;
        foreach (var width in Widths)
        {
            var tier = (SimdTier)width;
            if (tier > EngineSimd.Detected) continue;
            using var scope = EngineSimd.Force(tier);
            var one = f(null);
            using var team = new ThreadTeam(2);
            var two = f(team);
            for (var b = 0; b < one.Count; b++)
                Assert.That(two[b].Values, Is.EqualTo(one[b].Values), $"{op}, {one[b].Name}, tier {tier}: 2 threads differ from 1");
        }
    }

    [Test]
    public void Force_TierAboveDetected_Throws()
    {
        if (EngineSimd.Detected == SimdTier.Vector512) Assert.Ignore("every tier is available here");
        Assert.That(() => EngineSimd.Force(SimdTier.Vector512), Throws.TypeOf<NotSupportedException>().With.Message.Contains("Vector512"));
    }

    [Test]
    public void Force_Dispose_RestoresTier()
    {
        var before = EngineSimd.Tier;
        using (EngineSimd.Force(SimdTier.Scalar)) Assert.That(EngineSimd.Tier, Is.EqualTo(SimdTier.Scalar));
        Assert.That(EngineSimd.Tier, Is.EqualTo(before));
    }

    // ───────────────────────────── the ops ─────────────────────────────

    private static Tensor<float> Input(ulong seed, params int[] shape) => Tensor<float>.Normal(new Xoshiro256StarStar(seed), 1.0, shape, requiresGrad: true);

    private static float[] Weights(ulong seed, int length) => Tensor<float>.Normal(new Xoshiro256StarStar(seed), 1.0, [length]).Data;

    private static Tape<float> NewTape(ThreadTeam? team) => new(true, new Xoshiro256StarStar(77), team: team);

    private static List<(string, float[])> Attention(ThreadTeam? team)
    {
        // B=3, T=21 (keys padded to 32), D=32, 2 heads of 16; causal mask; packed [B, T, 3D].
        const int b = 3, t = 21, d = 32;
        var qkv = Input(1, b, t, 3 * d);
        var mask = new bool[t * t];
        for (var i = 0; i < t; i++)
            for (var j = 0; j <= i; j++) mask[i * t + j] = true;
        var tape = NewTape(team);
        var y = tape.AttentionHeads(qkv, 2, mask, dropout: 0.1);
        tape.Backward(y, Weights(2, y.Length));
        return [("y", y.Data), ("dqkv", qkv.Grad!)];
    }

    private static List<(string, float[])> AttentionAcross(ThreadTeam? team)
    {
        // [N=2, S=6, I=5, 3D], D=32, 2 heads: attention over S at each (n, i).
        var qkv = Input(3, 2, 6, 5, 96);
        var tape = NewTape(team);
        var y = tape.AttentionHeadsAcross(qkv, 2, dropout: 0.1);
        tape.Backward(y, Weights(4, y.Length));
        return [("y", y.Data), ("dqkv", qkv.Grad!)];
    }

    private static List<(string, float[])> Recurrent(bool gru, ThreadTeam? team)
    {
        const int b = 3, t = 5, f = 7, h = 20;
        var g = gru ? 3 : 4;
        var x = Input(5, b, t, f);
        var wih = Input(6, f, g * h);
        var whh = Input(7, h, g * h);
        var bias = Input(8, g * h);
        var bhh = Input(9, g * h);
        foreach (var w in new[] { wih, whh, bias, bhh })
            for (var i = 0; i < w.Length; i++) w.Data[i] *= 0.3f;
        var tape = NewTape(team);
        var y = gru ? tape.GruSequence(x, wih, bias, whh, bhh) : tape.LstmSequence(x, wih, bias, whh);
        tape.Backward(y, Weights(10, y.Length));
        List<(string, float[])> r = [("y", y.Data), ("dx", x.Grad!), ("dWih", wih.Grad!), ("dWhh", whh.Grad!), ("db", bias.Grad!)];
        if (gru) r.Add(("dbhh", bhh.Grad!));
        return r;
    }

    private static List<(string, float[])> LayerNorm(ThreadTeam? team)
    {
        // C = 48 (16-lane rows), 40 (8-lane rows on both vector tiers), 13 (generic path); 2100 rows of 48 pass the parallel
        // minimum so two threads really split the rows.
        var result = new List<(string, float[])>();
        foreach (var (rows, c) in new[] { (2100, 48), (9, 40), (5, 13) })
        {
            var x = Input(11, rows, c);
            var gamma = Input(12, c);
            var beta = Input(13, c);
            var tape = NewTape(team);
            var y = tape.LayerNorm(x, gamma, beta);
            tape.Backward(y, Weights(14, y.Length));
            result.AddRange([($"y C={c}", y.Data), ($"dx C={c}", x.Grad!), ($"dγ C={c}", gamma.Grad!), ($"dβ C={c}", beta.Grad!)]);
        }
        return result;
    }

    private static List<(string, float[])> Softmax(ThreadTeam? team)
    {
        var x = Input(15, 7, 50);
        var z = Input(16, 4, 17);
        for (var i = 0; i < x.Length; i++) x.Data[i] *= 4f;
        var tape = NewTape(team);
        var y = tape.Softmax(x);
        tape.Backward(y, Weights(17, y.Length));
        var tape2 = NewTape(team);
        var l = tape2.LogSoftmax(z);
        tape2.Backward(l, Weights(18, l.Length));
        return [("softmax", y.Data), ("dx", x.Grad!), ("log-softmax", l.Data), ("dz", z.Grad!)];
    }

    private static List<(string, float[])> Gelu(ThreadTeam? team)
    {
        // 150,003 elements (above the parallel minimum, odd tail) for the element-wise ops; rows of 48 and 40 for the bias form.
        var x = Input(19, 150003);
        var tape = NewTape(team);
        var y = tape.Gelu(x);
        tape.Backward(y, Weights(20, y.Length));
        var x2 = Input(21, 150003);
        var tape2 = NewTape(team);
        var y2 = tape2.GeluDropout(x2, 0.1);
        tape2.Backward(y2, Weights(22, y2.Length));
        var result = new List<(string, float[])> { ("gelu", y.Data), ("dx", x.Grad!), ("gelu-dropout", y2.Data), ("dx2", x2.Grad!) };
        foreach (var c in new[] { 48, 40 })
        {
            var xb = Input(23, 3000, c);
            var bias = Input(24, c);
            var tape3 = NewTape(team);
            var y3 = tape3.BiasGeluDropout(xb, bias, 0.1);
            tape3.Backward(y3, Weights(25, y3.Length));
            result.AddRange([($"bias-gelu-dropout C={c}", y3.Data), ($"dx C={c}", xb.Grad!), ($"dbias C={c}", bias.Grad!)]);
        }
        return result;
    }
}
