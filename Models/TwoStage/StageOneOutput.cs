using System.Numerics;
using LeanModels.Models.Engine;

namespace LeanModels.Models.TwoStage;

/// <summary>What <see cref="TwoStageModel{T}.ForwardStageOne"/> returns: the stage-1 embedding and, for a model with
/// <see cref="TwoStageOptions.FreezeStageOne"/>, the pretraining forecast.</summary>
/// <typeparam name="T">Element type.</typeparam>
public sealed class StageOneOutput<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>[B, T, A, E] embedding e, 0 in absent bars.</summary>
    public required Tensor<T> Embedding { get; init; }

    /// <summary>[B, A] forecast of the pretraining head Linear(E → 1) on the last date's embedding (the cross-section of one day
    /// only), or null when the model has no such head (end-to-end models).</summary>
    public Tensor<T>? Return { get; init; }

    /// <summary>[B, A] flags: true where the asset has a bar on the window's last date.</summary>
    public required bool[] PredictionMask { get; init; }
}
