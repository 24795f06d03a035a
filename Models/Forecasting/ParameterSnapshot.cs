using System.Numerics;
using LeanModels.Models.Engine;

namespace LeanModels.Models.Forecasting;

/// <summary>A copy of an engine model's parameter values, to keep the best epoch's weights during early stopping and put them back.</summary>
/// <typeparam name="T"><c>float</c> or <c>double</c>.</typeparam>
public sealed class ParameterSnapshot<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[][] _values;

    private ParameterSnapshot(T[][] values) => _values = values;

    /// <summary>Copies every parameter's values.</summary>
    /// <param name="parameters">E.g. <c>module.Parameters()</c>, in a stable order.</param>
    /// <returns>The snapshot.</returns>
    public static ParameterSnapshot<T> Capture(IReadOnlyList<Parameter<T>> parameters) =>
        new(parameters.Select(p => (T[])p.Value.Data.Clone()).ToArray());

    /// <summary>Writes the copied values back into the same parameters.</summary>
    /// <param name="parameters">The parameters captured, same order and sizes.</param>
    /// <exception cref="ArgumentException">Count or a size differs; the message names the parameter.</exception>
    public void RestoreTo(IReadOnlyList<Parameter<T>> parameters)
    {
        if (parameters.Count != _values.Length) throw new ArgumentException($"ParameterSnapshot: {_values.Length} parameters captured, {parameters.Count} given.", nameof(parameters));
        for (var i = 0; i < parameters.Count; i++)
        {
            if (parameters[i].Value.Length != _values[i].Length)
                throw new ArgumentException($"ParameterSnapshot: parameter '{parameters[i].Name}' has {parameters[i].Value.Length} values, {_values[i].Length} captured.", nameof(parameters));
            _values[i].CopyTo(parameters[i].Value.Data, 0);
        }
    }
}
