namespace LeanModels.Models.Forecasting.LightGbm;

/// <summary>How the LightGBM trainer normalises the raw training label on each date before the trees are fitted.</summary>
public enum LightGbmLabel
{
    /// <summary>
    /// Qlib's <c>CSRankNorm</c> (qlib/data/dataset/processor.py): per date the percentile rank (average rank of ties,
    /// divided by the count), minus 0.5, times 3.46, so a uniform rank has unit variance. Outliers cannot dominate.
    /// </summary>
    Rank,

    /// <summary>Per date (y − mean) / population std (Qlib's <c>CSZScoreNorm</c>); a date with std 0 gives 0 for every asset.</summary>
    ZScore,
}

/// <summary>
/// Settings of the LightGBM baseline. Defaults follow Qlib's benchmark
/// (examples/benchmarks/LightGBM/workflow_config_lightgbm_Alpha158.yaml: loss mse, colsample_bytree 0.8879, learning_rate 0.2,
/// subsample 0.8789, lambda_l1 205.6999, lambda_l2 580.9768, max_depth 8, num_leaves 210), except where noted: Qlib stops
/// early on a validation segment (up to 1000 rounds, patience 50); the walk-forward folds have none, so the number of
/// rounds is fixed (<see cref="Rounds"/>). Qlib's subsample 0.8789 has no effect there either (LightGBM bags only when
/// bagging_freq &gt; 0, which the config leaves at 0), so no row subsampling is done here.
/// </summary>
/// <param name="NumberOfLeaves">Leaves per tree (num_leaves), ≥ 2; Qlib 210.</param>
/// <param name="LearningRate">Shrinkage per round (learning_rate), in (0, 1]; Qlib 0.2.</param>
/// <param name="Rounds">Boosting rounds (num_boost_round), ≥ 1; 100 here (Qlib: early stopping).</param>
/// <param name="MinDataInLeaf">Minimum training rows per leaf (min_data_in_leaf), ≥ 1; LightGBM's default 20.</param>
/// <param name="FeatureFraction">Share of features sampled per tree (feature_fraction = colsample_bytree), in (0, 1]; Qlib 0.8879.</param>
/// <param name="L1">L1 penalty on leaf values (lambda_l1), ≥ 0; Qlib 205.6999.</param>
/// <param name="L2">L2 penalty on leaf values (lambda_l2), ≥ 0; Qlib 580.9768.</param>
/// <param name="MaxDepth">Maximum tree depth (max_depth), ≥ 1; Qlib 8.</param>
/// <param name="Threads">LightGBM's thread count (num_threads), ≥ 1; fixed so the model does not depend on the machine.</param>
/// <param name="Label">Per-date label normalisation; Qlib's <see cref="LightGbmLabel.Rank"/>.</param>
public sealed record LightGbmOptions(
    int NumberOfLeaves = 210,
    double LearningRate = 0.2,
    int Rounds = 100,
    int MinDataInLeaf = 20,
    double FeatureFraction = 0.8879,
    double L1 = 205.6999,
    double L2 = 580.9768,
    int MaxDepth = 8,
    int Threads = 1,
    LightGbmLabel Label = LightGbmLabel.Rank)
{
    /// <summary>Checks every value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its range; the message names it.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(NumberOfLeaves, 2, nameof(NumberOfLeaves));
        if (!(LearningRate > 0 && LearningRate <= 1)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "learning rate must be in (0, 1]");
        ArgumentOutOfRangeException.ThrowIfLessThan(Rounds, 1, nameof(Rounds));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinDataInLeaf, 1, nameof(MinDataInLeaf));
        if (!(FeatureFraction > 0 && FeatureFraction <= 1)) throw new ArgumentOutOfRangeException(nameof(FeatureFraction), FeatureFraction, "feature fraction must be in (0, 1]");
        if (!(L1 >= 0 && double.IsFinite(L1))) throw new ArgumentOutOfRangeException(nameof(L1), L1, "L1 must be finite and ≥ 0");
        if (!(L2 >= 0 && double.IsFinite(L2))) throw new ArgumentOutOfRangeException(nameof(L2), L2, "L2 must be finite and ≥ 0");
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDepth, 1, nameof(MaxDepth));
        ArgumentOutOfRangeException.ThrowIfLessThan(Threads, 1, nameof(Threads));
    }
}
