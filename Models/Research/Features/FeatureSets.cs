namespace LeanModels.Models.Research.Features;

/// <summary>
/// The feature sets a run or a model can use, by name: <c>default</c> (<see cref="FeatureBuilder"/>, 11 features) and
/// <c>alpha158</c> (<see cref="Alpha158"/>, 157 features). A model records the set's <see cref="Version"/> and names, and the
/// same set is rebuilt from raw bars when it predicts (research, <c>predict</c>, the LEAN alpha).
/// </summary>
public static class FeatureSets
{
    /// <summary>Name of <see cref="FeatureBuilder"/>'s set.</summary>
    public const string Default = "default";

    /// <summary>Known names: <c>default</c>, <c>alpha158</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = [Default, Alpha158.Name];

    /// <summary>Builds a feature set from a panel.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="panel">Adjusted daily bars [D, A].</param>
    /// <returns>[D, A, F] features.</returns>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static FeatureSet Build(string name, Panel panel) => name switch
    {
        Default => FeatureBuilder.Build(panel),
        Alpha158.Name => Alpha158.Build(panel),
        _ => throw Unknown(name),
    };

    /// <summary>Version of a set's definitions (<see cref="FeatureBuilder.Version"/> or <see cref="Alpha158.Version"/>).</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <returns>The version string recorded in artifacts.</returns>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static string Version(string name) => name switch
    {
        Default => FeatureBuilder.Version,
        Alpha158.Name => Alpha158.Version,
        _ => throw Unknown(name),
    };

    /// <summary>[F] a set's feature names in storage order.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <returns>The names.</returns>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static IReadOnlyList<string> FeatureNames(string name) => name switch
    {
        Default => FeatureBuilder.Names,
        Alpha158.Name => Alpha158.Names,
        _ => throw Unknown(name),
    };

    /// <summary>Previous bars an asset needs before its first valid row (60 for both sets).</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <returns>Warm-up in bars.</returns>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static int WarmUpBars(string name) => name switch
    {
        Default => FeatureBuilder.WarmUpBars,
        Alpha158.Name => Alpha158.WarmUpBars,
        _ => throw Unknown(name),
    };

    /// <summary>The set whose version is <paramref name="version"/> (as recorded in an artifact).</summary>
    /// <param name="version">E.g. <c>features/1</c>, <c>alpha158/1</c>.</param>
    /// <returns>The set's name, or null when this build computes no such version.</returns>
    public static string? FromVersion(string version) => Names.FirstOrDefault(n => Version(n) == version);

    /// <summary>The set whose feature names are exactly <paramref name="names"/> (what a model records), in order.</summary>
    /// <param name="names">[F] feature names.</param>
    /// <returns>The set's name, or null when no set has these names.</returns>
    public static string? FromNames(IReadOnlyList<string> names) => Names.FirstOrDefault(n => FeatureNames(n).SequenceEqual(names));

    private static ArgumentException Unknown(string name) =>
        new($"unknown feature set '{name}'; known feature sets: {string.Join(", ", Names)}.", nameof(name));
}
