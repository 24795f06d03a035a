using System.Numerics;
using LeanModels.Models.Engine;

namespace LeanModels.Models.TwoStage;

/// <summary>What <see cref="TwoStageModel{T}.Forward"/> and <see cref="DirectModel{T}.Forward"/> return. Every asset has a
/// (finite) forecast; those of assets absent on the last date are not predictions and must be ignored
/// (<see cref="PredictionMask"/>; masked losses do, and Predict sets them to NaN).</summary>
/// <typeparam name="T">Element type.</typeparam>
public sealed class TwoStageOutput<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>[B, A] forecast return over the horizon (tape tensor).</summary>
    public required Tensor<T> Return { get; init; }

    /// <summary>[B, A] flags: true where the asset has a bar on the window's last date.</summary>
    public required bool[] PredictionMask { get; init; }

    /// <summary>[B, T, A, E] stage-1 embedding e, 0 in absent bars (the value stage 2 reads); null for the direct model.</summary>
    public Tensor<T>? Embedding { get; init; }
}
