namespace LeanModels.Models.Regime;

/// <summary>Shared validation for regime models: shapes, finiteness, minimum length and non-constant input.</summary>
internal static class RegimeInput
{
    /// <summary>Throws unless <paramref name="x"/> is [T, D] with T ≥ <paramref name="minRows"/> and every value finite.</summary>
    public static int RequireRows(string caller, ReadOnlySpan<double> x, int dimensions, int minRows, string paramName)
    {
        if (dimensions < 1) throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions, $"{caller}: dimensions must be ≥ 1, got {dimensions}.");
        if (x.Length % dimensions != 0)
            throw new ArgumentException($"{caller}: {paramName} has {x.Length} values, not a multiple of dimensions = {dimensions} (expected [T, D] row-major).", paramName);
        var rows = x.Length / dimensions;
        if (rows < minRows)
            throw new ArgumentException($"{caller}: {paramName} has {rows} observations; at least {minRows} are needed.", paramName);
        RequireFinite(caller, x, dimensions, paramName);
        return rows;
    }

    /// <summary>Throws on the first NaN or infinity, naming its row and column.</summary>
    public static void RequireFinite(string caller, ReadOnlySpan<double> x, int dimensions, string paramName)
    {
        for (var i = 0; i < x.Length; i++)
            if (!double.IsFinite(x[i]))
                throw new ArgumentException($"{caller}: {paramName}[{i / dimensions}, {i % dimensions}] is {x[i]}; every observation must be finite (drop or fill it in a named step first).", paramName);
    }

    /// <summary>Throws when a column of [T, D] <paramref name="x"/> takes a single value (zero variance).</summary>
    public static void RequireNotConstant(string caller, ReadOnlySpan<double> x, int dimensions, string paramName)
    {
        var rows = x.Length / dimensions;
        for (var d = 0; d < dimensions; d++)
        {
            double min = x[d], max = x[d];
            for (var t = 1; t < rows; t++)
            {
                var v = x[t * dimensions + d];
                if (v < min) min = v;
                if (v > max) max = v;
            }
            if (min == max)
                throw new ArgumentException($"{caller}: {paramName} column {d} is constant ({min} in all {rows} rows); a constant series has no variance to model.", paramName);
        }
    }
}
