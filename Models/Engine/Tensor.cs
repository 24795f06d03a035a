using System.Numerics;

namespace LeanModels.Models.Engine;

/// <summary>
/// A dense row-major tensor (last axis fastest) with an optional gradient buffer, the value type of the engine.
/// </summary>
/// <remarks>
/// <para>
/// Element type: the engine is generic over <typeparamref name="T"/> (<c>float</c> or <c>double</c>) rather than a
/// float/double pair of classes. Training runs in <c>float</c>; gradchecks run the very same code in <c>double</c>, so the
/// code that is checked against central differences is the code that trains (a pair of hand-kept copies could drift).
/// The constraint <see cref="IFloatingPointIeee754{TSelf}"/> is the one System.Numerics.Tensors' TensorPrimitives uses,
/// so its kernels can be called directly; the fast SGEMM is dispatched for <c>float</c> only (see
/// <see cref="Kernels.Gemm"/>).
/// </para>
/// <para>
/// A tensor owns its storage. <see cref="Grad"/> exists only when <see cref="RequiresGrad"/> is true: parameters
/// (created with <see cref="Parameter(int[])"/>) and results of ops recorded on a <see cref="Tape{T}"/> from at least one
/// input that requires a gradient. Gradients accumulate (<c>+=</c>); clearing them is the explicit
/// <see cref="ZeroGrad"/>. Shapes may be rank 0 (a scalar, one element).
/// </para>
/// </remarks>
/// <typeparam name="T">Element type, <c>float</c> for training or <c>double</c> for gradchecks.</typeparam>
public sealed class Tensor<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    internal readonly int[] Dims;

    /// <summary>Creates a tensor over existing storage (not copied).</summary>
    /// <param name="data">Row-major values; length must equal the product of <paramref name="shape"/>.</param>
    /// <param name="shape">Sizes of each axis, each ≥ 0; empty for a scalar.</param>
    /// <param name="requiresGrad">True to allocate a zeroed <see cref="Grad"/> of the same length.</param>
    /// <exception cref="ArgumentException">A size is negative, or the data length differs from the shape's product; the message gives both.</exception>
    public Tensor(T[] data, int[] shape, bool requiresGrad = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        var n = ShapeUtil.Product(shape, "Tensor");
        if (n != data.Length)
            throw new ArgumentException($"Tensor: shape {ShapeUtil.Format(shape)} holds {n} elements but data has {data.Length}.", nameof(data));
        Dims = (int[])shape.Clone();
        Data = data;
        RequiresGrad = requiresGrad;
        if (requiresGrad) Grad = new T[data.Length];
    }

    /// <summary>Over given storage and gradient buffers (the tape's pooled results); shape already validated.</summary>
    internal Tensor(T[] data, T[]? grad, int[] shape)
    {
        Dims = shape;
        Data = data;
        Grad = grad;
        RequiresGrad = grad is not null;
    }

    /// <summary>A view: same storage and gradient buffer as <paramref name="source"/> under another shape of equal length.</summary>
    internal Tensor(Tensor<T> source, int[] shape)
    {
        Dims = shape;
        Data = source.Data;
        Grad = source.Grad;
        RequiresGrad = source.RequiresGrad;
    }

    /// <summary>Row-major values, <see cref="Length"/> of them. Writable: optimisers update parameters in place.</summary>
    public T[] Data { get; }

    /// <summary>Gradient of the last backward pass(es) with respect to this tensor, same layout as <see cref="Data"/>;
    /// null when <see cref="RequiresGrad"/> is false. Accumulates across <see cref="Tape{T}.Backward(Tensor{T})"/> calls.</summary>
    public T[]? Grad { get; }

    /// <summary>True when gradients flow into this tensor.</summary>
    public bool RequiresGrad { get; }

    /// <summary>Sizes of each axis (a copy-free read-only view).</summary>
    public ReadOnlySpan<int> Shape => Dims;

    /// <summary>Number of axes; 0 for a scalar.</summary>
    public int Rank => Dims.Length;

    /// <summary>Number of elements, the product of <see cref="Shape"/>.</summary>
    public int Length => Data.Length;

    /// <summary>The single value of a one-element tensor (a loss).</summary>
    /// <returns>Data[0].</returns>
    /// <exception cref="InvalidOperationException">The tensor holds more or fewer than one element.</exception>
    public T Item()
    {
        if (Data.Length != 1) throw new InvalidOperationException($"Item: tensor {ShapeUtil.Format(Dims)} holds {Data.Length} elements, not 1.");
        return Data[0];
    }

    /// <summary>Sets every gradient element to zero (no-op when there is no gradient).</summary>
    public void ZeroGrad()
    {
        if (Grad is not null) Array.Clear(Grad);
    }

    /// <summary>A zero-filled tensor.</summary>
    /// <param name="shape">Sizes of each axis.</param>
    /// <returns>A new tensor that does not require a gradient.</returns>
    public static Tensor<T> Zeros(params int[] shape) => new(new T[ShapeUtil.Product(shape, "Zeros")], shape);

    /// <summary>A zero-filled tensor that requires a gradient: a trainable parameter or a gradchecked input.</summary>
    /// <param name="shape">Sizes of each axis.</param>
    /// <returns>A new tensor with a zeroed <see cref="Grad"/>.</returns>
    public static Tensor<T> Parameter(params int[] shape) => new(new T[ShapeUtil.Product(shape, "Parameter")], shape, requiresGrad: true);

    /// <summary>Copies values into a new tensor.</summary>
    /// <param name="values">Row-major values, converted to <typeparamref name="T"/>.</param>
    /// <param name="shape">Sizes of each axis; the product must equal the number of values.</param>
    /// <param name="requiresGrad">True to allocate a gradient.</param>
    /// <returns>The new tensor.</returns>
    /// <exception cref="ArgumentException">The number of values differs from the shape's product.</exception>
    public static Tensor<T> From(ReadOnlySpan<double> values, int[] shape, bool requiresGrad = false)
    {
        var data = new T[values.Length];
        for (var i = 0; i < data.Length; i++) data[i] = T.CreateTruncating(values[i]);
        return new Tensor<T>(data, shape, requiresGrad);
    }

    /// <summary>A tensor of independent N(0, std²) draws from <paramref name="rng"/>, in row-major order.</summary>
    /// <param name="rng">Explicit generator; its stream advances by one Gaussian per element.</param>
    /// <param name="std">Standard deviation, ≥ 0.</param>
    /// <param name="shape">Sizes of each axis.</param>
    /// <param name="requiresGrad">True to allocate a gradient.</param>
    /// <returns>The new tensor.</returns>
    public static Tensor<T> Normal(Numerics.Xoshiro256StarStar rng, double std, int[] shape, bool requiresGrad = false)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var data = new T[ShapeUtil.Product(shape, "Normal")];
        for (var i = 0; i < data.Length; i++) data[i] = T.CreateTruncating(std * rng.NextGaussian());
        return new Tensor<T>(data, shape, requiresGrad);
    }

    /// <summary>Shape and first values, for debugging.</summary>
    /// <returns>E.g. "Tensor[2, 3] (requires grad)".</returns>
    public override string ToString() => $"Tensor{ShapeUtil.Format(Dims)}{(RequiresGrad ? " (requires grad)" : "")}";
}
