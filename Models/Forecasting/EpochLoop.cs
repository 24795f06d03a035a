using System.Diagnostics;
using LeanModels.Models.Engine;
using LeanModels.Models.Engine.Kernels;
using LeanModels.Models.Engine.Optimizers;
using LeanModels.Models.Numerics;
using LeanModels.Models.Research;
using LeanModels.Models.Stockformer;

namespace LeanModels.Models.Forecasting;

/// <summary>
/// The epoch loop the sequence-model trainers share (<c>StockformerTrainer</c>, <c>TwoStageTrainer</c>, <c>DirectTrainer</c>):
/// per epoch every usable training date once in the order of <see cref="SequenceBatcher.ShuffledDates"/> (the fold's seed and
/// the epoch), B dates per step; each step zeroes the gradients, opens a training tape on the fold's generator, asks the trainer
/// for the step's loss, back-propagates it, clips the global gradient norm and takes one AdamW step. With validation days,
/// early stopping on the validation Rank IC (<see cref="ValidationEarlyStopping"/>; NaN counts as −1) keeps the best epoch's
/// weights; otherwise every epoch runs and the last weights are kept. Times and losses go into a
/// <see cref="StockformerFitReport"/>.
/// Deterministic: the generator is used only by the trainer's step (its sampling, then dropout on the tape), in step order,
/// so the same fold, seed and step give bit-identical weights at any thread count.
/// </summary>
public static class EpochLoop
{
    /// <summary>The loop's settings.</summary>
    /// <param name="Epochs">Maximum epochs, ≥ 1.</param>
    /// <param name="BatchDates">B, dates per step, ≥ 1.</param>
    /// <param name="ClipNorm">Global gradient-norm clip, &gt; 0.</param>
    /// <param name="Patience">Epochs without a validation improvement before stopping, ≥ 1.</param>
    /// <param name="Threads">Threads of the validation pass (results identical at any count).</param>
    public sealed record Settings(int Epochs, int BatchDates, double ClipNorm, int Patience, int Threads);

    /// <summary>One optimisation step's loss: the trainer builds the batch of the given decision dates (drawing its samples from
    /// the generator it owns), runs the model on <paramref name="tape"/> and returns the scalar loss tensor.</summary>
    /// <param name="batch">[B] decision date indices, in step order.</param>
    /// <param name="tape">The step's training tape (its generator drives dropout).</param>
    /// <returns>The scalar loss on the tape.</returns>
    public delegate Tensor<float> StepLoss(ReadOnlySpan<int> batch, Tape<float> tape);

    /// <summary>Runs the epochs and restores the best epoch's weights when validation days exist.</summary>
    /// <param name="fold">The fold (seed, validation dates).</param>
    /// <param name="dates">Usable training date indices.</param>
    /// <param name="parameters">The parameters the optimiser updates (clipped, snapshotted and restored).</param>
    /// <param name="optimizer">The optimiser over <paramref name="parameters"/>.</param>
    /// <param name="live">A forecaster over the model being trained, for the validation Rank IC.</param>
    /// <param name="settings">Epochs, batch, clip, patience, threads.</param>
    /// <param name="rng">The fold's generator (the tape's dropout; the trainer's sampling in <paramref name="step"/>).</param>
    /// <param name="team">Thread team of the training tapes, or null.</param>
    /// <param name="pool">Buffer pool of the training tapes.</param>
    /// <param name="parameterCount">Trainable scalars of the whole model, for the report.</param>
    /// <param name="step">The step's loss.</param>
    /// <param name="cancellationToken">Checked before each step.</param>
    /// <returns>The fit report (per-epoch losses and training-step seconds, validation curve, best epoch).</returns>
    /// <exception cref="ArithmeticException">A gradient became non-finite (from the clip).</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static StockformerFitReport Run(TrainingFold fold, IReadOnlyList<int> dates, IReadOnlyList<Parameter<float>> parameters,
        AdamW<float> optimizer, IReturnForecaster live, Settings settings, Xoshiro256StarStar rng, ThreadTeam? team, BufferPool<float> pool,
        int parameterCount, StepLoss step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fold);
        ArgumentNullException.ThrowIfNull(dates);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(step);
        var stopping = fold.ValidationDates.Count > 0 ? new ValidationEarlyStopping(maximise: true, settings.Patience) : null;
        ParameterSnapshot<float>? best = null;
        var losses = new List<double>();
        var epochSeconds = new List<double>();
        double trainSeconds = 0, totalSeconds = 0;
        long samples = 0;
        var epochs = 0;
        for (var epoch = 0; epoch < settings.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var order = SequenceBatcher.ShuffledDates(dates, fold.Seed, epoch);
            double lossSum = 0;
            var steps = 0;
            for (var start = 0; start < order.Length; start += settings.BatchDates)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = order.AsSpan(start, Math.Min(settings.BatchDates, order.Length - start));
                optimizer.ZeroGrad();
                using var tape = new Tape<float>(true, rng, team: team, pool: pool);
                var loss = step(batch, tape);
                tape.Backward(loss);
                GradientClipping.ClipGlobalNorm(parameters, settings.ClipNorm);
                var value = loss.Item();
                optimizer.Step(value);
                lossSum += value;
                steps++;
                samples += batch.Length;
            }
            var stepSeconds = clock.Elapsed.TotalSeconds;
            trainSeconds += stepSeconds;
            epochSeconds.Add(stepSeconds);
            losses.Add(lossSum / steps);
            epochs++;
            if (stopping is not null)
            {
                var ic = ValidationEarlyStopping.ValidationRankIC(live, fold, settings.Threads);
                stopping.Report(double.IsNaN(ic) ? -1 : ic, () => best = ParameterSnapshot<float>.Capture(parameters));
            }
            totalSeconds += clock.Elapsed.TotalSeconds;                 // training steps plus the validation pass
            if (stopping?.ShouldStop == true) break;
        }
        best?.RestoreTo(parameters);
        return new StockformerFitReport(parameterCount, epochs, stopping?.BestEpoch ?? epochs - 1, totalSeconds / epochs,
            trainSeconds > 0 ? samples / trainSeconds : double.NaN, stopping?.Curve.ToList() ?? [], losses)
        {
            EpochTrainSeconds = epochSeconds,
        };
    }
}
