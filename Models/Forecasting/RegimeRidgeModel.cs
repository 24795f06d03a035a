using LeanModels.Models.Research;

namespace LeanModels.Models.Forecasting;

/// <summary>
/// Ridge with market regime features (<see cref="RegimeRidgeTrainer"/>): forecast = β·x + β₀ with x = the z-scored features,
/// then the two regime features (<see cref="MarketRegimeFeatures.Names"/>), then the high-volatility probability times the
/// z-scores of <see cref="InteractedFeatures"/> — so the weights of momentum, reversal and volatility can differ between calm
/// and turbulent markets. Immutable.
/// </summary>
public sealed class RegimeRidgeModel : IReturnForecaster
{
    /// <summary>Features whose z-score is multiplied by the high-volatility probability.</summary>
    public static IReadOnlyList<string> InteractedFeatures { get; } = ["momentum5", "momentum20", "volatility20"];

    private readonly double[] _beta;
    private readonly int[] _interacted;

    /// <summary>Initializes a fitted model.</summary>
    /// <param name="normaliser">Training z-score of the F base features.</param>
    /// <param name="regime">Fitted market regime models.</param>
    /// <param name="beta">[F + 2 + 3 + 1] coefficients (see the class summary), intercept last.</param>
    /// <param name="horizon">H ≥ 1 bars.</param>
    /// <exception cref="ArgumentException">β has the wrong length or a non-finite value.</exception>
    public RegimeRidgeModel(FeatureNormaliser normaliser, MarketRegimeFeatures regime, IReadOnlyList<double> beta, int horizon)
    {
        var p = Columns(normaliser.Mean.Count);
        if (beta.Count != p || beta.Any(b => !double.IsFinite(b)))
            throw new ArgumentException($"ridge-regime: β has {beta.Count} coefficients (all finite?); expected {p}.", nameof(beta));
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        Normaliser = normaliser;
        Regime = regime;
        _beta = beta.ToArray();
        Horizon = horizon;
        _interacted = InteractedFeatures.Select(n => FeatureBuilder.Names.ToList().IndexOf(n)).ToArray();
    }

    /// <summary>Number of coefficients for F base features: F + 2 regime + 3 interactions + intercept.</summary>
    internal static int Columns(int features) => features + MarketRegimeFeatures.Names.Count + InteractedFeatures.Count + 1;

    /// <inheritdoc />
    public string Name => "ridge-regime";

    /// <inheritdoc />
    public int Horizon { get; }

    /// <inheritdoc />
    public int LookbackBars => FeatureBuilder.WarmUpBars + 1;

    /// <inheritdoc />
    public IReadOnlyList<string> FeatureNames => FeatureBuilder.Names;

    /// <summary>The training z-score.</summary>
    public FeatureNormaliser Normaliser { get; }

    /// <summary>The fitted market regime models.</summary>
    public MarketRegimeFeatures Regime { get; }

    /// <summary>Coefficients, intercept last.</summary>
    public IReadOnlyList<double> Coefficients => _beta;

    /// <summary>Writes the design row of asset <paramref name="asset"/> on <paramref name="date"/> into <paramref name="x"/> (length <see cref="Columns"/>).</summary>
    internal void Design(FeatureSet features, int date, int asset, ReadOnlySpan<double> regime, Span<double> x)
    {
        var F = features.FeatureCount;
        Normaliser.Transform(features.Row(date, asset), x[..F]);
        x[F] = regime[0];
        x[F + 1] = regime[1];
        for (var i = 0; i < _interacted.Length; i++) x[F + 2 + i] = regime[0] * x[_interacted[i]];
        x[^1] = 1.0;
    }

    /// <inheritdoc />
    public void PredictFeatures(FeatureSet features, int date, Span<double> forecast)
    {
        if (forecast.Length != features.AssetCount || features.FeatureCount != Normaliser.Mean.Count)
            throw new ArgumentException($"ridge-regime: forecast has {forecast.Length} elements and the features {features.FeatureCount}; expected A = {features.AssetCount} and F = {Normaliser.Mean.Count}.");
        Span<double> regime = stackalloc double[2];
        if (!Regime.TryCompute(features.MarketProxy, date, regime)) { forecast.Fill(double.NaN); return; }
        Span<double> x = stackalloc double[_beta.Length];
        for (var a = 0; a < features.AssetCount; a++)
        {
            if (!features.IsValid(date, a)) { forecast[a] = double.NaN; continue; }
            Design(features, date, a, regime, x);
            var s = 0.0;
            for (var i = 0; i < x.Length; i++) s += _beta[i] * x[i];
            forecast[a] = s;
        }
    }

    /// <summary>z-score statistics, β, and the HMM and GARCH parameters.</summary>
    /// <returns>Named arrays for the artifact.</returns>
    public IReadOnlyList<(string Name, double[] Values)> Parameters()
    {
        var hmm = Regime.Hmm;
        var g = Regime.Garch;
        return
        [
            ("mean", Normaliser.Mean.ToArray()), ("std", Normaliser.Std.ToArray()), ("beta", _beta.ToArray()),
            ("hmmStart", hmm.StartProbabilities.ToArray()), ("hmmTransition", hmm.TransitionMatrix.ToArray()),
            ("hmmMeans", hmm.Means.ToArray()), ("hmmCovariances", hmm.Covariances.ToArray()),
            ("garch", [g.Mu, g.Omega, g.Alpha, g.Beta, g.Backcast]),
        ];
    }
}
