using LeanModels.Models.Numerics;

namespace LeanModels.Models.Engine;

/// <summary>
/// Gradient check: compares the tape's analytic gradients with central differences (f(x + h) − f(x − h)) / 2h in
/// <c>double</c>, element by element, with PyTorch's <c>torch.autograd.gradcheck</c> criterion
/// |analytic − numeric| ≤ atol + rtol·|numeric| (defaults eps 1e-6, atol 1e-5, rtol 1e-3).
/// </summary>
/// <remarks>
/// A non-scalar output y is reduced to L = Σ wᵢ yᵢ with fixed N(0, 1) weights wᵢ (seeded), so every output element is
/// checked; a plain sum would hide errors that cancel (the rows of a softmax sum to a constant). Each evaluation gets a fresh
/// tape in training mode with a generator seeded identically, so dropout masks are the same in every evaluation and dropout
/// is checked too.
/// </remarks>
public static class GradCheck
{
    /// <summary>Runs the check over every element of every input.</summary>
    /// <param name="function">Builds the output from the inputs on the given tape; must be deterministic given the tape's generator.</param>
    /// <param name="inputs">Tensors to check, each requiring a gradient; their values are perturbed in place and restored.</param>
    /// <param name="eps">Finite-difference step h.</param>
    /// <param name="atol">Absolute tolerance.</param>
    /// <param name="rtol">Relative tolerance, against |numeric|.</param>
    /// <param name="seed">Seed of the projection weights and of each evaluation's generator.</param>
    /// <param name="training">Mode of the evaluation tapes (false turns dropout off).</param>
    /// <returns>The worst element and whether all passed.</returns>
    /// <exception cref="ArgumentException">An input does not require a gradient, or the output does not depend on any input.</exception>
    public static GradCheckResult Check(Func<Tape<double>, Tensor<double>> function, IReadOnlyList<Tensor<double>> inputs,
        double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3, ulong seed = 12345, bool training = true)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(inputs);
        for (var i = 0; i < inputs.Count; i++)
            if (inputs[i].Grad is null) throw new ArgumentException($"GradCheck: input {i} {inputs[i]} does not require a gradient.", nameof(inputs));

        double[]? projection = null;
        double Evaluate(out Tape<double> tape, out Tensor<double> y)
        {
            tape = new Tape<double>(training, new Xoshiro256StarStar(seed ^ 0x5DEECE66DUL));
            y = function(tape);
            if (projection is null)
            {
                projection = new double[y.Length];
                var rng = new Xoshiro256StarStar(seed);
                for (var i = 0; i < projection.Length; i++) projection[i] = y.Length == 1 ? 1.0 : rng.NextGaussian();
            }
            var s = 0.0;
            for (var i = 0; i < y.Length; i++) s += projection[i] * y.Data[i];
            return s;
        }

        foreach (var t in inputs) t.ZeroGrad();
        Evaluate(out var tape0, out var y0);
        if (y0.Grad is null) throw new ArgumentException("GradCheck: the output does not depend on any input that requires a gradient.", nameof(function));
        tape0.Backward(y0, projection);
        var analytic = inputs.Select(t => (double[])t.Grad!.Clone()).ToArray();

        var result = new GradCheckResult { Passed = true };
        for (var n = 0; n < inputs.Count; n++)
        {
            var data = inputs[n].Data;
            for (var i = 0; i < data.Length; i++)
            {
                var saved = data[i];
                data[i] = saved + eps;
                var plus = Evaluate(out _, out _);
                data[i] = saved - eps;
                var minus = Evaluate(out _, out _);
                data[i] = saved;
                var numeric = (plus - minus) / (2 * eps);
                var error = Math.Abs(analytic[n][i] - numeric);
                var excess = error - (atol + rtol * Math.Abs(numeric));
                result.Checked++;
                if (error > result.MaxAbsError) result.MaxAbsError = error;
                if (excess > result.WorstExcess || double.IsNaN(error))
                {
                    result.WorstExcess = double.IsNaN(error) ? double.PositiveInfinity : excess;
                    result.Worst = $"input {n} {inputs[n]} element {i}: analytic {analytic[n][i]:G10}, numeric {numeric:G10}";
                }
                if (!(excess <= 0)) result.Passed = false;
            }
        }
        foreach (var t in inputs) t.ZeroGrad();
        return result;
    }
}
