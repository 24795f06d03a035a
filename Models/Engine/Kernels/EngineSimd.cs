using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LeanModels.Models.Engine.Kernels;

/// <summary>The vector width the engine's float kernels run at. Values are the width in bits (0 for scalar).</summary>
internal enum SimdTier
{
    /// <summary>Plain scalar loops (and TensorPrimitives): no SIMD, e.g. <c>DOTNET_EnableHWIntrinsic=0</c>, or ARM64 (no
    /// 256-bit vectors; TensorPrimitives still uses NEON where it is called).</summary>
    Scalar = 0,

    /// <summary><see cref="Vector256{T}"/> with AVX2 and FMA (most x86 desktops and cloud VMs, and AVX-512 machines where .NET
    /// does not accelerate <see cref="Vector512{T}"/>, e.g. <c>DOTNET_EnableAVX512=0</c>).</summary>
    Vector256 = 256,

    /// <summary><see cref="Vector512{T}"/> with AVX-512F (some kernels use <c>vscalefps</c> / <c>vrcp14ps</c> directly).</summary>
    Vector512 = 512,
}

/// <summary>
/// The one SIMD dispatch decision of the engine. <see cref="Detected"/> is chosen once per process from
/// <see cref="Vector512.IsHardwareAccelerated"/> + <see cref="Avx512F.IsSupported"/>, else
/// <see cref="Vector256.IsHardwareAccelerated"/> + <see cref="Avx2.IsSupported"/> + <see cref="Fma.IsSupported"/>, else scalar;
/// no kernel checks the hardware flags itself. Every tape op reads <see cref="Tier"/> once when it runs forward and passes that
/// value to its kernels and to its backward closure, so the forward and the backward of one op always take the same tier
/// (LayerNorm's backward, for example, needs the scratch its forward tier implies).
/// </summary>
/// <remarks>Results within one tier are deterministic and bit-identical at 1 and 2 threads. Across tiers they agree within float
/// rounding (FMA grouping and, for the scalar tier, <see cref="MathF.Exp"/> instead of the Cephes vector exp); the tier
/// comparison tests state the tolerances.</remarks>
internal static class EngineSimd
{
    /// <summary>The widest tier this process can run, chosen once.</summary>
    public static readonly SimdTier Detected = Detect();

    private static volatile int s_forced = -1;

    /// <summary>The tier ops use now: <see cref="Detected"/>, unless a test lowered it with <see cref="Force"/>.</summary>
    public static SimdTier Tier
    {
        get
        {
            var f = s_forced;
            return f < 0 ? Detected : (SimdTier)f;
        }
    }

    /// <summary>Test hook: makes ops started from now on use <paramref name="tier"/> (process-wide) until the returned scope is
    /// disposed. Only for tests that run alone (the suite does not run tests in parallel).</summary>
    /// <exception cref="NotSupportedException">The tier is wider than <see cref="Detected"/>.</exception>
    internal static Scope Force(SimdTier tier)
    {
        if (tier > Detected) throw new NotSupportedException($"EngineSimd.Force: {tier} requested, but this process supports only up to {Detected}.");
        var previous = s_forced;
        s_forced = (int)tier;
        return new Scope(previous);
    }

    /// <summary>Restores the previous tier on dispose.</summary>
    internal readonly struct Scope : IDisposable
    {
        private readonly int _previous;

        internal Scope(int previous) => _previous = previous;

        /// <summary>Restores the tier in force before <see cref="Force"/>.</summary>
        public void Dispose() => s_forced = _previous;
    }

    /// <summary>Floats per vector of <paramref name="tier"/> when a row of <paramref name="length"/> floats splits into whole
    /// vectors of it (16 or 8), else 0: the rule of the row kernels (LayerNorm, bias + GELU + dropout) that have no scalar tail.</summary>
    public static int RowLanes(SimdTier tier, int length) =>
        tier == SimdTier.Vector512 && length % 16 == 0 ? 16 : tier >= SimdTier.Vector256 && length % 8 == 0 ? 8 : 0;

    private static SimdTier Detect()
    {
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported) return SimdTier.Vector512;
        if (Vector256.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported) return SimdTier.Vector256;
        return SimdTier.Scalar;
    }
}
