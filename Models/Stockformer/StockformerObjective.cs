namespace LeanModels.Models.Stockformer;

/// <summary>
/// The training objective of a Stockformer forecaster: which head the loss trains and what the forecast's
/// <see cref="Forecasting.Forecast.Mean"/> is. Every head exists in the network; only the objective's head is trained, and only
/// the trained head's outputs are published in the <see cref="Forecasting.Forecast"/> (an untrained head is random noise).
/// </summary>
public enum StockformerObjective
{
    /// <summary>Return head, MSE on the per-date normalised label. Mean = the return head (a log return over H when the label
    /// is not normalised; a score in the label's normalised unit otherwise).</summary>
    ReturnMse,

    /// <summary>Return head, negative per-date Pearson IC against the normalised label. Mean = the return head (a ranking score;
    /// the IC loss is scale-free, so its unit is arbitrary).</summary>
    ReturnIC,

    /// <summary>Direction head, BCE against 1[raw label &gt; 0]. Mean = p − ½ (a ranking score, not a log return); UpProbability = p;
    /// Confidence = |2p − 1|.</summary>
    Direction,

    /// <summary>Quantile head 0.1/0.5/0.9, pinball loss on the normalised label. Mean = the median quantile; Quantile10/50/90 set;
    /// Confidence = |q₅₀| / (|q₅₀| + (q₉₀ − q₁₀)/2), the median against the half-spread, in [0, 1].</summary>
    Quantiles,

    /// <summary>Allocation head, the allocation loss on the raw label as a simple return exp(label) − 1 (book return, turnover
    /// and gross penalties). Mean = the allocation weight (a ranking score); Allocation set.</summary>
    Allocation,
}

/// <summary>Names of <see cref="StockformerObjective"/> as stored in artifacts.</summary>
public static class StockformerObjectives
{
    /// <summary>The artifact name of an objective.</summary>
    /// <param name="objective">An objective.</param>
    /// <returns>"return-mse", "return-ic", "direction", "quantiles" or "allocation".</returns>
    public static string Name(StockformerObjective objective) => objective switch
    {
        StockformerObjective.ReturnMse => "return-mse",
        StockformerObjective.ReturnIC => "return-ic",
        StockformerObjective.Direction => "direction",
        StockformerObjective.Quantiles => "quantiles",
        StockformerObjective.Allocation => "allocation",
        _ => throw new ArgumentOutOfRangeException(nameof(objective), objective, "unknown Stockformer objective."),
    };

    /// <summary>Parses an artifact name.</summary>
    /// <param name="name">A name from <see cref="Name"/>.</param>
    /// <param name="objective">The objective.</param>
    /// <returns>True when the name is known.</returns>
    public static bool TryParse(string? name, out StockformerObjective objective)
    {
        foreach (var o in Enum.GetValues<StockformerObjective>())
            if (Name(o) == name) { objective = o; return true; }
        objective = default;
        return false;
    }

    /// <summary>The head the objective trains.</summary>
    /// <param name="objective">An objective.</param>
    /// <returns>The head flag.</returns>
    public static StockformerHeads Head(StockformerObjective objective) => objective switch
    {
        StockformerObjective.ReturnMse or StockformerObjective.ReturnIC => StockformerHeads.Return,
        StockformerObjective.Direction => StockformerHeads.Direction,
        StockformerObjective.Quantiles => StockformerHeads.Quantiles,
        _ => StockformerHeads.Allocation,
    };
}
