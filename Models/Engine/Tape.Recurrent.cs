using LeanModels.Models.Engine.Kernels;

namespace LeanModels.Models.Engine;

public sealed partial class Tape<T>
{
    /// <summary>True when the fused float loops of <see cref="RecurrentLoops"/> run, with <paramref name="tier"/> the op's tier
    /// (<see cref="RecurrentKernels"/> on Vector512, <see cref="RecurrentKernels256"/> on Vector256); false on the scalar tier and
    /// for double, which run the generic path (exact scalar cells). Read once per op; the chosen path records its own backward
    /// and the tier goes with it.</summary>
    private static bool RecurrentFast(out SimdTier tier)
    {
        tier = EngineSimd.Tier;
        return typeof(T) == typeof(float) && tier != SimdTier.Scalar;
    }

    /// <summary>
    /// Whole one-layer LSTM from zero state, fused (gate order i, f, g, o as PyTorch): per step a = x·W_ih + b + hₜ₋₁·W_hh,
    /// i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o), cₜ = f⊙cₜ₋₁ + i⊙g, hₜ = o⊙tanh(cₜ). Backward through time
    /// (hand-derived): dh = dyₜ + dhₙₑₓₜ; dc = dh⊙o⊙(1 − tanh²cₜ) + dcₙₑₓₜ; da_i = dc⊙g⊙i(1 − i); da_f = dc⊙cₜ₋₁⊙f(1 − f);
    /// da_g = dc⊙i⊙(1 − g²); da_o = dh⊙tanh cₜ⊙o(1 − o); dcₙₑₓₜ = dc⊙f; dhₙₑₓₜ = da·W_hhᵀ; dW_ih += Σ xₜᵀ·daₜ,
    /// db += Σ daₜ, dW_hh += Σ hₜ₋₁ᵀ·daₜ, dx = da·W_ihᵀ.
    /// </summary>
    /// <remarks>
    /// <c>float</c> on a vector tier (<see cref="RecurrentLoops"/>, Vector512 or Vector256 kernels): batch rows are split into 2 fixed groups (a function of B only);
    /// each group's whole forward and backward time loop runs on one thread (one <see cref="RunChunks"/> each). The input
    /// projection is a step product inside the loop; each step's da feeds the group's partial weight gradients at once (while
    /// hot in cache), and the partials are added in group order after the loop, so every sum has one fixed order and results
    /// are bit-identical for any thread count (tested). Cells are vectorised (<see cref="RecurrentMath"/> exp / σ / tanh:
    /// a few float ulp, tanh ≤ 1.5e−7 absolute). Other element types (<c>double</c> for gradchecks) and the scalar tier run exact scalar code:
    /// x·W_ih for all steps in one GEMM, the rows' time loops on fixed row chunks, every step's da kept, and the weight
    /// gradients in one pass over fixed column ranges after the loop. The composed version (<c>Lstm.ForwardReference</c>)
    /// is the test oracle of both.
    /// </remarks>
    /// <param name="x">[B, T, F] inputs, time oldest → newest.</param>
    /// <param name="inputWeight">[F, 4H] W_ih.</param>
    /// <param name="bias">[4H] b (PyTorch's b_ih + b_hh).</param>
    /// <param name="recurrentWeight">[H, 4H] W_hh.</param>
    /// <returns>[B, T, H], hₜ for every step.</returns>
    /// <exception cref="ArgumentException">Shapes disagree (or T = 0); the message gives all four.</exception>
    public Tensor<T> LstmSequence(Tensor<T> x, Tensor<T> inputWeight, Tensor<T> bias, Tensor<T> recurrentWeight)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(inputWeight);
        ArgumentNullException.ThrowIfNull(bias);
        ArgumentNullException.ThrowIfNull(recurrentWeight);
        if (x.Rank != 3 || inputWeight.Rank != 2 || recurrentWeight.Rank != 2 || bias.Rank != 1 || recurrentWeight.Dims[1] != 4 * recurrentWeight.Dims[0]
            || inputWeight.Dims[0] != x.Dims[2] || inputWeight.Dims[1] != recurrentWeight.Dims[1] || bias.Length != recurrentWeight.Dims[1] || x.Dims[1] < 1)
            throw new ArgumentException($"LstmSequence: x is {ShapeUtil.Format(x.Dims)}, W_ih {ShapeUtil.Format(inputWeight.Dims)}, b {ShapeUtil.Format(bias.Dims)}, W_hh {ShapeUtil.Format(recurrentWeight.Dims)}; expected [B, T ≥ 1, F], [F, 4H], [4H], [H, 4H].");
        int b = x.Dims[0], steps = x.Dims[1], f = x.Dims[2], h = recurrentWeight.Dims[0], g4 = 4 * h;
        var y = NewResult([b, steps, h], x.RequiresGrad || inputWeight.RequiresGrad || bias.RequiresGrad || recurrentWeight.RequiresGrad);
        if (RecurrentFast(out var tier))
        {
            FastRecurrence(tier, false, y, x, inputWeight, bias, recurrentWeight, null, null);
            return y;
        }
        var gates = Alloc(b * steps * g4);
        Gemm.Multiply<T>(x.Data, inputWeight.Data, gates, b * steps, f, g4, threads: Threads, team: Team);
        var (cell, tanhCell) = LstmForward(gates, bias.Data, recurrentWeight.Data, y.Data, b, steps, h);
        Record(y, () =>
        {
            LstmBackward(gates, cell, tanhCell, y.Grad!, recurrentWeight.Data, b, steps, h);
            RecurrentGradients(gates, gates, b, steps, g4, h, x.Data, f, inputWeight.Grad, bias.Grad, null, y.Data, recurrentWeight.Grad, null);
            if (x.Grad is not null)
                Gemm.Multiply<T>(gates, inputWeight.Data, x.Grad, b * steps, g4, f, transposeB: true, accumulate: true, threads: Threads, team: Team);
        });
        return y;
    }

    /// <summary>
    /// Fused LSTM recurrence from zero state with the input projection already done (<see cref="LstmSequence"/> without x·W_ih + b:
    /// same cell, same backward; the gradient of the gates input is da).
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
        if (RecurrentFast(out var tier))
        {
            FastRecurrence(tier, false, y, null, null, null, recurrentWeight, null, inputGates);
            return y;
        }
        var gates = Alloc(b * steps * g4);
        inputGates.Data.AsSpan(0, gates.Length).CopyTo(gates);
        var (cell, tanhCell) = LstmForward(gates, Alloc(g4), recurrentWeight.Data, y.Data, b, steps, h);
        Record(y, () =>
        {
            LstmBackward(gates, cell, tanhCell, y.Grad!, recurrentWeight.Data, b, steps, h);
            RecurrentGradients(gates, gates, b, steps, g4, h, null, 0, null, null, inputGates.Grad, y.Data, recurrentWeight.Grad, null);
        });
        return y;
    }

    /// <summary>
    /// Whole one-layer GRU from zero state, fused, in PyTorch's form (gate order r, z, n): x̃ₜ = x·W_ih + b_ih,
    /// ĥ = hₜ₋₁·W_hh + b_hh, r = σ(x̃_r + ĥ_r), z = σ(x̃_z + ĥ_z), n = tanh(x̃_n + r⊙ĥ_n),
    /// hₜ = (1 − z)⊙n + z⊙hₜ₋₁. Backward (hand-derived): dn = dh⊙(1 − z); dz = dh⊙(hₜ₋₁ − n); da_n = dn⊙(1 − n²);
    /// da_r = da_n⊙ĥ_n⊙r(1 − r); da_z = dz⊙z(1 − z); dx̃ = [da_r, da_z, da_n]; dĥ = [da_r, da_z, da_n⊙r];
    /// dhₜ₋₁ = dh⊙z + dĥ·W_hhᵀ; dW_ih += Σ xₜᵀ·dx̃ₜ, db_ih += Σ dx̃ₜ, dW_hh += Σ hₜ₋₁ᵀ·dĥₜ, db_hh += Σ dĥₜ.
    /// Threads, determinism and the two paths as in <see cref="LstmSequence"/> (the float path keeps only ĥ_n per step);
    /// the composed version (<c>Gru.ForwardReference</c>) is its test oracle.
    /// </summary>
    /// <param name="x">[B, T, F] inputs.</param>
    /// <param name="inputWeight">[F, 3H] W_ih.</param>
    /// <param name="inputBias">[3H] b_ih.</param>
    /// <param name="recurrentWeight">[H, 3H] W_hh.</param>
    /// <param name="recurrentBias">[3H] b_hh.</param>
    /// <returns>[B, T, H], hₜ for every step.</returns>
    /// <exception cref="ArgumentException">Shapes disagree (or T = 0); the message gives them.</exception>
    public Tensor<T> GruSequence(Tensor<T> x, Tensor<T> inputWeight, Tensor<T> inputBias, Tensor<T> recurrentWeight, Tensor<T> recurrentBias)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(inputWeight);
        ArgumentNullException.ThrowIfNull(inputBias);
        ArgumentNullException.ThrowIfNull(recurrentWeight);
        ArgumentNullException.ThrowIfNull(recurrentBias);
        if (x.Rank != 3 || inputWeight.Rank != 2 || recurrentWeight.Rank != 2 || inputBias.Rank != 1 || recurrentBias.Rank != 1
            || recurrentWeight.Dims[1] != 3 * recurrentWeight.Dims[0] || inputWeight.Dims[0] != x.Dims[2] || inputWeight.Dims[1] != recurrentWeight.Dims[1]
            || inputBias.Length != recurrentWeight.Dims[1] || recurrentBias.Length != recurrentWeight.Dims[1] || x.Dims[1] < 1)
            throw new ArgumentException($"GruSequence: x is {ShapeUtil.Format(x.Dims)}, W_ih {ShapeUtil.Format(inputWeight.Dims)}, b_ih {ShapeUtil.Format(inputBias.Dims)}, W_hh {ShapeUtil.Format(recurrentWeight.Dims)}, b_hh {ShapeUtil.Format(recurrentBias.Dims)}; expected [B, T ≥ 1, F], [F, 3H], [3H], [H, 3H], [3H].");
        int b = x.Dims[0], steps = x.Dims[1], f = x.Dims[2], h = recurrentWeight.Dims[0], g3 = 3 * h;
        var y = NewResult([b, steps, h], x.RequiresGrad || inputWeight.RequiresGrad || inputBias.RequiresGrad || recurrentWeight.RequiresGrad || recurrentBias.RequiresGrad);
        if (RecurrentFast(out var tier))
        {
            FastRecurrence(tier, true, y, x, inputWeight, inputBias, recurrentWeight, recurrentBias, null);
            return y;
        }
        var gates = Alloc(b * steps * g3);
        Gemm.Multiply<T>(x.Data, inputWeight.Data, gates, b * steps, f, g3, threads: Threads, team: Team);
        var hidden = GruForward(gates, inputBias.Data, recurrentWeight.Data, recurrentBias.Data, y.Data, b, steps, h);
        Record(y, () =>
        {
            GruBackward(gates, hidden, y.Data, y.Grad!, recurrentWeight.Data, b, steps, h);
            RecurrentGradients(gates, hidden, b, steps, g3, h, x.Data, f, inputWeight.Grad, inputBias.Grad, null, y.Data, recurrentWeight.Grad, recurrentBias.Grad);
            if (x.Grad is not null)
                Gemm.Multiply<T>(gates, inputWeight.Data, x.Grad, b * steps, g3, f, transposeB: true, accumulate: true, threads: Threads, team: Team);
        });
        return y;
    }

    /// <summary>
    /// Fused GRU recurrence from zero state with the input projection already done (<see cref="GruSequence"/> without
    /// x·W_ih + b_ih; the gradient of the gates input is dx̃).
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
        if (RecurrentFast(out var tier))
        {
            FastRecurrence(tier, true, y, null, null, null, recurrentWeight, recurrentBias, inputGates);
            return y;
        }
        var gates = Alloc(b * steps * g3);
        inputGates.Data.AsSpan(0, gates.Length).CopyTo(gates);
        var hidden = GruForward(gates, Alloc(g3), recurrentWeight.Data, recurrentBias.Data, y.Data, b, steps, h);
        Record(y, () =>
        {
            GruBackward(gates, hidden, y.Data, y.Grad!, recurrentWeight.Data, b, steps, h);
            RecurrentGradients(gates, hidden, b, steps, g3, h, null, 0, null, null, inputGates.Grad, y.Data, recurrentWeight.Grad, recurrentBias.Grad);
        });
        return y;
    }

    // ───────────────────────────── LSTM core ─────────────────────────────

    /// <summary>Forward time loop. gates [B, T, 4H] holds x·W_ih (bias not added) and becomes the activated gates; returns
    /// the cell states and their tanh, [B, T, H] each; writes hₜ into y.</summary>
    private (T[] Cell, T[] TanhCell) LstmForward(T[] gates, T[] bias, T[] whh, T[] y, int b, int steps, int h)
    {
        var cell = Alloc(b * steps * h);
        var tanhCell = Alloc(b * steps * h);
        RunChunks(b, (r0, r1) =>
        {
            LstmForwardGeneric(gates, bias, whh, cell, tanhCell, y, r0, r1, steps, h);
        });
        return (cell, tanhCell);
    }

    private static void LstmForwardGeneric(T[] gates, T[] bias, T[] whh, T[] cell, T[] tanhCell, T[] y, int r0, int r1, int steps, int h)
    {
        var g4 = 4 * h;
        for (var r = r0; r < r1; r++)
            for (var t = 0; t < steps; t++)
            {
                int ga = (r * steps + t) * g4, ca = (r * steps + t) * h;
                var a = gates.AsSpan(ga, g4);
                if (t > 0) Gemm.Multiply<T>(y.AsSpan(ca - h, h), whh, a, 1, h, g4, accumulate: true);
                for (var j = 0; j < h; j++)
                {
                    T i = Sig(a[j] + bias[j]), f = Sig(a[h + j] + bias[h + j]), g = T.Tanh(a[2 * h + j] + bias[2 * h + j]), o = Sig(a[3 * h + j] + bias[3 * h + j]);
                    a[j] = i; a[h + j] = f; a[2 * h + j] = g; a[3 * h + j] = o;
                    var c = i * g;
                    if (t > 0) c += f * cell[ca - h + j];
                    cell[ca + j] = c;
                    var tc = T.Tanh(c);
                    tanhCell[ca + j] = tc;
                    y[ca + j] = o * tc;
                }
            }
    }

    /// <summary>Backward time loop: overwrites the activated gates with da for every (row, step).</summary>
    private void LstmBackward(T[] gates, T[] cell, T[] tanhCell, T[] gy, T[] whh, int b, int steps, int h)
    {
        int g4 = 4 * h;
        var dh = Alloc(b * h);
        var dc = Alloc(b * h);
        RunChunks(b, (r0, r1) => LstmBackwardGeneric(gates, cell, tanhCell, gy, whh, dh, dc, r0, r1, steps, h));
    }

    private static void LstmBackwardGeneric(T[] gates, T[] cell, T[] tanhCell, T[] gy, T[] whh, T[] dhNext, T[] dcNext, int r0, int r1, int steps, int h)
    {
        var g4 = 4 * h;
        for (var r = r0; r < r1; r++)
            for (var t = steps - 1; t >= 0; t--)
            {
                int ga = (r * steps + t) * g4, ca = (r * steps + t) * h;
                var a = gates.AsSpan(ga, g4);
                for (var j = 0; j < h; j++)
                {
                    T i = a[j], f = a[h + j], g = a[2 * h + j], o = a[3 * h + j], tc = tanhCell[ca + j];
                    var dh = gy[ca + j] + dhNext[r * h + j];
                    var dc = dh * o * (T.One - tc * tc) + dcNext[r * h + j];
                    var cPrev = t > 0 ? cell[ca - h + j] : T.Zero;
                    a[j] = dc * g * i * (T.One - i);
                    a[h + j] = dc * cPrev * f * (T.One - f);
                    a[2 * h + j] = dc * i * (T.One - g * g);
                    a[3 * h + j] = dh * tc * o * (T.One - o);
                    dcNext[r * h + j] = dc * f;
                }
                if (t > 0) Gemm.Multiply<T>(a, whh, dhNext.AsSpan(r * h, h), 1, g4, h, transposeB: true);   // dhₙₑₓₜ = da·W_hhᵀ
            }
    }

    // ───────────────────────────── GRU core ─────────────────────────────

    /// <summary>Forward time loop. gates [B, T, 3H] holds x·W_ih (b_ih not added) and becomes r, z, n; returns ĥ = hₜ₋₁·W_hh + b_hh
    /// for every (row, step), [B, T, 3H]; writes hₜ into y.</summary>
    private T[] GruForward(T[] gates, T[] biasIh, T[] whh, T[] biasHh, T[] y, int b, int steps, int h)
    {
        var hidden = Alloc(b * steps * 3 * h);
        RunChunks(b, (r0, r1) =>
        {
            GruForwardGeneric(gates, biasIh, whh, biasHh, hidden, y, r0, r1, steps, h);
        });
        return hidden;
    }

    private static void GruForwardGeneric(T[] gates, T[] biasIh, T[] whh, T[] biasHh, T[] hidden, T[] y, int r0, int r1, int steps, int h)
    {
        var g3 = 3 * h;
        for (var r = r0; r < r1; r++)
            for (var t = 0; t < steps; t++)
            {
                int ga = (r * steps + t) * g3, ha = (r * steps + t) * h;
                var a = gates.AsSpan(ga, g3);
                var hh = hidden.AsSpan(ga, g3);
                biasHh.AsSpan(0, g3).CopyTo(hh);
                if (t > 0) Gemm.Multiply<T>(y.AsSpan(ha - h, h), whh, hh, 1, h, g3, accumulate: true);
                for (var j = 0; j < h; j++)
                {
                    var rg = Sig(a[j] + biasIh[j] + hh[j]);
                    var z = Sig(a[h + j] + biasIh[h + j] + hh[h + j]);
                    var n = T.Tanh(a[2 * h + j] + biasIh[2 * h + j] + rg * hh[2 * h + j]);
                    a[j] = rg; a[h + j] = z; a[2 * h + j] = n;
                    var prev = t > 0 ? y[ha - h + j] : T.Zero;
                    y[ha + j] = n + z * (prev - n);
                }
            }
    }

    /// <summary>Backward time loop: gates become dx̃ and hidden becomes dĥ for every (row, step).</summary>
    private void GruBackward(T[] gates, T[] hidden, T[] y, T[] gy, T[] whh, int b, int steps, int h)
    {
        int g3 = 3 * h;
        var dh = Alloc(b * h);
        RunChunks(b, (r0, r1) => GruBackwardGeneric(gates, hidden, y, gy, whh, dh, r0, r1, steps, h));
    }

    private static void GruBackwardGeneric(T[] gates, T[] hidden, T[] y, T[] gy, T[] whh, T[] dhNext, int r0, int r1, int steps, int h)
    {
        var g3 = 3 * h;
        for (var r = r0; r < r1; r++)
            for (var t = steps - 1; t >= 0; t--)
            {
                int ga = (r * steps + t) * g3, ha = (r * steps + t) * h;
                var a = gates.AsSpan(ga, g3);
                var hh = hidden.AsSpan(ga, g3);
                for (var j = 0; j < h; j++)
                {
                    T rg = a[j], z = a[h + j], n = a[2 * h + j], hn = hh[2 * h + j];
                    var prev = t > 0 ? y[ha - h + j] : T.Zero;
                    var dh = gy[ha + j] + dhNext[r * h + j];
                    var dan = dh * (T.One - z) * (T.One - n * n);
                    var dar = dan * hn * rg * (T.One - rg);
                    var daz = dh * (prev - n) * z * (T.One - z);
                    a[j] = dar; a[h + j] = daz; a[2 * h + j] = dan;
                    hh[j] = dar; hh[h + j] = daz; hh[2 * h + j] = dan * rg;
                    dhNext[r * h + j] = dh * z;                              // direct path; the W_hh path is added below
                }
                if (t > 0) Gemm.Multiply<T>(hh, whh, dhNext.AsSpan(r * h, h), 1, g3, h, transposeB: true, accumulate: true);
            }
    }

    // ───────────────────────────── weight gradients ─────────────────────────────

    /// <summary>
    /// After the time loop, with dInput = ∂L/∂x̃ and dRec = ∂L/∂ĥ ([B, T, G] each, the same array for LSTM): dW_ih += Σ xᵀ·dInput,
    /// db_ih += Σ dInput, inputGatesGrad += dInput, dW_hh += Σ_{t ≥ 1} hₜ₋₁ᵀ·dRecₜ, db_hh += Σ dRec (null targets are skipped).
    /// Split by fixed 16-column ranges over the threads; each element is summed over rows and steps in one fixed order.
    /// </summary>
    private void RecurrentGradients(T[] dInput, T[] dRec, int b, int steps, int gw, int h, T[]? x, int f, T[]? wihGrad, T[]? bihGrad,
        T[]? inputGatesGrad, T[] y, T[]? whhGrad, T[]? bhhGrad)
    {
        var units = (gw + 15) / 16;
        RunChunks(units, (u0, u1) =>
            GradientsGeneric(dInput, dRec, b, steps, gw, h, x, f, wihGrad, bihGrad, inputGatesGrad, y, whhGrad, bhhGrad, u0 * 16, Math.Min(gw, u1 * 16)));
    }

    /// <summary>Copies columns [n0, n0 + width) of a [rows, gw] gradient to or from a private [rows, width] block (null: nothing).</summary>
    private static void GradientsGeneric(T[] dInput, T[] dRec, int b, int steps, int gw, int h, T[]? x, int f, T[]? wihGrad, T[]? bihGrad,
        T[]? inputGatesGrad, T[] y, T[]? whhGrad, T[]? bhhGrad, int n0, int n1)
    {
        var rows = b * steps;
        for (var i = 0; i < rows; i++)
        {
            var t = i % steps;
            for (var j = n0; j < n1; j++)
            {
                var di = dInput[i * gw + j];
                var dr = dRec[i * gw + j];
                if (wihGrad is not null)
                    for (var k = 0; k < f; k++) wihGrad[k * gw + j] += x![i * f + k] * di;
                if (bihGrad is not null) bihGrad[j] += di;
                if (inputGatesGrad is not null) inputGatesGrad[i * gw + j] += di;
                if (whhGrad is not null && t > 0)
                    for (var k = 0; k < h; k++) whhGrad[k * gw + j] += y[(i - 1) * h + k] * dr;
                if (bhhGrad is not null) bhhGrad[j] += dr;
            }
        }
    }

    // ───────────────────────────── float SIMD path (Vector512 / Vector256) ─────────────────────────────

    /// <summary>
    /// The float fast path of all four recurrence ops (<see cref="RecurrentLoops"/>): gate = 4 (LSTM) or 3 (GRU, with b_hh).
    /// With x (and W_ih, bias) the input projection runs per step inside the loop; with <paramref name="gatesIn"/> the gates are
    /// copied in and their gradient is the gate gradient. Forward and backward are one <see cref="RunChunks"/> each over the fixed
    /// row groups; the groups' partial weight gradients are added in group order.
    /// </summary>
    private unsafe void FastRecurrence(SimdTier tier, bool gru, Tensor<T> y, Tensor<T>? x, Tensor<T>? inputWeight, Tensor<T>? inputBias, Tensor<T> recurrentWeight,
        Tensor<T>? recurrentBias, Tensor<T>? gatesIn)
    {
        int b = y.Dims[0], steps = y.Dims[1], h = recurrentWeight.Dims[0], gw = (gru ? 3 : 4) * h, f = x?.Dims[2] ?? 0;
        var groups = Math.Min(b, RecurrentLoops.Groups);
        var history = y.RequiresGrad || gatesIn is not null;                   // else inference: [B, ·] buffers reused every step
        var perStep = history ? steps : 1;
        var gates = AsFloat(Alloc(b * perStep * gw));
        if (gatesIn is not null) AsFloat(gatesIn.Data).AsSpan(0, gates.Length).CopyTo(gates);
        var cell = AsFloat(Alloc(b * perStep * h));                             // LSTM: c; GRU: ĥ_n
        var stepHidden = gru ? AsFloat(Alloc(b * gw)) : null;                   // GRU: one step's ĥ
        var bias = AsFloat(inputBias?.Data ?? Alloc(gw));
        float[]? xd = AsFloat(x?.Data), wih = AsFloat(inputWeight?.Data), whh = AsFloat(recurrentWeight.Data), bhh = AsFloat(recurrentBias?.Data), yd = AsFloat(y.Data);
        RunChunks(groups, (g0, g1) =>
        {
            fixed (float* px = xd, pwih = wih, pb = bias, pwhh = whh, pbhh = bhh, pg = gates, pc = cell, py = yd, psh = stepHidden)
            {
                var a = new RecurrentLoops.Args
                {
                    B = b, T = steps, F = f, H = h, X = px, Wih = pwih, Bias = pb, Whh = pwhh, BiasHh = pbhh, Gates = pg, Cell = pc, Y = py,
                    StepHidden = psh, NoHistory = !history, Wide = tier == SimdTier.Vector512,
                };
                for (var g = g0; g < g1; g++)
                {
                    var (r0, r1) = RecurrentLoops.GroupRows(b, groups, g);
                    if (gru) RecurrentLoops.GruForward(a, r0, r1);
                    else RecurrentLoops.LstmForward(a, r0, r1);
                }
            }
        });
        Record(y, () =>
        {
            var dh = AsFloat(Alloc(b * h));
            var dc = gru ? null : AsFloat(Alloc(b * h));
            var whhT = Transposed(whh, h, gw);
            var wihT = x?.Grad is not null ? Transposed(wih!, f, gw) : null;
            var rowsPer = (b + groups - 1) / groups;
            var scratchLen = 2 * rowsPer * gw + (f + h + 2) * gw + 32;          // da, dĥ, partial dW_ih, dW_hh, db, db_hh + padding
            var scratch = AsFloat(Alloc(groups * scratchLen));
            bool wantWih = inputWeight?.Grad is not null, wantBias = inputBias?.Grad is not null, wantWhh = recurrentWeight.Grad is not null,
                wantBhh = recurrentBias?.Grad is not null;
            RunChunks(groups, (g0, g1) =>
            {
                fixed (float* px = xd, pg = gates, pc = cell, py = yd, pgy = AsFloat(y.Grad), pdh = dh, pdc = dc, pwt = whhT, pxt = wihT,
                    pxg = AsFloat(x?.Grad), pgg = AsFloat(gatesIn?.Grad), ps = scratch)
                {
                    var a = new RecurrentLoops.Args
                    {
                        B = b, T = steps, F = f, H = h, X = px, Gates = pg, Cell = pc, Y = py, Gy = pgy, Dh = pdh, Dc = pdc, WhhT = pwt,
                        WihT = pxt, XGrad = pxg, GatesGrad = pgg, Wide = tier == SimdTier.Vector512,
                    };
                    for (var g = g0; g < g1; g++)
                    {
                        var (r0, r1) = RecurrentLoops.GroupRows(b, groups, g);
                        var baseP = ps + (long)g * scratchLen;
                        var partial = baseP + 2 * rowsPer * gw;
                        var sc = new RecurrentLoops.GroupScratch
                        {
                            Da = baseP, Dhh = gru ? baseP + rowsPer * gw : baseP,
                            Wih = wantWih ? partial : null, Whh = wantWhh ? partial + f * gw : null,
                            Bias = wantBias ? partial + (f + h) * gw : null, BiasHh = wantBhh ? partial + (f + h + 1) * gw : null,
                        };
                        if (gru) RecurrentLoops.GruBackward(a, sc, r0, r1);
                        else RecurrentLoops.LstmBackward(a, sc, r0, r1);
                    }
                }
            });
            for (var g = 0; g < groups; g++)                                     // partial sums in group order
            {
                var partial = scratch.AsSpan(g * scratchLen + 2 * rowsPer * gw);
                if (wantWih) AddInto(AsFloat(inputWeight!.Grad)!, partial[..(f * gw)]);
                if (wantWhh) AddInto(AsFloat(recurrentWeight.Grad)!, partial.Slice(f * gw, h * gw));
                if (wantBias) AddInto(AsFloat(inputBias!.Grad)!, partial.Slice((f + h) * gw, gw));
                if (wantBhh) AddInto(AsFloat(recurrentBias!.Grad)!, partial.Slice((f + h + 1) * gw, gw));
            }
        });
    }

    private static void AddInto(float[] target, ReadOnlySpan<float> partial) =>
        System.Numerics.Tensors.TensorPrimitives.Add(target.AsSpan(0, partial.Length), partial, target.AsSpan(0, partial.Length));

    /// <summary>[cols, rows] transpose of a [rows, cols] matrix, rented from the tape.</summary>
    private float[] Transposed(float[] m, int rows, int cols)
    {
        var t = AsFloat(Alloc(rows * cols));
        for (var k = 0; k < rows; k++)
            for (var j = 0; j < cols; j++) t[j * rows + k] = m[k * cols + j];
        return t;
    }

    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(a))]
    private static float[]? AsFloat(T[]? a) => System.Runtime.CompilerServices.Unsafe.As<float[]>(a);

    private static T Sig(T x) => T.One / (T.One + T.Exp(-x));
}
