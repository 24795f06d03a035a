using LeanModels.Models.Numerics;

namespace LeanModels.Tests.Models.Regime;

/// <summary>Seeded synthetic regime series for the regime-model tests.</summary>
internal static class RegimeTestData
{
    /// <summary>
    /// Simulates a K-state Markov chain (start in state 0) with Gaussian emissions: x_t = mean[s_t] + sd[s_t]·z_t.
    /// </summary>
    /// <param name="seed">PRNG seed.</param>
    /// <param name="length">T, bars to simulate.</param>
    /// <param name="transition">[K, K] row-major, row i = Pr(next | current i).</param>
    /// <param name="means">[K] state means.</param>
    /// <param name="sds">[K] state standard deviations.</param>
    public static (double[] X, int[] States) MarkovGaussian(ulong seed, int length, double[] transition, double[] means, double[] sds)
    {
        var k = means.Length;
        var rng = new Xoshiro256StarStar(seed);
        var x = new double[length];
        var states = new int[length];
        var s = 0;
        for (var t = 0; t < length; t++)
        {
            if (t > 0)
            {
                var u = rng.NextDouble();
                var next = k - 1;
                var c = 0.0;
                for (var j = 0; j < k; j++) { c += transition[s * k + j]; if (u < c) { next = j; break; } }
                s = next;
            }
            states[t] = s;
            x[t] = means[s] + sds[s] * rng.NextGaussian();
        }
        return (x, states);
    }

    /// <summary>The default two-state test chain: calm N(0.05, 0.5²) and turbulent N(−0.1, 2²), P = [[0.98, 0.02], [0.05, 0.95]].</summary>
    public static (double[] X, int[] States) TwoState(ulong seed = 7, int length = 4000) =>
        MarkovGaussian(seed, length, [0.98, 0.02, 0.05, 0.95], [0.05, -0.1], [0.5, 2.0]);
}
