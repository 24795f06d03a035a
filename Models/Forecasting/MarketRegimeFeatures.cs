using LeanModels.Models.Regime;

namespace LeanModels.Models.Forecasting;

/// <summary>
/// Market regime features of one date from the market proxy (<see cref="Research.FeatureSet.MarketProxy"/>), window-local
/// like every other feature: a fitted <see cref="GaussianHmm"/> is run as a filter over the last <see cref="WindowDays"/>
/// daily proxy returns (in percent, from its start probabilities) and a fitted <see cref="GarchModel"/> recursion from its
/// backcast over the same days. So a value at date d uses the proxy up to d only, and a LEAN rolling window reproduces it.
/// </summary>
/// <param name="Hmm">2-state HMM fitted on training-period proxy returns (percent); state <see cref="GaussianHmm.HighVolState"/> is turbulent.</param>
/// <param name="Garch">GARCH(1,1) fitted on the same returns.</param>
public sealed record MarketRegimeFeatures(GaussianHmm Hmm, GarchModel Garch)
{
    /// <summary>Proxy returns per window (the last 60 days, as the other features' 60-bar warm-up).</summary>
    public const int WindowDays = 60;

    /// <summary>Feature names: filtered high-volatility probability, and the GARCH volatility forecast for the next day.</summary>
    public static IReadOnlyList<string> Names { get; } = ["regimeHighVol", "garchVolNext"];

    /// <summary>Fits both models on the proxy returns of the dates [first, last] (NaN days skipped).</summary>
    /// <param name="marketProxy">[D] proxy log returns per day.</param>
    /// <param name="first">First training date index.</param>
    /// <param name="last">Last training date index (inclusive).</param>
    /// <param name="seed">HMM restart seed.</param>
    /// <returns>The fitted features.</returns>
    /// <exception cref="ArgumentException">Too few finite returns for the models (the message gives the count).</exception>
    public static MarketRegimeFeatures Fit(ReadOnlySpan<double> marketProxy, int first, int last, ulong seed = 1)
    {
        var returns = new List<double>(last - first + 1);
        for (var d = first; d <= last; d++) if (double.IsFinite(marketProxy[d])) returns.Add(100.0 * marketProxy[d]);
        var span = returns.ToArray().AsSpan();
        return new MarketRegimeFeatures(GaussianHmm.Fit(span, 1, new GaussianHmmOptions { States = 2, Seed = seed, ReturnScale = 100 }), GarchModel.Fit(span));
    }

    /// <summary>Computes the features of date <paramref name="date"/>.</summary>
    /// <param name="marketProxy">[D] proxy log returns per day.</param>
    /// <param name="date">Date index.</param>
    /// <param name="destination">[2]: high-volatility probability in [0, 1]; next-day GARCH volatility (log return per day).</param>
    /// <returns>False when the window is incomplete (fewer than <see cref="WindowDays"/> earlier days or a NaN in it).</returns>
    public bool TryCompute(ReadOnlySpan<double> marketProxy, int date, Span<double> destination)
    {
        if (date + 1 < WindowDays) return false;
        Span<double> window = stackalloc double[WindowDays];
        for (var i = 0; i < WindowDays; i++)
        {
            var r = marketProxy[date - WindowDays + 1 + i];
            if (!double.IsFinite(r)) return false;
            window[i] = 100.0 * r;
        }
        var filtered = Hmm.Filter(window);
        destination[0] = filtered[(WindowDays - 1) * Hmm.States + Hmm.HighVolState];
        destination[1] = Math.Sqrt(Garch.Forecast(window, 1)[0]) / 100.0;
        return true;
    }
}
