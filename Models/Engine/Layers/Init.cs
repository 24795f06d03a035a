using System.Numerics;
using LeanModels.Models.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace LeanModels.Models.Engine.Layers;

/// <summary>Weight initialisers from the literature. Each draws from an explicit generator in row-major order.</summary>
public static class Init
{
    /// <summary>Uniform U(−bound, bound) fill.</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="values">Destination.</param>
    /// <param name="bound">Half-width, ≥ 0.</param>
    /// <param name="rng">Generator.</param>
    public static void Uniform<T>(Span<T> values, double bound, Xoshiro256StarStar rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(rng);
        for (var i = 0; i < values.Length; i++) values[i] = T.CreateTruncating((2 * rng.NextDouble() - 1) * bound);
    }

    /// <summary>N(0, std²) fill.</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="values">Destination.</param>
    /// <param name="std">Standard deviation.</param>
    /// <param name="rng">Generator.</param>
    public static void Normal<T>(Span<T> values, double std, Xoshiro256StarStar rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(rng);
        for (var i = 0; i < values.Length; i++) values[i] = T.CreateTruncating(std * rng.NextGaussian());
    }

    /// <summary>PyTorch's default for Linear and Conv weights: Kaiming-uniform with a = √5 (He et al. 2015, "Delving Deep into
    /// Rectifiers"; torch.nn.Linear.reset_parameters), which reduces to U(±1/√fan_in). The same bound is used for biases.</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="values">Destination.</param>
    /// <param name="fanIn">Inputs per output unit (in features, or in channels × kernel).</param>
    /// <param name="rng">Generator.</param>
    public static void KaimingUniformDefault<T>(Span<T> values, int fanIn, Xoshiro256StarStar rng) where T : unmanaged, IFloatingPointIeee754<T> =>
        Uniform(values, 1.0 / Math.Sqrt(Math.Max(1, fanIn)), rng);

    /// <summary>Xavier/Glorot uniform U(±√(6/(fan_in + fan_out))) (Glorot &amp; Bengio 2010, eq. 16).</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="values">Destination.</param>
    /// <param name="fanIn">Inputs per unit.</param>
    /// <param name="fanOut">Outputs per unit.</param>
    /// <param name="rng">Generator.</param>
    public static void XavierUniform<T>(Span<T> values, int fanIn, int fanOut, Xoshiro256StarStar rng) where T : unmanaged, IFloatingPointIeee754<T> =>
        Uniform(values, Math.Sqrt(6.0 / Math.Max(1, fanIn + fanOut)), rng);

    /// <summary>Random orthogonal matrix (Saxe, McClelland &amp; Ganguli 2014), as PyTorch's <c>orthogonal_</c>: QR of a Gaussian
    /// matrix, Q's columns multiplied by sign(diag R) so the distribution is uniform (Haar).</summary>
    /// <typeparam name="T">Element type.</typeparam>
    /// <param name="values">[rows, cols] destination, row-major. Rows ≥ cols gives orthonormal columns, otherwise orthonormal rows.</param>
    /// <param name="rows">Rows.</param>
    /// <param name="cols">Columns.</param>
    /// <param name="rng">Generator.</param>
    /// <exception cref="ArgumentException"><paramref name="values"/> is not rows·cols long.</exception>
    public static void Orthogonal<T>(Span<T> values, int rows, int cols, Xoshiro256StarStar rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (values.Length != rows * cols) throw new ArgumentException($"Orthogonal: destination has {values.Length} elements, expected {rows}×{cols}.", nameof(values));
        int tall = Math.Max(rows, cols), wide = Math.Min(rows, cols);
        var g = Matrix<double>.Build.Dense(tall, wide, (_, _) => rng.NextGaussian());
        var qr = g.QR();
        var q = qr.Q.SubMatrix(0, tall, 0, wide);
        for (var j = 0; j < wide; j++)
            if (qr.R[j, j] < 0) q.SetColumn(j, q.Column(j).Negate());
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
                values[r * cols + c] = T.CreateTruncating(rows >= cols ? q[r, c] : q[c, r]);
    }
}
