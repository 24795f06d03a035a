using LeanModels.Models.Engine;
using LeanModels.Models.Engine.Kernels;
using LeanModels.Models.Numerics;

namespace LeanModels.Tests.Models.Engine.Kernels;

/// <summary>The fused float multi-head attention (<c>Tape.AttentionHeads</c> → <see cref="AttentionKernel"/>) against
/// the composed path it replaces (split heads, <see cref="Tape{T}.Attention(Tensor{T}, Tensor{T}, Tensor{T}, ReadOnlySpan{bool}, double, double)"/>,
/// merge), which is gradchecked in double elsewhere.</summary>
public class AttentionKernelTests
{
    private sealed record Run(float[] Y, float[] Gq, float[] Gk, float[] Gv);

    private static Tensor<float> Input(ulong seed, params int[] shape) => Tensor<float>.Normal(new Xoshiro256StarStar(seed), 1.0, shape, requiresGrad: true);

    /// <summary>Forward + backward of one attention call with a fixed random upstream gradient; fused or composed.</summary>
    private static Run Attend(bool fused, int b, int tq, int tk, int d, int heads, bool[]? mask, double dropout, ThreadTeam? team = null)
    {
        var q = Input(1, b, tq, d);
        var k = Input(2, b, tk, d);
        var v = Input(3, b, tk, d);
        using var tape = new Tape<float>(training: true, rng: new Xoshiro256StarStar(99), team: team);
        Tensor<float> y;
        if (fused) y = tape.AttentionHeads(q, k, v, heads, mask, dropout);
        else
        {
            var dh = d / heads;
            Tensor<float> Split(Tensor<float> x, int t) => tape.Reshape(tape.Permute(tape.Reshape(x, b, t, heads, dh), 0, 2, 1, 3), b * heads, t, dh);
            var o = tape.Attention(Split(q, tq), Split(k, tk), Split(v, tk), mask, dropout);
            y = tape.Reshape(tape.Permute(tape.Reshape(o, b, heads, tq, dh), 0, 2, 1, 3), b, tq, d);
        }
        var seed = Tensor<float>.Normal(new Xoshiro256StarStar(4), 1.0, [y.Length]);
        tape.Backward(y, seed.Data);
        return new Run((float[])y.Data.Clone(), q.Grad!, k.Grad!, v.Grad!);
    }

    private static void AssertClose(float[] actual, float[] expected, string what)
    {
        // float32 sums of ≤ 64 products of O(1) values, different association and exp implementations: |Δ| ≤ 2e-5·(1 + |x|).
        Assert.That(actual.Length, Is.EqualTo(expected.Length), what);
        for (var i = 0; i < actual.Length; i++)
            Assert.That(actual[i], Is.EqualTo(expected[i]).Within(2e-5 * (1 + Math.Abs(expected[i]))), $"{what}[{i}]");
    }

    private static void AssertSame(Run fused, Run composed)
    {
        AssertClose(fused.Y, composed.Y, "y");
        AssertClose(fused.Gq, composed.Gq, "dq");
        AssertClose(fused.Gk, composed.Gk, "dk");
        AssertClose(fused.Gv, composed.Gv, "dv");
    }

    [Test]
    public void AttentionHeads_TemporalShapeWithDropout_MatchesComposedPath()
    {
        // The Stockformer's temporal attention shape (T = 64, 4 heads of 16), dropout 0.1: both paths draw one seed from the
        // same generator state and index the mask by (problem, i, j), so they drop the same weights.
        AssertSame(Attend(true, 3, 64, 64, 64, 4, null, 0.1), Attend(false, 3, 64, 64, 64, 4, null, 0.1));
    }

    [Test]
    public void AttentionHeads_CrossAssetShape_MatchesComposedPath() =>
        AssertSame(Attend(true, 5, 16, 16, 64, 4, null, 0.0), Attend(false, 5, 16, 16, 64, 4, null, 0.0));

    [Test]
    public void AttentionHeads_CausalMaskOddLengthsWideHeads_MatchesComposedPath()
    {
        // Tq = Tk = 21 (a padded last key block), head width 32 (the 4×32 tile), causal mask, dropout.
        const int t = 21;
        var mask = new bool[t * t];
        for (var i = 0; i < t; i++)
            for (var j = 0; j <= i; j++) mask[i * t + j] = true;
        AssertSame(Attend(true, 2, t, t, 64, 2, mask, 0.2), Attend(false, 2, t, t, 64, 2, mask, 0.2));
    }

    [Test]
    public void AttentionHeads_CrossAttentionDifferentLengths_MatchesComposedPath() =>
        AssertSame(Attend(true, 2, 7, 37, 48, 3, null, 0.0), Attend(false, 2, 7, 37, 48, 3, null, 0.0));

    [Test]
    public void AttentionHeadsPacked_CausalWithDropout_MatchesComposedOnSlices()
    {
        // q, k, v as column blocks of one [B, T, 3D] projection (row stride 3D) against the composed path on sliced copies.
        const int b = 2, t = 19, d = 32, heads = 2;
        var mask = new bool[t * t];
        for (var i = 0; i < t; i++)
            for (var j = 0; j <= i; j++) mask[i * t + j] = true;
        (float[] Y, float[] G) Run(bool fused)
        {
            var qkv = Input(11, b, t, 3 * d);
            using var tape = new Tape<float>(training: true, rng: new Xoshiro256StarStar(5));
            Tensor<float> y;
            if (fused) y = tape.AttentionHeads(qkv, heads, mask, 0.2);
            else
            {
                var dh = d / heads;
                Tensor<float> Split(Tensor<float> x) => tape.Reshape(tape.Permute(tape.Reshape(x, b, t, heads, dh), 0, 2, 1, 3), b * heads, t, dh);
                var o = tape.Attention(Split(tape.Slice(qkv, 2, 0, d)), Split(tape.Slice(qkv, 2, d, d)), Split(tape.Slice(qkv, 2, 2 * d, d)), mask, 0.2);
                y = tape.Reshape(tape.Permute(tape.Reshape(o, b, heads, t, dh), 0, 2, 1, 3), b, t, d);
            }
            tape.Backward(y, Tensor<float>.Normal(new Xoshiro256StarStar(4), 1.0, [y.Length]).Data);
            return ((float[])y.Data.Clone(), qkv.Grad!);
        }
        var fusedRun = Run(true);
        var composedRun = Run(false);
        AssertClose(fusedRun.Y, composedRun.Y, "y");
        AssertClose(fusedRun.G, composedRun.G, "dqkv");
    }

    [Test]
    public void AttentionHeads_InferenceTape_SameOutputAsRecordingTape()
    {
        // Without recording the kernel keeps P in scratch instead of the cache; the output bits must not change.
        var q = Input(1, 2, 40, 64);
        var k = Input(2, 2, 40, 64);
        using var train = new Tape<float>(training: false);
        using var infer = new Tape<float>(training: false, recording: false);
        var a = train.AttentionHeads(q, k, k, 4);
        var b = infer.AttentionHeads(q, k, k, 4);
        Assert.That(a.RequiresGrad, Is.True);
        Assert.That(b.RequiresGrad, Is.False);
        Assert.That(b.Data, Is.EqualTo(a.Data));
    }

    [Test]
    public void AttentionHeadsAcross_StridedRows_BitIdenticalToPermutedPackedAttention()
    {
        // Across axis 1 of [N, S, I, 3D] in place against permute → AttentionHeads(packed) → permute back: the same kernel on
        // the same problems (n·I + i) with the same dropout indices, so values and gradients are bit-identical.
        const int n = 2, s = 16, inner = 5, d = 64;
        (float[] Y, float[] G) Run(bool across)
        {
            var qkv = Input(21, n, s, inner, 3 * d);
            using var tape = new Tape<float>(training: true, rng: new Xoshiro256StarStar(8));
            var y = across
                ? tape.AttentionHeadsAcross(qkv, 4, default, 0.1)
                : tape.Permute(tape.Reshape(tape.AttentionHeads(tape.Reshape(tape.Permute(qkv, 0, 2, 1, 3), n * inner, s, 3 * d), 4, default, 0.1), n, inner, s, d), 0, 2, 1, 3);
            tape.Backward(y, Tensor<float>.Normal(new Xoshiro256StarStar(4), 1.0, [y.Length]).Data);
            return ((float[])y.Data.Clone(), qkv.Grad!);
        }
        var a = Run(true);
        var b = Run(false);
        Assert.That(a.Y, Is.EqualTo(b.Y));
        Assert.That(a.G, Is.EqualTo(b.G));
    }

    [Test]
    public void AttentionHeads_NaNQuery_NaNOutputRow()
    {
        // A NaN score must propagate through the max, exp and sum, not become a finite attention weight.
        var q = Input(1, 1, 16, 16);
        var k = Input(2, 1, 16, 16);
        q.Data[3 * 16] = float.NaN;                                          // query 3
        using var tape = new Tape<float>(training: false);
        var y = tape.AttentionHeads(q, k, k, 1);
        Assert.That(float.IsNaN(y.Data[3 * 16]), Is.True);
        Assert.That(float.IsNaN(y.Data[2 * 16]), Is.False);
    }

    [Test]
    public void AttentionHeads_PooledOverDirtyBuffers_BitIdenticalToUnpooled()
    {
        // Outputs, weights cache and mask are rented without zeroing; pre-fill the pool with garbage of every size the op
        // rents and check nothing of it leaks into the results.
        const int b = 2, t = 21, d = 64, heads = 4;
        var pool = new BufferPool<float>();
        var sizes = new[] { b * t * d, t * 32, b * heads * t * t };
        var dirty = sizes.SelectMany(n => Enumerable.Range(0, 3).Select(_ => pool.Rent(n))).ToList();
        foreach (var a in dirty) Array.Fill(a, float.NaN);
        foreach (var a in dirty) pool.Return(a);
        (float[] Y, float[] G) Run(BufferPool<float>? p)
        {
            var q = Input(1, b, t, d);
            using var tape = new Tape<float>(training: true, rng: new Xoshiro256StarStar(3), pool: p);
            var y = tape.AttentionHeads(q, q, q, heads, default, 0.1);
            tape.Backward(y, Tensor<float>.Normal(new Xoshiro256StarStar(4), 1.0, [y.Length]).Data);
            return ((float[])y.Data.Clone(), q.Grad!);
        }
        var pooled = Run(pool);
        var plain = Run(null);
        Assert.That(pooled.Y, Is.EqualTo(plain.Y));
        Assert.That(pooled.G, Is.EqualTo(plain.G));
    }

    [Test]
    public void AttentionHeads_TwoThreadTeam_BitIdenticalToOneThread()
    {
        // Problems (batch, head) are split in fixed chunks and each writes only its own head's columns.
        var one = Attend(true, 3, 64, 64, 64, 4, null, 0.1);
        using var team = new ThreadTeam(2);
        var two = Attend(true, 3, 64, 64, 64, 4, null, 0.1, team);
        Assert.That(two.Y, Is.EqualTo(one.Y));
        Assert.That(two.Gq, Is.EqualTo(one.Gq));
        Assert.That(two.Gk, Is.EqualTo(one.Gk));
        Assert.That(two.Gv, Is.EqualTo(one.Gv));
    }

    [Test]
    public void AttentionHeads_HeadWidthNotMultipleOf16_UsesComposedPath()
    {
        // dh = 8: the op falls back to the composed path, so the results are bit-identical to it.
        var fused = Attend(true, 2, 9, 9, 16, 2, null, 0.1);
        var composed = Attend(false, 2, 9, 9, 16, 2, null, 0.1);
        Assert.That(fused.Y, Is.EqualTo(composed.Y));
        Assert.That(fused.Gq, Is.EqualTo(composed.Gq));
    }

    [Test]
    public void AttentionHeads_DModelNotMultipleOfHeads_ThrowsNamingShapes()
    {
        using var tape = new Tape<float>();
        var x = Input(1, 2, 4, 30);
        var ex = Assert.Throws<ArgumentException>(() => tape.AttentionHeads(x, x, x, 4));
        Assert.That(ex!.Message, Does.Contain("[2, 4, 30]").And.Contain("heads 4"));
    }

    [Test]
    public void AttentionHeads_MaskRowAllowsNothing_Throws()
    {
        using var tape = new Tape<float>();
        var x = Input(1, 1, 2, 16);
        var ex = Assert.Throws<ArgumentException>(() => tape.AttentionHeads(x, x, x, 1, new[] { true, false, false, false }));
        Assert.That(ex!.Message, Does.Contain("row 1"));
    }
}
