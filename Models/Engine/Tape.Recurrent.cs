using System.Numerics.Tensors;
using LeanModels.Models.Engine.Kernels;

namespace LeanModels.Models.Engine;

public sealed partial class Tape<T>
{
    /// <summary>
    /// Fused LSTM recurrence from zero state (gate order i, f, g, o as PyTorch). The input projection is done by the caller in
    /// one GEMM for all steps; per step: a = x̃ₜ + hₜ₋₁·W_hh, i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o),
    /// cₜ = f⊙cₜ₋₁ + i⊙g, hₜ = o⊙tanh(cₜ). Forward caches the activated gates and tanh(cₜ); backward-through-time
    /// (hand-derived): dh = dyₜ + dhₙₑₓₜ; dc = dh⊙o⊙(1 − tanh²cₜ) + dcₙₑₓₜ; da_i = dc⊙g⊙i(1 − i); da_f = dc⊙cₜ₋₁⊙f(1 − f);
    /// da_g = dc⊙i⊙(1 − g²); da_o = dh⊙tanh cₜ⊙o(1 − o); dcₙₑₓₜ = dc⊙f; dhₙₑₓₜ = da·W_hhᵀ; dW_hh += hₜ₋₁ᵀ·da.
    /// The composed version (<c>Lstm.ForwardReference</c>) is its test oracle.
    /// </summary>
    /// <param name="inputGates">[B, T, 4H]: x·W_ih + b for every step.</param>
    /// <param name="recurrentWeight">[H, 4H] W_hh.</param>
    /// <returns>[B, T, H], hₜ for every step.</returns>
    /// <exception cref="ArgumentException">Shapes disagree; the message gives both.</exception>
    public Tensor<T> LstmRecurrence(Tensor<T> inputGates, Tensor<T> recurrentWeight)
    {
        ArgumentNullException.ThrowIfNull(inputGates);
        ArgumentNullException.ThrowIfNull(recurrentWeight);
        if (inputGates.Rank != 3 || recurrentWeight.Rank != 2 || recurrentWeight.Dims[1] != 4 * recurrentWeight.Dims[0] || inputGates.Dims[2] != recurrentWeight.Dims[1])
            throw new ArgumentException($"LstmRecurrence: input gates are {ShapeUtil.Format(inputGates.Dims)}, W_hh {ShapeUtil.Format(recurrentWeight.Dims)}; expected [B, T, 4H] and [H, 4H].");
        int b = inputGates.Dims[0], steps = inputGates.Dims[1], h = recurrentWeight.Dims[0], g4 = 4 * h;
        var y = Result([b, steps, h], inputGates, recurrentWeight);
        var act = Alloc(b * steps * g4);          // activated gates i, f, g, o per (b, t)
        var cell = Alloc(b * steps * h);
        var tanhCell = Alloc(b * steps * h);
        var hPrev = new T[b * h];
        var pre = new T[b * g4];
        var w = recurrentWeight.Data;
        for (var t = 0; t < steps; t++)
        {
            for (var bi = 0; bi < b; bi++) inputGates.Data.AsSpan((bi * steps + t) * g4, g4).CopyTo(pre.AsSpan(bi * g4, g4));
            if (t > 0) Gemm.Multiply<T>(hPrev, w, pre, b, h, g4, accumulate: true);
            for (var bi = 0; bi < b; bi++)
            {
                int ga = (bi * steps + t) * g4, ca = (bi * steps + t) * h, cp = (bi * steps + t - 1) * h;
                // Activations over whole gate blocks (TensorPrimitives, vectorised): [i f] σ, [g] tanh, [o] σ.
                ReadOnlySpan<T> pr = pre.AsSpan(bi * g4, g4);
                var ar = act.AsSpan(ga, g4);
                TensorPrimitives.Sigmoid(pr[..(2 * h)], ar[..(2 * h)]);
                TensorPrimitives.Tanh(pr.Slice(2 * h, h), ar.Slice(2 * h, h));
                TensorPrimitives.Sigmoid(pr.Slice(3 * h, h), ar.Slice(3 * h, h));
                var c = cell.AsSpan(ca, h);
                TensorPrimitives.Multiply(ar[..h], ar.Slice(2 * h, h), c);                       // i⊙g
                if (t > 0) TensorPrimitives.FusedMultiplyAdd(ar.Slice(h, h), cell.AsSpan(cp, h), c, c);   // + f⊙cₜ₋₁
                var tc = tanhCell.AsSpan(ca, h);
                TensorPrimitives.Tanh(c, tc);
                var hy = y.Data.AsSpan(ca, h);
                TensorPrimitives.Multiply(ar.Slice(3 * h, h), tc, hy);                           // o⊙tanh(c)
                hy.CopyTo(hPrev.AsSpan(bi * h, h));
            }
        }
        Record(y, () =>
        {
            var gy = y.Grad!;
            var dhNext = new T[b * h];
            var dcNext = new T[b * h];
            var da = new T[b * g4];
            var hp = new T[b * h];
            for (var t = steps - 1; t >= 0; t--)
            {
                for (var bi = 0; bi < b; bi++)
                {
                    int ga = (bi * steps + t) * g4, ca = (bi * steps + t) * h, cp = (bi * steps + t - 1) * h;
                    for (var j = 0; j < h; j++)
                    {
                        T i = act[ga + j], f = act[ga + h + j], g = act[ga + 2 * h + j], o = act[ga + 3 * h + j], tc = tanhCell[ca + j];
                        var dh = gy[ca + j] + dhNext[bi * h + j];
                        var dc = dh * o * (T.One - tc * tc) + dcNext[bi * h + j];
                        var cPrev = t > 0 ? cell[cp + j] : T.Zero;
                        da[bi * g4 + j] = dc * g * i * (T.One - i);
                        da[bi * g4 + h + j] = dc * cPrev * f * (T.One - f);
                        da[bi * g4 + 2 * h + j] = dc * i * (T.One - g * g);
                        da[bi * g4 + 3 * h + j] = dh * tc * o * (T.One - o);
                        dcNext[bi * h + j] = dc * f;
                    }
                    if (inputGates.Grad is not null)
                        for (var j = 0; j < g4; j++) inputGates.Grad[ga + j] += da[bi * g4 + j];
                }
                if (t == 0) break;                                           // h₋₁ = 0: no recurrent gradient
                for (var bi = 0; bi < b; bi++) y.Data.AsSpan((bi * steps + t - 1) * h, h).CopyTo(hp.AsSpan(bi * h, h));
                if (recurrentWeight.Grad is not null) Gemm.Multiply<T>(hp, da, recurrentWeight.Grad, h, b, g4, transposeA: true, accumulate: true);
                Gemm.Multiply<T>(da, w, dhNext, b, g4, h, transposeB: true);   // dhₙₑₓₜ = da·W_hhᵀ (overwrites)
            }
        });
        return y;
    }

    /// <summary>
    /// Fused GRU recurrence from zero state in PyTorch's form (gate order r, z, n): with x̃ₜ = x·W_ih + b_ih given and
    /// ĥ = hₜ₋₁·W_hh + b_hh, r = σ(x̃_r + ĥ_r), z = σ(x̃_z + ĥ_z), n = tanh(x̃_n + r⊙ĥ_n), hₜ = (1 − z)⊙n + z⊙hₜ₋₁.
    /// Backward (hand-derived): dn = dh⊙(1 − z); dz = dh⊙(hₜ₋₁ − n); da_n = dn⊙(1 − n²); da_r = da_n⊙ĥ_n⊙r(1 − r);
    /// da_z = dz⊙z(1 − z); dx̃ = [da_r, da_z, da_n]; dĥ = [da_r, da_z, da_n⊙r]; dhₜ₋₁ = dh⊙z + dĥ·W_hhᵀ;
    /// dW_hh += hₜ₋₁ᵀ·dĥ; db_hh += Σ_b dĥ. The composed version (<c>Gru.ForwardReference</c>) is its test oracle.
    /// </summary>
    /// <param name="inputGates">[B, T, 3H]: x·W_ih + b_ih for every step.</param>
    /// <param name="recurrentWeight">[H, 3H] W_hh.</param>
    /// <param name="recurrentBias">[3H] b_hh.</param>
    /// <returns>[B, T, H], hₜ for every step.</returns>
    /// <exception cref="ArgumentException">Shapes disagree; the message gives them.</exception>
    public Tensor<T> GruRecurrence(Tensor<T> inputGates, Tensor<T> recurrentWeight, Tensor<T> recurrentBias)
    {
        ArgumentNullException.ThrowIfNull(inputGates);
        ArgumentNullException.ThrowIfNull(recurrentWeight);
        ArgumentNullException.ThrowIfNull(recurrentBias);
        if (inputGates.Rank != 3 || recurrentWeight.Rank != 2 || recurrentWeight.Dims[1] != 3 * recurrentWeight.Dims[0]
            || inputGates.Dims[2] != recurrentWeight.Dims[1] || recurrentBias.Rank != 1 || recurrentBias.Length != recurrentWeight.Dims[1])
            throw new ArgumentException($"GruRecurrence: input gates are {ShapeUtil.Format(inputGates.Dims)}, W_hh {ShapeUtil.Format(recurrentWeight.Dims)}, b_hh {ShapeUtil.Format(recurrentBias.Dims)}; expected [B, T, 3H], [H, 3H], [3H].");
        int b = inputGates.Dims[0], steps = inputGates.Dims[1], h = recurrentWeight.Dims[0], g3 = 3 * h;
        var y = Result([b, steps, h], inputGates, recurrentWeight, recurrentBias);
        var gates = Alloc(b * steps * g3);        // r, z, n per (b, t)
        var hn = Alloc(b * steps * h);            // ĥ_n per (b, t)
        var hPrev = new T[b * h];
        var hw = new T[b * g3];
        for (var t = 0; t < steps; t++)
        {
            for (var bi = 0; bi < b; bi++) recurrentBias.Data.AsSpan().CopyTo(hw.AsSpan(bi * g3, g3));
            if (t > 0) Gemm.Multiply<T>(hPrev, recurrentWeight.Data, hw, b, h, g3, accumulate: true);
            for (var bi = 0; bi < b; bi++)
            {
                int ga = (bi * steps + t) * g3, ha = (bi * steps + t) * h;
                ReadOnlySpan<T> xr = inputGates.Data.AsSpan(ga, g3), hr = hw.AsSpan(bi * g3, g3);
                var gr = gates.AsSpan(ga, g3);
                TensorPrimitives.Add(xr[..(2 * h)], hr[..(2 * h)], gr[..(2 * h)]);          // r, z pre-activations
                TensorPrimitives.Sigmoid(gr[..(2 * h)], gr[..(2 * h)]);
                hr.Slice(2 * h, h).CopyTo(hn.AsSpan(ha, h));
                var n = gr.Slice(2 * h, h);
                TensorPrimitives.FusedMultiplyAdd(gr[..h], hr.Slice(2 * h, h), xr.Slice(2 * h, h), n);   // x_n + r⊙ĥ_n
                TensorPrimitives.Tanh(n, n);
                var hy = y.Data.AsSpan(ha, h);
                var hp = hPrev.AsSpan(bi * h, h);
                TensorPrimitives.Subtract(hp, n, hy);                                          // h − n
                TensorPrimitives.FusedMultiplyAdd(gr.Slice(h, h), hy, n, hy);                   // n + z⊙(h − n)
                hy.CopyTo(hp);
            }
        }
        Record(y, () =>
        {
            var gy = y.Grad!;
            var dhNext = new T[b * h];
            var dhw = new T[b * g3];
            var hp = new T[b * h];
            for (var t = steps - 1; t >= 0; t--)
            {
                for (var bi = 0; bi < b; bi++)
                {
                    int ga = (bi * steps + t) * g3, ha = (bi * steps + t) * h, hpa = (bi * steps + t - 1) * h;
                    for (var j = 0; j < h; j++)
                    {
                        T r = gates[ga + j], z = gates[ga + h + j], n = gates[ga + 2 * h + j];
                        var prev = t > 0 ? y.Data[hpa + j] : T.Zero;
                        hp[bi * h + j] = prev;
                        var dh = gy[ha + j] + dhNext[bi * h + j];
                        var dan = dh * (T.One - z) * (T.One - n * n);
                        var dar = dan * hn[ha + j] * r * (T.One - r);
                        var daz = dh * (prev - n) * z * (T.One - z);
                        if (inputGates.Grad is not null)
                        {
                            inputGates.Grad[ga + j] += dar;
                            inputGates.Grad[ga + h + j] += daz;
                            inputGates.Grad[ga + 2 * h + j] += dan;
                        }
                        dhw[bi * g3 + j] = dar;
                        dhw[bi * g3 + h + j] = daz;
                        dhw[bi * g3 + 2 * h + j] = dan * r;
                        dhNext[bi * h + j] = dh * z;                              // direct path; the W_hh path is added below
                    }
                    if (recurrentBias.Grad is not null)
                        for (var j = 0; j < g3; j++) recurrentBias.Grad[j] += dhw[bi * g3 + j];
                }
                if (t == 0) break;
                if (recurrentWeight.Grad is not null) Gemm.Multiply<T>(hp, dhw, recurrentWeight.Grad, h, b, g3, transposeA: true, accumulate: true);
                Gemm.Multiply<T>(dhw, recurrentWeight.Data, dhNext, b, g3, h, transposeB: true, accumulate: true);
            }
        });
        return y;
    }

    private static T Sig(T x) => T.One / (T.One + T.Exp(-x));
}
