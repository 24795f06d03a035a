namespace LeanModels.Models.Research;

/// <summary>
/// Which features a model reads, as recorded in its artifact and checked when it is loaded: the feature set's name (one of
/// <see cref="FeatureSetCatalog.Names"/>), the version of its definitions, and the [F] feature names in storage order.
/// A model is served only by a build whose feature set of that name has the same version and names.
/// </summary>
/// <param name="Name">Feature set name, e.g. <c>basic</c> (<see cref="FeatureBuilder"/>).</param>
/// <param name="Version">Version of the definitions, e.g. <c>features/1</c>; bumped whenever a definition or the order changes.</param>
/// <param name="FeatureNames">[F] feature names in storage order.</param>
public sealed record FeatureSpecification(string Name, string Version, IReadOnlyList<string> FeatureNames)
{
    /// <summary>F, the number of features.</summary>
    public int Count => FeatureNames.Count;

    /// <summary>True when <paramref name="other"/> has the same name, version and feature names (in order).</summary>
    /// <param name="other">Another specification.</param>
    /// <returns>Whether the two describe the same features.</returns>
    public bool Matches(FeatureSpecification other) =>
        Name == other.Name && Version == other.Version && FeatureNames.SequenceEqual(other.FeatureNames, StringComparer.Ordinal);

    /// <summary>Readable form for messages: <c>name 'version' [f1, f2, …]</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Name} '{Version}' [{string.Join(", ", FeatureNames)}]";
}
