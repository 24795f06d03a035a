using System.Text.Json.Nodes;
using LeanModels.Models.Research;

namespace LeanModels.Models.Forecasting;

/// <summary>
/// Everything model-specific an artifact stores (<see cref="ForecasterArtifact"/>); the common part (name, horizon,
/// window, feature specification, training record) comes from <see cref="IReturnForecaster"/> and the caller.
/// </summary>
/// <param name="Kind">Model kind the catalog rebuilds from (<see cref="ForecasterCatalog.FromState"/>), e.g. <c>ridge</c>.</param>
/// <param name="Options">Hyperparameters as JSON (numbers, strings, booleans), e.g. layer sizes; empty when none.</param>
/// <param name="Normaliser">The feature z-score fitted on training rows ([F] means and stds), or null when the model has none.</param>
/// <param name="Arrays">Named parameter arrays in a fixed order (unique names; not starting with <c>normaliser.</c>).</param>
/// <param name="Blob">Opaque model bytes (e.g. a LightGBM text model), or null.</param>
public sealed record ModelState(string Kind, JsonObject Options, FeatureNormaliser? Normaliser, IReadOnlyList<NamedArray> Arrays, byte[]? Blob = null)
{
    /// <summary>The array named <paramref name="name"/> as <c>double</c> values with exactly <paramref name="length"/> elements.</summary>
    /// <param name="name">Array name.</param>
    /// <param name="length">Expected element count.</param>
    /// <param name="source">File or key for messages.</param>
    /// <returns>The values.</returns>
    /// <exception cref="InvalidDataException">Missing, not <c>double</c>, or another length; the message names <paramref name="source"/>.</exception>
    public double[] Doubles(string name, int length, string source)
    {
        var array = Arrays.FirstOrDefault(a => a.Name == name) ?? throw new InvalidDataException($"{source}: parameter '{name}' is missing.");
        if (array.Doubles is null) throw new InvalidDataException($"{source}: parameter '{name}' is stored as float; the {Kind} model needs double.");
        if (array.Length != length) throw new InvalidDataException($"{source}: parameter '{name}' has {array.Length} values; the {Kind} model needs {length}.");
        return array.Doubles;
    }

    /// <summary>Refuses arrays other than <paramref name="expected"/> (an artifact holding arrays the model does not read is not the model's).</summary>
    /// <param name="expected">Names the model reads.</param>
    /// <param name="source">File or key for messages.</param>
    /// <exception cref="InvalidDataException">An unknown array; the message names it and the expected ones.</exception>
    public void RequireOnly(IReadOnlyCollection<string> expected, string source)
    {
        var unknown = Arrays.FirstOrDefault(a => !expected.Contains(a.Name));
        if (unknown is not null)
            throw new InvalidDataException($"{source}: unknown parameter '{unknown.Name}' for a {Kind} model (expected {string.Join(", ", expected)}).");
    }
}
