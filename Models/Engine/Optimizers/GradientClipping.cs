using System.Numerics;

namespace LeanModels.Models.Engine.Optimizers;

/// <summary>Global-norm gradient clipping (Pascanu, Mikolov &amp; Bengio 2013), as PyTorch's <c>clip_grad_norm_</c>.</summary>
public static class GradientClipping
{
    /// <summary>Computes the L2 norm of all gradients together (summed in parameter order, in <c>double</c>); if it exceeds
    /// <paramref name="maxNorm"/>, scales every gradient by maxNorm / (norm + 1e-6).</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="parameters">Parameters whose gradients are clipped in place.</param>
    /// <param name="maxNorm">Largest allowed norm, &gt; 0.</param>
    /// <returns>The norm before clipping.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> ≤ 0.</exception>
    /// <exception cref="ArithmeticException">The norm is not finite (a gradient is NaN or ∞); nothing is scaled.</exception>
    public static double ClipGlobalNorm<T>(IReadOnlyList<Parameter<T>> parameters, double maxNorm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "ClipGlobalNorm: maxNorm must be > 0.");
        var sum = 0.0;
        foreach (var p in parameters)
            foreach (var g in p.Value.Grad!) { var d = double.CreateTruncating(g); sum += d * d; }
        var norm = Math.Sqrt(sum);
        if (!double.IsFinite(norm))
        {
            var bad = parameters.FirstOrDefault(p => p.Value.Grad!.Any(g => !T.IsFinite(g)))?.Name ?? "?";
            throw new ArithmeticException($"ClipGlobalNorm: gradient norm is {norm}; first non-finite gradient in '{bad}'.");
        }
        if (norm > maxNorm)
        {
            var scale = T.CreateTruncating(maxNorm / (norm + 1e-6));
            foreach (var p in parameters)
            {
                var g = p.Value.Grad!;
                for (var i = 0; i < g.Length; i++) g[i] *= scale;
            }
        }
        return norm;
    }
}
