using System.Numerics;

namespace LeanModels.Models.Stockformer;

/// <summary>One named parameter as plain data, for artifact writers and readers.</summary>
/// <typeparam name="T">Element type.</typeparam>
/// <param name="Name">Dotted path, unique in the model (<c>layer0.attn_cross.wq.weight</c>).</param>
/// <param name="Shape">Sizes, row-major.</param>
/// <param name="Values">The values, length = product of <paramref name="Shape"/>.</param>
public sealed record NamedTensor<T>(string Name, int[] Shape, T[] Values) where T : unmanaged, IFloatingPointIeee754<T>;
