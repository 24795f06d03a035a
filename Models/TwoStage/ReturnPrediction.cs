using System.Numerics;

namespace LeanModels.Models.TwoStage;

/// <summary>Inference result of <see cref="TwoStageModel{T}.Predict"/> and <see cref="DirectModel{T}.Predict"/>: the
/// return forecast per date and asset, NaN for assets absent on the last date of the window (no prediction is made).</summary>
/// <typeparam name="T">Element type.</typeparam>
public sealed class ReturnPrediction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>B, the number of windows (dates).</summary>
    public required int Batch { get; init; }

    /// <summary>A (N for the direct model), the number of assets.</summary>
    public required int Assets { get; init; }

    /// <summary>[B, A] forecast return over the horizon, in the label's units (the model learns whatever label it is trained on);
    /// NaN where <see cref="Available"/> is false.</summary>
    public required T[] Return { get; init; }

    /// <summary>[B, A] flags: true where a prediction exists (the asset has a bar on the window's last date).</summary>
    public required bool[] Available { get; init; }
}
