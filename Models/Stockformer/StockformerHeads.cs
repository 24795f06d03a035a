namespace LeanModels.Models.Stockformer;

/// <summary>Prediction heads of <see cref="StockformerModel{T}"/>, each read off the last time step's representation per asset.</summary>
[Flags]
public enum StockformerHeads
{
    /// <summary>No head (invalid in options).</summary>
    None = 0,

    /// <summary>Return regression: one value per asset, the forecast log return over the horizon H (MSE or IC loss).</summary>
    Return = 1,

    /// <summary>Direction: one logit per asset for P(label &gt; 0) (BCE loss).</summary>
    Direction = 2,

    /// <summary>Allocation: tanh of one value per asset, a weight in [−1, 1] (book-return loss with turnover and gross penalties).</summary>
    Allocation = 4,

    /// <summary>Quantiles 0.1, 0.5, 0.9 of the label per asset, non-crossing by construction (pinball loss).</summary>
    Quantiles = 8,

    /// <summary>All four heads.</summary>
    All = Return | Direction | Allocation | Quantiles,
}
