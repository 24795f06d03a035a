using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace LeanModels.Models.Regime;

/// <summary>
/// Unconstrained minimisation for the regime models' likelihoods: MathNet's BFGS (<see cref="BfgsMinimizer"/>) with a
/// central-difference gradient (step 1e-5·max(1, |θ_i|), error O(h²)). Callers map constrained parameters to ℝⁿ first.
/// The best point ever evaluated is returned even when MathNet's line search gives up near a flat optimum (it then
/// throws <see cref="OptimizationException"/>, which says only that no further progress was made).
/// </summary>
internal static class NumericalMinimizer
{
    public readonly record struct Result(double[] Point, double Value, int Evaluations, bool Converged);

    public static Result Minimize(Func<double[], double> f, double[] start, double gradientTolerance = 1e-6, int maxIterations = 1000)
    {
        var best = (Point: (double[])start.Clone(), Value: f(start));
        if (!double.IsFinite(best.Value))
            throw new ArgumentException($"NumericalMinimizer: objective is {best.Value} at the start point [{string.Join(", ", start)}].");
        var evaluations = 1;
        double Eval(double[] x)
        {
            var v = f(x);
            evaluations++;
            if (!double.IsFinite(v)) return 1e300;                 // outside the valid region: a wall, never the minimum
            if (v < best.Value) best = ((double[])x.Clone(), v);
            return v;
        }
        Vector<double> Gradient(Vector<double> v)
        {
            var x = v.ToArray();
            var g = new double[x.Length];
            for (var i = 0; i < x.Length; i++)
            {
                var h = 1e-5 * Math.Max(1, Math.Abs(x[i]));
                var xi = x[i];
                x[i] = xi + h; var up = Eval(x);
                x[i] = xi - h; var down = Eval(x);
                x[i] = xi;
                g[i] = (up - down) / (2 * h);
            }
            return Vector<double>.Build.DenseOfArray(g);
        }
        var objective = ObjectiveFunction.Gradient(v => Eval(v.ToArray()), Gradient);
        var converged = false;
        try
        {
            var result = new BfgsMinimizer(gradientTolerance, 1e-12, 1e-14, maxIterations)
                .FindMinimum(objective, Vector<double>.Build.DenseOfArray(start));
            converged = result.ReasonForExit is ExitCondition.AbsoluteGradient or ExitCondition.RelativeGradient
                or ExitCondition.RelativePoints;
        }
        catch (OptimizationException)
        {
            // Line search or iteration limit: keep the best evaluated point (below); Converged stays false.
        }
        return new Result(best.Point, best.Value, evaluations, converged);
    }
}
