using LeanModels.Models.Research;

namespace LeanModels.Models.Forecasting;

/// <summary>
/// Ridge with market regime features: fits a 2-state Gaussian HMM and a GARCH(1,1) on the market proxy over the training
/// span only (data up to the last training date), then a ridge (as <see cref="RidgeTrainer"/>: cross-sectionally demeaned
/// label, z-score fitted on training rows, λ·N penalty, intercept free) on the z-scored features, the regime features and
/// their interactions (<see cref="RegimeRidgeModel"/>). It answers whether regime information helps the cross-section.
/// </summary>
/// <param name="lambda">Penalty per training row, ≥ 0.</param>
public sealed class RegimeRidgeTrainer(double lambda = 0.01) : IForecasterTrainer
{
    /// <inheritdoc />
    public string Name => "ridge-regime";

    /// <inheritdoc />
    public IReturnForecaster Fit(TrainingFold fold, CancellationToken cancellationToken = default)
    {
        if (!(lambda >= 0 && double.IsFinite(lambda))) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "ridge λ must be finite and ≥ 0");
        var (features, trainDates) = (fold.Features, fold.TrainDates);
        if (trainDates.Count == 0) throw new ArgumentException("ridge-regime: no training dates.", nameof(fold));
        int F = features.FeatureCount, A = features.AssetCount, P = RegimeRidgeModel.Columns(F);
        var normaliser = FeatureNormaliser.Fit(features, trainDates);
        var regime = MarketRegimeFeatures.Fit(features.MarketProxy, trainDates[0], trainDates[^1]);
        var shell = new RegimeRidgeModel(normaliser, regime, new double[P], fold.Horizon);     // design rows only
        var regression = new RidgeRegression(P);
        Span<double> x = stackalloc double[P];
        Span<double> r = stackalloc double[2];
        foreach (var d in trainDates)
        {
            var labels = fold.LearnLabels(d);
            if (!regime.TryCompute(features.MarketProxy, d, r) || !RidgeTrainer.DemeanedLabelMean(features, labels, d, out var labelMean)) continue;
            for (var a = 0; a < A; a++)
            {
                var y = labels[a];
                if (!features.IsValid(d, a) || !double.IsFinite(y)) continue;
                shell.Design(features, d, a, r, x);
                regression.Add(x, y - labelMean);
            }
        }
        return new RegimeRidgeModel(normaliser, regime, regression.Solve(lambda, Name), fold.Horizon);
    }
}
