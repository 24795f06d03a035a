// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using LeanModels.Models.Regime;

namespace LeanModels.Risk;

/// <summary>
/// Regime rule from a Gaussian hidden Markov model of the market's daily log returns (<see cref="GaussianHmm"/>, states
/// ordered by variance): the exposure falls linearly with the filtered probability p of the highest-variance state,
/// exposure = 1 − p·(1 − highVolatilityExposure). The probability is the forward filter's (Hamilton 1989; Rabiner 1989),
/// computed from the returns up to today only, so it is usable at today's close.
/// </summary>
/// <remarks>
/// Fit the model on history before the backtest window, e.g. <c>GaussianHmm.Fit(100 * spyLogReturns, 1, new
/// GaussianHmmOptions { ReturnScale = 100 })</c> in <c>Initialize</c> from a <c>History</c> request, and pass it in. The model
/// must declare its unit (<see cref="GaussianHmm.ReturnScale"/>: the research path and the <c>regime</c> command fit percent
/// returns, scale 100): the risk model passes daily log returns as fractions and this rule multiplies them by that scale,
/// so a percent model is never fed fractions (its variances would be 10⁴ times too large for them and every day would look
/// calm). The filter runs over the whole input on each call (once per day in
/// <see cref="RegimeAwareRiskManagementModel"/>), so the result depends only on the returns given.
/// </remarks>
public sealed class HmmRegimeRule : IMarketRegimeRule
{
    private readonly GaussianHmm _model;
    private readonly double _highVolatilityExposure;
    private readonly double _scale;

    /// <summary>Initializes a new instance of the <see cref="HmmRegimeRule"/> class.</summary>
    /// <param name="model">A fitted one-dimensional HMM of daily log returns (D = 1) with a declared <see cref="GaussianHmm.ReturnScale"/>.</param>
    /// <param name="highVolatilityExposure">Exposure when the high-variance state is certain, in [0, 1]; defaults to 0.5.</param>
    /// <exception cref="ArgumentException">The model is not one-dimensional or does not declare the unit of its returns.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="highVolatilityExposure"/> is outside [0, 1].</exception>
    public HmmRegimeRule(GaussianHmm model, double highVolatilityExposure = 0.5)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Dimensions != 1) throw new ArgumentException($"{nameof(HmmRegimeRule)}: the model has {model.Dimensions} dimensions; it must model one series of daily log returns.", nameof(model));
        if (model.ReturnScale is not { } scale)
            throw new ArgumentException($"{nameof(HmmRegimeRule)}: the model does not declare the unit of the returns it was fitted on; fit it with GaussianHmmOptions.ReturnScale (100 for percent log returns, as the research path and the regime command use; 1 for fractions) so the rule can convert the fractions it is given.", nameof(model));
        _scale = scale;
        if (!(highVolatilityExposure >= 0 && highVolatilityExposure <= 1))
            throw new ArgumentOutOfRangeException(nameof(highVolatilityExposure), highVolatilityExposure, "must be in [0, 1].");
        _model = model;
        _highVolatilityExposure = highVolatilityExposure;
        Name = string.Create(CultureInfo.InvariantCulture, $"{nameof(HmmRegimeRule)}({model.States},{highVolatilityExposure})");
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Filtered probability of the high-variance state after the last return; the start probability when empty.</summary>
    /// <param name="marketLogReturns">[T] daily log returns as fractions (0.01 = 1%), oldest first, all finite; multiplied
    /// by the model's <see cref="GaussianHmm.ReturnScale"/> before filtering.</param>
    /// <returns>p in [0, 1].</returns>
    /// <exception cref="ArgumentException">A return is NaN or infinite.</exception>
    public double HighVolatilityProbability(ReadOnlySpan<double> marketLogReturns)
    {
        if (marketLogReturns.IsEmpty) return _model.StartProbabilities[_model.HighVolState];
        var scaled = new double[marketLogReturns.Length];
        for (var t = 0; t < scaled.Length; t++) scaled[t] = marketLogReturns[t] * _scale;
        var filtered = _model.Filter(scaled);                                        // [T, K]
        return filtered[(marketLogReturns.Length - 1) * _model.States + _model.HighVolState];
    }

    /// <inheritdoc />
    public double Exposure(ReadOnlySpan<double> marketLogReturns) =>
        1 - HighVolatilityProbability(marketLogReturns) * (1 - _highVolatilityExposure);
}
