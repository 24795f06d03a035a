using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LeanModels.Models.Engine.Kernels;

/// <summary>
/// Vectorised float exp, sigmoid and tanh for the fused recurrent cells (<see cref="RecurrentKernels"/>). exp follows
/// Cephes <c>expf</c> (S. L. Moshier, Cephes Math Library 2.2, 1992): n = round(x·log₂e), r = x − n·ln 2 (two-part ln 2),
/// eʳ = 1 + r + r²·P(r) with its degree-5 minimax P, 2ⁿ built in the exponent bits; |relative error| ≲ 2 ulp on the clamped
/// range [−87.3, 88.3]. σ(x) = 1 / (1 + e^{−x}) with −x clamped to ≤ 80 (σ(−80) ≈ 1.8e−35, never subnormal). tanh follows
/// Cephes <c>tanhf</c>: |x| &lt; 0.625 an odd polynomial x + x³·P(x²), else sign(x)·(1 − 2 / (e^{2|x|} + 1)) with |x| ≤ 9
/// (tanh 9 rounds to 1 in float). Checked against double <see cref="Math.Exp"/> / <see cref="Math.Tanh"/> in tests.
/// </summary>
internal static class RecurrentMath
{
    /// <summary>e^x per lane (Cephes expf); x is clamped to [−87.3, 88.3], so the result is finite and normal.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(-87.3f)), Vector512.Create(88.3f));
        var magic = Vector512.Create(12582912f);                                     // 1.5·2²³: adding it rounds to an integer
        var shifted = Vector512.FusedMultiplyAdd(x, Vector512.Create(1.44269504088896341f), magic);
        var n = shifted - magic;                                                      // round(x·log₂e)
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-0.693359375f), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(2.12194440e-4f), r);        // x − n·ln 2 (ln 2 = 0.693359375 − 2.12194440e−4)
        var p = Vector512.Create(1.9875691500e-4f);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.3981999507e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(8.3334519073e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(4.1665795894e-2f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.6666665459e-1f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(5.0000001201e-1f));
        p = Vector512.FusedMultiplyAdd(p, r * r, r + Vector512<float>.One);
        var bits = (shifted.AsInt32() - magic.AsInt32() + Vector512.Create(127)) << 23;  // 2ⁿ: n sits in shifted's low mantissa bits
        return p * bits.AsSingle();
    }

    /// <summary>σ(x) = 1 / (1 + e^{−x}) per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> x) =>
        Vector512<float>.One / (Vector512<float>.One + Exp(Vector512.Min(-x, Vector512.Create(80f))));

    /// <summary>tanh(x) per lane (Cephes tanhf's split at |x| = 0.625).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x)
    {
        var ax = Vector512.Abs(x);
        var s = x * x;
        var p = Vector512.Create(-5.70498872745e-3f);
        p = Vector512.FusedMultiplyAdd(p, s, Vector512.Create(2.06390887954e-2f));
        p = Vector512.FusedMultiplyAdd(p, s, Vector512.Create(-5.37397155531e-2f));
        p = Vector512.FusedMultiplyAdd(p, s, Vector512.Create(1.33314422036e-1f));
        p = Vector512.FusedMultiplyAdd(p, s, Vector512.Create(-3.33332819422e-1f));
        var small = Vector512.FusedMultiplyAdd(p * s, x, x);
        var e = Exp(Vector512.Min(ax, Vector512.Create(9f)) * Vector512.Create(2f));
        var big = Vector512<float>.One - Vector512.Create(2f) / (e + Vector512<float>.One);
        big = (big.AsUInt32() | (x.AsUInt32() & Vector512.Create(0x80000000u))).AsSingle();   // sign of x
        return Vector512.ConditionalSelect(Vector512.LessThan(ax, Vector512.Create(0.625f)), small, big);
    }

    /// <summary>Loads <paramref name="count"/> (&lt; 16) floats into the low lanes, zeros above.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector512<float> LoadPartial(float* p, int count)
    {
        var buffer = stackalloc float[16];
        for (var i = 0; i < 16; i++) buffer[i] = i < count ? p[i] : 0f;
        return Vector512.Load(buffer);
    }

    /// <summary>Stores the low <paramref name="count"/> (&lt; 16) lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void StorePartial(Vector512<float> v, float* p, int count)
    {
        var buffer = stackalloc float[16];
        v.Store(buffer);
        for (var i = 0; i < count; i++) p[i] = buffer[i];
    }
}
