using System.Text.Json.Nodes;
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

    /// <summary>One date (T = 1) of the basic features and the last <see cref="MarketRegimeFeatures.WindowDays"/> days of the market proxy: 61 bars per asset.</summary>
    public InputWindow Window { get; } = new(1, FeatureBuilder.WarmUpBars, MarketRegimeFeatures.WindowDays);

    /// <inheritdoc />
    public FeatureSpecification Features => FeatureSetCatalog.Get(FeatureSetCatalog.Default).Specification;

    /// <summary>The training z-score.</summary>
    public FeatureNormaliser Normaliser { get; }

    /// <summary>The fitted market regime models.</summary>
    public MarketRegimeFeatures Regime { get; }

    /// <summary>Coefficients, intercept last.</summary>
    public IReadOnlyList<double> Coefficients => _beta;

    /// <summary>Writes the design row of asset <paramref name="asset"/> on <paramref name="date"/> into <paramref name="x"/> (length <see cref="Columns"/>).</summary>
    internal void Design(FeatureSet features, int date, int asset, ReadOnlySpan<double> regime, Span<double> x) =>
        Design(features.Row(date, asset), regime, x, features.FeatureCount);

    private void Design(ReadOnlySpan<double> row, ReadOnlySpan<double> regime, Span<double> x, int F)
    {
        Normaliser.Transform(row, x[..F]);
        x[F] = regime[0];
        x[F + 1] = regime[1];
        for (var i = 0; i < _interacted.Length; i++) x[F + 2 + i] = regime[0] * x[_interacted[i]];
        x[^1] = 1.0;
    }

    /// <summary>Forecast = β·x + β₀ (class summary) on the decision date; all NaN when the proxy window is incomplete.</summary>
    /// <param name="window">T = 1 window of the basic features with M = 60 proxy days.</param>
    /// <returns>The mean forecast only.</returns>
    /// <exception cref="ArgumentException">The window is not the model's (T, M, features).</exception>
    public Forecast Predict(FeatureWindow window)
    {
        BaselineWindow.Check(this, window);
        int F = window.FeatureCount, A = window.AssetCount;
        var forecast = new double[A];
        Span<double> regime = stackalloc double[2];
        if (!Regime.TryCompute(window.MarketProxy, window.MarketProxy.Length - 1, regime))
        {
            Array.Fill(forecast, double.NaN);
            return new Forecast(window.Date, window.Tickers, forecast, null);
        }
        Span<double> x = stackalloc double[_beta.Length];
        for (var a = 0; a < A; a++)
        {
            if (!window.IsAvailable(a, 0)) { forecast[a] = double.NaN; continue; }
            Design(window.Row(a, 0), regime, x, F);
            var s = 0.0;
            for (var i = 0; i < x.Length; i++) s += _beta[i] * x[i];
            forecast[a] = s;
        }
        return new Forecast(window.Date, window.Tickers, forecast, null);
    }

    /// <summary>Kind <c>ridge-regime</c>: the z-score as the normaliser, β, and the HMM and GARCH parameters.</summary>
    /// <returns>The state.</returns>
    public ModelState State()
    {
        var hmm = Regime.Hmm;
        var g = Regime.Garch;
        return new ModelState("ridge-regime", new JsonObject(), Normaliser,
        [
            NamedArray.Of("beta", _beta.ToArray()),
            NamedArray.Of("hmmStart", hmm.StartProbabilities.ToArray()), NamedArray.Of("hmmTransition", hmm.TransitionMatrix.ToArray()),
            NamedArray.Of("hmmMeans", hmm.Means.ToArray()), NamedArray.Of("hmmCovariances", hmm.Covariances.ToArray()),
            NamedArray.Of("garch", [g.Mu, g.Omega, g.Alpha, g.Beta, g.Backcast]),
        ]);
    }
}
