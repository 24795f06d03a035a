using MathNet.Numerics.LinearAlgebra;

namespace LeanModels.Models.Forecasting;

/// <summary>
/// Accumulates XᵀX and Xᵀy row by row and solves the ridge system (XᵀX + λ·N·D)β = Xᵀy (Hoerl and Kennard 1970), where
/// D is diagonal with 1 for penalised columns and 0 for the intercept (the last column). Rows are added in the caller's
/// order, so the result is deterministic. Solved by MathNet's Cholesky decomposition.
/// </summary>
internal sealed class RidgeRegression(int columns)
{
    private readonly double[] _xtx = new double[columns * columns];
    private readonly double[] _xty = new double[columns];

    /// <summary>Rows added so far.</summary>
    public long Rows { get; private set; }

    /// <summary>Adds one row x [P] (intercept 1 last) with target y.</summary>
    public void Add(ReadOnlySpan<double> x, double y)
    {
        for (var i = 0; i < columns; i++)
        {
            _xty[i] += x[i] * y;
            for (var j = 0; j <= i; j++) _xtx[i * columns + j] += x[i] * x[j];
        }
        Rows++;
    }

    /// <summary>Solves for β [P] with penalty λ·N on every column but the last.</summary>
    /// <exception cref="ArgumentException">Fewer rows than columns.</exception>
    public double[] Solve(double lambda, string model)
    {
        if (Rows < columns) throw new ArgumentException($"{model}: {Rows} training rows for {columns} coefficients; need at least {columns}.");
        var m = Matrix<double>.Build.Dense(columns, columns, (i, j) => i >= j ? _xtx[i * columns + j] : _xtx[j * columns + i]);
        for (var i = 0; i < columns - 1; i++) m[i, i] += lambda * Rows;
        return m.Cholesky().Solve(Vector<double>.Build.Dense(_xty)).ToArray();
    }
}
