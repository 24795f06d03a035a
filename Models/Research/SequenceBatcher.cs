using LeanModels.Models.Numerics;

namespace LeanModels.Models.Research;

/// <summary>
/// Feeds a sequence model from a fold without materialising every window: the processed features are kept once as
/// [D, A, F] floats with the [D, A] mask, and a batch of decision dates (and optionally a subset of K assets) is cut into
/// the engine's layout [B, T, A', F] only when asked. A trainer samples dates with <see cref="ShuffledDates"/> (its seed and
/// epoch), fills a batch, runs forward/backward and reuses the buffers.
/// </summary>
/// <remarks>
/// Memory for the S&amp;P 500 2001–2016 (D ≈ 4,280 calendar dates with warm-up, A = 504, F = 11, T = 60): the processed store
/// is D·A·F·4 B ≈ 95 MB plus the mask D·A ≈ 2 MB (the research feature set itself holds D·A·F·8 B ≈ 190 MB in double);
/// a batch holds B·T·A'·F·4 B: 42 MB for B = 32 over all 500 assets, 5.4 MB with K = 64 sampled assets. Materialising every
/// window, D·A·T·F·4 B, would need ≈ 5.7 GB.
/// </remarks>
public sealed class SequenceBatcher
{
    private readonly float[] _values;          // [D, A, F] processed; 0 where invalid
    private readonly bool[] _valid;            // [D, A]

    /// <summary>Processes every row of <paramref name="features"/> once with the fold's <paramref name="processor"/>.</summary>
    /// <param name="features">[D, A, F] features.</param>
    /// <param name="processor">Inference-safe processing fitted on the fold's training rows.</param>
    /// <param name="lookback">T ≥ 1.</param>
    /// <exception cref="ArgumentException">F differs from the processor's.</exception>
    public SequenceBatcher(FeatureSet features, InferenceProcessor processor, int lookback)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lookback, 1);
        if (features.FeatureCount != processor.FeatureCount)
            throw new ArgumentException($"SequenceBatcher: features have F = {features.FeatureCount}, the processor {processor.FeatureCount}.", nameof(processor));
        (DateCount, AssetCount, FeatureCount, Lookback) = (features.DateCount, features.AssetCount, features.FeatureCount, lookback);
        _values = new float[(long)DateCount * AssetCount * FeatureCount];
        _valid = (bool[])features.Valid.Clone();
        var F = FeatureCount;
        for (var k = 0; k < DateCount * AssetCount; k++)
        {
            if (!_valid[k]) continue;
            var row = features.Values.AsSpan(k * F, F);
            for (var f = 0; f < F; f++) _values[(long)k * F + f] = processor.Apply(row[f], f);
        }
    }

    /// <summary>D.</summary>
    public int DateCount { get; }

    /// <summary>A.</summary>
    public int AssetCount { get; }

    /// <summary>F.</summary>
    public int FeatureCount { get; }

    /// <summary>T.</summary>
    public int Lookback { get; }

    /// <summary>Bytes held by the processed store and mask.</summary>
    public long StoreBytes => _values.LongLength * sizeof(float) + _valid.LongLength;

    /// <summary>
    /// Fills one batch: for sample b, decision date <c>dates[b]</c> and window steps t = 0..T−1 (dates − T + 1 + t, oldest
    /// first), the assets <paramref name="assets"/> (all when empty) in that order. Reads nothing dated after each decision date.
    /// </summary>
    /// <param name="dates">[B] decision date indices.</param>
    /// <param name="assets">[A'] asset indices, or empty for all A.</param>
    /// <param name="x">[B, T, A', F] processed features; 0 where masked.</param>
    /// <param name="mask">[B, T, A'] availability (false before the first date, on missing bars and during warm-up).</param>
    /// <exception cref="ArgumentException">A length is not B·T·A'·F or B·T·A'; an index is out of range.</exception>
    public void Fill(ReadOnlySpan<int> dates, ReadOnlySpan<int> assets, Span<float> x, Span<bool> mask)
    {
        int B = dates.Length, T = Lookback, F = FeatureCount, An = assets.Length == 0 ? AssetCount : assets.Length;
        if (x.Length != (long)B * T * An * F || mask.Length != B * T * An)
            throw new ArgumentException($"SequenceBatcher.Fill: x has {x.Length} and mask {mask.Length} elements; expected [B, T, A', F] = [{B}, {T}, {An}, {F}] and [B, T, A'].");
        foreach (var a in assets) if ((uint)a >= (uint)AssetCount) throw new ArgumentException($"SequenceBatcher.Fill: asset index {a} outside [0, {AssetCount}).", nameof(assets));
        for (var b = 0; b < B; b++)
        {
            if ((uint)dates[b] >= (uint)DateCount) throw new ArgumentException($"SequenceBatcher.Fill: date index {dates[b]} outside [0, {DateCount}).", nameof(dates));
            for (var t = 0; t < T; t++)
            {
                var d = dates[b] - T + 1 + t;
                for (var i = 0; i < An; i++)
                {
                    var a = assets.Length == 0 ? i : assets[i];
                    var o = ((b * T + t) * An + i);
                    var ok = d >= 0 && _valid[d * AssetCount + a];
                    mask[o] = ok;
                    var dst = x.Slice(o * F, F);
                    if (ok) _values.AsSpan((d * AssetCount + a) * F, F).CopyTo(dst);
                    else dst.Clear();
                }
            }
        }
    }

    /// <summary>
    /// Fills the batch's training targets: per sample b and asset i the fold's normalised label
    /// (<see cref="Forecasting.TrainingFold.LearnLabels"/>) of decision date <c>dates[b]</c>, and whether it exists (a finite
    /// label and a valid feature row on the decision date: Qlib's <c>DropnaLabel</c> learn step as a mask).
    /// </summary>
    /// <param name="fold">The fold; every date must be one of its training or validation dates.</param>
    /// <param name="dates">[B] decision date indices.</param>
    /// <param name="assets">[A'] asset indices, or empty for all A.</param>
    /// <param name="labels">[B, A'] normalised labels; 0 where absent.</param>
    /// <param name="labelMask">[B, A'] true where the label counts in the loss.</param>
    /// <exception cref="ArgumentException">A length is not B·A'.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A date is not a training or validation date of the fold.</exception>
    public void FillLabels(Forecasting.TrainingFold fold, ReadOnlySpan<int> dates, ReadOnlySpan<int> assets, Span<float> labels, Span<bool> labelMask)
    {
        int B = dates.Length, An = assets.Length == 0 ? AssetCount : assets.Length;
        if (labels.Length != B * An || labelMask.Length != B * An)
            throw new ArgumentException($"SequenceBatcher.FillLabels: labels has {labels.Length} and mask {labelMask.Length} elements; expected [B, A'] = [{B}, {An}].");
        for (var b = 0; b < B; b++)
        {
            var row = fold.LearnLabels(dates[b]);
            for (var i = 0; i < An; i++)
            {
                var a = assets.Length == 0 ? i : assets[i];
                var ok = double.IsFinite(row[a]) && _valid[dates[b] * AssetCount + a];
                labelMask[b * An + i] = ok;
                labels[b * An + i] = ok ? (float)row[a] : 0f;
            }
        }
    }

    /// <summary>
    /// The dates in a seeded random order for one epoch (Fisher–Yates with xoshiro256** seeded by seed and epoch), so the
    /// same seed gives the same batches at any thread count.
    /// </summary>
    /// <param name="dates">Training date indices.</param>
    /// <param name="seed">The fold's seed.</param>
    /// <param name="epoch">Epoch number, ≥ 0.</param>
    /// <returns>A permutation of <paramref name="dates"/>.</returns>
    public static int[] ShuffledDates(IReadOnlyList<int> dates, ulong seed, int epoch)
    {
        var order = dates.ToArray();
        var rng = new Xoshiro256StarStar(seed * 0x9E3779B97F4A7C15UL + (ulong)epoch);
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = rng.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>K distinct asset indices among those valid on <paramref name="date"/>, in a seeded random order (all valid ones when fewer than K).</summary>
    /// <param name="date">Decision date index.</param>
    /// <param name="count">K ≥ 1.</param>
    /// <param name="rng">The trainer's generator.</param>
    /// <returns>[min(K, valid)] asset indices.</returns>
    public int[] SampleAssets(int date, int count, Xoshiro256StarStar rng)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var valid = new List<int>();
        for (var a = 0; a < AssetCount; a++) if (_valid[date * AssetCount + a]) valid.Add(a);
        for (var i = valid.Count - 1; i > 0; i--)
        {
            var j = rng.NextInt(i + 1);
            (valid[i], valid[j]) = (valid[j], valid[i]);
        }
        return valid.Take(count).ToArray();
    }
}
