using LeanModels.Models.Research;
using MathNet.Numerics.LinearAlgebra;

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
        if (n < P) throw new ArgumentException($"ridge: {n} training rows for {P} coefficients; need at least {P}.", nameof(trainDates));
        var m = Matrix<double>.Build.Dense(P, P, (i, j) => i >= j ? xtx[i * P + j] : xtx[j * P + i]);
        for (var i = 0; i < F; i++) m[i, i] += _lambda * n;             // intercept (index F) is not penalised
        var beta = m.Cholesky().Solve(Vector<double>.Build.Dense(xty)).ToArray();
        return new RidgeModel(normaliser, beta, horizon);
    }
}
