using LeanModels.Models.Engine;
using LeanModels.Models.Research;
using LeanModels.Models.Stockformer;

namespace LeanModels.Models.Forecasting;

/// <summary>
/// What the engine's sequence forecasters (the Stockformer, the two-stage and the direct model) share behind
/// <see cref="IReturnForecaster"/>: a name, the label horizon, the lookback window, the feature specification, the training
/// fold's <see cref="InferenceProcessor"/> and the training record, checked once here, and <see cref="Standardise"/>, which
/// checks a window against the model and standardises it into the network's input layout [T, A, F] with its availability
/// mask [T, A]. Each subclass owns its network, its <see cref="Predict"/> and its artifact state.
/// Immutable once built; subclasses keep that (thread-safe prediction).
/// </summary>
public abstract class SequenceForecaster : IReturnForecaster
{
    /// <summary>Checks and stores the shared parts.</summary>
    /// <param name="typeName">The subclass's name for messages (e.g. <c>TwoStageForecaster</c>).</param>
    /// <param name="name">Model name (e.g. <c>twostage-gru</c>); not blank.</param>
    /// <param name="modelFeatures">F the network reads.</param>
    /// <param name="lookback">T, bars of input per asset the network reads.</param>
    /// <param name="processor">Feature processor fitted on the training rows; its F must equal <paramref name="modelFeatures"/>.</param>
    /// <param name="horizon">Label horizon H in trading days, ≥ 1.</param>
    /// <param name="features">Feature specification the model reads (F names).</param>
    /// <param name="warmUpBars">Bars the features need before the first lookback bar.</param>
    /// <param name="training">Optional training record (not part of the artifact).</param>
    /// <exception cref="ArgumentNullException">The processor or the specification is null.</exception>
    /// <exception cref="ArgumentException">The name is blank, H &lt; 1, or F of the processor or the specification disagrees with
    /// the model's (the message names <paramref name="typeName"/> and the three values).</exception>
    protected SequenceForecaster(string typeName, string name, int modelFeatures, int lookback, InferenceProcessor processor, int horizon,
        FeatureSpecification features, int warmUpBars, StockformerFitReport? training)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(processor);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        if (processor.FeatureCount != modelFeatures || features.Count != modelFeatures)
            throw new ArgumentException($"{typeName}: the model reads F = {modelFeatures}, the processor {processor.FeatureCount} and the specification {features}.", nameof(processor));
        Name = name;
        Processor = processor;
        Horizon = horizon;
        Features = features;
        Window = new InputWindow(lookback, warmUpBars);
        Training = training;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public int Horizon { get; }

    /// <inheritdoc />
    public InputWindow Window { get; }

    /// <inheritdoc />
    public FeatureSpecification Features { get; }

    /// <summary>The fitted feature processor (stored in the artifact as the normaliser statistics and the clip).</summary>
    public InferenceProcessor Processor { get; }

    /// <summary>What training recorded (epochs, time per epoch, validation curve); null for a model loaded from an artifact.</summary>
    public StockformerFitReport? Training { get; }

    /// <summary>Number of trainable scalars.</summary>
    public abstract int ParameterCount { get; }

    /// <summary>Copies of the network's parameters, in the model's fixed order (for warm starts).</summary>
    /// <returns>A new list.</returns>
    public abstract IReadOnlyList<NamedTensor<float>> NamedParameters();

    /// <inheritdoc />
    public abstract Forecast Predict(FeatureWindow window);

    /// <inheritdoc />
    public abstract ModelState State();

    /// <summary>For a subclass's constructor, which reads its network's options before this constructor runs.</summary>
    /// <typeparam name="TModel">The network's type.</typeparam>
    /// <param name="model">The network.</param>
    /// <returns><paramref name="model"/>.</returns>
    /// <exception cref="ArgumentNullException">It is null (parameter <c>model</c>).</exception>
    protected static TModel NotNull<TModel>(TModel? model) where TModel : class => model ?? throw new ArgumentNullException(nameof(model));

    /// <summary>
    /// Checks a window against the model and standardises it with <see cref="Processor"/> (z-score with the training rows'
    /// mean/std, clipped to ±clip; absent bars stay absent, never filled).
    /// </summary>
    /// <param name="window">The cross-section's window [A, T, F].</param>
    /// <returns>X [T, A, F] row-major (the network's [1, T, A, F]) and Present [T, A] (false = no bar; its features are 0).</returns>
    /// <exception cref="ArgumentNullException">The window is null.</exception>
    /// <exception cref="ArgumentException">The window's T or features differ from the model's (the message gives both).</exception>
    protected (float[] X, bool[] Present) Standardise(FeatureWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        int T = Window.LookbackBars, A = window.AssetCount, F = Features.Count;
        if (window.LookbackBars != T || !window.Features.Matches(Features))
            throw new ArgumentException($"{Name}: window is [A, T, F] = [{A}, {window.LookbackBars}, {window.FeatureCount}] of {window.Features}; the model reads T = {T} of {Features}.", nameof(window));
        var x = new float[T * A * F];
        var present = new bool[T * A];
        Processor.Apply(window, x, present);
        return (x, present);
    }
}
