namespace LeanModels.Models.RiskMeasures;

/// <summary>Output of <see cref="HierarchicalRiskParity.Compute(ReadOnlySpan{double}, ReadOnlySpan{double}, int)"/>.</summary>
/// <param name="Weights">[N] long-only weights by asset index, summing to 1.</param>
/// <param name="Order">[N] asset indices in quasi-diagonal (dendrogram leaf) order.</param>
/// <param name="Linkage">[N − 1, 4] row-major single-linkage matrix in scipy's format: (cluster a, cluster b, distance, size),
/// a &lt; b; clusters 0..N−1 are assets, cluster N + i is the one formed in row i.</param>
public sealed record HrpResult(double[] Weights, int[] Order, double[] Linkage);
