using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LeanModels.Models.Engine.Kernels;

/// <summary>
/// Counter-based random bits for dropout masks: the bits of element i are a hash of (seed, i), so a mask can be drawn in
/// any order, by any thread, in 16-lane vectors, and regenerated in backward instead of stored — and it is the same whatever
/// the thread count (the engine's determinism rule). The idea is Salmon et al. 2011, "Parallel random numbers: as easy as
/// 1, 2, 3" (counter-based generators, as Philox in PyTorch's CUDA dropout); the mixer is two rounds of Chris Wellons'
/// <c>lowbias32</c> integer hash (hash-prospector, 2018: x ^= x ≫ 16; x *= 0x7feb352d; x ^= x ≫ 15; x *= 0x846ca68b;
/// x ^= x ≫ 16), keyed by the two halves of a 64-bit seed drawn from the tape's generator once per op.
/// </summary>
/// <remarks>Index i is taken modulo 2³² (one op's tensor is far smaller). An element is dropped when the top 24 bits of its
/// hash are below ⌊p·2²⁴⌉, i.e. p is quantised to 2⁻²⁴ (6e-8).</remarks>
internal static class CounterHash
{
    /// <summary>Wellons' lowbias32 finaliser.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Mix(uint x)
    {
        x ^= x >> 16;
        x *= 0x7feb352dU;
        x ^= x >> 15;
        x *= 0x846ca68bU;
        x ^= x >> 16;
        return x;
    }

    /// <summary>The 32 random bits of element <paramref name="index"/> under <paramref name="seed"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Bits(ulong seed, uint index) => Mix(Mix(index ^ (uint)seed) + (uint)(seed >> 32));

    /// <summary>16 lanes of <see cref="Mix(uint)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Mix(Vector512<uint> x)
    {
        x ^= Vector512.ShiftRightLogical(x, 16);
        x *= Vector512.Create(0x7feb352dU);
        x ^= Vector512.ShiftRightLogical(x, 15);
        x *= Vector512.Create(0x846ca68bU);
        x ^= Vector512.ShiftRightLogical(x, 16);
        return x;
    }

    /// <summary>16 lanes of <see cref="Bits(ulong, uint)"/> for indices <paramref name="index"/> + 0..15.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Bits16(ulong seed, uint index)
        => Mix(Mix((Vector512.Create(index) + Vector512<uint>.Indices) ^ Vector512.Create((uint)seed)) + Vector512.Create((uint)(seed >> 32)));

    /// <summary>8 lanes of <see cref="Mix(uint)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Mix(Vector256<uint> x)
    {
        x ^= Vector256.ShiftRightLogical(x, 16);
        x *= Vector256.Create(0x7feb352dU);
        x ^= Vector256.ShiftRightLogical(x, 15);
        x *= Vector256.Create(0x846ca68bU);
        x ^= Vector256.ShiftRightLogical(x, 16);
        return x;
    }

    /// <summary>8 lanes of <see cref="Bits(ulong, uint)"/> for indices <paramref name="index"/> + 0..7.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Bits8(ulong seed, uint index)
        => Mix(Mix((Vector256.Create(index) + Vector256<uint>.Indices) ^ Vector256.Create((uint)seed)) + Vector256.Create((uint)(seed >> 32)));

    /// <summary>The drop threshold for probability p: an element is dropped when (bits ≫ 8) &lt; threshold.</summary>
    /// <param name="p">Drop probability in [0, 1).</param>
    public static uint Threshold(double p) => (uint)Math.Min(1 << 24, Math.Round(p * (1 << 24)));

    /// <summary>True when element <paramref name="index"/> is kept.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Keep(ulong seed, uint index, uint threshold) => (Bits(seed, index) >> 8) >= threshold;

    /// <summary>The inverted-dropout factor of element <paramref name="index"/>: <paramref name="scale"/> = 1/(1 − p) when kept,
    /// 0 when dropped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T KeepScale<T>(ulong seed, uint index, uint threshold, T scale) where T : unmanaged, IFloatingPointIeee754<T> =>
        Keep(seed, index, threshold) ? scale : T.Zero;

    /// <summary>16 lanes of <see cref="KeepScale{T}"/> for indices <paramref name="index"/> + 0..15 (threshold and scale
    /// broadcast by the caller, once per loop).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> KeepScale16(ulong seed, uint index, Vector512<uint> threshold, Vector512<float> scale) =>
        Vector512.GreaterThanOrEqual(Vector512.ShiftRightLogical(Bits16(seed, index), 8), threshold).AsSingle() & scale;

    /// <summary>8 lanes of <see cref="KeepScale{T}"/> for indices <paramref name="index"/> + 0..7 (the Vector256 tier).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> KeepScale8(ulong seed, uint index, Vector256<uint> threshold, Vector256<float> scale) =>
        Vector256.GreaterThanOrEqual(Vector256.ShiftRightLogical(Bits8(seed, index), 8), threshold).AsSingle() & scale;

    /// <summary>Writes the inverted-dropout mask of elements [start, start + dest.Length): <paramref name="scale"/> where kept,
    /// 0 where dropped (in vectors of the current <see cref="EngineSimd.Tier"/>; every tier gives the same values).</summary>
    /// <param name="seed">The op's 64-bit seed.</param>
    /// <param name="start">Index of dest[0].</param>
    /// <param name="threshold">From <see cref="Threshold"/>.</param>
    /// <param name="scale">1/(1 − p).</param>
    /// <param name="dest">Output.</param>
    public static void FillMask<T>(ulong seed, uint start, uint threshold, T scale, Span<T> dest) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var i = 0;
        var tier = EngineSimd.Tier;
        if (typeof(T) == typeof(float) && tier == SimdTier.Vector512)
        {
            var d = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(dest);
            var s = Vector512.Create(float.CreateTruncating(scale));
            var th = Vector512.Create(threshold);
            for (; i <= d.Length - 16; i += 16) KeepScale16(seed, start + (uint)i, th, s).CopyTo(d.Slice(i, 16));
        }
        else if (typeof(T) == typeof(float) && tier == SimdTier.Vector256)
        {
            var d = System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(dest);
            var s = Vector256.Create(float.CreateTruncating(scale));
            var th = Vector256.Create(threshold);
            for (; i <= d.Length - 8; i += 8) KeepScale8(seed, start + (uint)i, th, s).CopyTo(d.Slice(i, 8));
        }
        for (; i < dest.Length; i++) dest[i] = KeepScale(seed, start + (uint)i, threshold, scale);
    }
}
