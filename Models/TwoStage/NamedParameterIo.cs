using System.Numerics;
using LeanModels.Models.Engine;
using LeanModels.Models.Engine.Layers;
using LeanModels.Models.Stockformer;

namespace LeanModels.Models.TwoStage;

/// <summary>Named-parameter copy and checked load shared by <see cref="TwoStageModel{T}"/> and <see cref="DirectModel{T}"/>
/// (the same contract as the Stockformer's).</summary>
internal static class NamedParameterIo
{
    public static IReadOnlyList<NamedTensor<T>> Copy<T>(Module<T> module) where T : unmanaged, IFloatingPointIeee754<T> =>
        module.Parameters().Select(p => new NamedTensor<T>(p.Name, p.Value.Shape.ToArray(), (T[])p.Value.Data.Clone())).ToList();

    public static void Load<T>(Module<T> module, string model, IReadOnlyList<NamedTensor<T>> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(values);
        var mine = module.Parameters();
        if (values.Count != mine.Count)
            throw new ArgumentException($"{model}.LoadNamedParameters: got {values.Count} tensors; this model has {mine.Count} parameters.", nameof(values));
        for (var i = 0; i < mine.Count; i++)
        {
            var (p, v) = (mine[i], values[i]);
            if (v.Name != p.Name || !v.Shape.AsSpan().SequenceEqual(p.Value.Shape) || v.Values.Length != p.Value.Length)
                throw new ArgumentException($"{model}.LoadNamedParameters: entry {i} is '{v.Name}' {ShapeUtil.Format(v.Shape)} with {v.Values.Length} values; expected '{p.Name}' {ShapeUtil.Format(p.Value.Shape)}.", nameof(values));
            for (var j = 0; j < v.Values.Length; j++)
                if (!T.IsFinite(v.Values[j]))
                    throw new ArgumentException($"{model}.LoadNamedParameters: '{v.Name}' value {j} is {v.Values[j]}.", nameof(values));
        }
        for (var i = 0; i < mine.Count; i++) values[i].Values.CopyTo(mine[i].Value.Data, 0);
    }
}
