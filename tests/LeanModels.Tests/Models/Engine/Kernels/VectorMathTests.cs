using System.Runtime.Intrinsics;
using LeanModels.Models.Engine.Kernels;

namespace LeanModels.Tests.Models.Engine.Kernels;

/// <summary>The vectorised exp against double Math.Exp, on both vector tiers (16 and 8 lanes).</summary>
public class VectorMathTests
{
    /// <summary>e^x of each element through the tier's vector exp (width 512 or 256; skipped where the process lacks it).</summary>
    internal static float[] ExpOnTier(int width, float[] x, bool clamped = true)
    {
        EngineTiers.Require(width);
        var lanes = width / 32;
        var y = new float[x.Length];
        for (var i = 0; i + lanes <= x.Length; i += lanes)
            if (width == 512) (clamped ? VectorMath.Exp(Vector512.Create(x.AsSpan(i))) : VectorMath.ExpUnclamped(Vector512.Create(x.AsSpan(i)))).CopyTo(y.AsSpan(i));
            else (clamped ? VectorMath.Exp(Vector256.Create(x.AsSpan(i))) : VectorMath.ExpUnclamped(Vector256.Create(x.AsSpan(i)))).CopyTo(y.AsSpan(i));
        return y;
    }

    [TestCase(512)]
    [TestCase(256)]
    public void Exp_GridFromMinus87To88_WithinTwoUlp(int width)
    {
        // Cephes expf is accurate to ≈ 1 ulp (float ulp ≈ 1.2e-7 relative at the top of a binade); allow 2.4e-7 relative.
        var x = Enumerable.Range(0, 16000).Select(i => -87f + i * (175f / 16000f)).ToArray();
        var e = ExpOnTier(width, x);
        var worst = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            var exact = Math.Exp(x[i]);
            worst = Math.Max(worst, Math.Abs(e[i] - exact) / exact);
        }
        Assert.That(worst, Is.LessThan(2.4e-7));
    }

    [TestCase(512)]
    [TestCase(256)]
    public void Exp_SpecialValues_ZeroOneAndUnderflow(int width)
    {
        // e^−∞ = 0 (masked attention scores), e^0 = 1 exactly, below −87.34 flushes to 0.
        var e = ExpOnTier(width, [float.NegativeInfinity, 0f, -100f, -87.5f, 1f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f]);
        Assert.That(e[0], Is.EqualTo(0f));
        Assert.That(e[1], Is.EqualTo(1f));
        Assert.That(e[2], Is.EqualTo(0f));
        Assert.That(e[3], Is.EqualTo(0f));
        Assert.That(e[4], Is.EqualTo(MathF.E).Within(3e-7f));
    }

    [TestCase(512)]
    [TestCase(256)]
    public void Exp_NaN_StaysNaN(int width)
    {
        // Nothing is silently NaN-free either: a NaN score must not turn into a finite weight.
        var e = ExpOnTier(width, Enumerable.Repeat(float.NaN, 16).ToArray());
        Assert.That(float.IsNaN(e[0]) && float.IsNaN(e[7]) && float.IsNaN(e[15]), Is.True);
    }

    [Test]
    public void Exp_Vector256_SameBitsAsVector512()
    {
        // Same Cephes steps in the same order; 2ⁿ·p is exact either way (vscalefps vs exponent bits), so the tiers agree bit for bit,
        // subnormal results near −87.3 included.
        EngineTiers.Require(512);
        var x = Enumerable.Range(0, 16000).Select(i => -87.336f + i * (175.7f / 16000f)).Concat([-87.33654f, -87.3f, 88.3762626f, 0f, -0f, 1e-30f]).ToArray();
        x = [.. x, .. Enumerable.Repeat(0.5f, (16 - x.Length % 16) % 16)];
        Assert.That(ExpOnTier(256, x), Is.EqualTo(ExpOnTier(512, x)));
        Assert.That(ExpOnTier(256, x, clamped: false), Is.EqualTo(ExpOnTier(512, x, clamped: false)));
    }
}

/// <summary>Tier guards for the engine's tier tests.</summary>
internal static class EngineTiers
{
    /// <summary>Skips the test (Assert.Ignore) when the process cannot run the tier of <paramref name="width"/> bits (512, 256, 0).</summary>
    public static void Require(int width)
    {
        if ((SimdTier)width > EngineSimd.Detected) Assert.Ignore($"the {width}-bit tier is not available here (detected {EngineSimd.Detected})");
    }
}
