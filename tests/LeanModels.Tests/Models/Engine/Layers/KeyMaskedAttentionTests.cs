using LeanModels.Models.Engine;
using LeanModels.Models.Engine.Layers;
using LeanModels.Models.Numerics;
using static LeanModels.Tests.Models.Engine.EngineTestData;

namespace LeanModels.Tests.Models.Engine.Layers;

/// <summary>Per-batch-item masks in <see cref="Tape{T}.Attention(Tensor{T}, Tensor{T}, Tensor{T}, ReadOnlySpan{bool}, double, double)"/>
/// and the key-masked <see cref="MultiHeadAttention{T}"/> forms (absent keys excluded, a query always sees itself).</summary>
public class KeyMaskedAttentionTests
{
    private static Tensor<double>[] With(Tensor<double> x, Module<double> m) => [x, .. m.Parameters().Select(p => p.Value)];

    private static MultiHeadAttention<double> Layer(double dropout)
    {
        var layer = new MultiHeadAttention<double>(4, 2, dropout, new Xoshiro256StarStar(1));
        foreach (var p in layer.Parameters().Where(p => !p.Decay)) Init.Normal<double>(p.Value.Data, 0.3, new Xoshiro256StarStar(9));   // non-zero biases
        return layer;
    }

    [Test]
    public void Attention_PerBatchMaskWithDropout_MatchesFiniteDifferences()
    {
        // [B=2, Tq=3, Tk=3]: item 0 causal, item 1 a key mask (key 1 absent except for query 1 itself)
        bool[] mask = [true, false, false, true, true, false, true, true, true,
                       true, false, true, false, true, false, true, false, true];
        var q = Normal(1, 2, 3, 4);
        var k = Normal(2, 2, 3, 4);
        var v = Normal(3, 2, 3, 2);
        AssertGradCheck(t => t.Attention(q, k, v, mask, dropout: 0.2), q, k, v);
    }

    [Test]
    public void Attention_PerBatchMask_EqualsEachItemWithItsSharedMask()
    {
        bool[] m0 = [true, false, true, true], m1 = [true, true, false, true];
        var q = Normal(1, 2, 2, 3);
        var k = Normal(2, 2, 2, 3);
        var v = Normal(3, 2, 2, 3);
        var both = new Tape<double>(training: false).Attention(q, k, v, [.. m0, .. m1]).Data;
        for (var b = 0; b < 2; b++)
        {
            var t = new Tape<double>(training: false);
            var one = t.Attention(t.Slice(q, 0, b, 1), t.Slice(k, 0, b, 1), t.Slice(v, 0, b, 1), b == 0 ? m0 : m1).Data;
            Assert.That(both.AsSpan(b * 6, 6).ToArray(), Is.EqualTo(one), $"batch item {b}");
        }
    }

    [Test]
    public void Attention_PerBatchMaskRowWithoutKey_ThrowsNamingItemAndRow()
    {
        var q = Normal(1, 2, 2, 3);
        var ex = Assert.Throws<ArgumentException>(() => new Tape<double>().Attention(q, q, q, [true, false, true, true, true, true, false, false]));
        Assert.That(ex!.Message, Does.Contain("batch item 1, row 1"));
    }

    [Test]
    public void Forward_CausalWithKeyMaskAndDropout_GradCheck()
    {
        var layer = Layer(0.2);
        var x = Normal(4, 2, 4, 4);                                                             // [B=2, T=4, D=4]
        bool[] causal = [true, false, false, false, true, true, false, false, true, true, true, false, true, true, true, true];
        bool[] present = [false, true, true, false, true, true, true, true];                    // [B, T]: item 0 misses steps 0 and 3
        AssertGradCheck(t => layer.Forward(t, x, causal, present), With(x, layer));
    }

    [Test]
    public void ForwardAcross_KeyMaskAndDropout_GradCheck()
    {
        var layer = Layer(0.2);
        var x = Normal(4, 2, 3, 2, 4);                                                          // [N=2, S=3, I=2, D=4]
        bool[] present = [true, false, true, false, false, false, true, true, true, true, true, false];   // [N, I, S]; problem 1 has no key
        AssertGradCheck(t => layer.ForwardAcross(t, x, default, present), With(x, layer));
    }

    [Test]
    public void ForwardAcross_AbsentKey_ChangesNoOtherRowAndGetsZeroWeight()
    {
        var layer = Layer(0);
        var x = Normal(4, 1, 4, 2, 4);                                                          // [N=1, S=4, I=2, D=4]
        bool[] present = [true, true, false, true, true, true, true, true];                     // row 2 absent in problem i = 0
        var t1 = new Tape<double>(training: false);
        var y1 = layer.ForwardAcross(t1, x, default, present, out var w);
        var x2 = new Tensor<double>((double[])x.Data.Clone(), [1, 4, 2, 4]);
        for (var d = 0; d < 4; d++) x2.Data[(2 * 2 + 0) * 4 + d] += 5;                          // x[0, 2, 0, :] changes
        var y2 = layer.ForwardAcross(new Tape<double>(training: false), x2, default, present);
        for (var s = 0; s < 4; s++)
            for (var i = 0; i < 2; i++)
            {
                var row = y1.Data.AsSpan((s * 2 + i) * 4, 4).ToArray();
                var row2 = y2.Data.AsSpan((s * 2 + i) * 4, 4).ToArray();
                if (s == 2 && i == 0) Assert.That(row2, Is.Not.EqualTo(row), "the absent row still attends to itself");
                else Assert.That(row2, Is.EqualTo(row), $"row s={s}, i={i}");
            }
        Assert.That(w.Shape.ToArray(), Is.EqualTo(new[] { 1, 2, 2, 4, 4 }));                    // [N, I, K, S, S]
        for (var h = 0; h < 2; h++)
            for (var s = 0; s < 4; s++)
            {
                var row = w.Data.AsSpan(((0 * 2 + h) * 4 + s) * 4, 4);
                Assert.That(row.ToArray().Sum(), Is.EqualTo(1.0).Within(1e-12));
                if (s != 2) Assert.That(row[2], Is.EqualTo(0.0), $"head {h}, query {s} must not see the absent key");
            }
    }

    [Test]
    public void ForwardAcross_AllKeysPresent_EqualsUnmaskedForm()
    {
        var layer = Layer(0);
        var x = Normal(4, 2, 3, 2, 4);
        var masked = layer.ForwardAcross(new Tape<double>(training: false), x, default, Enumerable.Repeat(true, 12).ToArray()).Data;
        var plain = layer.ForwardAcross(new Tape<double>(training: false), x).Data;
        Assert.That(masked, Is.EqualTo(plain).Within(1e-14));
    }

    [Test]
    public void Forward_KeyMaskInProbSparseModeOrFalseDiagonal_Throws()
    {
        var sparse = new MultiHeadAttention<double>(4, 2, 0, new Xoshiro256StarStar(1), probSparseFactor: 5);
        var x = Normal(4, 1, 3, 4);
        Assert.Throws<ArgumentException>(() => sparse.Forward(new Tape<double>(rng: new Xoshiro256StarStar(2)), x, ReadOnlySpan<bool>.Empty, [true, true, true]));
        var full = Layer(0);
        var ex = Assert.Throws<ArgumentException>(() => full.Forward(new Tape<double>(), x, [false, true, true, true, true, true, true, true, true], [true, true, true]));
        Assert.That(ex!.Message, Does.Contain("query 0"));
    }

    [Test]
    public void AttentionHeadsAcross_FloatFusedPerProblemMask_MatchesDoubleComposed_ValuesAndGradients()
    {
        // [N=2, S=5, I=3, 3D=96], 2 heads of width 16 (the fused kernel in float), one random [S, S] mask per problem (diagonal
        // true); double runs the composed path. Outputs and input gradients agree within float rounding.
        const int n = 2, s = 5, inner = 3, d = 32;
        var rng = new Xoshiro256StarStar(31);
        var mask = new bool[n * inner * s * s];
        for (var i = 0; i < mask.Length; i++) mask[i] = i / s % s == i % s || rng.NextDouble() < 0.6;
        var xd = Tensor<double>.Normal(rng, 1.0, [n, s, inner, 3 * d], requiresGrad: true);
        var xf = new Tensor<float>(xd.Data.Select(v => (float)v).ToArray(), [n, s, inner, 3 * d], requiresGrad: true);
        var seed = Enumerable.Range(0, n * s * inner * d).Select(i => Math.Sin(i)).ToArray();
        var td = new Tape<double>(training: false);
        var yd = td.AttentionHeadsAcross(xd, 2, mask, 0, out var wd);
        td.Backward(yd, seed);
        var tf = new Tape<float>(training: false);
        var yf = tf.AttentionHeadsAcross(xf, 2, mask, 0, out var wf);
        tf.Backward(yf, seed.Select(v => (float)v).ToArray());
        Assert.That(yf.Data.Select(v => (double)v), Is.EqualTo(yd.Data).Within(1e-5));
        Assert.That(xf.Grad!.Select(v => (double)v), Is.EqualTo(xd.Grad!).Within(1e-4));
        Assert.That(wf.Data.Select(v => (double)v), Is.EqualTo(wd.Data).Within(1e-6));
        for (var pr = 0; pr < n * inner; pr++)                                                  // masked keys get exactly 0 in every head
            for (var h = 0; h < 2; h++)
                for (var i = 0; i < s * s; i++)
                    if (!mask[pr * s * s + i]) Assert.That(wf.Data[(pr * 2 + h) * s * s + i], Is.EqualTo(0f));
        var plain = new Tape<float>(training: false).AttentionHeadsAcross(xf, 2, mask, 0).Data;
        Assert.That(plain, Is.EqualTo(yf.Data), "asking for the weights changes no output bit");
    }
}
