using System.Numerics;
using LeanModels.Models.Engine;

namespace LeanModels.Models.Stockformer;

/// <summary>What <see cref="StockformerModel{T}.Forward"/> returns: tape tensors for the enabled heads (null for the others)
/// and the asset mask. Every head has a (finite) value for every asset; those of assets absent on the last date are not
/// predictions and must be ignored (<see cref="PredictionMask"/>; the losses do, and <see cref="StockformerModel{T}.Predict"/>
/// sets them to NaN).</summary>
/// <typeparam name="T">Element type.</typeparam>
public sealed class StockformerOutput<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>[B, A] forecast log return over the horizon, or null.</summary>
    public Tensor<T>? Return { get; init; }

    /// <summary>[B, A] logit of P(label &gt; 0), or null.</summary>
    public Tensor<T>? DirectionLogit { get; init; }

    /// <summary>[B, A] allocation weight in [−1, 1] (tanh), a signed fraction of the book before any gross scaling, or null.</summary>
    public Tensor<T>? Allocation { get; init; }

    /// <summary>[B, A, 3] quantiles 0.1, 0.5, 0.9 of the label, q₀.₁ ≤ q₀.₅ ≤ q₀.₉ by construction, or null.</summary>
    public Tensor<T>? Quantiles { get; init; }

    /// <summary>[B, A] flags: true where the asset has a bar on the last date of the window (a prediction exists).</summary>
    public required bool[] PredictionMask { get; init; }

    /// <summary>Encoder output before the final LayerNorm: [B, A, 1, D] (the last step) by default, [B, A, T_L, D] when
    /// <see cref="StockformerModel{T}.Forward"/> is asked for all steps (T_L = T without distilling). Position t depends on
    /// input steps ≤ t only when the temporal attention is causal.</summary>
    public required Tensor<T> Encoded { get; init; }

    /// <summary>[B, A, A] cross-ticker attention weights of the LAST encoder layer's cross-ticker block at the LAST time step,
    /// averaged over heads: row i is asset i's weights over the A assets (0 for assets absent on that step; each row sums to
    /// 1). Rows of absent assets attend to the present assets and themselves and carry no prediction. Null unless requested.</summary>
    public T[]? CrossTickerAttention { get; init; }
}
