namespace LeanModels.Models.Engine.Kernels;

/// <summary>
/// The float SIMD time loops of the fused LSTM / GRU ops (<c>Tape.LstmSequence</c>, <c>Tape.GruSequence</c> and the
/// gates-given <c>LstmRecurrence</c> / <c>GruRecurrence</c>), one call per fixed group of batch rows.
/// </summary>
/// <remarks>
/// Batch rows are split into <see cref="Groups"/> fixed contiguous groups (a function of B only, never of the thread
/// count); a thread runs whole groups. Forward, per step: gates = x_t·W_ih (one step product, so no [B, T, 4H] projection
/// pass) + h_{t−1}·W_hh, then the cell. Backward, per step: the cell's backward writes this step's gate gradients into a
/// small per-group buffer (hot in L1/L2), which immediately feeds the group's partial weight gradients
/// (dW_ih += x_tᵀ·da, dW_hh += h_{t−1}ᵀ·da, db += Σ da, summed over the group's rows) and the recurrent product
/// dh = da·W_hhᵀ. The caller adds the groups' partials in group order. Every sum therefore has the same order for any number
/// of threads: results are bit-identical at 1 and 2 threads (tested).
/// </remarks>
internal static unsafe class RecurrentLoops
{
    /// <summary>Fixed number of row groups (at most B): the unit of parallelism and of the partial weight-gradient sums.</summary>
    public const int Groups = 2;

    /// <summary>Rows [r0, r1) of group <paramref name="group"/> of <paramref name="groups"/> over B rows (⌈B / groups⌉ each).</summary>
    public static (int R0, int R1) GroupRows(int b, int groups, int group)
    {
        var per = (b + groups - 1) / groups;
        return (Math.Min(b, group * per), Math.Min(b, (group + 1) * per));
    }

    /// <summary>Pointers and sizes of one fused recurrence call (all row-major; [B, T, ·] buffers indexed (row·T + t)·width).</summary>
    public struct Args
    {
        /// <summary>B, T, F, H.</summary>
        public int B, T, F, H;
        /// <summary>True for the Vector512 tier (<see cref="RecurrentKernels"/>), false for Vector256 (<see cref="RecurrentKernels256"/>);
        /// set once per op, forward and backward alike.</summary>
        public bool Wide;
        /// <summary>[B, T, F] inputs, or null when the gates are given (then G holds them on entry).</summary>
        public float* X;
        /// <summary>[F, G·H] W_ih, and its transpose [G·H, F] (only when XGrad is set).</summary>
        public float* Wih, WihT;
        /// <summary>[G·H] input bias (LSTM: the only bias; GRU: b_ih); zeros when the gates are given.</summary>
        public float* Bias;
        /// <summary>[H, G·H] W_hh and its transpose [G·H, H] (backward).</summary>
        public float* Whh, WhhT;
        /// <summary>GRU: [G·H] b_hh.</summary>
        public float* BiasHh;
        /// <summary>[B, T, G·H] gate activations (LSTM i, f, g, o; GRU r, z, n).</summary>
        public float* Gates;
        /// <summary>LSTM: [B, T, H] cell states. GRU: [B, T, H] ĥ_n (the n block of h_{t−1}·W_hh + b_hh).</summary>
        public float* Cell;
        /// <summary>GRU forward: [B, 3H] scratch for one step's ĥ (row r at r·3H).</summary>
        public float* StepHidden;
        /// <summary>True for inference with x given: Gates and Cell are then [B, width] buffers reused every step
        /// (no per-step history, nothing for a backward pass).</summary>
        public bool NoHistory;
        /// <summary>[B, T, H] outputs hₜ and their gradient.</summary>
        public float* Y, Gy;
        /// <summary>[B, H] running dh (and LSTM dc) of the backward loop.</summary>
        public float* Dh, Dc;
        /// <summary>Optional gradients: [B, T, F] of x, [B, T, G·H] of the given gates.</summary>
        public float* XGrad, GatesGrad;
    }

    /// <summary>Per-group scratch of the backward loop: gate gradients of one step ([rows, G·H], GRU also dĥ) and the group's
    /// partial dW_ih [F, G·H], dW_hh [H, G·H], db [G·H], db_hh [G·H] (null: not needed).</summary>
    public struct GroupScratch
    {
        /// <summary>[rows, G·H] buffers.</summary>
        public float* Da, Dhh;
        /// <summary>Partial gradients.</summary>
        public float* Wih, Whh, Bias, BiasHh;
    }

    // ───────────────────────────── LSTM ─────────────────────────────

    /// <summary>Forward time loop of rows [r0, r1).</summary>
    public static void LstmForward(in Args a, int r0, int r1)
    {
        int h = a.H, g4 = 4 * h, rows = r1 - r0, f = a.F, steps = a.T;
        var keep = !a.NoHistory;
        long sg = keep ? (long)steps * g4 : g4, sc = keep ? (long)steps * h : h, sh = (long)steps * h, sx = (long)steps * f;
        for (var t = 0; t < steps; t++)
        {
            var i0 = (long)r0 * steps + t;
            var gt = keep ? a.Gates + i0 * g4 : a.Gates + (long)r0 * g4;
            var ct = keep ? a.Cell + i0 * h : a.Cell + (long)r0 * h;
            if (t + 1 < steps)
            {
                if (a.X is not null) RecurrentKernels.Prefetch(a.X + (i0 + 1) * f, sx, rows, f);
                else RecurrentKernels.Prefetch(gt + g4, sg, rows, g4);
                if (keep) RecurrentKernels.Prefetch(ct + h, sc, rows, h);
                RecurrentKernels.Prefetch(a.Y + (i0 + 1) * h, sh, rows, h);
            }
            if (a.X is not null) StepGemm(a, a.X + i0 * f, sx, a.Wih, gt, sg, rows, f, g4, RecurrentKernels.Overwrite, null);
            if (t > 0) StepGemm(a, a.Y + (i0 - 1) * h, sh, a.Whh, gt, sg, rows, h, g4, RecurrentKernels.Accumulate, null);
            for (var r = 0; r < rows; r++)
            {
                var c = ct + r * sc;                                             // without history c_{t−1} is overwritten in place
                LstmCellForward(a, gt + r * sg, a.Bias, t == 0 ? null : keep ? c - h : c, c, a.Y + (i0 + (long)r * steps) * h, h);
            }
        }
    }

    /// <summary>Backward time loop of rows [r0, r1) with this group's scratch.</summary>
    public static void LstmBackward(in Args a, in GroupScratch s, int r0, int r1)
    {
        int h = a.H, g4 = 4 * h, rows = r1 - r0, f = a.F, steps = a.T;
        long sg = (long)steps * g4, sh = (long)steps * h, sx = (long)steps * f;
        float* dh = a.Dh + (long)r0 * h, dc = a.Dc + (long)r0 * h;
        for (var t = steps - 1; t >= 0; t--)
        {
            var i0 = (long)r0 * steps + t;
            var gt = a.Gates + i0 * g4;
            if (t > 0)
            {
                RecurrentKernels.Prefetch(gt - g4, sg, rows, g4);
                RecurrentKernels.Prefetch(a.Cell + (i0 - 1) * h, sh, rows, h);
                RecurrentKernels.Prefetch(a.Gy + (i0 - 1) * h, sh, rows, h);
                if (a.X is not null) RecurrentKernels.Prefetch(a.X + (i0 - 1) * f, sx, rows, f);
                if (t > 1)
                {
                    RecurrentKernels.Prefetch(a.Cell + (i0 - 2) * h, sh, rows, h);
                    RecurrentKernels.Prefetch(a.Y + (i0 - 2) * h, sh, rows, h);
                }
            }
            for (var r = 0; r < rows; r++)
            {
                var o = (i0 + (long)r * steps) * h;
                LstmCellBackward(a, gt + r * sg, s.Da + (long)r * g4, t > 0 ? a.Cell + o - h : null, a.Cell + o, a.Gy + o,
                    dh + (long)r * h, dc + (long)r * h, h);
            }
            GateGradients(a, s.Da, s.Da, s, i0, rows, t, g4);
            if (t > 0) StepGemm(a, s.Da, g4, a.WhhT, dh, h, rows, g4, h, RecurrentKernels.Overwrite, null);
        }
    }

    /// <summary>This step's contributions of the gate gradients dx̃ ([rows, gw]) and dĥ (the same for LSTM): partial weight
    /// and bias gradients, the given gates' gradient, and x's gradient.</summary>
    private static void GateGradients(in Args a, float* dx, float* dhh, in GroupScratch s, long i0, int rows, int t, int gw)
    {
        int h = a.H, f = a.F, steps = a.T;
        long sh = (long)steps * h, sx = (long)steps * f, sg = (long)steps * gw;
        if (s.Wih is not null) WeightGradient(a, a.X + i0 * f, sx, dx, gw, rows, s.Wih, gw, f, 0, gw);
        if (s.Bias is not null) ColumnSum(a, dx, gw, rows, s.Bias, 0, gw);
        if (t > 0 && s.Whh is not null) WeightGradient(a, a.Y + (i0 - 1) * h, sh, dhh, gw, rows, s.Whh, gw, h, 0, gw);
        if (s.BiasHh is not null) ColumnSum(a, dhh, gw, rows, s.BiasHh, 0, gw);
        if (a.GatesGrad is not null)
            for (var r = 0; r < rows; r++)
            {
                float* dst = a.GatesGrad + i0 * gw + r * sg, src = dx + (long)r * gw;
                for (var j = 0; j < gw; j++) dst[j] += src[j];
            }
        if (a.XGrad is not null) StepGemm(a, dx, gw, a.WihT, a.XGrad + i0 * f, sx, rows, gw, f, RecurrentKernels.Accumulate, null);
    }

    // ───────────────────────────── GRU ─────────────────────────────

    /// <summary>Forward time loop of rows [r0, r1): ĥ of the step goes to a small [rows, 3H] buffer, and only its n block
    /// (the one backward needs) is kept per step in Cell.</summary>
    public static void GruForward(in Args a, int r0, int r1)
    {
        int h = a.H, g3 = 3 * h, rows = r1 - r0, f = a.F, steps = a.T;
        var keep = !a.NoHistory;
        long sg = keep ? (long)steps * g3 : g3, sh = (long)steps * h, sx = (long)steps * f;
        var ht = a.StepHidden + (long)r0 * g3;
        for (var t = 0; t < steps; t++)
        {
            var i0 = (long)r0 * steps + t;
            var gt = keep ? a.Gates + i0 * g3 : a.Gates + (long)r0 * g3;
            if (t + 1 < steps)
            {
                if (a.X is not null) RecurrentKernels.Prefetch(a.X + (i0 + 1) * f, sx, rows, f);
                else RecurrentKernels.Prefetch(gt + g3, sg, rows, g3);
                if (keep) RecurrentKernels.Prefetch(a.Cell + (i0 + 1) * h, sh, rows, h);
                RecurrentKernels.Prefetch(a.Y + (i0 + 1) * h, sh, rows, h);
            }
            if (a.X is not null) StepGemm(a, a.X + i0 * f, sx, a.Wih, gt, sg, rows, f, g3, RecurrentKernels.Overwrite, null);
            if (t > 0) StepGemm(a, a.Y + (i0 - 1) * h, sh, a.Whh, ht, g3, rows, h, g3, RecurrentKernels.BiasInit, a.BiasHh);
            else
                for (var r = 0; r < rows; r++) new ReadOnlySpan<float>(a.BiasHh, g3).CopyTo(new Span<float>(ht + (long)r * g3, g3));
            for (var r = 0; r < rows; r++)
            {
                var o = (i0 + (long)r * steps) * h;
                var hr = ht + (long)r * g3;
                GruCellForward(a, gt + r * sg, a.Bias, hr, t > 0 ? a.Y + o - h : null, a.Y + o, h);
                if (keep) new ReadOnlySpan<float>(hr + 2 * h, h).CopyTo(new Span<float>(a.Cell + o, h));
            }
        }
    }

    /// <summary>Backward time loop of rows [r0, r1) with this group's scratch (Da = dx̃, Dhh = dĥ per step).</summary>
    public static void GruBackward(in Args a, in GroupScratch s, int r0, int r1)
    {
        int h = a.H, g3 = 3 * h, rows = r1 - r0, f = a.F, steps = a.T;
        long sg = (long)steps * g3, sh = (long)steps * h, sx = (long)steps * f;
        var dh = a.Dh + (long)r0 * h;
        for (var t = steps - 1; t >= 0; t--)
        {
            var i0 = (long)r0 * steps + t;
            var gt = a.Gates + i0 * g3;
            if (t > 0)
            {
                RecurrentKernels.Prefetch(gt - g3, sg, rows, g3);
                RecurrentKernels.Prefetch(a.Cell + (i0 - 1) * h, sh, rows, h);
                RecurrentKernels.Prefetch(a.Gy + (i0 - 1) * h, sh, rows, h);
                if (a.X is not null) RecurrentKernels.Prefetch(a.X + (i0 - 1) * f, sx, rows, f);
                if (t > 1) RecurrentKernels.Prefetch(a.Y + (i0 - 2) * h, sh, rows, h);
            }
            for (var r = 0; r < rows; r++)
            {
                var o = (i0 + (long)r * steps) * h;
                GruCellBackward(a, gt + r * sg, a.Cell + o, s.Da + (long)r * g3, s.Dhh + (long)r * g3, t > 0 ? a.Y + o - h : null,
                    a.Gy + o, dh + (long)r * h, h);
            }
            GateGradients(a, s.Da, s.Dhh, s, i0, rows, t, g3);
            if (t > 0) StepGemm(a, s.Dhh, g3, a.WhhT, dh, h, rows, g3, h, RecurrentKernels.Accumulate, null);
        }
    }

    // ───────────────────────────── tier dispatch ─────────────────────────────

    private static void StepGemm(in Args t, float* a, long lda, float* b, float* c, long ldc, int rows, int k, int n, int mode, float* bias)
    {
        if (t.Wide) RecurrentKernels.StepGemm(a, lda, b, c, ldc, rows, k, n, mode, bias);
        else RecurrentKernels256.StepGemm(a, lda, b, c, ldc, rows, k, n, mode, bias);
    }

    private static void WeightGradient(in Args t, float* a, long lda, float* d, long ldd, int rows, float* w, long ldw, int kDim, int n0, int n1)
    {
        if (t.Wide) RecurrentKernels.WeightGradient(a, lda, d, ldd, rows, w, ldw, kDim, n0, n1);
        else RecurrentKernels256.WeightGradient(a, lda, d, ldd, rows, w, ldw, kDim, n0, n1);
    }

    private static void ColumnSum(in Args t, float* d, long ldd, int rows, float* acc, int n0, int n1)
    {
        if (t.Wide) RecurrentKernels.ColumnSum(d, ldd, rows, acc, n0, n1);
        else RecurrentKernels256.ColumnSum(d, ldd, rows, acc, n0, n1);
    }

    private static void LstmCellForward(in Args t, float* g, float* bias, float* cPrev, float* c, float* y, int h)
    {
        if (t.Wide) RecurrentKernels.LstmCellForward(g, bias, cPrev, c, y, h);
        else RecurrentKernels256.LstmCellForward(g, bias, cPrev, c, y, h);
    }

    private static void LstmCellBackward(in Args t, float* g, float* da, float* cPrev, float* c, float* gy, float* dhNext, float* dcNext, int h)
    {
        if (t.Wide) RecurrentKernels.LstmCellBackward(g, da, cPrev, c, gy, dhNext, dcNext, h);
        else RecurrentKernels256.LstmCellBackward(g, da, cPrev, c, gy, dhNext, dcNext, h);
    }

    private static void GruCellForward(in Args t, float* g, float* biasIh, float* hh, float* hPrev, float* y, int h)
    {
        if (t.Wide) RecurrentKernels.GruCellForward(g, biasIh, hh, hPrev, y, h);
        else RecurrentKernels256.GruCellForward(g, biasIh, hh, hPrev, y, h);
    }

    private static void GruCellBackward(in Args t, float* g, float* hn, float* dx, float* dhh, float* hPrev, float* gy, float* dhNext, int h)
    {
        if (t.Wide) RecurrentKernels.GruCellBackward(g, hn, dx, dhh, hPrev, gy, dhNext, h);
        else RecurrentKernels256.GruCellBackward(g, hn, dx, dhh, hPrev, gy, dhNext, h);
    }
}
