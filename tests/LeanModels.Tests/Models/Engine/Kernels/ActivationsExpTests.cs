using System.Runtime.Intrinsics;
using LeanModels.Models.Engine.Kernels;

namespace LeanModels.Tests.Models.Engine.Kernels;

/// <summary>The Cephes-style vector exponential behind the float GELU against <see cref="Math.Exp"/> in double.</summary>
public class ActivationsExpTests
{
    [Test]
    public void Exp_OnMinus87To88_WithinThreeUlp()
    {
        // Cephes expf is within 2 ulp (relative 2·2⁻²³ ≈ 2.4e-7); allow 3.6e-7 for the float rounding of x itself.
        if (!Vector512.IsHardwareAccelerated) Assert.Ignore("No Vector512 on this machine.");
        var worst = 0.0;
        for (var i = 0; i < 17500; i++)
        {
            var x = -87f + i * 0.01f;
            var got = Activations.Exp(Vector512.Create(x)).GetElement(3);
            var rel = Math.Abs(got - Math.Exp(x)) / Math.Exp(x);
            worst = Math.Max(worst, rel);
        }
        Assert.That(worst, Is.LessThan(3.6e-7));
    }

    [Test]
    public void Exp_ClampsBelowRange_ToTinyNonNegative()
    {
        if (!Vector512.IsHardwareAccelerated) Assert.Ignore("No Vector512 on this machine.");
        var v = Activations.Exp(Vector512.Create(-200f)).GetElement(0);
        Assert.That(v, Is.GreaterThanOrEqualTo(0f).And.LessThan(1e-37f));            // e^−87.34 ≈ 1.2e-38 (clamped)
    }
}
