using LeanModels.Models.Engine;
using LeanModels.Models.Engine.Kernels;
using LeanModels.Models.Engine.Optimizers;
using LeanModels.Models.Forecasting;
using LeanModels.Models.Numerics;
using LeanModels.Models.Research;
using LeanModels.Models.Stockformer;

namespace LeanModels.Models.TwoStage;

/// <summary>
/// Walk-forward trainer of a <see cref="DirectForecaster"/> (research names <c>direct-lstm</c>, <c>direct-gru</c>,
/// <c>direct-tcn</c>), the <see cref="TwoStageTrainer"/> recipe for the fixed-universe model. Per fold:
/// <list type="number">
/// <item>The universe is the fold's tickers in their order (N = A of the panel), stored in the model.</item>
/// <item>Fits the <see cref="InferenceProcessor"/> on the fold's training rows only.</item>
/// <item>Builds the network from the fold's seed, or, with a warm start, copies the previous fold's weights when its options
/// and universe are the same.</item>
/// <item>Each epoch visits every usable training date (≥ 2 assets with a feature row and a finite label) once, in the order of
/// <see cref="SequenceBatcher.ShuffledDates"/> (the same order as the two-stage model for the same seed); a step takes B dates
/// over the whole universe, x [B, T, N, F] (no asset sampling: the input width is fixed).</item>
/// <item>Loss: MSE of the forecast on the per-date normalised label over assets with a label and a bar on the decision date.
/// AdamW, global gradient-norm clipping, TCN dropout from one generator seeded by the fold's seed.</item>
/// <item>With validation days: early stopping on the validation Rank IC (NaN counts as −1), keeping the best epoch.</item>
/// </list>
/// Hyperparameters come from <see cref="TwoStageTrainingOptions"/> (the <c>--ts-*</c> flags), the fields that apply:
/// lookback, hidden width H, dropout, epochs, batch dates, learning rate, weight decay, clip, patience, threads (TCN 3 levels
/// of kernel 3). Stage-1 width, embedding and assets per sample do not apply.
/// The epochs run in <see cref="EpochLoop"/>, shared with the Stockformer trainer.
/// Deterministic: the same fold, options and seed give bit-identical weights at any thread count.
/// </summary>
public sealed class DirectTrainer : SequenceTrainer
{
    /// <summary>Creates the trainer.</summary>
    /// <param name="name">Model name (e.g. <c>direct-lstm</c>).</param>
    /// <param name="family">The temporal family.</param>
    /// <param name="options">Hyperparameters; default <see cref="TwoStageTrainingOptions"/>(). Validated here.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public DirectTrainer(string name, TemporalFamily family, TwoStageTrainingOptions? options = null)
        : base(name)
    {
        Options = options ?? new TwoStageTrainingOptions();
        Options.Validate();
        Family = family;
    }

    /// <summary>The temporal family.</summary>
    public TemporalFamily Family { get; }

    /// <summary>The hyperparameters (the fields that apply, see the class doc).</summary>
    public TwoStageTrainingOptions Options { get; }

    /// <summary>The network options for N assets and F features.</summary>
    /// <param name="assets">N, the universe size.</param>
    /// <param name="features">F.</param>
    /// <returns>The options (not validated).</returns>
    public DirectOptions Network(int assets, int features) =>
        new(assets, Options.Lookback, features, Family, Options.Hidden, Dropout: Options.Dropout);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">No training date has 2 assets with a feature row and a finite label.</exception>
    /// <exception cref="ArithmeticException">A gradient became non-finite.</exception>
    /// <exception cref="OperationCanceledException">Cancelled (checked before each step).</exception>
    public override IReturnForecaster Fit(TrainingFold fold, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fold);
        var o = Options;
        var features = fold.Features;
        int F = features.FeatureCount, N = features.AssetCount, T = o.Lookback;
        var processor = InferenceProcessor.Fit(features, fold.TrainDates);
        var batcher = new SequenceBatcher(features, processor, T);
        var network = Network(N, F);
        var model = new DirectModel<float>(network, fold.Seed);
        if (fold.Previous is DirectForecaster previous && previous.Fits(network, fold.Tickers))
            model.LoadNamedParameters(previous.NamedParameters());

        var dates = new List<int>();
        foreach (var d in fold.TrainDates)
        {
            var raw = fold.RawLabels(d);
            var n = 0;
            for (var a = 0; a < N && n < 2; a++) if (features.IsValid(d, a) && double.IsFinite(raw[a])) n++;
            if (n >= 2) dates.Add(d);
        }
        if (dates.Count == 0)
            throw new ArgumentException($"{Name}: none of the {fold.TrainDates.Count} training dates has 2 assets with a feature row and a finite label.", nameof(fold));

        var parameters = model.Parameters();
        var optimizer = new AdamW<float>(parameters, o.LearningRate, o.WeightDecay);
        using var team = o.Threads > 1 ? new ThreadTeam(o.Threads) : null;
        var pool = new BufferPool<float>();
        var rng = new Xoshiro256StarStar(fold.Seed * 0xD1B54A32D192ED03UL + 0x2545F4914F6CDD1DUL);
        var live = new DirectForecaster(Name, model, fold.Tickers, processor, fold.Horizon, fold.Specification, fold.FeatureWarmUpBars);
        var report = EpochLoop.Run(fold, dates, parameters, optimizer, live, new EpochLoop.Settings(o.Epochs, o.BatchDates, o.ClipNorm, o.Patience, o.Threads),
            rng, team, pool, model.ParameterCount, (batch, tape) =>
            {
                int B = batch.Length;
                var x = new float[B * T * N * F];
                var mask = new bool[B * T * N];
                var labels = new float[B * N];
                var labelMask = new bool[B * N];
                batcher.Fill(batch, [], x, mask);
                batcher.FillLabels(fold, batch, [], labels, labelMask);
                var y = model.Forward(tape, new Tensor<float>(x, [B, T, N, F]), mask);
                return StockformerLosses.Mse(tape, y.Return, labels, labelMask);
            }, cancellationToken);
        Record(report);
        return new DirectForecaster(Name, model, fold.Tickers, processor, fold.Horizon, fold.Specification, fold.FeatureWarmUpBars, report);
    }
}
