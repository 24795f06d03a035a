namespace LeanModels.Models.Numerics;

/// <summary>
/// Seeded pseudo-random generator xoshiro256** (Blackman and Vigna 2018, "Scrambled linear pseudorandom number generators",
/// reference C at prng.di.unimi.it). Models own their generator so results never depend on the runtime's
/// <see cref="Random"/>; the same seed gives the same stream on every machine and thread count. Not thread-safe: give each
/// thread or model its own instance.
/// </summary>
public sealed class Xoshiro256StarStar
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Initializes the state from a 64-bit seed expanded with SplitMix64, as the reference recommends.</summary>
    /// <param name="seed">Any value; 0 is fine.</param>
    public Xoshiro256StarStar(ulong seed)
    {
        _s0 = SplitMix64(ref seed);
        _s1 = SplitMix64(ref seed);
        _s2 = SplitMix64(ref seed);
        _s3 = SplitMix64(ref seed);
    }

    private static ulong SplitMix64(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Next 64 random bits.</summary>
    /// <returns>A uniformly distributed 64-bit value.</returns>
    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    /// <returns>A value in [0, 1).</returns>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform float in [0, 1) with 24 random bits.</summary>
    /// <returns>A value in [0, 1).</returns>
    public float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1U << 24));

    /// <summary>Uniform integer in [0, <paramref name="maxExclusive"/>) by Lemire's multiply-shift with rejection.</summary>
    /// <param name="maxExclusive">Upper bound, ≥ 1.</param>
    /// <returns>An integer in [0, maxExclusive).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxExclusive"/> &lt; 1.</exception>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxExclusive, 1);
        var range = (ulong)maxExclusive;
        var threshold = (0UL - range) % range;
        while (true)
        {
            var r = NextUInt64();
            var product = Math.BigMul(r, range, out var low);
            if (low >= threshold) return (int)product;
        }
    }

    /// <summary>Standard normal draw by the Box–Muller transform (one of the pair is discarded, so the stream stays simple).</summary>
    /// <returns>A draw from N(0, 1).</returns>
    public double NextGaussian()
    {
        double u1;
        do u1 = NextDouble(); while (u1 <= double.Epsilon);
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
