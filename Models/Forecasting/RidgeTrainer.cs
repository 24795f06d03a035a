using LeanModels.Models.Research;

namespace LeanModels.Models.Forecasting;

/// <summary>
/// Ridge regression of the label on the z-scored features (Hoerl and Kennard 1970): β = (XᵀX + λ·N·I)⁻¹ Xᵀy with an
/// unpenalised intercept, where N is the number of training rows (so λ does not depend on the sample size). The target is
/// the label minus its cross-sectional mean on each date, so the model learns to rank assets rather than to time the
/// market. The z-score is fitted on the training rows only (<see cref="FeatureNormaliser"/>). Solved with MathNet's Cholesky.
/// </summary>
public sealed class RidgeTrainer : IForecasterTrainer
{
    private readonly double _lambda;

    /// <summary>Initializes a ridge trainer.</summary>
    /// <param name="lambda">Penalty per training row, λ ≥ 0; default 0.01.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lambda"/> &lt; 0 or not finite.</exception>
    public RidgeTrainer(double lambda = 0.01)
    {
        if (!(lambda >= 0 && double.IsFinite(lambda))) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "ridge λ must be finite and ≥ 0");
        _lambda = lambda;
    }

    /// <inheritdoc />
    public string Name => "ridge";

    /// <inheritdoc />
    public IReturnForecaster Fit(FeatureSet features, ReadOnlySpan<double> labels, IReadOnlyList<int> trainDates, int horizon)
    {
        int F = features.FeatureCount, A = features.AssetCount, P = F + 1;
        var normaliser = FeatureNormaliser.Fit(features, trainDates);
        var regression = new RidgeRegression(P);
        Span<double> z = stackalloc double[P];
        foreach (var d in trainDates)
        {
            if (!DemeanedLabelMean(features, labels, d, out var labelMean)) continue;
            for (var a = 0; a < A; a++)
            {
                var y = labels[d * A + a];
                if (!features.IsValid(d, a) || !double.IsFinite(y)) continue;
                normaliser.Transform(features.Row(d, a), z[..F]);
                z[F] = 1.0;
                regression.Add(z, y - labelMean);
            }
        }
        var beta = regression.Solve(_lambda, "ridge");
        return new RidgeModel(normaliser, beta, horizon, features.Names);
    }

    /// <summary>Mean label over the assets of date <paramref name="d"/> with valid features and a finite label; false when none.</summary>
    internal static bool DemeanedLabelMean(FeatureSet features, ReadOnlySpan<double> labels, int d, out double mean)
    {
        int A = features.AssetCount, count = 0;
        double sum = 0;
        for (var a = 0; a < A; a++)
            if (features.IsValid(d, a) && double.IsFinite(labels[d * A + a])) { sum += labels[d * A + a]; count++; }
        mean = count > 0 ? sum / count : double.NaN;
        return count > 0;
    }
}
