using System.Numerics;
using LeanModels.Models.Engine;
using LeanModels.Models.Numerics;
using LeanModels.Models.Stockformer;

namespace LeanModels.Tests.Models.Stockformer;

/// <summary>Seeded windows for the Stockformer tests: features, availability, ticker rows, labels.</summary>
internal sealed class StockformerBatch<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public required int B { get; init; }
    public required int TSteps { get; init; }
    public required int A { get; init; }
    public required int F { get; init; }
    public required Tensor<T> X { get; init; }
    public required bool[] Available { get; init; }
    public required int[] Ids { get; init; }
    public required T[] Label { get; init; }

    /// <summary>N(0, 1) features (NaN in absent bars, which the model must ignore), labels N(0, 0.1²), ticker rows 1..A.
    /// Absences: asset A−1 of date 0 is absent on the last step; asset 0 of the last date misses the first two steps.</summary>
    public static StockformerBatch<T> Create(ulong seed, int b, int t, int a, int f, bool requiresGrad = false)
    {
        var rng = new Xoshiro256StarStar(seed);
        var x = Tensor<T>.Normal(rng, 1.0, [b, t, a, f], requiresGrad);
        var available = Enumerable.Repeat(true, b * t * a).ToArray();
        available[(0 * t + t - 1) * a + a - 1] = false;
        if (t >= 2)
            for (var s = 0; s < 2; s++) available[((b - 1) * t + s) * a + 0] = false;
        if (!requiresGrad)
            for (var r = 0; r < available.Length; r++)
                if (!available[r]) x.Data.AsSpan(r * f, f).Fill(T.NaN);
        var ids = new int[b * a];
        for (var i = 0; i < ids.Length; i++) ids[i] = 1 + i % a;
        var label = new T[b * a];
        for (var i = 0; i < label.Length; i++) label[i] = T.CreateTruncating(0.1 * rng.NextGaussian());
        return new StockformerBatch<T> { B = b, TSteps = t, A = a, F = f, X = x, Available = available, Ids = ids, Label = label };
    }

    /// <summary>[B, A] flags: present on the last step.</summary>
    public bool[] LastMask()
    {
        var m = new bool[B * A];
        for (var b = 0; b < B; b++)
            for (var a = 0; a < A; a++) m[b * A + a] = Available[(b * TSteps + TSteps - 1) * A + a];
        return m;
    }
}
