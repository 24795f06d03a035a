using LeanModels.Models.Engine;
using LeanModels.Models.Engine.Layers;
using LeanModels.Models.Numerics;
using static LeanModels.Tests.Models.Engine.EngineTestData;

namespace LeanModels.Tests.Models.Engine.Layers;

/// <summary>Informer's distilling layer and the ProbSparse option of <see cref="MultiHeadAttention{T}"/>.</summary>
public class DistillingLayerTests
{
    [Test]
    public void DistillingLayer_GradCheck_InputAndParameters()
    {
        var layer = new DistillingLayer<double>(3, new Xoshiro256StarStar(1));
        var x = Normal(2, 2, 6, 3);
        AssertGradCheck(t => layer.Forward(t, x), [x, .. layer.Parameters().Select(p => p.Value)]);
    }

    [TestCase(8, 4)]
    [TestCase(7, 4)]
    [TestCase(2, 1)]
    public void DistillingLayer_Forward_HalvesTime(int t, int expected)
    {
        var layer = new DistillingLayer<float>(4, new Xoshiro256StarStar(1));
        var y = layer.Forward(new Tape<float>(), Tensor<float>.Normal(new Xoshiro256StarStar(2), 1, [2, t, 4]));
        Assert.That(y.Dims, Is.EqualTo(new[] { 2, expected, 4 }));
    }

    [Test]
    public void MultiHeadAttention_ProbSparse_GradCheck()
    {
        // c = 1, T = 6: u = ⌈ln 6⌉ = 2 of 6 queries per head attend; the selection is fixed by the tape's re-seeded generator.
        var layer = new MultiHeadAttention<double>(4, 2, 0.1, new Xoshiro256StarStar(1), probSparseFactor: 1);
        var x = Normal(2, 2, 6, 4);
        AssertGradCheck(t => layer.Forward(t, x), [x, .. layer.Parameters().Select(p => p.Value)]);
    }

    [Test]
    public void MultiHeadAttention_ProbSparseLargeFactor_EqualsFull()
    {
        // c = 5, T = 6: u = min(6, 5·⌈ln 6⌉) = 6, so ProbSparse is full attention; same initial weights (same seed).
        var full = new MultiHeadAttention<double>(4, 2, 0, new Xoshiro256StarStar(1));
        var sparse = new MultiHeadAttention<double>(4, 2, 0, new Xoshiro256StarStar(1), probSparseFactor: 5);
        var x = Normal(2, 2, 6, 4);
        var a = full.Forward(new Tape<double>(), x).Data;
        var b = sparse.Forward(new Tape<double>(rng: new Xoshiro256StarStar(3)), x).Data;
        Assert.That(b, Is.EqualTo(a));
    }

    [Test]
    public void MultiHeadAttention_ProbSparseWithMask_Throws()
    {
        var layer = new MultiHeadAttention<double>(4, 2, 0, new Xoshiro256StarStar(1), probSparseFactor: 1);
        Assert.That(() => layer.Forward(new Tape<double>(rng: new Xoshiro256StarStar(3)), Normal(2, 1, 2, 4), [true, false, true, true]),
            Throws.ArgumentException.With.Message.Contains("no mask"));
    }
}
