using LeanModels.Models.Engine;
using LeanModels.Models.Numerics;
using static LeanModels.Tests.Models.Engine.EngineTestData;

namespace LeanModels.Tests.Models.Engine;

/// <summary>Tape.Sparse.cs: ProbSparse attention (Informer §3.1), ELU and max pooling (Informer §3.2 distilling).</summary>
public class TapeSparseTests
{
    [Test]
    public void ProbSparseAttention_FixedSelectionWithDropout_MatchesFiniteDifferences()
    {
        var (q, k, v) = (Normal(1, 2, 5, 3), Normal(2, 2, 4, 3), Normal(3, 2, 4, 2));
        int[] selected = [1, 3, 0, 4];                                                   // u = 2 of Tq = 5 per batch row
        AssertGradCheck(t => t.ProbSparseAttention(q, k, v, selected, dropout: 0.25), q, k, v);
    }

    [Test]
    public void ProbSparseAttentionCausal_FixedSelectionWithDropout_MatchesFiniteDifferences()
    {
        // Causal: selected queries attend keys j ≤ i (dropout on), lazy rows get cumulative means of v.
        var (q, k, v) = (Normal(1, 2, 5, 3), Normal(2, 2, 5, 3), Normal(3, 2, 5, 2));
        int[] selected = [1, 3, 0, 4];
        AssertGradCheck(t => t.ProbSparseAttention(q, k, v, selected, dropout: 0.25, causal: true), q, k, v);
    }

    [Test]
    public void ProbSparseAttentionCausal_AllQueriesSelected_BitIdenticalToCausalFull()
    {
        var (q, k, v) = (Normal(1, 3, 4, 3), Normal(2, 3, 4, 3), Normal(3, 3, 4, 2));
        var mask = new bool[16];
        for (var i = 0; i < 4; i++)
            for (var j = 0; j <= i; j++) mask[i * 4 + j] = true;
        var full = new Tape<double>().Attention(q, k, v, mask);
        var sparse = new Tape<double>().ProbSparseAttention(q, k, v, 5, new Xoshiro256StarStar(7), causal: true);
        Assert.That(sparse.Data, Is.EqualTo(full.Data));
    }

    [Test]
    public void ProbSparseAttentionCausal_LazyRows_CumulativeMeanAndReverseSumGradient()
    {
        // B = 1, T = 3, d = dv = 1, v = [2, 4, 9]; only query 0 is selected: it attends key 0 alone, so y0 = v0 = 2.
        // Lazy rows: y1 = (2 + 4)/2 = 3, y2 = (2 + 4 + 9)/3 = 5. Backward with seed (0, 1, 1): dv_j = Σ_{i ≥ j, lazy} 1/(i+1):
        // dv0 = 1/2 + 1/3 = 5/6, dv1 = 5/6, dv2 = 1/3.
        var q = Tensor<double>.From([1, 0, 0], [1, 3, 1], requiresGrad: true);
        var k = Tensor<double>.From([1, 0, 0], [1, 3, 1], requiresGrad: true);
        var v = Tensor<double>.From([2, 4, 9], [1, 3, 1], requiresGrad: true);
        var tape = new Tape<double>();
        var y = tape.ProbSparseAttention(q, k, v, [0], causal: true);
        Assert.That(y.Data, Is.EqualTo(new[] { 2.0, 3.0, 5.0 }).Within(1e-12));
        tape.Backward(y, [0.0, 1.0, 1.0]);
        Assert.That(v.Grad, Is.EqualTo(new[] { 5.0 / 6, 5.0 / 6, 1.0 / 3 }).Within(1e-12));
    }

    [Test]
    public void ProbSparseAttentionCausal_SelectionLooksAhead_AsDocumented()
    {
        // Informer's top-u choice compares all positions, so changing only the last query can change which earlier queries
        // attend — and so earlier outputs. The doc says the causal variant is not look-ahead-free; this pins that down.
        var rng = new Xoshiro256StarStar(3);
        var q = Tensor<double>.Normal(rng, 1.0, [1, 8, 2]);
        var k = Tensor<double>.Normal(rng, 1.0, [1, 8, 2]);
        var v = Tensor<double>.Normal(rng, 1.0, [1, 8, 2]);
        q.Data[14] = 0; q.Data[15] = 0;                                     // a zero query has M = 0: never chosen over others
        var before = new Tape<double>().ProbSparseAttention(q, k, v, 1, new Xoshiro256StarStar(1), causal: true).Data;
        q.Data[14] = 50; q.Data[15] = -50;                                  // a very "peaky" last query takes a top-u slot
        var after = new Tape<double>().ProbSparseAttention(q, k, v, 1, new Xoshiro256StarStar(1), causal: true).Data;
        Assert.That(after.AsSpan(0, 14).ToArray(), Is.Not.EqualTo(before.AsSpan(0, 14).ToArray()));
    }

    [Test]
    public void ProbSparseAttentionCausal_DifferentLengths_Throws() =>
        Assert.That(() => new Tape<double>().ProbSparseAttention(Normal(1, 1, 3, 2), Normal(2, 1, 4, 2), Normal(3, 1, 4, 2), [0], causal: true),
            Throws.ArgumentException.With.Message.Contains("Tq = Tk"));

    [Test]
    public void ProbSparseAttention_AllQueriesSelected_BitIdenticalToFull()
    {
        var (q, k, v) = (Normal(1, 3, 4, 3), Normal(2, 3, 6, 3), Normal(3, 3, 6, 2));
        // c = 5, Tq = 4: u = min(4, 5·⌈ln 4⌉ = 10) = 4, every query attends.
        Assert.That(Tape<double>.ProbSparseCounts(5, 4, 6).Top, Is.EqualTo(4));
        var full = new Tape<double>().Attention(q, k, v);
        var sparse = new Tape<double>().ProbSparseAttention(q, k, v, 5, new Xoshiro256StarStar(7));
        Assert.That(sparse.Data, Is.EqualTo(full.Data));
    }

    [Test]
    public void ProbSparseAttention_UnselectedQuery_OutputsMeanOfValues()
    {
        // B = 1, Tq = Tk = 2, d = dv = 1, q = [1, 0], k = [1, 0], v = [2, 4]; only query 0 is selected.
        // Query 0: scores (1·1, 1·0)/√1 = (1, 0), softmax = (e/(e+1), 1/(e+1)) = (0.731059, 0.268941),
        //          output 0.731059·2 + 0.268941·4 = 2.537883. Query 1: mean(v) = 3.
        // Backward with seed (0, 1) (only the lazy row): dv_j = 1/Tk = 0.5 each, dq = dk = 0.
        var q = Tensor<double>.From([1, 0], [1, 2, 1], requiresGrad: true);
        var k = Tensor<double>.From([1, 0], [1, 2, 1], requiresGrad: true);
        var v = Tensor<double>.From([2, 4], [1, 2, 1], requiresGrad: true);
        var tape = new Tape<double>();
        var y = tape.ProbSparseAttention(q, k, v, [0]);
        var p0 = Math.E / (Math.E + 1);
        Assert.That(y.Data[0], Is.EqualTo(2 * p0 + 4 * (1 - p0)).Within(1e-12));
        Assert.That(y.Data[1], Is.EqualTo(3.0).Within(1e-15));
        tape.Backward(y, [0.0, 1.0]);
        Assert.That(v.Grad, Is.EqualTo(new[] { 0.5, 0.5 }).Within(1e-15));
        Assert.That(q.Grad, Is.EqualTo(new[] { 0.0, 0.0 }));
        Assert.That(k.Grad, Is.EqualTo(new[] { 0.0, 0.0 }));
    }

    [Test]
    public void ProbSparseAttention_OnePeakyQuery_IsSelectedOthersGetMean()
    {
        // Tq = Tk = 8, c = 1: u = ⌈ln 8⌉ = 3 queries, U = 3 sampled keys. Seven queries are zero, so their sparsity M is 0
        // (and their full attention is uniform, i.e. mean(V) anyway); query 5 is large, so its M > 0 and it must be chosen.
        var rng = new Xoshiro256StarStar(3);
        var q = Tensor<double>.Zeros([1, 8, 4]);
        for (var j = 0; j < 4; j++) q.Data[5 * 4 + j] = 3 * rng.NextGaussian();
        var k = Tensor<double>.Normal(rng, 1, [1, 8, 4]);
        var v = Tensor<double>.Normal(rng, 1, [1, 8, 2]);
        var sparse = new Tape<double>().ProbSparseAttention(q, k, v, 1, new Xoshiro256StarStar(11));
        var full = new Tape<double>().Attention(q, k, v);
        Assert.That(sparse.Data, Is.EqualTo(full.Data).Within(1e-12));
        double m0 = 0, m1 = 0;
        for (var j = 0; j < 8; j++) { m0 += v.Data[2 * j] / 8; m1 += v.Data[2 * j + 1] / 8; }
        Assert.That(full.Data[10], Is.Not.EqualTo(m0).Within(1e-3));                   // row 5 really differs from the mean
        Assert.That(sparse.Data[0], Is.EqualTo(m0).Within(1e-12));
        Assert.That(sparse.Data[1], Is.EqualTo(m1).Within(1e-12));
    }

    [Test]
    public void ProbSparseAttention_SameSeed_BitIdenticalDifferentSelectionThanFull()
    {
        var rng = new Xoshiro256StarStar(5);
        var q = Tensor<float>.Normal(rng, 1, [3, 32, 8]);
        var k = Tensor<float>.Normal(rng, 1, [3, 32, 8]);
        var v = Tensor<float>.Normal(rng, 1, [3, 32, 4]);
        var a = new Tape<float>().ProbSparseAttention(q, k, v, 2, new Xoshiro256StarStar(9)).Data;
        var b = new Tape<float>().ProbSparseAttention(q, k, v, 2, new Xoshiro256StarStar(9)).Data;
        Assert.That(b, Is.EqualTo(a));
        var full = new Tape<float>().Attention(q, k, v).Data;
        Assert.That(a, Is.Not.EqualTo(full));                                           // u = 2·⌈ln 32⌉ = 8 < 32: sparse
    }

    [Test]
    public void ProbSparseAttention_SelectionNotIncreasing_Throws() =>
        Assert.That(() => new Tape<double>().ProbSparseAttention(Normal(1, 1, 4, 2), Normal(2, 1, 4, 2), Normal(3, 1, 4, 2), [2, 1]),
            Throws.ArgumentException.With.Message.Contains("selected[0, 1] = 1"));

    [Test]
    public void ProbSparseCounts_InformerDefaults_MatchReferenceCode()
    {
        // c = 5: L = 64 → 5·⌈4.159⌉ = 25; L = 256 → 5·⌈5.545⌉ = 30; L = 16 → min(16, 5·⌈2.773⌉ = 15) = 15; L = 8 → min(8, 15) = 8.
        Assert.That(Tape<float>.ProbSparseCounts(5, 64, 256), Is.EqualTo((25, 30)));
        Assert.That(Tape<float>.ProbSparseCounts(5, 16, 8), Is.EqualTo((15, 8)));
    }

    [Test] public void Elu_MatchesFiniteDifferences() { var x = Normal(6, 2, 5); AssertGradCheck(t => t.Elu(x), x); }

    [Test]
    public void Elu_HandValues()
    {
        // ELU(2) = 2, ELU(−1) = e⁻¹ − 1 = −0.632121, ELU(0) = 0.
        var y = new Tape<double>().Elu(Tensor<double>.From([2, -1, 0], [3]));
        Assert.That(y.Data, Is.EqualTo(new[] { 2, Math.Exp(-1) - 1, 0 }).Within(1e-15));
    }

    [Test] public void MaxPool1d_KernelThreeStrideTwo_MatchesFiniteDifferences() { var x = Normal(7, 2, 5, 3); AssertGradCheck(t => t.MaxPool1d(x), x); }

    [Test]
    public void MaxPool1d_HandValues_HalvesTime()
    {
        // x = [1, 5, 2, 4, 3, 0] over T (N = C = 1), kernel 3, stride 2, padding 1: windows {−∞,1,5}, {5,2,4}, {4,3,0} → 5, 5, 4.
        var x = Tensor<double>.From([1, 5, 2, 4, 3, 0], [1, 6, 1], requiresGrad: true);
        var tape = new Tape<double>();
        var y = tape.MaxPool1d(x);
        Assert.That(y.Dims, Is.EqualTo(new[] { 1, 3, 1 }));
        Assert.That(y.Data, Is.EqualTo(new[] { 5.0, 5, 4 }));
        tape.Backward(y, [1.0, 1, 1]);
        Assert.That(x.Grad, Is.EqualTo(new[] { 0.0, 2, 0, 1, 0, 0 }));                  // step 1 wins two windows
    }
}
