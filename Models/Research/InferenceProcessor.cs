namespace LeanModels.Models.Research;

/// <summary>
/// The inference-safe feature processing of a deep model, Qlib's <c>infer_processors</c> (<c>RobustZScoreNorm</c> with
/// <c>clip_outlier</c>, <c>Fillna</c>; <c>qlib/data/dataset/processor.py</c>): a per-feature z-score fitted on the fold's
/// training rows only, then a clip to ±<see cref="Clip"/>. Fitted once per fold, stored in the model's artifact (the
/// normaliser statistics and the clip) and applied alike to training, validation, test and live windows. The learn-only
/// steps (Qlib's <c>learn_processors</c>: dropping rows without a label, <see cref="LabelNormalisation"/>) need the label
/// and so never run at inference; they live in <see cref="Forecasting.TrainingFold"/> and <see cref="SequenceBatcher"/>.
/// </summary>
public sealed class InferenceProcessor
{
    /// <summary>Initializes a processor from fitted statistics (e.g. read back from an artifact).</summary>
    /// <param name="normaliser">[F] training means and stds.</param>
    /// <param name="clip">Clip bound on z-scores, &gt; 0 (Qlib's default 3); +∞ = no clip.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="clip"/> is not &gt; 0.</exception>
    public InferenceProcessor(FeatureNormaliser normaliser, double clip = 3)
    {
        if (!(clip > 0)) throw new ArgumentOutOfRangeException(nameof(clip), clip, "clip must be > 0.");
        Normaliser = normaliser;
        Clip = clip;
    }

    /// <summary>Fits the z-score on the valid rows of <paramref name="trainDates"/> only (never validation or test rows).</summary>
    /// <param name="features">[D, A, F] features.</param>
    /// <param name="trainDates">The fold's training dates.</param>
    /// <param name="clip">Clip bound, &gt; 0.</param>
    /// <returns>The fitted processor.</returns>
    /// <exception cref="ArgumentException">No valid row on the training dates.</exception>
    public static InferenceProcessor Fit(FeatureSet features, IReadOnlyList<int> trainDates, double clip = 3) =>
        new(FeatureNormaliser.Fit(features, trainDates), clip);

    /// <summary>[F] training z-score.</summary>
    public FeatureNormaliser Normaliser { get; }

    /// <summary>Clip bound on z-scores.</summary>
    public double Clip { get; }

    /// <summary>F.</summary>
    public int FeatureCount => Normaliser.Mean.Count;

    /// <summary>clip((x − μ_f) / σ_f, ±Clip) as float.</summary>
    /// <param name="value">Raw feature value (finite).</param>
    /// <param name="feature">f in [0, F).</param>
    /// <returns>The processed value.</returns>
    public float Apply(double value, int feature) =>
        (float)Math.Clamp((value - Normaliser.Mean[feature]) / Normaliser.Std[feature], -Clip, Clip);

    /// <summary>
    /// Processes a contract window [A, T, F] into the engine's layout for one sample, [T, A, F] floats with a [T, A] mask:
    /// masked entries become 0 (an engine tensor must be finite; the mask marks them absent and the model must ignore them).
    /// </summary>
    /// <param name="window">The window.</param>
    /// <param name="destination">[T, A, F] processed features.</param>
    /// <param name="mask">[T, A] availability.</param>
    /// <exception cref="ArgumentException">Lengths are not T·A·F and T·A, or F differs from the processor's.</exception>
    public void Apply(Forecasting.FeatureWindow window, Span<float> destination, Span<bool> mask)
    {
        int A = window.AssetCount, T = window.LookbackBars, F = window.FeatureCount;
        if (F != FeatureCount || destination.Length != T * A * F || mask.Length != T * A)
            throw new ArgumentException($"InferenceProcessor: window [A, T, F] = [{A}, {T}, {F}], destination {destination.Length}, mask {mask.Length}; expected F = {FeatureCount}, T·A·F and T·A.");
        for (var t = 0; t < T; t++)
            for (var a = 0; a < A; a++)
            {
                var available = window.IsAvailable(a, t);
                mask[t * A + a] = available;
                var row = window.Row(a, t);
                var o = destination.Slice((t * A + a) * F, F);
                for (var f = 0; f < F; f++) o[f] = available ? Apply(row[f], f) : 0f;
            }
    }
}
