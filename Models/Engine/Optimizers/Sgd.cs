using System.Numerics;

namespace LeanModels.Models.Engine.Optimizers;

/// <summary>Stochastic gradient descent with optional heavy-ball momentum, PyTorch's form: b ← μ·b + g (b = g on the first step),
/// θ ← θ − lr·b (Polyak 1964; Sutskever et al. 2013).</summary>
/// <typeparam name="T">Element type.</typeparam>
public sealed class Sgd<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly double[][] _velocity;

    /// <summary>Creates the optimiser.</summary>
    /// <param name="parameters">Parameters to update.</param>
    /// <param name="learningRate">lr &gt; 0.</param>
    /// <param name="momentum">μ in [0, 1); 0 is plain SGD.</param>
    /// <exception cref="ArgumentException">No parameters, lr ≤ 0, or μ outside [0, 1).</exception>
    public Sgd(IReadOnlyList<Parameter<T>> parameters, double learningRate, double momentum = 0) : base(parameters, learningRate)
    {
        if (!(momentum >= 0 && momentum < 1)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Sgd: momentum must be in [0, 1).");
        Momentum = momentum;
        _velocity = Parameters.Select(p => new double[p.Value.Length]).ToArray();
    }

    /// <summary>μ.</summary>
    public double Momentum { get; }

    /// <inheritdoc/>
    protected override void Update(int index, Parameter<T> parameter, int step)
    {
        var theta = parameter.Value.Data;
        var grad = parameter.Value.Grad!;
        var b = _velocity[index];
        for (var i = 0; i < theta.Length; i++)
        {
            var g = double.CreateTruncating(grad[i]);
            b[i] = step == 1 ? g : Momentum * b[i] + g;
            theta[i] = T.CreateTruncating(double.CreateTruncating(theta[i]) - LearningRate * b[i]);
        }
    }
}
