// SPDX-License-Identifier: Apache-2.0
namespace LeanModels.Risk;

/// <summary>
/// Maps the market's recent daily log returns to the gross exposure allowed in that regime. The seam where a regime model
/// from <c>Models/Regime</c> (HMM, Markov switching) plugs into <see cref="RegimeAwareRiskManagementModel"/>; the default is
/// <see cref="VolatilityDrawdownRegimeRule"/>. Implementations must be deterministic functions of their input.
/// </summary>
public interface IMarketRegimeRule
{
    /// <summary>Short description for logs, e.g. <c>VolatilityDrawdown(0.3,0.5,0.2,21)</c>.</summary>
    string Name { get; }

    /// <summary>Allowed exposure multiplier for the current regime.</summary>
    /// <param name="marketLogReturns">[T] daily log returns of the market proxy, oldest first, the last one today's; may be empty.</param>
    /// <returns>A multiplier in [0, 1]: 1 = no restriction, 0 = liquidate everything.</returns>
    double Exposure(ReadOnlySpan<double> marketLogReturns);
}
