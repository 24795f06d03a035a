namespace LeanModels.Models.Data;

/// <summary>How equity prices are adjusted by the factor file (LEAN's <c>DataNormalizationMode</c> subset, lean-api.md §5).</summary>
public enum PriceAdjustment
{
    /// <summary>Prices as traded (LEAN <c>Raw</c>).</summary>
    Raw,

    /// <summary>Prices × split factor; volume ÷ split factor (LEAN <c>SplitAdjusted</c>).</summary>
    SplitAdjusted,

    /// <summary>Prices × price factor × split factor; volume ÷ that factor, rounded (LEAN <c>Adjusted</c>, the default for AddEquity).</summary>
    Adjusted,
}
