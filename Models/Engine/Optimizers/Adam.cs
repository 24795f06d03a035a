using System.Numerics;

namespace LeanModels.Models.Engine.Optimizers;

/// <summary>
/// Adam (Kingma &amp; Ba 2015, Algorithm 1) and, with a weight decay &gt; 0 and <c>decoupled</c>, AdamW (Loshchilov &amp; Hutter
/// 2019, Algorithm 2), in PyTorch's order: θ ← θ·(1 − lr·λ) for parameters with <see cref="Parameter{T}.Decay"/> (never
/// biases or norm gains); m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; m̂ = m/(1 − β₁ᵗ); v̂ = v/(1 − β₂ᵗ);
/// θ ← θ − lr·m̂/(√v̂ + ε). Moments are kept in <c>double</c>.
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
public class Adam<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly double[][] _m, _v;

    /// <summary>Creates plain Adam (no weight decay).</summary>
    /// <param name="parameters">Parameters to update.</param>
    /// <param name="learningRate">lr &gt; 0 (1e-3 in the paper).</param>
    /// <param name="beta1">β₁ in [0, 1).</param>
    /// <param name="beta2">β₂ in [0, 1).</param>
    /// <param name="epsilon">ε &gt; 0 added to √v̂.</param>
    /// <exception cref="ArgumentException">A hyper-parameter is out of range.</exception>
    public Adam(IReadOnlyList<Parameter<T>> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
        : this(parameters, learningRate, beta1, beta2, epsilon, 0) { }

    /// <summary>Creates Adam with decoupled weight decay (the AdamW constructor calls this).</summary>
    /// <param name="parameters">Parameters to update.</param>
    /// <param name="learningRate">lr &gt; 0.</param>
    /// <param name="beta1">β₁ in [0, 1).</param>
    /// <param name="beta2">β₂ in [0, 1).</param>
    /// <param name="epsilon">ε &gt; 0.</param>
    /// <param name="weightDecay">λ ≥ 0, decoupled (multiplies θ by 1 − lr·λ each step).</param>
    /// <exception cref="ArgumentException">A hyper-parameter is out of range.</exception>
    protected Adam(IReadOnlyList<Parameter<T>> parameters, double learningRate, double beta1, double beta2, double epsilon, double weightDecay)
        : base(parameters, learningRate)
    {
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "Adam: beta1 must be in [0, 1).");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "Adam: beta2 must be in [0, 1).");
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Adam: epsilon must be > 0.");
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Adam: weight decay must be ≥ 0.");
        (Beta1, Beta2, Epsilon, WeightDecay) = (beta1, beta2, epsilon, weightDecay);
        _m = Parameters.Select(p => new double[p.Value.Length]).ToArray();
        _v = Parameters.Select(p => new double[p.Value.Length]).ToArray();
    }

    /// <summary>β₁.</summary>
    public double Beta1 { get; }

    /// <summary>β₂.</summary>
    public double Beta2 { get; }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <summary>Decoupled weight decay λ (0 for plain Adam).</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    protected override void Update(int index, Parameter<T> parameter, int step)
    {
        var theta = parameter.Value.Data;
        var grad = parameter.Value.Grad!;
        double[] m = _m[index], v = _v[index];
        var decay = parameter.Decay ? 1 - LearningRate * WeightDecay : 1.0;
        double c1 = 1 - Math.Pow(Beta1, step), c2 = 1 - Math.Pow(Beta2, step);
        for (var i = 0; i < theta.Length; i++)
        {
            var g = double.CreateTruncating(grad[i]);
            m[i] = Beta1 * m[i] + (1 - Beta1) * g;
            v[i] = Beta2 * v[i] + (1 - Beta2) * g * g;
            var th = double.CreateTruncating(theta[i]) * decay;
            theta[i] = T.CreateTruncating(th - LearningRate * (m[i] / c1) / (Math.Sqrt(v[i] / c2) + Epsilon));
        }
    }
}
