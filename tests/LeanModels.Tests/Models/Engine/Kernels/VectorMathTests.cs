using System.Runtime.Intrinsics;
using LeanModels.Models.Engine.Kernels;

namespace LeanModels.Tests.Models.Engine.Kernels;

/// <summary>The vectorised exp against double Math.Exp.</summary>
public class VectorMathTests
{
    [Test]
    public void Exp_GridFromMinus87To88_WithinTwoUlp()
    {
        // Cephes expf is accurate to ≈ 1 ulp (float ulp ≈ 1.2e-7 relative at the top of a binade); allow 2.4e-7 relative.
        var worst = 0.0;
        for (var i = 0; i < 16 * 1000; i += 16)
        {
            var lanes = new float[16];
            for (var l = 0; l < 16; l++) lanes[l] = -87f + (i + l) * (175f / 16000f);
            var e = VectorMath.Exp(Vector512.Create(lanes));
            for (var l = 0; l < 16; l++)
            {
                var exact = Math.Exp(lanes[l]);
                worst = Math.Max(worst, Math.Abs(e[l] - exact) / exact);
            }
        }
        Assert.That(worst, Is.LessThan(2.4e-7));
    }

    [Test]
    public void Exp_SpecialValues_ZeroOneAndUnderflow()
    {
        // e^−∞ = 0 (masked attention scores), e^0 = 1 exactly, below −87.34 flushes to 0.
        var x = Vector512.Create(float.NegativeInfinity, 0f, -100f, -87.5f, 1f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f);
        var e = VectorMath.Exp(x);
        Assert.That(e[0], Is.EqualTo(0f));
        Assert.That(e[1], Is.EqualTo(1f));
        Assert.That(e[2], Is.EqualTo(0f));
        Assert.That(e[3], Is.EqualTo(0f));
        Assert.That(e[4], Is.EqualTo(MathF.E).Within(3e-7f));
    }

    [Test]
    public void Exp_NaN_StaysNaN()
    {
        // Nothing is silently NaN-free either: a NaN score must not turn into a finite weight.
        var e = VectorMath.Exp(Vector512.Create(float.NaN));
        Assert.That(float.IsNaN(e[0]) && float.IsNaN(e[15]), Is.True);
    }
}
