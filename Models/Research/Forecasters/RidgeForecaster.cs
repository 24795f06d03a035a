using MathNet.Numerics.LinearAlgebra;

namespace LeanModels.Models.Research.Forecasters;

/// <summary>
/// Ridge regression of the label on the z-scored features (Hoerl and Kennard 1970): β = (XᵀX + λ·N·I)⁻¹ Xᵀy with an
/// unpenalised intercept, where N is the number of training rows (so λ does not depend on the sample size). The target is
/// the label minus its cross-sectional mean on each date, so the model learns to rank assets rather than to time the
/// market. The z-score is fitted on the training rows only (<see cref="FeatureNormaliser"/>). Solved with MathNet's Cholesky.
/// </summary>
public sealed class RidgeForecaster : IForecaster
{
    private readonly double _lambda;
    private FeatureNormaliser? _normaliser;
    private double[]? _beta;                                             // [F + 1], intercept last

    /// <summary>Initializes a ridge forecaster.</summary>
    /// <param name="lambda">Penalty per training row, λ ≥ 0; default 0.01.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lambda"/> &lt; 0 or not finite.</exception>
    public RidgeForecaster(double lambda = 0.01)
    {
        if (!(lambda >= 0 && double.IsFinite(lambda))) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "ridge λ must be finite and ≥ 0");
        _lambda = lambda;
    }

    /// <inheritdoc />
    public string Name => "ridge";

    /// <summary>[F + 1] fitted coefficients on z-scored features, intercept last; null before <see cref="Fit"/>.</summary>
    public IReadOnlyList<double>? Coefficients => _beta;

    /// <summary>Fits β on the valid rows of <paramref name="trainDates"/> with a finite label.</summary>
    /// <param name="features">The feature set.</param>
    /// <param name="labels">[D, A] labels, NaN = absent.</param>
    /// <param name="trainDates">Training date indices.</param>
    /// <exception cref="ArgumentException">Fewer training rows than F + 1; the message gives both numbers.</exception>
    public void Fit(FeatureSet features, ReadOnlySpan<double> labels, IReadOnlyList<int> trainDates)
    {
        int F = features.FeatureCount, A = features.AssetCount, P = F + 1;
        var normaliser = FeatureNormaliser.Fit(features, trainDates);
        var xtx = new double[P * P];
        var xty = new double[P];
        Span<double> z = stackalloc double[P];
        long n = 0;
        foreach (var d in trainDates)
        {
            double labelSum = 0;
            var count = 0;
            for (var a = 0; a < A; a++)
                if (features.IsValid(d, a) && double.IsFinite(labels[d * A + a])) { labelSum += labels[d * A + a]; count++; }
            if (count == 0) continue;
            var labelMean = labelSum / count;
            for (var a = 0; a < A; a++)
            {
                var y = labels[d * A + a];
                if (!features.IsValid(d, a) || !double.IsFinite(y)) continue;
                normaliser.Transform(features.Row(d, a), z[..F]);
                z[F] = 1.0;
                y -= labelMean;
                for (var i = 0; i < P; i++)
                {
                    xty[i] += z[i] * y;
                    for (var j = 0; j <= i; j++) xtx[i * P + j] += z[i] * z[j];
                }
                n++;
            }
        }
        if (n < P) throw new ArgumentException($"RidgeForecaster: {n} training rows for {P} coefficients; need at least {P}.", nameof(trainDates));
        var m = Matrix<double>.Build.Dense(P, P, (i, j) => i >= j ? xtx[i * P + j] : xtx[j * P + i]);
        for (var i = 0; i < F; i++) m[i, i] += _lambda * n;             // intercept (index F) is not penalised
        _beta = m.Cholesky().Solve(Vector<double>.Build.Dense(xty)).ToArray();
        _normaliser = normaliser;
    }

    /// <summary>Forecast = β·z(features) for every valid asset.</summary>
    /// <param name="features">The feature set.</param>
    /// <param name="date">Date index.</param>
    /// <param name="forecast">[A] forecast of the cross-sectionally demeaned log return over the horizon; NaN where invalid.</param>
    /// <exception cref="InvalidOperationException">Called before <see cref="Fit"/>.</exception>
    public void Predict(FeatureSet features, int date, Span<double> forecast)
    {
        if (_beta is null || _normaliser is null) throw new InvalidOperationException("RidgeForecaster: Predict called before Fit.");
        var F = features.FeatureCount;
        Span<double> z = stackalloc double[F];
        for (var a = 0; a < features.AssetCount; a++)
        {
            if (!features.IsValid(date, a)) { forecast[a] = double.NaN; continue; }
            _normaliser.Transform(features.Row(date, a), z);
            var s = _beta[F];
            for (var f = 0; f < F; f++) s += _beta[f] * z[f];
            forecast[a] = s;
        }
    }
}
