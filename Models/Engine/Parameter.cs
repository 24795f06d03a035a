using System.Numerics;

namespace LeanModels.Models.Engine;

/// <summary>A named trainable tensor and whether weight decay applies to it.</summary>
/// <typeparam name="T">Element type.</typeparam>
public sealed class Parameter<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates a named parameter.</summary>
    /// <param name="name">Dotted path such as <c>encoder.0.attn.wq.weight</c>; the key in serialized files.</param>
    /// <param name="value">A tensor that requires a gradient.</param>
    /// <param name="decay">False for biases and normalisation gains/offsets (AdamW applies no decay to them).</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> does not require a gradient.</exception>
    public Parameter(string name, Tensor<T> value, bool decay)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        if (!value.RequiresGrad) throw new ArgumentException($"Parameter '{name}': tensor {value} does not require a gradient.", nameof(value));
        Name = name;
        Value = value;
        Decay = decay;
    }

    /// <summary>Dotted path, unique within a model.</summary>
    public string Name { get; }

    /// <summary>The values (updated in place by optimisers) and their gradient.</summary>
    public Tensor<T> Value { get; }

    /// <summary>True when decoupled weight decay applies (weights); false for biases and norm gains.</summary>
    public bool Decay { get; }
}
