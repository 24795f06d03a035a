using System.Text.Json.Nodes;
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
    /// <param name="features">The feature set trained on; null = the basic set (<see cref="FeatureBuilder"/>).</param>
    /// <param name="warmUpBars">Bars its features need before a valid row; default the basic set's 60.</param>
    /// <exception cref="ArgumentException">β is not F + 1 long or not finite; the specification's F differs; horizon &lt; 1.</exception>
    public RidgeModel(FeatureNormaliser normaliser, IReadOnlyList<double> beta, int horizon, FeatureSpecification? features = null,
        int warmUpBars = FeatureBuilder.WarmUpBars)
    {
        if (beta.Count != normaliser.Mean.Count + 1)
            throw new ArgumentException($"RidgeModel: β has {beta.Count} coefficients; expected F + 1 = {normaliser.Mean.Count + 1}.", nameof(beta));
        if (beta.Any(b => !double.IsFinite(b))) throw new ArgumentException("RidgeModel: a coefficient is not finite.", nameof(beta));
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        Features = features ?? FeatureSetCatalog.Get(FeatureSetCatalog.Default).Specification;
        if (Features.Count != normaliser.Mean.Count)
            throw new ArgumentException($"RidgeModel: the normaliser has {normaliser.Mean.Count} features, the specification {Features}.", nameof(features));
        Normaliser = normaliser;
        _beta = beta.ToArray();
        Horizon = horizon;
        Window = new InputWindow(1, warmUpBars);
    }

    /// <inheritdoc />
    public string Name => "ridge";

    /// <inheritdoc />
    public int Horizon { get; }

    /// <summary>One date (T = 1) of its features after their warm-up: 61 bars per asset for the basic set.</summary>
    public InputWindow Window { get; }

    /// <inheritdoc />
    public FeatureSpecification Features { get; }

    /// <summary>The training z-score.</summary>
    public FeatureNormaliser Normaliser { get; }

    /// <summary>[F + 1] coefficients on z-scored features, intercept last.</summary>
    public IReadOnlyList<double> Coefficients => _beta;

    /// <summary>Forecast = β·z(x) + β₀ on the decision date's features; NaN for an asset masked that day.</summary>
    /// <param name="window">T = 1 window of the basic features.</param>
    /// <returns>The mean forecast only.</returns>
    /// <exception cref="ArgumentException">The window is not T = 1 or not the model's features.</exception>
    public Forecast Predict(FeatureWindow window)
    {
        BaselineWindow.Check(this, window);
        int F = window.FeatureCount, A = window.AssetCount;
        var forecast = new double[A];
        Span<double> z = stackalloc double[F];
        for (var a = 0; a < A; a++)
        {
            if (!window.IsAvailable(a, 0)) { forecast[a] = double.NaN; continue; }
            Normaliser.Transform(window.Row(a, 0), z);
            var s = _beta[F];
            for (var f = 0; f < F; f++) s += _beta[f] * z[f];
            forecast[a] = s;
        }
        return new Forecast(window.Date, window.Tickers, forecast, null);
    }

    /// <summary>Kind <c>ridge</c>: the training z-score as the normaliser and one array <c>beta</c> [F + 1].</summary>
    /// <returns>The state.</returns>
    public ModelState State() => new("ridge", new JsonObject(), Normaliser, [NamedArray.Of("beta", _beta.ToArray())]);
}
