using System.Numerics;
using LeanModels.Models.Engine;

namespace LeanModels.Models.Forecasting;

/// <summary>
/// Puts a <c>Models/Engine</c> model's parameters into an artifact and back: each <see cref="Parameter{T}"/> becomes a
/// <see cref="NamedArray"/> with its name (optionally prefixed), shape and values bit for bit, so a deep model's weights
/// travel in the one artifact under its one checksum (replacing a separate <c>ParameterFile</c>).
/// </summary>
public static class EngineParameters
{
    /// <summary>The parameters as named arrays (values copied).</summary>
    /// <typeparam name="T"><c>float</c> or <c>double</c>.</typeparam>
    /// <param name="parameters">In a stable order, e.g. <c>module.Parameters()</c>; unique names.</param>
    /// <param name="prefix">Prepended to every name (e.g. <c>net.</c>); empty for none.</param>
    /// <returns>One array per parameter, same order and shape.</returns>
    /// <exception cref="ArgumentException">A name repeats, or <typeparamref name="T"/> is neither float nor double.</exception>
    public static IReadOnlyList<NamedArray> ToArrays<T>(IReadOnlyList<Parameter<T>> parameters, string prefix = "")
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var dup = parameters.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new ArgumentException($"EngineParameters: parameter name '{dup.Key}' appears {dup.Count()} times.", nameof(parameters));
        return parameters.Select(p =>
        {
            var shape = p.Value.Shape.ToArray();
            return p.Value.Data switch
            {
                float[] f => NamedArray.Of(prefix + p.Name, (float[])f.Clone(), shape),
                double[] d => NamedArray.Of(prefix + p.Name, (double[])d.Clone(), shape),
                _ => throw new ArgumentException($"EngineParameters: element type {typeof(T).Name} is neither float nor double.", nameof(parameters)),
            };
        }).ToList();
    }

    /// <summary>
    /// Copies arrays into existing parameters (e.g. a freshly built model's), matched by name: every parameter must be
    /// present with exactly its shape and element type, and no array with the prefix may be left over. Nothing is copied
    /// unless everything matches.
    /// </summary>
    /// <typeparam name="T"><c>float</c> or <c>double</c>; must equal the arrays' element type.</typeparam>
    /// <param name="arrays">Arrays read from an artifact.</param>
    /// <param name="parameters">Destination parameters.</param>
    /// <param name="source">File or key for messages.</param>
    /// <param name="prefix">Prefix used by <see cref="ToArrays{T}"/>.</param>
    /// <exception cref="InvalidDataException">A parameter is missing, has another shape or element type, or an array with
    /// the prefix matches no parameter; the message names <paramref name="source"/> and the parameter.</exception>
    public static void LoadInto<T>(IReadOnlyList<NamedArray> arrays, IReadOnlyList<Parameter<T>> parameters, string source, string prefix = "")
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var byName = arrays.Where(a => a.Name.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(a => a.Name[prefix.Length..]);
        var known = parameters.Select(p => p.Name).ToHashSet();
        var extra = byName.Keys.FirstOrDefault(k => !known.Contains(k));
        if (extra is not null) throw new InvalidDataException($"{source}: parameter '{prefix}{extra}' does not exist in the model.");
        var copies = new List<(Array From, Array To)>();
        foreach (var p in parameters)
        {
            if (!byName.TryGetValue(p.Name, out var a)) throw new InvalidDataException($"{source}: parameter '{prefix}{p.Name}' is missing.");
            var shape = p.Value.Shape.ToArray();
            if (!a.Shape.SequenceEqual(shape))
                throw new InvalidDataException($"{source}: parameter '{prefix}{p.Name}' is {a.FormatShape()} in the artifact but [{string.Join(", ", shape)}] in the model.");
            Array from = (Array?)a.Floats ?? a.Doubles!;
            if (from.GetType() != p.Value.Data.GetType())
                throw new InvalidDataException($"{source}: parameter '{prefix}{p.Name}' holds {a.ElementBytes}-byte floats but the model uses {typeof(T).Name}.");
            copies.Add((from, p.Value.Data));
        }
        foreach (var (from, to) in copies) Array.Copy(from, to, from.Length);
    }
}
