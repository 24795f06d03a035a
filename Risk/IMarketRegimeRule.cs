// SPDX-License-Identifier: Apache-2.0
namespace LeanModels.Risk;

/// <summary>
/// Maps the market's recent daily log returns to the gross exposure allowed in that regime. The seam where a regime model
/// from <c>Models/Regime</c> plugs into <see cref="RegimeAwareRiskManagementModel"/>: <see cref="VolatilityDrawdownRegimeRule"/>
/// (the default) or <see cref="HmmRegimeRule"/> (a Gaussian HMM's filtered high-volatility probability). Implementations must be deterministic functions of their input.
/// </summary>
public interface IMarketRegimeRule
{
    /// <summary>Short description for logs, e.g. <c>VolatilityDrawdownRegimeRule(0.3,0.5,0.2,21)</c>.</summary>
    string Name { get; }

    /// <summary>Allowed exposure multiplier for the current regime.</summary>
    /// <param name="marketLogReturns">[T] daily log returns of the market proxy, oldest first, the last one today's; may be empty.</param>
    /// <returns>A multiplier in [0, 1]: 1 = no restriction, 0 = liquidate everything.</returns>
    double Exposure(ReadOnlySpan<double> marketLogReturns);
}
