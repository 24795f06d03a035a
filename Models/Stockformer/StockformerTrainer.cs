using LeanModels.Models.Engine;
using LeanModels.Models.Engine.Kernels;
using LeanModels.Models.Engine.Optimizers;
using LeanModels.Models.Forecasting;
using LeanModels.Models.Numerics;
using LeanModels.Models.Research;

namespace LeanModels.Models.Stockformer;

/// <summary>
/// Walk-forward trainer of a <see cref="StockformerForecaster"/> (issue 13, items 2–4). Per fold:
/// <list type="number">
/// <item>Fits the <see cref="InferenceProcessor"/> on the fold's training rows only and builds the vocabulary of the panel's
/// tickers (identity rows; row 0 = unknown, trained through identity dropout at <see cref="StockformerTrainingOptions.UnknownRate"/>).</item>
/// <item>Builds the network with all four heads from the fold's seed, or, with a warm start, copies the previous fold's
/// weights when its options and vocabulary are the same.</item>
/// <item>Each epoch visits every usable training date (≥ 2 assets present with a finite label) once, in the order of
/// <see cref="SequenceBatcher.ShuffledDates"/>; a step takes B dates and per date K random assets among those present with
/// a label (all of them when fewer; the batch is padded with fully absent assets, which influence nothing), x [B, T, K, F].</item>
/// <item>Loss of the objective's head only (<see cref="StockformerObjective"/>): MSE or negative IC on the per-date normalised
/// label (<see cref="TrainingFold.LearnLabels"/>), BCE against 1[raw label &gt; 0], pinball on the normalised label, or the
/// allocation loss on the raw label as a simple return exp(r) − 1 with previous weights 0 (a random K-asset sample has no
/// previous book, so the turnover term acts as an L1 penalty on the weights). AdamW, global gradient-norm clipping, dropout
/// and identity dropout from one generator seeded by the fold's seed.</item>
/// <item>With validation days: after each epoch the validation Rank IC (<see cref="ValidationEarlyStopping.ValidationRankIC"/>,
/// on the whole cross-section, metric on the raw label; a NaN Rank IC counts as −1) drives early stopping with
/// <see cref="StockformerTrainingOptions.Patience"/>; the best epoch's weights are kept (<see cref="ParameterSnapshot{T}"/>).
/// Without validation days all epochs run and the last weights are kept.</item>
/// </list>
/// The epochs run in <see cref="EpochLoop"/>, shared with the two-stage and direct trainers.
/// Deterministic: the same fold, options and seed give bit-identical weights at any thread count (the engine's team is
/// deterministic). <see cref="SequenceTrainer.Reports"/> records each fit (parameters, epochs, time per epoch, validation curve).
/// </summary>
public sealed class StockformerTrainer : SequenceTrainer
{
    /// <summary>Creates the trainer.</summary>
    /// <param name="name">Model name (e.g. <c>stockformer</c>).</param>
    /// <param name="objective">The head to train.</param>
    /// <param name="options">Hyperparameters; default <see cref="StockformerTrainingOptions"/>(). Validated here.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public StockformerTrainer(string name, StockformerObjective objective, StockformerTrainingOptions? options = null)
        : base(name)
    {
        Options = options ?? new StockformerTrainingOptions();
        Options.Validate();
        Objective = objective;
    }

    /// <summary>The head trained.</summary>
    public StockformerObjective Objective { get; }

    /// <summary>The hyperparameters.</summary>
    public StockformerTrainingOptions Options { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">No training date has 2 assets with a feature row and a finite label.</exception>
    /// <exception cref="ArithmeticException">A gradient became non-finite (the message names the parameter).</exception>
    /// <exception cref="OperationCanceledException">Cancelled (checked before each step).</exception>
    public override IReturnForecaster Fit(TrainingFold fold, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fold);
        var o = Options;
        var features = fold.Features;
        int F = features.FeatureCount, A = features.AssetCount, T = o.Lookback;
        var processor = InferenceProcessor.Fit(features, fold.TrainDates);
        var batcher = new SequenceBatcher(features, processor, T);
        var vocabulary = new StockformerVocabulary(fold.Tickers);
        var network = o.Network(F, vocabulary.Size);
        var model = new StockformerModel<float>(network, fold.Seed);
        if (fold.Previous is StockformerForecaster previous && previous.Options == network && previous.Vocabulary.Tickers.SequenceEqual(vocabulary.Tickers))
            model.LoadNamedParameters(previous.NamedParameters());

        var candidates = fold.LabelledTrainingAssets();
        if (candidates.Count == 0)
            throw new ArgumentException($"{Name}: none of the {fold.TrainDates.Count} training dates has 2 assets with a feature row and a finite label.", nameof(fold));
        var dates = fold.TrainDates.Where(candidates.ContainsKey).ToList();

        var parameters = model.Parameters();
        var optimizer = new AdamW<float>(parameters, o.LearningRate, o.WeightDecay);
        using var team = o.Threads > 1 ? new ThreadTeam(o.Threads) : null;
        var pool = new BufferPool<float>();
        var rng = new Xoshiro256StarStar(fold.Seed * 0xD1B54A32D192ED03UL + 0x2545F4914F6CDD1DUL);
        var live = new StockformerForecaster(Name, model, Objective, processor, vocabulary, fold.Horizon, fold.Specification, fold.FeatureWarmUpBars);
        var K = o.AssetsPerSample;
        var report = EpochLoop.Run(fold, dates, parameters, optimizer, live, new EpochLoop.Settings(o.Epochs, o.BatchDates, o.ClipNorm, o.Patience, o.Threads),
            rng, team, pool, parameters.Sum(p => p.Value.Length), (batch, tape) =>
            {
                var (x, mask, ids, labels, labelMask) = Build(fold, batcher, vocabulary, candidates, batch, K, rng);
                var y = model.Forward(tape, new Tensor<float>(x, [batch.Length, T, K, F]), mask, ids);
                return Loss(tape, y, labels, labelMask);
            }, cancellationToken);
        Record(report);
        return new StockformerForecaster(Name, model, Objective, processor, vocabulary, fold.Horizon, fold.Specification, fold.FeatureWarmUpBars, report);
    }

    /// <summary>One batch: x [B, T, K, F] and mask [B, T, K] (padding assets absent throughout), ids [B, K] (identity dropout;
    /// padding → 0), labels and their mask [B, K] in the objective's unit (normalised, or raw for direction and allocation,
    /// as a simple return for allocation).</summary>
    private (float[] X, bool[] Mask, int[] Ids, float[] Labels, bool[] LabelMask) Build(TrainingFold fold, SequenceBatcher batcher,
        StockformerVocabulary vocabulary, Dictionary<int, int[]> candidates, ReadOnlySpan<int> batch, int K, Xoshiro256StarStar rng)
    {
        int B = batch.Length, T = Options.Lookback, F = batcher.FeatureCount;
        var x = new float[B * T * K * F];
        var mask = new bool[B * T * K];
        var ids = new int[B * K];
        var labels = new float[B * K];
        var labelMask = new bool[B * K];
        var raw = Objective is StockformerObjective.Direction or StockformerObjective.Allocation;
        for (var b = 0; b < B; b++)
        {
            var d = batch[b];
            var chosen = StockformerSubsets.Choose(candidates[d], K, rng);
            var n = chosen.Length;
            var x1 = new float[T * n * F];
            var m1 = new bool[T * n];
            batcher.Fill([d], chosen, x1, m1);
            for (var t = 0; t < T; t++)
            {
                x1.AsSpan(t * n * F, n * F).CopyTo(x.AsSpan(((b * T + t) * K) * F));
                m1.AsSpan(t * n, n).CopyTo(mask.AsSpan((b * T + t) * K));
            }
            var rows = vocabulary.RowsWithUnknown(chosen.Select(a => fold.Tickers[a]).ToArray(), Options.UnknownRate, rng);
            rows.CopyTo(ids, b * K);
            var label = raw ? fold.RawLabels(d) : fold.LearnLabels(d);
            for (var i = 0; i < n; i++)
            {
                var v = label[chosen[i]];
                var ok = double.IsFinite(v) && m1[(T - 1) * n + i];
                labelMask[b * K + i] = ok;
                labels[b * K + i] = !ok ? 0f : Objective == StockformerObjective.Allocation ? (float)double.ExpM1(v) : (float)v;
            }
        }
        return (x, mask, ids, labels, labelMask);
    }

    private Tensor<float> Loss(Tape<float> tape, StockformerOutput<float> y, float[] labels, bool[] mask) => Objective switch
    {
        StockformerObjective.ReturnMse => StockformerLosses.Mse(tape, y.Return!, labels, mask),
        StockformerObjective.ReturnIC => StockformerLosses.NegativeIC(tape, y.Return!, labels, mask),
        StockformerObjective.Direction => StockformerLosses.DirectionBce(tape, y.DirectionLogit!, labels, mask),
        StockformerObjective.Quantiles => StockformerLosses.Pinball(tape, y.Quantiles!, labels, mask),
        _ => StockformerLosses.Allocation(tape, y.Allocation!, labels, mask, new float[labels.Length], Options.TurnoverPenalty, Options.GrossPenalty, Options.GrossCap),
    };
}
