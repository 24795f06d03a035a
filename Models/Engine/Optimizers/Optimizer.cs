using System.Numerics;

namespace LeanModels.Models.Engine.Optimizers;

/// <summary>
/// Base of the optimisers: holds the parameters in a fixed order, the learning rate (set by a schedule between steps) and the
/// 1-based step count used for bias correction. <see cref="Step()"/> reads each parameter's accumulated gradient and updates
/// the values in place; it does not clear gradients (call <see cref="ZeroGrad"/>, as llm.c's <c>gpt2_zero_grad</c>).
/// Per-element arithmetic is done in <c>double</c> and stored back in <typeparamref name="T"/>.
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
public abstract class Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Initialises the shared state.</summary>
    /// <param name="parameters">Parameters to update, e.g. <c>model.Parameters()</c>.</param>
    /// <param name="learningRate">Initial learning rate, &gt; 0.</param>
    /// <exception cref="ArgumentException">No parameters, a parameter without a gradient, or a learning rate ≤ 0.</exception>
    protected Optimizer(IReadOnlyList<Parameter<T>> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count == 0) throw new ArgumentException("Optimizer: no parameters given.", nameof(parameters));
        Parameters = parameters.ToArray();
        LearningRate = learningRate;
    }

    /// <summary>Parameters in update order.</summary>
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>Learning rate used by the next <see cref="Step()"/>; schedules set it. Must be &gt; 0 and finite.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a value ≤ 0 or non-finite.</exception>
    public double LearningRate
    {
        get;
        set
        {
            if (!(value > 0 && double.IsFinite(value))) throw new ArgumentOutOfRangeException(nameof(value), value, "LearningRate must be finite and > 0.");
            field = value;
        }
    }

    /// <summary>Number of steps taken; the next step is <c>StepCount + 1</c>.</summary>
    public int StepCount { get; private set; }

    /// <summary>Applies one update to every parameter from its gradient.</summary>
    public void Step()
    {
        StepCount++;
        for (var p = 0; p < Parameters.Count; p++) Update(p, Parameters[p], StepCount);
    }

    /// <summary>Checks the step's loss, then applies <see cref="Step()"/>. A non-finite loss leaves every parameter untouched.</summary>
    /// <param name="loss">The loss whose gradients are in the parameters.</param>
    /// <exception cref="TrainingDivergedException"><paramref name="loss"/> is NaN or ±∞; carries the step and learning rate.</exception>
    public void Step(double loss)
    {
        if (!double.IsFinite(loss)) throw new TrainingDivergedException(StepCount + 1, loss, LearningRate);
        Step();
    }

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters) p.Value.ZeroGrad();
    }

    /// <summary>Updates parameter number <paramref name="index"/> in place.</summary>
    /// <param name="index">Position in <see cref="Parameters"/> (keys per-parameter state).</param>
    /// <param name="parameter">The parameter.</param>
    /// <param name="step">1-based step number.</param>
    protected abstract void Update(int index, Parameter<T> parameter, int step);
}
