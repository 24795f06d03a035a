using System.Numerics;
using LeanModels.Models.Numerics;

namespace LeanModels.Models.Engine.Layers;

/// <summary>Recurrent-weight initialisation shared by <see cref="Lstm{T}"/> and <see cref="Gru{T}"/>.</summary>
internal static class RecurrentInit
{
    /// <summary>Fills a [H, gates·H] matrix so that each gate's [H, H] column block is an independent random orthogonal matrix.</summary>
    public static void OrthogonalGates<T>(Span<T> weight, int hidden, int gates, Xoshiro256StarStar rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var block = new T[hidden * hidden];
        for (var g = 0; g < gates; g++)
        {
            Init.Orthogonal<T>(block, hidden, hidden, rng);
            for (var r = 0; r < hidden; r++)
                block.AsSpan(r * hidden, hidden).CopyTo(weight.Slice(r * gates * hidden + g * hidden, hidden));
        }
    }
}
