namespace LeanModels.Models.Research;

/// <summary>
/// The feature sets research, <c>predict</c> and the LEAN alpha can select by name (<see cref="IFeatureSetBuilder"/>):
/// <c>basic</c> (<see cref="FeatureBuilder"/>, 11 features, the default) and <c>alpha158</c> (<see cref="Features.Alpha158"/>,
/// Qlib's Alpha158 without VWAP0, 157 features).
/// </summary>
public static class FeatureSetCatalog
{
    /// <summary>Name of the default feature set, the eleven price/volume features of <see cref="FeatureBuilder"/>.</summary>
    public const string Default = BasicFeatureSet.SetName;

    private static readonly IFeatureSetBuilder[] Builders = [BasicFeatureSet.Instance, Features.Alpha158.Builder];

    /// <summary>Known feature set names.</summary>
    public static IReadOnlyList<string> Names { get; } = Builders.Select(b => b.Specification.Name).ToArray();

    /// <summary>The builder of a feature set.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static IFeatureSetBuilder Get(string name) =>
        Builders.FirstOrDefault(b => b.Specification.Name == name)
        ?? throw new ArgumentException($"unknown feature set '{name}'; known feature sets: {string.Join(", ", Names)}.", nameof(name));

    /// <summary>The builder whose specification equals <paramref name="specification"/> (name, version and feature names).</summary>
    /// <param name="specification">What a model was trained on.</param>
    /// <param name="builder">The matching builder, or null.</param>
    /// <returns>True when this build computes exactly that feature set.</returns>
    public static bool TryGet(FeatureSpecification specification, out IFeatureSetBuilder? builder)
    {
        builder = Builders.FirstOrDefault(b => b.Specification.Matches(specification));
        return builder is not null;
    }

    /// <summary>The eleven features of <see cref="FeatureBuilder"/>.</summary>
    private sealed class BasicFeatureSet : IFeatureSetBuilder
    {
        public const string SetName = "basic";

        public static readonly BasicFeatureSet Instance = new();

        public FeatureSpecification Specification { get; } = new(SetName, FeatureBuilder.Version, FeatureBuilder.Names);

        public int WarmUpBars => FeatureBuilder.WarmUpBars;

        public FeatureSet Build(Panel panel) => FeatureBuilder.Build(panel);
    }
}
