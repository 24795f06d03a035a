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
/// Fit the model on history before the backtest window, e.g. <c>GaussianHmm.Fit(spyLogReturns)</c> in <c>Initialize</c>
/// from a <c>History</c> request, and pass it in. The filter runs over the whole input on each call (once per day in
/// <see cref="RegimeAwareRiskManagementModel"/>), so the result depends only on the returns given.
/// </remarks>
public sealed class HmmRegimeRule : IMarketRegimeRule
{
    private readonly GaussianHmm _model;
    private readonly double _highVolatilityExposure;

    /// <summary>Initializes a new instance of the <see cref="HmmRegimeRule"/> class.</summary>
    /// <param name="model">A fitted one-dimensional HMM of daily log returns (D = 1).</param>
    /// <param name="highVolatilityExposure">Exposure when the high-variance state is certain, in [0, 1]; defaults to 0.5.</param>
    /// <exception cref="ArgumentException">The model is not one-dimensional.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="highVolatilityExposure"/> is outside [0, 1].</exception>
    public HmmRegimeRule(GaussianHmm model, double highVolatilityExposure = 0.5)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Dimensions != 1) throw new ArgumentException($"{nameof(HmmRegimeRule)}: the model has {model.Dimensions} dimensions; it must model one series of daily log returns.", nameof(model));
        if (!(highVolatilityExposure >= 0 && highVolatilityExposure <= 1))
            throw new ArgumentOutOfRangeException(nameof(highVolatilityExposure), highVolatilityExposure, "must be in [0, 1].");
        _model = model;
        _highVolatilityExposure = highVolatilityExposure;
        Name = string.Create(CultureInfo.InvariantCulture, $"{nameof(HmmRegimeRule)}({model.States},{highVolatilityExposure})");
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Filtered probability of the high-variance state after the last return; the start probability when empty.</summary>
    /// <param name="marketLogReturns">[T] daily log returns, oldest first, all finite.</param>
    /// <returns>p in [0, 1].</returns>
    /// <exception cref="ArgumentException">A return is NaN or infinite.</exception>
    public double HighVolatilityProbability(ReadOnlySpan<double> marketLogReturns)
    {
        if (marketLogReturns.IsEmpty) return _model.StartProbabilities[_model.HighVolState];
        var filtered = _model.Filter(marketLogReturns);                               // [T, K]
        return filtered[(marketLogReturns.Length - 1) * _model.States + _model.HighVolState];
    }

    /// <inheritdoc />
    public double Exposure(ReadOnlySpan<double> marketLogReturns) =>
        1 - HighVolatilityProbability(marketLogReturns) * (1 - _highVolatilityExposure);
}
