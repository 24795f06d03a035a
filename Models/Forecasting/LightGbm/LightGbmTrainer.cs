using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;

namespace LeanModels.Models.Forecasting.LightGbm;

/// <summary>
/// The LightGBM baseline (Ke et al. 2017, "LightGBM: A Highly Efficient Gradient Boosting Decision Tree"; Qlib's
/// <c>qlib/contrib/model/gbdt.py</c> <c>LGBModel</c>): one pooled regression tree ensemble over every (date, asset) training
/// row, fitted with ML.NET's <c>LightGbmRegressionTrainer</c> (Microsoft.ML.LightGbm 6.0.0) on the raw features (trees do not
/// need a z-score) against the raw label normalised per date by the trainer itself (<see cref="LightGbmOptions.Label"/>,
/// Qlib's <c>CSRankNorm</c> by default; research's <c>--label-norm</c> does not apply to it). Deterministic: LightGBM's
/// <c>deterministic=true</c>, <c>force_col_wise=true</c>, the fold's seed and a fixed thread count; rows are passed in date
/// then asset order. The validation dates of a fold are not used (the number of rounds is fixed).
/// </summary>
/// <param name="options">Hyper-parameters; null = Qlib's benchmark defaults (<see cref="LightGbmOptions"/>).</param>
public sealed class LightGbmTrainer(LightGbmOptions? options = null) : IForecasterTrainer
{
    private readonly LightGbmOptions _options = Validated(options ?? new LightGbmOptions());

    /// <inheritdoc />
    public string Name => "lightgbm";

    /// <summary>The hyper-parameters.</summary>
    public LightGbmOptions Options => _options;

    /// <summary>True when feature sampling is on (<see cref="LightGbmOptions.FeatureFraction"/> &lt; 1): the fold's seed then
    /// changes the trees.</summary>
    public bool UsesSeed => _options.FeatureFraction < 1;

    /// <inheritdoc />
    /// <remarks>Rows with valid features and a finite raw label on each training date; a date with fewer than 2 such rows is
    /// skipped. LightGBM's seed is the fold's seed folded into [0, 2³¹ − 1).</remarks>
    public IReturnForecaster Fit(TrainingFold fold, CancellationToken cancellationToken = default)
    {
        var features = fold.Features;
        int A = features.AssetCount, F = features.FeatureCount;
        var trainDates = fold.TrainDates;
        var x = new List<float>();
        var y = new List<float>();
        var assets = new List<int>();
        var target = new double[A];
        double scaleSum = 0;
        var scaleDates = 0;
        foreach (var d in trainDates)
        {
            var labels = fold.RawLabels(d);
            assets.Clear();
            for (var a = 0; a < A; a++)
                if (features.IsValid(d, a) && double.IsFinite(labels[a])) assets.Add(a);
            if (assets.Count < 2) continue;
            scaleSum += Normalise(labels, 0, assets, _options.Label, target);
            scaleDates++;
            foreach (var a in assets)
            {
                foreach (var v in features.Row(d, a)) x.Add((float)v);
                y.Add((float)target[a]);
            }
        }
        if (y.Count < 2 * _options.MinDataInLeaf)
            throw new ArgumentException($"lightgbm: {y.Count} training rows on {trainDates.Count} dates; need at least 2 × min data in leaf = {2 * _options.MinDataInLeaf}.", nameof(fold));
        cancellationToken.ThrowIfCancellationRequested();
        var seed = (int)(fold.Seed % int.MaxValue);

        var ml = new MLContext(seed: seed);
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
            Seed = seed,
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
        return LightGbmModel.FromTransformer(ml, transformer, data.Schema, fold.Specification, fold.FeatureWarmUpBars, fold.Horizon, scale);
    }

    /// <summary>Writes the normalised label of <paramref name="assets"/> into <paramref name="target"/>; returns the date's population label std.</summary>
    internal static double Normalise(ReadOnlySpan<double> labels, int offset, List<int> assets, LightGbmLabel how, double[] target)
    {
        var n = assets.Count;
        double mean = 0, variance = 0;
        foreach (var a in assets) mean += labels[offset + a];
        mean /= n;
        foreach (var a in assets) variance += (labels[offset + a] - mean) * (labels[offset + a] - mean);
        var std = Math.Sqrt(variance / n);
        if (how == LightGbmLabel.ZScore)
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
