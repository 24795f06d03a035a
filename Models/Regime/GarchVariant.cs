namespace LeanModels.Models.Regime;

/// <summary>Variance recursion of a <see cref="GarchModel"/>.</summary>
public enum GarchVariant
{
    /// <summary>GARCH(1,1): σ²ₜ = ω + α·ε²ₜ₋₁ + β·σ²ₜ₋₁ (Bollerslev 1986, J. Econometrics 31).</summary>
    Garch,

    /// <summary>GJR-GARCH(1,1,1): σ²ₜ = ω + (α + γ·1[εₜ₋₁ &lt; 0])·ε²ₜ₋₁ + β·σ²ₜ₋₁ (Glosten, Jagannathan and Runkle 1993, J. Finance 48).</summary>
    Gjr,
}
