using System.Numerics;

namespace LeanModels.Models.Engine.Optimizers;

/// <summary>AdamW (Loshchilov &amp; Hutter 2019, "Decoupled Weight Decay Regularization", Algorithm 2): Adam plus θ ← θ·(1 − lr·λ)
/// on weights only; biases and normalisation gains (<see cref="Parameter{T}.Decay"/> false) are never decayed. Same update
/// order as PyTorch's <c>torch.optim.AdamW</c>; see <see cref="Adam{T}"/>.</summary>
/// <typeparam name="T">Element type.</typeparam>
public sealed class AdamW<T> : Adam<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the optimiser (PyTorch's defaults).</summary>
    /// <param name="parameters">Parameters to update.</param>
    /// <param name="learningRate">lr &gt; 0.</param>
    /// <param name="weightDecay">λ ≥ 0 (PyTorch's default 0.01).</param>
    /// <param name="beta1">β₁.</param>
    /// <param name="beta2">β₂.</param>
    /// <param name="epsilon">ε.</param>
    /// <exception cref="ArgumentException">A hyper-parameter is out of range.</exception>
    public AdamW(IReadOnlyList<Parameter<T>> parameters, double learningRate = 1e-3, double weightDecay = 0.01,
        double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
        : base(parameters, learningRate, beta1, beta2, epsilon, weightDecay) { }
}
