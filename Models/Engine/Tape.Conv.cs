using LeanModels.Models.Engine.Kernels;

namespace LeanModels.Models.Engine;

public sealed partial class Tape<T>
{
    /// <summary>
    /// 1-D convolution over time, channels last, output as long as the input:
    /// y[n, t, :] = b + Σₖ x[n, t + k·dilation − left, :] · w[k] with zeros outside [0, T). <paramref name="causal"/> puts all
    /// dilation·(K − 1) padding on the left (y at t sees only x at ≤ t, as in TCNs, Bai et al. 2018); otherwise "same" padding
    /// puts ⌊total/2⌋ on the left and the rest on the right (PyTorch's <c>padding="same"</c>). Cross-correlation, as PyTorch.
    /// Each kernel tap is one GEMM over the valid rows; backward is the two transposed GEMMs per tap.
    /// </summary>
    /// <param name="x">[N, T, Cin] (batch·assets, time oldest → newest, channels).</param>
    /// <param name="weight">[K, Cin, Cout]. (PyTorch stores [Cout, Cin, K].)</param>
    /// <param name="bias">[Cout], or null for none.</param>
    /// <param name="dilation">Spacing between taps, ≥ 1.</param>
    /// <param name="causal">True for causal (left) padding, false for same padding.</param>
    /// <returns>[N, T, Cout].</returns>
    /// <exception cref="ArgumentException">Shapes disagree (the message gives them) or dilation &lt; 1.</exception>
    public Tensor<T> Conv1d(Tensor<T> x, Tensor<T> weight, Tensor<T>? bias, int dilation = 1, bool causal = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentOutOfRangeException.ThrowIfLessThan(dilation, 1);
        if (x.Rank != 3 || weight.Rank != 3 || weight.Dims[1] != x.Dims[2] || (bias is not null && (bias.Rank != 1 || bias.Length != weight.Dims[2])))
            throw new ArgumentException($"Conv1d: x is {ShapeUtil.Format(x.Dims)}, weight {ShapeUtil.Format(weight.Dims)}, bias {(bias is null ? "none" : ShapeUtil.Format(bias.Dims))}; expected [N, T, Cin], [K, Cin, Cout], [Cout].");
        int n = x.Dims[0], t = x.Dims[1], cin = x.Dims[2], kk = weight.Dims[0], cout = weight.Dims[2];
        var total = dilation * (kk - 1);
        var left = causal ? total : total / 2;
        var b = bias ?? Tensor<T>.Zeros(cout);
        var y = Result([n, t, cout], x, weight, b);
        ParallelRows(n, t * cout, (n0, n1) =>                          // samples are independent: fixed blocks on the tape's threads
        {
            for (var i = n0 * t; i < n1 * t; i++) b.Data.AsSpan().CopyTo(y.Data.AsSpan(i * cout, cout));
            for (var ni = n0; ni < n1; ni++)
                for (var k = 0; k < kk; k++)
                {
                    var (t0, t1, shift) = TapRange(k, dilation, left, t);
                    if (t1 <= t0) continue;
                    Gemm.Multiply<T>(x.Data.AsSpan((ni * t + t0 + shift) * cin, (t1 - t0) * cin), weight.Data.AsSpan(k * cin * cout, cin * cout),
                        y.Data.AsSpan((ni * t + t0) * cout, (t1 - t0) * cout), t1 - t0, cin, cout, accumulate: true);
                }
        });
        Record(y, () =>
        {
            var gy = y.Grad!;
            if (b.Grad is not null) ColumnSumAccumulate(gy, n * t, cout, b.Grad);   // fixed row blocks, block order
            for (var ni = 0; ni < n; ni++)
                for (var k = 0; k < kk; k++)
                {
                    var (t0, t1, shift) = TapRange(k, dilation, left, t);
                    if (t1 <= t0) continue;
                    var gys = gy.AsSpan((ni * t + t0) * cout, (t1 - t0) * cout);
                    var xs = x.Data.AsSpan((ni * t + t0 + shift) * cin, (t1 - t0) * cin);
                    if (x.Grad is not null)      // dx[rows + shift] += dy[rows] · w[k]ᵀ
                        Gemm.Multiply<T>(gys, weight.Data.AsSpan(k * cin * cout, cin * cout), x.Grad.AsSpan((ni * t + t0 + shift) * cin, (t1 - t0) * cin),
                            t1 - t0, cout, cin, transposeB: true, accumulate: true);
                    if (weight.Grad is not null) // dw[k] += x[rows + shift]ᵀ · dy[rows]
                        Gemm.Multiply<T>(xs, gys, weight.Grad.AsSpan(k * cin * cout, cin * cout), cin, t1 - t0, cout, transposeA: true, accumulate: true);
                }
        });
        return y;
    }

    /// <summary>Output rows [t0, t1) for which tap k reads an input row inside [0, T); the input row is output row + shift.</summary>
    private static (int T0, int T1, int Shift) TapRange(int k, int dilation, int left, int t)
    {
        var shift = k * dilation - left;
        return (Math.Max(0, -shift), Math.Min(t, t - shift), shift);
    }
}
