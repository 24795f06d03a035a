using System.Numerics;

namespace LeanModels.Models.Engine.Layers;

/// <summary>
/// Base of every layer: owns named parameters and child modules (TorchSharp's module, without its PyTorch spelling).
/// Forward methods are on the concrete layers because their arguments differ; each takes the step's <see cref="Tape{T}"/>.
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
public abstract class Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly List<Parameter<T>> _own = new();
    private readonly List<(string Name, Module<T> Module)> _children = new();

    /// <summary>All parameters of this module and its children, depth-first in registration order, names prefixed with the
    /// child's name (<c>attn.wq.weight</c>). The order is stable, so optimiser state and files line up.</summary>
    /// <returns>A new list.</returns>
    public IReadOnlyList<Parameter<T>> Parameters()
    {
        var list = new List<Parameter<T>>();
        Collect("", list);
        return list;
    }

    /// <summary>Sets every parameter gradient to zero (gradients accumulate otherwise).</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.Value.ZeroGrad();
    }

    /// <summary>Total number of trainable scalars.</summary>
    public int ParameterCount => Parameters().Sum(p => p.Value.Length);

    /// <summary>Registers a parameter tensor (zero-filled; the layer initialises it).</summary>
    /// <param name="name">Local name, unique in this module.</param>
    /// <param name="decay">Whether weight decay applies.</param>
    /// <param name="shape">Sizes.</param>
    /// <returns>The tensor.</returns>
    protected Tensor<T> AddParameter(string name, bool decay, params int[] shape)
    {
        var t = Tensor<T>.Parameter(shape);
        _own.Add(new Parameter<T>(name, t, decay));
        return t;
    }

    /// <summary>Registers a child module.</summary>
    /// <typeparam name="TModule">The child's type.</typeparam>
    /// <param name="name">Local name, unique in this module.</param>
    /// <param name="module">The child.</param>
    /// <returns><paramref name="module"/>.</returns>
    protected TModule AddModule<TModule>(string name, TModule module) where TModule : Module<T>
    {
        _children.Add((name, module));
        return module;
    }

    private void Collect(string prefix, List<Parameter<T>> list)
    {
        foreach (var p in _own) list.Add(prefix.Length == 0 ? p : new Parameter<T>(prefix + p.Name, p.Value, p.Decay));
        foreach (var (name, child) in _children) child.Collect(prefix + name + ".", list);
    }
}
