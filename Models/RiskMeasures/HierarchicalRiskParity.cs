namespace LeanModels.Models.RiskMeasures;

/// <summary>
/// Hierarchical risk parity (López de Prado 2016, "Building Diversified Portfolios that Outperform Out-of-Sample",
/// J. Portfolio Management 42(4), and its appendix code; also "Advances in Financial Machine Learning" 2018, Snippets
/// 16.1–16.4): (1) correlation distance D_ij = √((1 − ρ_ij)/2); (2) the paper's second distance
/// D̃_ij = ‖D[:, i] − D[:, j]‖₂ (what scipy's linkage computes when the paper passes it the full D matrix);
/// (3) single-linkage clustering on D̃; (4) quasi-diagonalisation (leaf order of the dendrogram, left cluster first);
/// (5) recursive bisection of that order into halves, splitting weight by inverse cluster variance
/// (α = 1 − V₀/(V₀ + V₁), V = wᵀΣw with inverse-variance w inside the cluster). Validated against a direct port of
/// the appendix code with scipy (tests/…/RiskMeasures/reference/hrp_lopez_de_prado.py). Ties in the linkage are broken
/// by the lowest cluster ids, which may differ from scipy's MST order when distances are exactly equal.
/// </summary>
public static class HierarchicalRiskParity
{
    /// <summary>HRP weights with the correlation derived from the covariance (ρ_ij = Σ_ij / √(Σ_ii Σ_jj), diagonal exactly 1).</summary>
    /// <param name="covariance">[N, N] row-major symmetric covariance of asset returns, positive diagonal.</param>
    /// <param name="assets">N ≥ 1.</param>
    /// <returns>Weights, leaf order and linkage.</returns>
    /// <exception cref="ArgumentException">Shape is not N·N, a value is not finite, a variance is ≤ 0, or the matrix is not symmetric (the message names the entry).</exception>
    public static HrpResult Compute(ReadOnlySpan<double> covariance, int assets)
    {
        Validate(covariance, assets, nameof(covariance));
        var corr = new double[assets * assets];
        for (var i = 0; i < assets; i++)
            for (var j = 0; j < assets; j++)
                corr[i * assets + j] = i == j ? 1 : covariance[i * assets + j] / Math.Sqrt(covariance[i * assets + i] * covariance[j * assets + j]);
        return Compute(covariance, corr, assets);
    }

    /// <summary>HRP weights from a covariance and a separately estimated correlation matrix (as the paper's code passes both).</summary>
    /// <param name="covariance">[N, N] row-major covariance, positive diagonal.</param>
    /// <param name="correlation">[N, N] row-major correlation, entries in [−1, 1].</param>
    /// <param name="assets">N ≥ 1.</param>
    /// <returns>Weights, leaf order and linkage.</returns>
    /// <exception cref="ArgumentException">A shape, finiteness, symmetry or range problem (the message names the entry).</exception>
    public static HrpResult Compute(ReadOnlySpan<double> covariance, ReadOnlySpan<double> correlation, int assets)
    {
        Validate(covariance, assets, nameof(covariance));
        if (correlation.Length != assets * assets)
            throw new ArgumentException($"HierarchicalRiskParity: correlation has {correlation.Length} entries; expected N·N = {assets * assets}.", nameof(correlation));
        for (var i = 0; i < correlation.Length; i++)
            if (!(correlation[i] >= -1 - 1e-12 && correlation[i] <= 1 + 1e-12))
                throw new ArgumentException($"HierarchicalRiskParity: correlation[{i / assets}, {i % assets}] = {correlation[i]}; must be in [−1, 1].", nameof(correlation));
        var n = assets;
        var d = new double[n * n];
        for (var i = 0; i < d.Length; i++) d[i] = Math.Sqrt(Math.Max(0, (1 - correlation[i]) / 2));
        var dTilde = new double[n * n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
            {
                var s = 0.0;
                for (var m = 0; m < n; m++) { var e = d[m * n + i] - d[m * n + j]; s += e * e; }
                dTilde[i * n + j] = Math.Sqrt(s);
            }
        var linkage = SingleLinkage(dTilde, n);
        var order = QuasiDiagonal(linkage, n);
        var weights = RecursiveBisection(covariance, n, order);
        return new HrpResult(weights, order, linkage);
    }

    /// <summary>Naive O(N³) single linkage; rows (a, b, distance, size) with a &lt; b, clusters numbered as scipy does.</summary>
    private static double[] SingleLinkage(double[] dist, int n)
    {
        var linkage = new double[Math.Max(0, n - 1) * 4];
        var members = new List<List<int>>();
        var ids = new List<int>();
        for (var i = 0; i < n; i++) { members.Add([i]); ids.Add(i); }
        for (var step = 0; step < n - 1; step++)
        {
            double best = double.PositiveInfinity; int ba = -1, bb = -1;
            for (var a = 0; a < members.Count; a++)
                for (var b = a + 1; b < members.Count; b++)
                {
                    var m = double.PositiveInfinity;
                    foreach (var i in members[a]) foreach (var j in members[b]) m = Math.Min(m, dist[i * n + j]);
                    var lowA = Math.Min(ids[a], ids[b]);
                    var bestLow = ba < 0 ? int.MaxValue : Math.Min(ids[ba], ids[bb]);
                    if (m < best || (m == best && lowA < bestLow)) { best = m; ba = a; bb = b; }
                }
            int idA = ids[ba], idB = ids[bb];
            var merged = new List<int>(members[ba]);
            merged.AddRange(members[bb]);
            linkage[step * 4] = Math.Min(idA, idB);
            linkage[step * 4 + 1] = Math.Max(idA, idB);
            linkage[step * 4 + 2] = best;
            linkage[step * 4 + 3] = merged.Count;
            members.RemoveAt(bb); ids.RemoveAt(bb);                // bb > ba: remove the later index first
            members.RemoveAt(ba); ids.RemoveAt(ba);
            members.Add(merged); ids.Add(n + step);
        }
        return linkage;
    }

    /// <summary>Leaf order of the dendrogram, left (row's first) cluster before right: the paper's getQuasiDiag.</summary>
    private static int[] QuasiDiagonal(double[] linkage, int n)
    {
        if (n == 1) return [0];
        var order = new List<int>(n);
        var stack = new Stack<int>();
        stack.Push(2 * n - 2);                                     // root cluster id
        while (stack.Count > 0)
        {
            var c = stack.Pop();
            if (c < n) { order.Add(c); continue; }
            var row = c - n;
            stack.Push((int)linkage[row * 4 + 1]);                 // right pushed first so left is visited first
            stack.Push((int)linkage[row * 4]);
        }
        return order.ToArray();
    }

    /// <summary>The paper's getRecBipart: bisect the ordered list into halves (first half ⌊len/2⌋) recursively.</summary>
    private static double[] RecursiveBisection(ReadOnlySpan<double> cov, int n, int[] order)
    {
        var w = new double[n];
        Array.Fill(w, 1.0);
        var clusters = new List<int[]> { order };
        while (clusters.Count > 0)
        {
            var next = new List<int[]>();
            foreach (var c in clusters)
            {
                if (c.Length <= 1) continue;
                var half = c.Length / 2;
                next.Add(c[..half]);
                next.Add(c[half..]);
            }
            for (var i = 0; i < next.Count; i += 2)
            {
                var v0 = ClusterVariance(cov, n, next[i]);
                var v1 = ClusterVariance(cov, n, next[i + 1]);
                var alpha = 1 - v0 / (v0 + v1);
                foreach (var a in next[i]) w[a] *= alpha;
                foreach (var a in next[i + 1]) w[a] *= 1 - alpha;
            }
            clusters = next;
        }
        return w;
    }

    /// <summary>wᵀΣw with inverse-variance weights w inside the cluster (the paper's getClusterVar / getIVP).</summary>
    private static double ClusterVariance(ReadOnlySpan<double> cov, int n, int[] items)
    {
        var ivp = new double[items.Length];
        var sum = 0.0;
        for (var i = 0; i < items.Length; i++) { ivp[i] = 1 / cov[items[i] * n + items[i]]; sum += ivp[i]; }
        for (var i = 0; i < items.Length; i++) ivp[i] /= sum;
        var v = 0.0;
        for (var i = 0; i < items.Length; i++)
            for (var j = 0; j < items.Length; j++)
                v += ivp[i] * cov[items[i] * n + items[j]] * ivp[j];
        return v;
    }

    private static void Validate(ReadOnlySpan<double> cov, int n, string name)
    {
        if (n < 1 || cov.Length != n * n)
            throw new ArgumentException($"HierarchicalRiskParity: {name} has {cov.Length} entries for N = {n}; expected N ≥ 1 and N·N entries.", name);
        for (var i = 0; i < n; i++)
        {
            if (!(cov[i * n + i] > 0 && double.IsFinite(cov[i * n + i])))
                throw new ArgumentException($"HierarchicalRiskParity: variance of asset {i} is {cov[i * n + i]}; must be finite and > 0.", name);
            for (var j = 0; j < n; j++)
            {
                var v = cov[i * n + j];
                if (!double.IsFinite(v)) throw new ArgumentException($"HierarchicalRiskParity: {name}[{i}, {j}] is {v}.", name);
                if (Math.Abs(v - cov[j * n + i]) > 1e-12 * Math.Max(1, Math.Abs(v)))
                    throw new ArgumentException($"HierarchicalRiskParity: {name} is not symmetric: [{i}, {j}] = {v}, [{j}, {i}] = {cov[j * n + i]}.", name);
            }
        }
    }
}
