using LeanModels.Models.Research;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;

namespace LeanModels.Models.Forecasting.LightGbm;

/// <summary>
/// The LightGBM baseline (Ke et al. 2017, "LightGBM: A Highly Efficient Gradient Boosting Decision Tree"; Qlib's
/// <c>qlib/contrib/model/gbdt.py</c> <c>LGBModel</c>): one pooled regression tree ensemble over every (date, asset) training
/// row, fitted with ML.NET's <c>LightGbmRegressionTrainer</c> (Microsoft.ML.LightGbm 6.0.0) on the raw features (trees do not
/// need a z-score) against the label normalised per date (<see cref="LightGbmOptions.Label"/>). Deterministic: LightGBM's
/// <c>deterministic=true</c>, <c>force_col_wise=true</c>, a fixed seed and a fixed thread count; rows are passed in date
/// then asset order.
/// </summary>
/// <param name="options">Hyper-parameters; null = Qlib's benchmark defaults (<see cref="LightGbmOptions"/>).</param>
public sealed class LightGbmTrainer(LightGbmOptions? options = null) : IForecasterTrainer
{
    private readonly LightGbmOptions _options = Validated(options ?? new LightGbmOptions());

    /// <inheritdoc />
    public string Name => "lightgbm";

    /// <summary>The hyper-parameters.</summary>
    public LightGbmOptions Options => _options;

    /// <inheritdoc />
    /// <remarks>Rows with valid features and a finite label on each training date; a date with fewer than 2 such rows is skipped.</remarks>
    public IReturnForecaster Fit(FeatureSet features, ReadOnlySpan<double> labels, IReadOnlyList<int> trainDates, int horizon)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        int A = features.AssetCount, F = features.FeatureCount;
        if (labels.Length != features.DateCount * A)
            throw new ArgumentException($"lightgbm: labels has {labels.Length} elements; expected D·A = {features.DateCount}·{A}.", nameof(labels));
        var x = new List<float>();
        var y = new List<float>();
        var assets = new List<int>();
        var target = new double[A];
        double scaleSum = 0;
        var scaleDates = 0;
        foreach (var d in trainDates)
        {
            assets.Clear();
            for (var a = 0; a < A; a++)
                if (features.IsValid(d, a) && double.IsFinite(labels[d * A + a])) assets.Add(a);
            if (assets.Count < 2) continue;
            scaleSum += Normalise(labels, d * A, assets, _options.Label, target);
            scaleDates++;
            foreach (var a in assets)
            {
                foreach (var v in features.Row(d, a)) x.Add((float)v);
                y.Add((float)target[a]);
            }
        }
        if (y.Count < 2 * _options.MinDataInLeaf)
            throw new ArgumentException($"lightgbm: {y.Count} training rows on {trainDates.Count} dates; need at least 2 × min data in leaf = {2 * _options.MinDataInLeaf}.", nameof(trainDates));

        var ml = new MLContext(seed: _options.Seed);
        var data = ml.Data.LoadFromEnumerable(Rows(x, y, F), LightGbmModel.InputSchema(F));
        var trainer = ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
        {
            LabelColumnName = "Label",
            FeatureColumnName = "Features",
            NumberOfLeaves = _options.NumberOfLeaves,
            LearningRate = _options.LearningRate,
            NumberOfIterations = _options.Rounds,
            MinimumExampleCountPerLeaf = _options.MinDataInLeaf,
            NumberOfThreads = _options.Threads,
            Seed = _options.Seed,
            Deterministic = true,
            ForceColumnWise = true,
            Silent = true,
            Verbose = false,
            Booster = new GradientBooster.Options
            {
                FeatureFraction = _options.FeatureFraction,
                L1Regularization = _options.L1,
                L2Regularization = _options.L2,
                MaximumTreeDepth = _options.MaxDepth,
            },
        });
        var transformer = trainer.Fit(data);
        // A rank-normal score has unit spread; scaling it by the mean cross-sectional label std of the training dates
        // makes the forecast read as a demeaned log return over the horizon.
        var scale = scaleDates > 0 ? scaleSum / scaleDates : 1.0;
        return LightGbmModel.FromTransformer(ml, transformer, data.Schema, features.Version, features.Names, horizon, scale);
    }

    /// <summary>Writes the normalised label of <paramref name="assets"/> into <paramref name="target"/>; returns the date's population label std.</summary>
    internal static double Normalise(ReadOnlySpan<double> labels, int offset, List<int> assets, LabelNormalisation how, double[] target)
    {
        var n = assets.Count;
        double mean = 0, variance = 0;
        foreach (var a in assets) mean += labels[offset + a];
        mean /= n;
        foreach (var a in assets) variance += (labels[offset + a] - mean) * (labels[offset + a] - mean);
        var std = Math.Sqrt(variance / n);
        if (how == LabelNormalisation.ZScore)
        {
            foreach (var a in assets) target[a] = std > 0 ? (labels[offset + a] - mean) / std : 0.0;
            return std;
        }
        // Percentile rank with average ranks for ties (pandas rank(pct=True)), then Qlib's (r − 0.5)·3.46.
        var order = assets.ToArray();
        var keys = new double[n];
        for (var i = 0; i < n; i++) keys[i] = labels[offset + order[i]];
        Array.Sort(keys, order);                                      // ties: any order, they share the average rank
        for (var i = 0; i < n;)
        {
            var j = i;
            while (j + 1 < n && keys[j + 1] == keys[i]) j++;
            var rank = (i + j) / 2.0 + 1.0;
            for (var k = i; k <= j; k++) target[order[k]] = (rank / n - 0.5) * 3.46;
            i = j + 1;
        }
        return std;
    }

    private static IEnumerable<LightGbmModel.Row> Rows(List<float> x, List<float> y, int F)
    {
        for (var i = 0; i < y.Count; i++) yield return new LightGbmModel.Row { Features = x.GetRange(i * F, F).ToArray(), Label = y[i] };
    }

    private static LightGbmOptions Validated(LightGbmOptions options)
    {
        options.Validate();
        return options;
    }
}
