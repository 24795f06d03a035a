namespace LeanModels.Models.Research.Features;

/// <summary>
/// Qlib's Alpha158 feature library, minus VWAP0 (157 features): Qlib <c>qlib/contrib/data/loader.py</c>,
/// <c>Alpha158DL.get_feature_config</c> with the configuration of <c>qlib/contrib/data/handler.py</c>'s <c>Alpha158</c>
/// (kbar; price windows [0] on OPEN, HIGH, LOW, VWAP; every rolling operator over windows 5, 10, 20, 30, 60), operators as
/// in <c>qlib/data/ops.py</c> and <c>qlib/data/_libs/rolling.pyx</c>. Each asset's row on its bar j is a function of that
/// asset's last <see cref="LookbackBars"/> adjusted bars (O, H, L, C, V) j − 60 … j only, computed window-locally (no running
/// sums carried across rows), so a LEAN rolling window of 61 bars reproduces it bit for bit.
/// </summary>
/// <remarks>
/// <para>Expressions (Qlib's, with C/O/H/L/V = $close/$open/$high/$low/$volume, d the window):</para>
/// <list type="bullet">
/// <item>k-bar: KMID (C−O)/O; KLEN (H−L)/O; KMID2 (C−O)/(H−L+1e-12); KUP (H−max(O,C))/O; KUP2 (H−max(O,C))/(H−L+1e-12);
/// KLOW (min(O,C)−L)/O; KLOW2 (min(O,C)−L)/(H−L+1e-12); KSFT (2C−H−L)/O; KSFT2 (2C−H−L)/(H−L+1e-12).</item>
/// <item>price: OPEN0 O/C, HIGH0 H/C, LOW0 L/C. <b>VWAP0 ($vwap/$close) is dropped</b>: LEAN daily bars carry no VWAP, and a
/// substitute (e.g. the typical price (H+L+C)/3) would be a different feature under Qlib's name.</item>
/// <item>ROC Ref(C,d)/C; MA Mean(C,d)/C; STD Std(C,d)/C; BETA Slope(C,d)/C; RSQR Rsquare(C,d); RESI Resi(C,d)/C;
/// MAX Max(H,d)/C; MIN Min(L,d)/C; QTLU Quantile(C,d,0.8)/C; QTLD Quantile(C,d,0.2)/C; RANK Rank(C,d);
/// RSV (C−Min(L,d))/(Max(H,d)−Min(L,d)+1e-12); IMAX IdxMax(H,d)/d; IMIN IdxMin(L,d)/d; IMXD (IdxMax(H,d)−IdxMin(L,d))/d;
/// CORR Corr(C, Log(V+1), d); CORD Corr(C/Ref(C,1), Log(V/Ref(V,1)+1), d); CNTP Mean(C&gt;Ref(C,1), d);
/// CNTN Mean(C&lt;Ref(C,1), d); CNTD CNTP − CNTN; SUMP Sum(max(ΔC,0),d)/(Sum(|ΔC|,d)+1e-12); SUMN Sum(max(−ΔC,0),d)/(Sum(|ΔC|,d)+1e-12);
/// SUMD (Sum(max(ΔC,0),d)−Sum(max(−ΔC,0),d))/(Sum(|ΔC|,d)+1e-12); VMA Mean(V,d)/(V+1e-12); VSTD Std(V,d)/(V+1e-12);
/// WVMA Std(|C/Ref(C,1)−1|·V, d)/(Mean(|C/Ref(C,1)−1|·V, d)+1e-12); VSUMP, VSUMN, VSUMD as SUMP, SUMN, SUMD on V.</item>
/// </list>
/// <para>Operator semantics (window = the last d bars, oldest first): Ref(x,d) = x d bars back; Mean, Sum plain; Std the
/// sample std (ddof = 1, pandas' default); Slope, Rsquare, Resi the least-squares line of the window against x = 1 … d as in
/// Qlib's Cython <c>rolling_slope/rsquare/resi</c> (slope = (dΣxy − ΣxΣy)/(dΣx² − (Σx)²), Resi = y_d − (slope·d + ȳ − slope·x̄),
/// Rsquare = r²); Quantile linear interpolation at q·(d−1) of the sorted window (pandas' <c>rolling.quantile</c>); Rank the
/// percentile rank of the last value (pandas' <c>rolling.rank(pct=True)</c>, average rank of ties, divided by d); IdxMax and
/// IdxMin the 1-based position of the first maximum / minimum in the window (numpy <c>argmax() + 1</c>); Corr the Pearson
/// correlation, NaN when either side's window std is ≤ 2e-5 (Qlib's <c>np.isclose(std, 0, atol=2e-05)</c>).</para>
/// <para>Differences from Qlib, by design: windows must be full (Qlib uses <c>min_periods=1</c>, so its first 60 rows of an
/// asset use shorter windows; here a row is valid only from the asset's 61st bar); arithmetic is float64 on LEAN's adjusted
/// bars (Qlib stores float32), and sums are taken over the window rather than updated incrementally, so values agree with
/// Qlib's to rounding (≈1e-12 relative), not bit for bit. A row with any non-finite value (a Corr NaN, zero volume before a
/// non-zero one in CORD) is invalid, as in <see cref="FeatureBuilder"/>; Qlib instead fills NaN with 0 after its z-score.</para>
/// </remarks>
public static class Alpha158
{
    /// <summary>Rolling windows in bars, Qlib's defaults.</summary>
    public static IReadOnlyList<int> Windows { get; } = [5, 10, 20, 30, 60];

    /// <summary>Rolling operator families in Qlib's order.</summary>
    public static IReadOnlyList<string> RollingFamilies { get; } =
    [
        "ROC", "MA", "STD", "BETA", "RSQR", "RESI", "MAX", "MIN", "QTLU", "QTLD", "RANK", "RSV", "IMAX", "IMIN", "IMXD",
        "CORR", "CORD", "CNTP", "CNTN", "CNTD", "SUMP", "SUMN", "SUMD", "VMA", "VSTD", "WVMA", "VSUMP", "VSUMN", "VSUMD",
    ];

    /// <summary>[F = 157] feature names in storage order: 9 k-bar, 3 price, then 29 families × 5 windows (family-major, as Qlib).</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "KMID", "KLEN", "KMID2", "KUP", "KUP2", "KLOW", "KLOW2", "KSFT", "KSFT2", "OPEN0", "HIGH0", "LOW0",
        .. RollingFamilies.SelectMany(f => Windows.Select(d => f + d)),
    ];

    /// <summary>Name in <see cref="FeatureSetCatalog"/> and in every artifact: <c>alpha158</c> (<c>--feature-set alpha158</c>).</summary>
    public const string Name = "alpha158";

    /// <summary>The catalog entry: <see cref="Specification"/>, <see cref="WarmUpBars"/> and <see cref="Build"/>.</summary>
    public static IFeatureSetBuilder Builder { get; } = new Alpha158FeatureSet();

    /// <summary>Name, version and [F = 157] names recorded in artifacts.</summary>
    public static FeatureSpecification Specification { get; } = new(Name, Version, Names);

    /// <summary>Version of the definitions, recorded in artifacts. Bump when a definition or the order changes.</summary>
    public const string Version = "alpha158/1";

    /// <summary>Previous bars a row needs: ROC60 reads C_{j−60}, and CORD60/CNTP60/SUMP60/WVMA60/VSUMP60 read Ref(·,1) at j − 59.</summary>
    public const int WarmUpBars = 60;

    /// <summary>Bars per asset a row needs, the current bar included (<see cref="WarmUpBars"/> + 1 = 61).</summary>
    public const int LookbackBars = WarmUpBars + 1;

    private sealed class Alpha158FeatureSet : IFeatureSetBuilder
    {
        public FeatureSpecification Specification => Alpha158.Specification;

        public int WarmUpBars => Alpha158.WarmUpBars;

        public FeatureSet Build(Panel panel) => Alpha158.Build(panel);
    }

    /// <summary>Computes Alpha158 for every asset and date of a panel, each asset on its own bar sequence.</summary>
    /// <param name="panel">Adjusted daily bars [D, A].</param>
    /// <returns>[D, A, 157] features (unitless ratios) with their validity mask; the market proxy as in <see cref="FeatureBuilder.MarketProxy"/>.</returns>
    public static FeatureSet Build(Panel panel)
    {
        int D = panel.DateCount, A = panel.AssetCount, F = Names.Count;
        var values = new double[(long)D * A * F];
        Array.Fill(values, double.NaN);
        var valid = new bool[D * A];
        Parallel.For(0, A, a => BuildAsset(panel, a, values, valid));
        return new FeatureSet(Names, D, A, values, valid, FeatureBuilder.MarketProxy(panel));
    }

    private static void BuildAsset(Panel panel, int a, double[] values, bool[] valid)
    {
        int D = panel.DateCount, A = panel.AssetCount, F = Names.Count;
        var dates = new List<int>();
        for (var d = 0; d < D; d++) if (panel.Available[d * A + a]) dates.Add(d);
        var n = dates.Count;
        if (n < LookbackBars) return;
        double[] o = new double[n], h = new double[n], l = new double[n], c = new double[n], v = new double[n];
        for (var j = 0; j < n; j++)
        {
            var k = dates[j] * A + a;
            (o[j], h[j], l[j], c[j], v[j]) = (panel.Open[k], panel.High[k], panel.Low[k], panel.Close[k], panel.Volume[k]);
        }
        var row = new double[F];
        for (var j = WarmUpBars; j < n; j++)
        {
            var from = j - WarmUpBars;
            ComputeRow(o.AsSpan(from, LookbackBars), h.AsSpan(from, LookbackBars), l.AsSpan(from, LookbackBars),
                c.AsSpan(from, LookbackBars), v.AsSpan(from, LookbackBars), row);
            var ok = true;
            foreach (var x in row) ok &= double.IsFinite(x);
            if (!ok) continue;
            var k = dates[j] * A + a;
            row.CopyTo(values.AsSpan(k * F, F));
            valid[k] = true;
        }
    }

    /// <summary>One row of Alpha158 from one asset's last 61 bars.</summary>
    /// <param name="open">[61] adjusted opens, oldest first; the last is the decision bar.</param>
    /// <param name="high">[61] adjusted highs.</param>
    /// <param name="low">[61] adjusted lows.</param>
    /// <param name="close">[61] adjusted closes.</param>
    /// <param name="volume">[61] adjusted volumes, shares.</param>
    /// <param name="row">[157] destination, in <see cref="Names"/> order; non-finite where Qlib's expression is (see remarks).</param>
    /// <exception cref="ArgumentException">A span is not <see cref="LookbackBars"/> long, or the row not 157.</exception>
    public static void ComputeRow(ReadOnlySpan<double> open, ReadOnlySpan<double> high, ReadOnlySpan<double> low,
        ReadOnlySpan<double> close, ReadOnlySpan<double> volume, Span<double> row)
    {
        const int N = LookbackBars;
        if (open.Length != N || high.Length != N || low.Length != N || close.Length != N || volume.Length != N || row.Length != Names.Count)
            throw new ArgumentException($"Alpha158: bars are O {open.Length}, H {high.Length}, L {low.Length}, C {close.Length}, V {volume.Length} long and the row {row.Length}; expected {N} bars and {Names.Count} features.");
        const double Eps = 1e-12;
        int last = N - 1, f = 0;
        double O = open[last], H = high[last], L = low[last], C = close[last], V = volume[last];
        row[f++] = (C - O) / O;
        row[f++] = (H - L) / O;
        row[f++] = (C - O) / (H - L + Eps);
        row[f++] = (H - Math.Max(O, C)) / O;
        row[f++] = (H - Math.Max(O, C)) / (H - L + Eps);
        row[f++] = (Math.Min(O, C) - L) / O;
        row[f++] = (Math.Min(O, C) - L) / (H - L + Eps);
        row[f++] = (2 * C - H - L) / O;
        row[f++] = (2 * C - H - L) / (H - L + Eps);
        row[f++] = O / C;
        row[f++] = H / C;
        row[f++] = L / C;

        // Per-bar series for i ≥ 1 (index 0 is the bar before the 60-bar window and only feeds Ref(·, 1)).
        Span<double> logVolume = stackalloc double[N], closeRatio = stackalloc double[N], logVolumeRatio = stackalloc double[N];
        Span<double> up = stackalloc double[N], down = stackalloc double[N], gain = stackalloc double[N], loss = stackalloc double[N];
        Span<double> absChange = stackalloc double[N], volGain = stackalloc double[N], volLoss = stackalloc double[N];
        Span<double> volAbs = stackalloc double[N], weighted = stackalloc double[N];
        for (var i = 0; i < N; i++) logVolume[i] = Math.Log(volume[i] + 1);
        for (var i = 1; i < N; i++)
        {
            var dc = close[i] - close[i - 1];
            closeRatio[i] = close[i] / close[i - 1];
            logVolumeRatio[i] = Math.Log(volume[i] / volume[i - 1] + 1);
            up[i] = close[i] > close[i - 1] ? 1 : 0;
            down[i] = close[i] < close[i - 1] ? 1 : 0;
            gain[i] = Math.Max(dc, 0);
            loss[i] = Math.Max(-dc, 0);
            absChange[i] = Math.Abs(dc);
            var dv = volume[i] - volume[i - 1];
            volGain[i] = Math.Max(dv, 0);
            volLoss[i] = Math.Max(-dv, 0);
            volAbs[i] = Math.Abs(dv);
            weighted[i] = Math.Abs(close[i] / close[i - 1] - 1) * volume[i];
        }

        Span<double> sorted = stackalloc double[WarmUpBars];
        const int Rolling = 12, W = 5;                                  // row index of family k, window w: 12 + k·5 + w
        for (var w = 0; w < W; w++)
        {
            var d = Windows[w];
            var s = N - d;                                              // window = [s, N)
            var cw = close[s..];
            var (slope, rSquare, residual) = Regression(cw);
            double max = Max(high[s..]), min = Min(low[s..]);
            int idxMax = IdxMax(high[s..]), idxMin = IdxMin(low[s..]);
            double up5 = Mean(up[s..]), down5 = Mean(down[s..]);
            double sumGain = Sum(gain[s..]), sumLoss = Sum(loss[s..]), sumAbs = Sum(absChange[s..]);
            double volGainSum = Sum(volGain[s..]), volLossSum = Sum(volLoss[s..]), volAbsSum = Sum(volAbs[s..]);
            ReadOnlySpan<double> values =
            [
                close[last - d] / C,                                    // ROC
                Mean(cw) / C,                                           // MA
                Std(cw) / C,                                            // STD
                slope / C,                                              // BETA
                rSquare,                                                // RSQR
                residual / C,                                           // RESI
                max / C,                                                // MAX
                min / C,                                                // MIN
                Quantile(cw, 0.8, sorted) / C,                          // QTLU
                Quantile(cw, 0.2, sorted) / C,                          // QTLD
                PercentRank(cw),                                        // RANK
                (C - min) / (max - min + Eps),                          // RSV
                (double)idxMax / d,                                     // IMAX
                (double)idxMin / d,                                     // IMIN
                (double)(idxMax - idxMin) / d,                          // IMXD
                Corr(cw, logVolume[s..]),                               // CORR
                Corr(closeRatio[s..], logVolumeRatio[s..]),             // CORD
                up5,                                                    // CNTP
                down5,                                                  // CNTN
                up5 - down5,                                            // CNTD
                sumGain / (sumAbs + Eps),                               // SUMP
                sumLoss / (sumAbs + Eps),                               // SUMN
                (sumGain - sumLoss) / (sumAbs + Eps),                   // SUMD
                Mean(volume[s..]) / (V + Eps),                          // VMA
                Std(volume[s..]) / (V + Eps),                           // VSTD
                Std(weighted[s..]) / (Mean(weighted[s..]) + Eps),       // WVMA
                volGainSum / (volAbsSum + Eps),                         // VSUMP
                volLossSum / (volAbsSum + Eps),                         // VSUMN
                (volGainSum - volLossSum) / (volAbsSum + Eps),          // VSUMD
            ];
            for (var k = 0; k < values.Length; k++) row[Rolling + k * W + w] = values[k];
        }
    }

    private static double Sum(ReadOnlySpan<double> x)
    {
        var s = 0.0;
        foreach (var v in x) s += v;
        return s;
    }

    private static double Mean(ReadOnlySpan<double> x) => Sum(x) / x.Length;

    /// <summary>Sample standard deviation (ddof = 1), two-pass.</summary>
    internal static double Std(ReadOnlySpan<double> x)
    {
        var m = Mean(x);
        var s = 0.0;
        foreach (var v in x) s += (v - m) * (v - m);
        return Math.Sqrt(s / (x.Length - 1));
    }

    private static double Max(ReadOnlySpan<double> x)
    {
        var m = x[0];
        foreach (var v in x) m = Math.Max(m, v);
        return m;
    }

    private static double Min(ReadOnlySpan<double> x)
    {
        var m = x[0];
        foreach (var v in x) m = Math.Min(m, v);
        return m;
    }

    /// <summary>1-based position of the first maximum (numpy <c>argmax() + 1</c>).</summary>
    internal static int IdxMax(ReadOnlySpan<double> x)
    {
        var best = 0;
        for (var i = 1; i < x.Length; i++) if (x[i] > x[best]) best = i;
        return best + 1;
    }

    /// <summary>1-based position of the first minimum (numpy <c>argmin() + 1</c>).</summary>
    internal static int IdxMin(ReadOnlySpan<double> x)
    {
        var best = 0;
        for (var i = 1; i < x.Length; i++) if (x[i] < x[best]) best = i;
        return best + 1;
    }

    /// <summary>Linear-interpolation quantile (pandas <c>rolling.quantile</c>, numpy's default): sorted[lo] + (sorted[lo+1] − sorted[lo])·frac at q·(n−1).</summary>
    internal static double Quantile(ReadOnlySpan<double> x, double q, Span<double> scratch)
    {
        var s = scratch[..x.Length];
        x.CopyTo(s);
        s.Sort();
        var position = q * (x.Length - 1);
        var lo = (int)Math.Floor(position);
        var hi = Math.Min(lo + 1, x.Length - 1);
        return s[lo] + (s[hi] - s[lo]) * (position - lo);
    }

    /// <summary>Percentile rank of the last value (pandas <c>rolling.rank(pct=True)</c>, method average): (#less + (#equal + 1)/2) / n.</summary>
    internal static double PercentRank(ReadOnlySpan<double> x)
    {
        var last = x[^1];
        int less = 0, equal = 0;
        foreach (var v in x)
        {
            if (v < last) less++;
            else if (v == last) equal++;
        }
        return (less + (equal + 1) / 2.0) / x.Length;
    }

    /// <summary>Least squares of y on x = 1 … n (Qlib's <c>rolling_slope</c>, <c>rolling_rsquare</c>, <c>rolling_resi</c>).</summary>
    internal static (double Slope, double RSquare, double Residual) Regression(ReadOnlySpan<double> y)
    {
        var n = y.Length;
        double sx = 0, sxx = 0, sy = 0, syy = 0, sxy = 0;
        for (var i = 0; i < n; i++)
        {
            double x = i + 1, v = y[i];
            sx += x;
            sxx += x * x;
            sy += v;
            syy += v * v;
            sxy += x * v;
        }
        var slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        var r = (n * sxy - sx * sy) / Math.Sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
        var intercept = sy / n - slope * (sx / n);
        return (slope, r * r, y[^1] - (slope * n + intercept));
    }

    /// <summary>Pearson correlation; NaN when either side's sample std is ≤ 2e-5 (Qlib's <c>Corr</c>).</summary>
    internal static double Corr(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (Std(x) <= 2e-5 || Std(y) <= 2e-5) return double.NaN;
        double mx = Mean(x), my = Mean(y), sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.Sqrt(sxx * syy);
    }
}
