namespace LeanModels.Models.Regime;

/// <summary>Covariance structure of each state's Gaussian emission in <see cref="GaussianHmm"/>.</summary>
public enum HmmCovarianceType
{
    /// <summary>Diagonal covariance: the D observation columns are independent given the state (D variances per state).</summary>
    Diagonal,

    /// <summary>Full symmetric positive-definite D × D covariance per state.</summary>
    Full,
}
