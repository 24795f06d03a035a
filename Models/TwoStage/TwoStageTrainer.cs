using System.Diagnostics;
using LeanModels.Models.Engine;
using LeanModels.Models.Engine.Kernels;
using LeanModels.Models.Engine.Optimizers;
using LeanModels.Models.Forecasting;
using LeanModels.Models.Numerics;
using LeanModels.Models.Research;
using LeanModels.Models.Stockformer;

namespace LeanModels.Models.TwoStage;

/// <summary>
/// Walk-forward trainer of a <see cref="TwoStageForecaster"/> (research names <c>twostage-lstm</c>, <c>twostage-gru</c>,
/// <c>twostage-tcn</c>), the <c>StockformerTrainer</c> recipe with the return head's MSE. Per fold:
/// <list type="number">
/// <item>Fits the <see cref="InferenceProcessor"/> on the fold's training rows only.</item>
/// <item>Builds the network end to end from the fold's seed, or, with a warm start, copies the previous fold's weights when its
/// options are the same.</item>
/// <item>Each epoch visits every usable training date (≥ 2 assets with a feature row and a finite label) once, in the order of
/// <see cref="SequenceBatcher.ShuffledDates"/>; a step takes B dates and per date K random assets among those usable (all of
/// them when fewer; the batch is padded with fully absent assets, which influence nothing), x [B, T, K, F].</item>
/// <item>Loss: MSE of the forecast on the per-date normalised label (<see cref="TrainingFold.LearnLabels"/>) over assets with a
/// label and a bar on the decision date. AdamW, global gradient-norm clipping, dropout from one generator seeded by the fold's
/// seed.</item>
/// <item>With validation days: early stopping on the validation Rank IC (<see cref="ValidationEarlyStopping"/>, NaN counts as
/// −1), keeping the best epoch's weights; otherwise every epoch runs and the last weights are kept.</item>
/// </list>
/// With <see cref="TwoStageTrainingOptions.FreezeStageOne"/> (names <c>twostage-frozen-*</c>) three phases replace the end-to-end
/// epochs: (1) stage 1 is trained first, <see cref="TwoStageTrainingOptions.StageOneEpochs"/> epochs over the same dates and
/// K-asset draws, on the MSE of its pretraining head (a linear forecast of the label from the decision date's embedding,
/// <see cref="TwoStageModel{T}.EmbedDates"/>); (2) stage 1 is frozen and every date from the first training window's first bar
/// to the last training date is embedded once over the whole cross-section (evaluation mode, no dropout), as prediction embeds
/// it; (3) stage 2 and the head train on windows whose embeddings are read from that cache
/// (<see cref="TwoStageModel{T}.ForwardWithEmbedding"/>), so stage 1 costs one pass per date per fold instead of one per day of
/// every window of every epoch. The fit report's <see cref="StockformerFitReport.PretrainSeconds"/> holds phases 1 and 2.
/// The epochs run in <see cref="EpochLoop"/>, shared with the Stockformer trainer.
/// Deterministic: the same fold, options and seed give bit-identical weights at any thread count.
/// </summary>
public sealed class TwoStageTrainer : SequenceTrainer
{
    /// <summary>Creates the trainer.</summary>
    /// <param name="name">Model name (e.g. <c>twostage-lstm</c>).</param>
    /// <param name="family">Stage 2's temporal family.</param>
    /// <param name="options">Hyperparameters; default <see cref="TwoStageTrainingOptions"/>(). Validated here.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public TwoStageTrainer(string name, TemporalFamily family, TwoStageTrainingOptions? options = null)
        : base(name)
    {
        Options = options ?? new TwoStageTrainingOptions();
        Options.Validate();
        Family = family;
    }

    /// <summary>Stage 2's family.</summary>
    public TemporalFamily Family { get; }

    /// <summary>The hyperparameters.</summary>
    public TwoStageTrainingOptions Options { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">No training date has 2 assets with a feature row and a finite label.</exception>
    /// <exception cref="ArithmeticException">A gradient became non-finite.</exception>
    /// <exception cref="OperationCanceledException">Cancelled (checked before each step).</exception>
    public override IReturnForecaster Fit(TrainingFold fold, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fold);
        var o = Options;
        var features = fold.Features;
        int F = features.FeatureCount, A = features.AssetCount, T = o.Lookback, K = o.AssetsPerSample;
        var processor = InferenceProcessor.Fit(features, fold.TrainDates);
        var batcher = new SequenceBatcher(features, processor, T);
        var network = o.Network(Family, F);
        var model = new TwoStageModel<float>(network, fold.Seed);
        if (fold.Previous is TwoStageForecaster previous && previous.Options == network)
            model.LoadNamedParameters(previous.NamedParameters());

        var candidates = fold.LabelledTrainingAssets();
        if (candidates.Count == 0)
            throw new ArgumentException($"{Name}: none of the {fold.TrainDates.Count} training dates has 2 assets with a feature row and a finite label.", nameof(fold));
        var dates = fold.TrainDates.Where(candidates.ContainsKey).ToList();

        var parameters = model.TrainableParameters();
        var optimizer = new AdamW<float>(parameters, o.LearningRate, o.WeightDecay);
        using var team = o.Threads > 1 ? new ThreadTeam(o.Threads) : null;
        var pool = new BufferPool<float>();
        var rng = new Xoshiro256StarStar(fold.Seed * 0xD1B54A32D192ED03UL + 0x2545F4914F6CDD1DUL);
        var live = new TwoStageForecaster(Name, model, processor, fold.Horizon, fold.Specification, fold.FeatureWarmUpBars);
        EmbeddingCache? cache = null;
        double pretrainSeconds = 0;
        if (o.FreezeStageOne)
        {
            var pretrainClock = Stopwatch.StartNew();
            var single = new SequenceBatcher(features, processor, 1);
            PretrainStageOne(model, fold, single, candidates, dates, team, pool, rng, cancellationToken);
            cache = EmbeddingCache.Build(model, single, Math.Max(0, dates.Min() - T + 1), dates.Max(), team, cancellationToken);
            pretrainSeconds = pretrainClock.Elapsed.TotalSeconds;
        }
        var report = EpochLoop.Run(fold, dates, parameters, optimizer, live, new EpochLoop.Settings(o.Epochs, o.BatchDates, o.ClipNorm, o.Patience, o.Threads),
            rng, team, pool, model.ParameterCount, (batch, tape) =>
            {
                var (x, mask, labels, labelMask, chosen) = Build(fold, batcher, candidates, batch, K, rng);
                var xt = new Tensor<float>(x, [batch.Length, T, K, F]);
                var y = cache is null
                    ? model.Forward(tape, xt, mask)
                    : model.ForwardWithEmbedding(tape, xt, mask, cache.Windows(batch, chosen, mask, T, K));
                return StockformerLosses.Mse(tape, y.Return, labels, labelMask);
            }, cancellationToken) with { PretrainSeconds = pretrainSeconds };
        Record(report);
        return new TwoStageForecaster(Name, model, processor, fold.Horizon, fold.Specification, fold.FeatureWarmUpBars, report);
    }

    /// <summary>Phase 1 of the frozen recipe: trains stage 1 and its pretraining head on the decision date's cross-section
    /// (x [B, K, F], the same date order and K-asset draws as the main epochs), MSE on the normalised label.</summary>
    private void PretrainStageOne(TwoStageModel<float> model, TrainingFold fold, SequenceBatcher single, Dictionary<int, int[]> candidates,
        List<int> dates, ThreadTeam? team, BufferPool<float> pool, Xoshiro256StarStar rng, CancellationToken cancellationToken)
    {
        var o = Options;
        int K = o.AssetsPerSample, F = single.FeatureCount;
        var parameters = model.StageOneParameters();
        var optimizer = new AdamW<float>(parameters, o.LearningRate, o.WeightDecay);
        for (var epoch = 0; epoch < o.StageOneEpochs; epoch++)
        {
            var order = SequenceBatcher.ShuffledDates(dates, fold.Seed, epoch);
            for (var start = 0; start < order.Length; start += o.BatchDates)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = order.AsSpan(start, Math.Min(o.BatchDates, order.Length - start));
                var (x, mask, labels, labelMask, _) = Build(fold, single, candidates, batch, K, rng);
                optimizer.ZeroGrad();
                using var tape = new Tape<float>(true, rng, team: team, pool: pool);
                var y = model.EmbedDates(tape, new Tensor<float>(x, [batch.Length, K, F]), mask);
                var loss = StockformerLosses.Mse(tape, y.Return!, labels, labelMask);
                tape.Backward(loss);
                GradientClipping.ClipGlobalNorm(parameters, o.ClipNorm);
                optimizer.Step(loss.Item());
            }
        }
    }

    /// <summary>One batch: x [B, T, K, F] and mask [B, T, K] (padding assets absent throughout; T = the batcher's lookback),
    /// normalised labels and their mask [B, K], and each sample's chosen asset indices.</summary>
    private static (float[] X, bool[] Mask, float[] Labels, bool[] LabelMask, int[][] Chosen) Build(TrainingFold fold, SequenceBatcher batcher,
        Dictionary<int, int[]> candidates, ReadOnlySpan<int> batch, int K, Xoshiro256StarStar rng)
    {
        int B = batch.Length, T = batcher.Lookback, F = batcher.FeatureCount;
        var x = new float[B * T * K * F];
        var mask = new bool[B * T * K];
        var labels = new float[B * K];
        var labelMask = new bool[B * K];
        var picks = new int[B][];
        for (var b = 0; b < B; b++)
        {
            var d = batch[b];
            var chosen = StockformerSubsets.Choose(candidates[d], K, rng);
            picks[b] = chosen;
            var n = chosen.Length;
            var x1 = new float[T * n * F];
            var m1 = new bool[T * n];
            batcher.Fill([d], chosen, x1, m1);
            for (var t = 0; t < T; t++)
            {
                x1.AsSpan(t * n * F, n * F).CopyTo(x.AsSpan(((b * T + t) * K) * F));
                m1.AsSpan(t * n, n).CopyTo(mask.AsSpan((b * T + t) * K));
            }
            var label = fold.LearnLabels(d);
            for (var i = 0; i < n; i++)
            {
                var v = label[chosen[i]];
                var ok = double.IsFinite(v) && m1[(T - 1) * n + i];
                labelMask[b * K + i] = ok;
                labels[b * K + i] = ok ? (float)v : 0f;
            }
        }
        return (x, mask, labels, labelMask, picks);
    }

    /// <summary>Stage 1's embedding of every date in [first, last] over the whole cross-section, [dates, A, E] floats, computed
    /// once per fold by the frozen recipe (evaluation mode, a tape that records nothing, 16 dates per pass).</summary>
    private sealed class EmbeddingCache
    {
        private const int DatesPerPass = 16;
        private readonly float[] _values;
        private readonly int _first, _assets, _width;

        private EmbeddingCache(float[] values, int first, int assets, int width) => (_values, _first, _assets, _width) = (values, first, assets, width);

        public static EmbeddingCache Build(TwoStageModel<float> model, SequenceBatcher single, int first, int last, ThreadTeam? team,
            CancellationToken cancellationToken)
        {
            int A = single.AssetCount, F = single.FeatureCount, E = model.Options.Embedding, n = last - first + 1;
            var values = new float[(long)n * A * E];
            for (var start = 0; start < n; start += DatesPerPass)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var c = Math.Min(DatesPerPass, n - start);
                var dates = Enumerable.Range(first + start, c).ToArray();
                var x = new float[c * A * F];
                var mask = new bool[c * A];
                single.Fill(dates, [], x, mask);
                using var tape = new Tape<float>(training: false, recording: false, team: team);
                var e = model.EmbedDates(tape, new Tensor<float>(x, [c, A, F]), mask).Embedding;
                e.Data.AsSpan(0, c * A * E).CopyTo(values.AsSpan(start * A * E));
            }
            return new EmbeddingCache(values, first, A, E);
        }

        /// <summary>e [B, T, K, E] of a batch's windows: sample b, step t reads date batch[b] − T + 1 + t and asset chosen[b][i];
        /// 0 where the bar is absent (padding, before the first date, missing).</summary>
        public Tensor<float> Windows(ReadOnlySpan<int> batch, int[][] chosen, bool[] mask, int T, int K)
        {
            int B = batch.Length, E = _width;
            var e = new float[B * T * K * E];
            for (var b = 0; b < B; b++)
                for (var t = 0; t < T; t++)
                {
                    var date = batch[b] - T + 1 + t;
                    for (var i = 0; i < chosen[b].Length; i++)
                    {
                        if (!mask[(b * T + t) * K + i]) continue;
                        if (date < _first) throw new InvalidOperationException($"embedding cache starts at date {_first}; a present bar at {date} was asked for.");
                        _values.AsSpan(((date - _first) * _assets + chosen[b][i]) * E, E).CopyTo(e.AsSpan(((b * T + t) * K + i) * E));
                    }
                }
            return new Tensor<float>(e, [B, T, K, E]);
        }
    }
}
