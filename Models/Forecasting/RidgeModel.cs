using LeanModels.Models.Research;

namespace LeanModels.Models.Forecasting;

/// <summary>
/// A fitted ridge regression (see <see cref="RidgeTrainer"/>): forecast = β·z(features) + β₀, where z is the training
/// z-score. Immutable.
/// </summary>
public sealed class RidgeModel : IReturnForecaster
{
    private readonly double[] _beta;                                     // [F + 1], intercept last

    /// <summary>Initializes a fitted model.</summary>
    /// <param name="normaliser">Training z-score, F features.</param>
    /// <param name="beta">[F + 1] coefficients on z-scored features, intercept last; all finite.</param>
    /// <param name="horizon">H ≥ 1 bars.</param>
    /// <param name="featureNames">[F] names of the features it was trained on; null = <see cref="FeatureBuilder.Names"/>.</param>
    /// <exception cref="ArgumentException">β is not F + 1 long or not finite, the names are not F long; horizon &lt; 1.</exception>
    public RidgeModel(FeatureNormaliser normaliser, IReadOnlyList<double> beta, int horizon, IReadOnlyList<string>? featureNames = null)
    {
        FeatureNames = featureNames?.ToArray() ?? FeatureBuilder.Names;
        if (FeatureNames.Count != normaliser.Mean.Count)
            throw new ArgumentException($"RidgeModel: {FeatureNames.Count} feature names for F = {normaliser.Mean.Count} features.", nameof(featureNames));
        if (beta.Count != normaliser.Mean.Count + 1)
            throw new ArgumentException($"RidgeModel: β has {beta.Count} coefficients; expected F + 1 = {normaliser.Mean.Count + 1}.", nameof(beta));
        if (beta.Any(b => !double.IsFinite(b))) throw new ArgumentException("RidgeModel: a coefficient is not finite.", nameof(beta));
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        Normaliser = normaliser;
        _beta = beta.ToArray();
        Horizon = horizon;
    }

    /// <inheritdoc />
    public string Name => "ridge";

    /// <inheritdoc />
    public int Horizon { get; }

    /// <inheritdoc />
    public int LookbackBars => FeatureBuilder.WarmUpBars + 1;

    /// <inheritdoc />
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The training z-score.</summary>
    public FeatureNormaliser Normaliser { get; }

    /// <summary>[F + 1] coefficients on z-scored features, intercept last.</summary>
    public IReadOnlyList<double> Coefficients => _beta;

    /// <inheritdoc />
    public void PredictFeatures(FeatureSet features, int date, Span<double> forecast)
    {
        var F = features.FeatureCount;
        if (forecast.Length != features.AssetCount || F != Normaliser.Mean.Count)
            throw new ArgumentException($"ridge: forecast has {forecast.Length} elements and the features {F}; expected A = {features.AssetCount} and F = {Normaliser.Mean.Count}.");
        Span<double> z = stackalloc double[F];
        for (var a = 0; a < features.AssetCount; a++)
        {
            if (!features.IsValid(date, a)) { forecast[a] = double.NaN; continue; }
            Normaliser.Transform(features.Row(date, a), z);
            var s = _beta[F];
            for (var f = 0; f < F; f++) s += _beta[f] * z[f];
            forecast[a] = s;
        }
    }

    /// <summary>Normaliser means and stds, then β.</summary>
    /// <returns>Arrays <c>mean</c> [F], <c>std</c> [F], <c>beta</c> [F + 1].</returns>
    public IReadOnlyList<(string Name, double[] Values)> Parameters() =>
        [("mean", Normaliser.Mean.ToArray()), ("std", Normaliser.Std.ToArray()), ("beta", _beta.ToArray())];
}
