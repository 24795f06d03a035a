using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LeanModels.Models.Engine.Kernels;

/// <summary>
/// Vectorised float exp, sigmoid and tanh for the fused recurrent cells (<see cref="RecurrentKernels"/>). exp follows
/// Cephes <c>expf</c> (S. L. Moshier, Cephes Math Library 2.2, 1992): n = round(x·log₂e), r = x − n·ln 2 (two-part ln 2),
/// eʳ = 1 + r + r²·P(r) with its degree-5 minimax P, then ·2ⁿ by <c>vscalefps</c>; |relative error| ≲ 2 ulp. σ(x) =
/// 1 / (1 + e^{−x}) with −x clamped to [−30, 80] (σ(30) rounds to 1; σ(−80) ≈ 1.8e−35, never subnormal). tanh(x) =
/// 1 − 2 / (1 + e^{2x}) with 2x clamped to [−20, 20] (tanh 10 rounds to 1): absolute error ≲ 1.2e−7, so relative accuracy
/// is lost only for |x| ≲ 1e−6, where tanh x ≈ x is below the error anyway. Divisions are the <c>vrcp14ps</c> estimate
/// refined by one Newton step. On this VM every 512-bit op issues at about one per cycle, so op count is what costs:
/// σ ≈ 20 ops, tanh ≈ 22. Checked against double <see cref="Math.Exp"/> / <see cref="Math.Tanh"/> in tests.
/// </summary>
internal static class RecurrentMath
{
    /// <summary>e^x per lane (Cephes expf) for x in [−87, 88] (callers clamp; outside, the result over- or underflows through
    /// <c>vscalefps</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        var magic = Vector512.Create(12582912f);                                     // 1.5·2²³: adding it rounds to an integer
        var n = Vector512.FusedMultiplyAdd(x, Vector512.Create(1.44269504088896341f), magic) - magic;   // round(x·log₂e)
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-0.693359375f), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(2.12194440e-4f), r);        // x − n·ln 2 (ln 2 = 0.693359375 − 2.12194440e−4)
        var p = Vector512.FusedMultiplyAdd(Vector512.Create(1.9875691500e-4f), r, Vector512.Create(1.3981999507e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(8.3334519073e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(4.1665795894e-2f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.6666665459e-1f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(5.0000001201e-1f));
        p = Vector512.FusedMultiplyAdd(p, r * r, r + Vector512<float>.One);
        return Avx512F.Scale(p, n);                                                   // p·2ⁿ
    }

    /// <summary>1 / d per lane for d in [1, 1e35]: the 14-bit <c>vrcp14ps</c> estimate and one Newton step
    /// (r ← r + r·(1 − d·r)), within ~1 ulp; cheaper than <c>vdivps</c> on 512-bit vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Reciprocal(Vector512<float> d)
    {
        var r = Avx512F.Reciprocal14(d);
        return Vector512.FusedMultiplyAdd(r, Vector512.FusedMultiplyAdd(-d, r, Vector512<float>.One), r);
    }

    /// <summary>σ(x) = 1 / (1 + e^{−x}) per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> x) =>
        Reciprocal(Vector512<float>.One + Exp(Vector512.Max(Vector512.Min(-x, Vector512.Create(80f)), Vector512.Create(-30f))));

    /// <summary>tanh(x) = 1 − 2 / (1 + e^{2x}) per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x)
    {
        var e = Exp(Vector512.Max(Vector512.Min(x + x, Vector512.Create(20f)), Vector512.Create(-20f)));
        return Vector512.FusedMultiplyAdd(Vector512.Create(-2f), Reciprocal(Vector512<float>.One + e), Vector512<float>.One);
    }
}
