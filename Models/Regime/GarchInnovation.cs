namespace LeanModels.Models.Regime;

/// <summary>Distribution of the standardised innovation zₜ = εₜ/σₜ of a <see cref="GarchModel"/> (always unit variance).</summary>
public enum GarchInnovation
{
    /// <summary>Standard normal.</summary>
    Normal,

    /// <summary>Student-t with ν &gt; 2 degrees of freedom, rescaled to unit variance (Bollerslev 1987, REStat 69).</summary>
    StudentT,
}
