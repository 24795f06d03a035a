using LeanModels.Models.Research;

namespace LeanModels.Models.Forecasting;

/// <summary>
/// What a trainer receives for one walk-forward fold (Qlib's <c>Model.fit(dataset)</c> with its <c>train</c> and
/// <c>valid</c> segments): features, the training and validation dates, and their labels, raw and normalised. Labels of
/// any other date (the test block, the future) are not reachable through it.
/// </summary>
public sealed class TrainingFold
{
    private readonly double[] _labels;
    private readonly HashSet<int> _labelled;
    private readonly Dictionary<int, double[]> _learn = new();

    /// <summary>Initializes a fold.</summary>
    /// <param name="features">[D, A, F] features (computed from bars up to each date only).</param>
    /// <param name="specification">The feature set's specification.</param>
    /// <param name="tickers">[A] assets.</param>
    /// <param name="dates">[D] calendar.</param>
    /// <param name="labels">[D, A] raw forward log returns (NaN = absent); only training and validation rows are exposed.</param>
    /// <param name="trainDates">Training date indices, ascending.</param>
    /// <param name="validationDates">Validation date indices, ascending (empty = none).</param>
    /// <param name="horizon">H of the labels.</param>
    /// <param name="labelNormalisation">How <see cref="LearnLabels"/> normalises each date.</param>
    /// <param name="seed">Seed of everything random in the fit (initialisation, sampling, dropout).</param>
    /// <param name="previous">The previous fold's model for a warm start, or null.</param>
    /// <exception cref="ArgumentException">Shapes disagree.</exception>
    public TrainingFold(FeatureSet features, FeatureSpecification specification, IReadOnlyList<string> tickers, IReadOnlyList<DateOnly> dates,
        double[] labels, IReadOnlyList<int> trainDates, IReadOnlyList<int> validationDates, int horizon,
        LabelNormalisation labelNormalisation = LabelNormalisation.None, ulong seed = 1, IReturnForecaster? previous = null)
    {
        if (labels.Length != features.DateCount * features.AssetCount || tickers.Count != features.AssetCount || dates.Count != features.DateCount)
            throw new ArgumentException($"TrainingFold: labels {labels.Length}, tickers {tickers.Count}, dates {dates.Count}; expected D·A = {features.DateCount}·{features.AssetCount}, A and D.");
        Features = features;
        Specification = specification;
        Tickers = tickers;
        Dates = dates;
        _labels = labels;
        TrainDates = trainDates;
        ValidationDates = validationDates;
        Horizon = horizon;
        LabelNormalisation = labelNormalisation;
        Seed = seed;
        Previous = previous;
        _labelled = [.. trainDates, .. validationDates];
    }

    /// <summary>[D, A, F] features; a trainer reads rows of <see cref="TrainDates"/> and <see cref="ValidationDates"/> (and
    /// the history before them that a lookback window covers).</summary>
    public FeatureSet Features { get; }

    /// <summary>The feature set's specification.</summary>
    public FeatureSpecification Specification { get; }

    /// <summary>Bars the feature set needs before a valid row (its <see cref="IFeatureSetBuilder.WarmUpBars"/>; 0 for a
    /// feature set this build does not list, e.g. one built in a test).</summary>
    public int FeatureWarmUpBars => FeatureSetCatalog.TryGet(Specification, out var b) ? b!.WarmUpBars : 0;

    /// <summary>[A] assets.</summary>
    public IReadOnlyList<string> Tickers { get; }

    /// <summary>[D] calendar.</summary>
    public IReadOnlyList<DateOnly> Dates { get; }

    /// <summary>Training date indices, ascending.</summary>
    public IReadOnlyList<int> TrainDates { get; }

    /// <summary>Validation date indices, ascending; empty when the walk-forward has none.</summary>
    public IReadOnlyList<int> ValidationDates { get; }

    /// <summary>H.</summary>
    public int Horizon { get; }

    /// <summary>The per-date normalisation of <see cref="LearnLabels"/>.</summary>
    public LabelNormalisation LabelNormalisation { get; }

    /// <summary>Seed of the fit.</summary>
    public ulong Seed { get; }

    /// <summary>The previous fold's model (warm start), or null.</summary>
    public IReturnForecaster? Previous { get; }

    /// <summary>[A] raw labels of a training or validation date (what metrics use).</summary>
    /// <param name="date">A date of <see cref="TrainDates"/> or <see cref="ValidationDates"/>.</param>
    /// <returns>A view; NaN = absent.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Another date: its label is not the trainer's to read.</exception>
    public ReadOnlySpan<double> RawLabels(int date)
    {
        Require(date);
        return _labels.AsSpan(date * Features.AssetCount, Features.AssetCount);
    }

    /// <summary>[A] labels of a training or validation date normalised by <see cref="LabelNormalisation"/> (what the loss uses).</summary>
    /// <param name="date">A date of <see cref="TrainDates"/> or <see cref="ValidationDates"/>.</param>
    /// <returns>A view (cached); NaN = absent.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Another date.</exception>
    public ReadOnlySpan<double> LearnLabels(int date)
    {
        Require(date);
        if (!_learn.TryGetValue(date, out var row))
        {
            row = new double[Features.AssetCount];
            LabelNormaliser.Apply(LabelNormalisation, RawLabels(date), row);
            _learn[date] = row;
        }
        return row;
    }

    /// <summary>Per training date, the assets a trainer can sample: those with a feature row on the date and a finite raw
    /// label (<see cref="RawLabels"/>), in asset order; dates with fewer than 2 such assets are left out (no cross-sectional
    /// loss is defined there).</summary>
    /// <returns>Date index → asset indices (ascending); empty when no training date qualifies.</returns>
    public Dictionary<int, int[]> LabelledTrainingAssets()
    {
        var result = new Dictionary<int, int[]>();
        foreach (var d in TrainDates)
        {
            var raw = RawLabels(d);
            var list = new List<int>();
            for (var a = 0; a < Features.AssetCount; a++) if (Features.IsValid(d, a) && double.IsFinite(raw[a])) list.Add(a);
            if (list.Count >= 2) result[d] = list.ToArray();
        }
        return result;
    }

    /// <summary>The [A, T, F] window and [A, T] mask of a date (<see cref="FeatureWindow.FromFeatureSet"/>), for training or validation.</summary>
    /// <param name="date">Decision date index.</param>
    /// <param name="input">The model's declared window.</param>
    /// <returns>A new window.</returns>
    public FeatureWindow Window(int date, InputWindow input) => FeatureWindow.FromFeatureSet(Features, Specification, Tickers, Dates, date, input);

    private void Require(int date)
    {
        if (!_labelled.Contains(date))
            throw new ArgumentOutOfRangeException(nameof(date), date, "TrainingFold: labels are readable on training and validation dates only.");
    }
}
