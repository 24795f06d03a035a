using System.Numerics;

namespace LeanModels.Models.Stockformer;

/// <summary>Inference result of <see cref="StockformerModel{T}.Predict"/>: row-major arrays, NaN for assets absent on the last
/// date of the window (no prediction), null for heads the model does not have.</summary>
/// <typeparam name="T">Element type.</typeparam>
public sealed class StockformerPrediction<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>B, the number of windows (dates).</summary>
    public required int Batch { get; init; }

    /// <summary>A, the number of assets.</summary>
    public required int Assets { get; init; }

    /// <summary>[B, A] forecast log return over the horizon H, or null.</summary>
    public T[]? Return { get; init; }

    /// <summary>[B, A] up-probability σ(direction logit) in (0, 1), or null.</summary>
    public T[]? UpProbability { get; init; }

    /// <summary>[B, A] allocation weight in [−1, 1], or null.</summary>
    public T[]? Allocation { get; init; }

    /// <summary>[B, A, 3] quantiles 0.1, 0.5, 0.9 of the forward log return, non-crossing, or null.</summary>
    public T[]? Quantiles { get; init; }

    /// <summary>[B, A] flags: true where a prediction exists.</summary>
    public required bool[] Available { get; init; }

    /// <summary>[B, A, A] head-averaged cross-ticker attention of the last encoder layer at the last time step (see
    /// <see cref="StockformerOutput{T}.CrossTickerAttention"/>), or null unless requested.</summary>
    public T[]? CrossTickerAttention { get; init; }
}
