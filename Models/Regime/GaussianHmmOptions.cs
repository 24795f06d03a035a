namespace LeanModels.Models.Regime;

/// <summary>Settings for <see cref="GaussianHmm.Fit"/>. Every setting has a default; validate with <see cref="Validate"/>.</summary>
public sealed record GaussianHmmOptions
{
    /// <summary>Number of hidden states K, ≥ 1. Default 2 (calm, turbulent).</summary>
    public int States { get; init; } = 2;

    /// <summary>Emission covariance structure. Default <see cref="HmmCovarianceType.Diagonal"/>.</summary>
    public HmmCovarianceType Covariance { get; init; } = HmmCovarianceType.Diagonal;

    /// <summary>Baum–Welch runs from different seeded random starts; the highest log-likelihood wins. ≥ 1, default 5.</summary>
    public int Restarts { get; init; } = 5;

    /// <summary>Maximum EM iterations per restart, ≥ 1. Default 1000.</summary>
    public int MaxIterations { get; init; } = 1000;

    /// <summary>EM stops when the log-likelihood gains less than this (in nats, absolute) in one iteration. Default 1e-8.</summary>
    public double Tolerance { get; init; } = 1e-8;

    /// <summary>Seed of the <see cref="Numerics.Xoshiro256StarStar"/> that draws every restart's start. Same seed → bit-identical fit.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>
    /// Variance floor as a fraction of each column's sample variance, added to every state's variances in the M-step so a
    /// state cannot collapse onto a few points (the likelihood is unbounded otherwise). Default 1e-6; must be in (0, 1).
    /// </summary>
    public double VarianceFloorFraction { get; init; } = 1e-6;

    /// <summary>
    /// The unit of the observations when they are daily log returns: the factor they were multiplied by (100 = percent, as
    /// the research path and the <c>regime</c> command fit them; 1 = fractions), recorded in the model as
    /// <see cref="GaussianHmm.ReturnScale"/> so a consumer feeding it returns can check and convert. Null (default) for
    /// observations that are not returns or whose unit is not declared. Must be finite and &gt; 0 when set.
    /// </summary>
    public double? ReturnScale { get; init; }

    /// <summary>Throws if any setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message gives the value.</exception>
    public void Validate()
    {
        if (States < 1) throw new ArgumentOutOfRangeException(nameof(States), States, $"GaussianHmmOptions: States must be ≥ 1, got {States}.");
        if (ReturnScale is { } scale && !(double.IsFinite(scale) && scale > 0))
            throw new ArgumentOutOfRangeException(nameof(ReturnScale), scale, $"GaussianHmmOptions: ReturnScale must be finite and > 0, got {scale}.");
        if (Restarts < 1) throw new ArgumentOutOfRangeException(nameof(Restarts), Restarts, $"GaussianHmmOptions: Restarts must be ≥ 1, got {Restarts}.");
        if (MaxIterations < 1) throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, $"GaussianHmmOptions: MaxIterations must be ≥ 1, got {MaxIterations}.");
        if (!(Tolerance >= 0)) throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, $"GaussianHmmOptions: Tolerance must be ≥ 0, got {Tolerance}.");
        if (!(VarianceFloorFraction > 0 && VarianceFloorFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(VarianceFloorFraction), VarianceFloorFraction, $"GaussianHmmOptions: VarianceFloorFraction must be in (0, 1), got {VarianceFloorFraction}.");
    }
}
