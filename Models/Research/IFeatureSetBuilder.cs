namespace LeanModels.Models.Research;

/// <summary>
/// A selectable feature set (Qlib's data handler, e.g. <c>Alpha158</c>): computes [D, A, F] features of a panel, each value
/// at date d from bars dated ≤ d only, and names itself in every artifact (<see cref="Specification"/>). Register an
/// implementation in <see cref="FeatureSetCatalog"/> so research, <c>predict</c> and the LEAN alpha can select it by name.
/// </summary>
public interface IFeatureSetBuilder
{
    /// <summary>Name, version and [F] feature names.</summary>
    FeatureSpecification Specification { get; }

    /// <summary>Bars of history an asset needs before its first valid feature row (e.g. 60 for a 60-day momentum).</summary>
    int WarmUpBars { get; }

    /// <summary>Computes every feature of <paramref name="panel"/>.</summary>
    /// <param name="panel">Adjusted daily bars.</param>
    /// <returns>[D, A, F] features with the [D, A] validity mask and the [D] market proxy.</returns>
    FeatureSet Build(Panel panel);
}
