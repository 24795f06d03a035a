using LeanModels.Models.Engine.Kernels;

namespace LeanModels.Tests.Models.Engine.Kernels;

/// <summary>Counter-based dropout bits: vector and scalar paths agree, any start offset gives the same mask, keep rates.</summary>
public class CounterHashTests
{
    [Test]
    public void FillMask_VectorAndScalarPaths_Identical()
    {
        // FillMask uses 16-lane vectors for float and the scalar Keep for double; both must give the same decisions.
        const ulong seed = 0x9E3779B97F4A7C15UL;
        var th = CounterHash.Threshold(0.1);
        var f = new float[1000];
        var d = new double[1000];
        CounterHash.FillMask(seed, 7, th, 2f, f);
        CounterHash.FillMask(seed, 7, th, 2.0, d);
        for (var i = 0; i < f.Length; i++)
        {
            Assert.That(f[i] == 2f, Is.EqualTo(d[i] == 2.0), $"element {i}");
            Assert.That(f[i] == 2f, Is.EqualTo(CounterHash.Keep(seed, 7 + (uint)i, th)), $"element {i}");
        }
    }

    [Test]
    public void FillMask_SplitAtAnyOffset_SameMaskAsWhole()
    {
        // The mask of element i depends on (seed, i) only, so filling [0, 1000) at once or in pieces [0, 333) + [333, 1000)
        // (what two threads do) gives the same bits.
        var th = CounterHash.Threshold(0.3);
        var whole = new float[1000];
        var parts = new float[1000];
        CounterHash.FillMask(42UL, 0, th, 1f, whole);
        CounterHash.FillMask(42UL, 0, th, 1f, parts.AsSpan(0, 333));
        CounterHash.FillMask(42UL, 333, th, 1f, parts.AsSpan(333));
        Assert.That(parts, Is.EqualTo(whole));
    }

    [TestCase(0.1)]
    [TestCase(0.5)]
    public void FillMask_OneMillionElements_KeepRateWithinFiveSigma(double p)
    {
        // Kept share ~ Binomial(n, 1 − p)/n: σ = √(p(1 − p)/n) ≤ 5e-4 at n = 10⁶; 5σ ≤ 2.5e-3.
        var mask = new float[1_000_000];
        CounterHash.FillMask(123UL, 0, CounterHash.Threshold(p), 1f, mask);
        var kept = mask.Count(v => v == 1f) / (double)mask.Length;
        Assert.That(kept, Is.EqualTo(1 - p).Within(5 * Math.Sqrt(p * (1 - p) / mask.Length)));
    }

    [Test]
    public void FillMask_DifferentSeeds_DifferentMasks()
    {
        // Two seeds agree on an element with probability p² + (1 − p)² = 0.5 at p = 0.5; 64 equal elements in a row would
        // have probability 2⁻⁶⁴.
        var a = new float[64];
        var b = new float[64];
        CounterHash.FillMask(1UL, 0, CounterHash.Threshold(0.5), 1f, a);
        CounterHash.FillMask(2UL, 0, CounterHash.Threshold(0.5), 1f, b);
        Assert.That(a, Is.Not.EqualTo(b));
    }
}
