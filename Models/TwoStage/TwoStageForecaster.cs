using System.Globalization;
using System.Text.Json.Nodes;
using LeanModels.Models.Engine;
using LeanModels.Models.Forecasting;
using LeanModels.Models.Research;
using LeanModels.Models.Stockformer;

namespace LeanModels.Models.TwoStage;

/// <summary>
/// A trained <see cref="TwoStageModel{T}"/> (float) behind the forecaster contract (<see cref="IReturnForecaster"/>), as
/// <c>StockformerForecaster</c>: reads the cross-section's window [A, T, F] with its availability mask, standardises it with
/// the training fold's <see cref="InferenceProcessor"/> (z-score with the training rows' mean/std, clipped to ±clip; absent
/// bars stay absent), runs the network on the whole cross-section (B = 1, A = all) and publishes the return forecast as
/// <see cref="Forecast.Mean"/> (in the unit of the training label, normalised per date when the run normalises labels; no
/// confidence). An asset without a bar on the window's last date gets NaN.
/// Immutable and thread-safe: <see cref="Predict"/> runs on its own non-recording tape at one thread and never writes to the
/// parameters.
/// </summary>
public sealed class TwoStageForecaster : SequenceForecaster
{
    /// <summary>The <see cref="ModelState.Kind"/> of a two-stage artifact.</summary>
    public const string Kind = "two-stage";

    private readonly TwoStageModel<float> _model;

    /// <summary>Wraps a trained network. The forecaster takes ownership: the caller must not change the model afterwards.</summary>
    /// <param name="name">Model name (e.g. <c>twostage-lstm</c>).</param>
    /// <param name="model">The trained network; its options' T and F define the window.</param>
    /// <param name="processor">Feature processor fitted on the training rows; F must equal the model's.</param>
    /// <param name="horizon">Label horizon H in trading days, ≥ 1.</param>
    /// <param name="features">Feature specification the model reads (F names).</param>
    /// <param name="warmUpBars">Bars the features need before the first lookback bar.</param>
    /// <param name="training">Optional training record (not part of the artifact).</param>
    /// <exception cref="ArgumentException">F of the processor or the specification disagrees with the model's.</exception>
    public TwoStageForecaster(string name, TwoStageModel<float> model, InferenceProcessor processor, int horizon, FeatureSpecification features,
        int warmUpBars, StockformerFitReport? training = null)
        : base(nameof(TwoStageForecaster), name, NotNull(model).Options.Features, model.Options.Lookback, processor, horizon, features, warmUpBars, training)
    {
        _model = model;
    }

    /// <summary>The network's hyperparameters.</summary>
    public TwoStageOptions Options => _model.Options;

    /// <inheritdoc />
    public override int ParameterCount => _model.ParameterCount;

    /// <inheritdoc />
    public override IReadOnlyList<NamedTensor<float>> NamedParameters() => _model.NamedParameters();

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The window's T or features differ from the model's.</exception>
    public override Forecast Predict(FeatureWindow window)
    {
        var (x, mask) = Standardise(window);
        int T = Window.LookbackBars, A = window.AssetCount, F = Features.Count;
        var p = _model.Predict(new Tensor<float>(x, [1, T, A, F]), mask);
        return new Forecast(window.Date, window.Tickers, p.Return.Select(v => (double)v).ToArray(), null);
    }

    /// <inheritdoc />
    public override ModelState State()
    {
        var o = Options;
        var options = new JsonObject
        {
            ["family"] = o.Family.ToString(),
            ["lookback"] = o.Lookback,
            ["features"] = o.Features,
            ["stageOneWidth"] = o.StageOneWidth,
            ["stageOneHeads"] = o.StageOneHeads,
            ["stageOneLayers"] = o.StageOneLayers,
            ["stageOneFeedForward"] = o.StageOneFeedForward,
            ["embedding"] = o.Embedding,
            ["hidden"] = o.Hidden,
            ["tcnLevels"] = o.TcnLevels,
            ["tcnKernel"] = o.TcnKernel,
            ["dropout"] = o.Dropout,
            ["freezeStageOne"] = o.FreezeStageOne,
            ["seed"] = _model.Seed.ToString(CultureInfo.InvariantCulture),
            ["clip"] = Processor.Clip,
        };
        return new ModelState(Kind, options, Processor.Normaliser, EngineParameters.ToArrays(_model.Parameters()));
    }

    /// <summary>Rebuilds a forecaster from a validated artifact (called by <see cref="ForecasterCatalog.FromState"/>).</summary>
    /// <param name="context">The artifact's context.</param>
    /// <returns>The forecaster, bit-identical in its predictions to the one saved.</returns>
    /// <exception cref="InvalidDataException">An option is missing or has the wrong type, the family is unknown, the options are
    /// invalid, the normaliser is missing or has another F, or a parameter is missing, extra, of another shape or not finite.</exception>
    public static TwoStageForecaster FromState(ArtifactContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (state, source) = (context.State, context.Source);
        var j = state.Options;
        T Get<T>(string key)
        {
            if (j[key] is JsonValue v && v.TryGetValue<T>(out var r)) return r;
            throw new InvalidDataException($"{source}: option '{key}' of a two-stage model is missing or not a {typeof(T).Name}.");
        }
        if (!Enum.TryParse<TemporalFamily>(Get<string>("family"), ignoreCase: false, out var family) || !Enum.IsDefined(family))
            throw new InvalidDataException($"{source}: option 'family' = '{Get<string>("family")}' is not a temporal family (Lstm, Gru, Tcn).");
        if (!ulong.TryParse(Get<string>("seed"), NumberStyles.None, CultureInfo.InvariantCulture, out var seed))
            throw new InvalidDataException($"{source}: option 'seed' = '{Get<string>("seed")}' is not an unsigned integer.");
        var options = new TwoStageOptions(Get<int>("lookback"), Get<int>("features"), Get<int>("stageOneWidth"), Get<int>("stageOneHeads"),
            Get<int>("stageOneLayers"), Get<int>("stageOneFeedForward"), Get<int>("embedding"), family, Get<int>("hidden"), Get<int>("tcnLevels"),
            Get<int>("tcnKernel"), Get<double>("dropout"), Get<bool>("freezeStageOne"));
        TwoStageModel<float> model;
        try { model = new TwoStageModel<float>(options, seed); }
        catch (ArgumentException e) { throw new InvalidDataException($"{source}: invalid two-stage options: {e.Message}", e); }
        EngineParameters.LoadInto(state.Arrays, model.Parameters(), source);
        foreach (var a in state.Arrays)
            if (a.FirstNonFinite() is var i and >= 0)
                throw new InvalidDataException($"{source}: parameter '{a.Name}' value {i} is not finite.");
        var normaliser = state.Normaliser ?? throw new InvalidDataException($"{source}: a two-stage model needs normaliser statistics; none are stored.");
        if (normaliser.Mean.Count != options.Features || context.Features.Count != options.Features)
            throw new InvalidDataException($"{source}: the two-stage model reads F = {options.Features} features; the normaliser has {normaliser.Mean.Count} and the artifact declares {context.Features}.");
        var clip = Get<double>("clip");
        if (!(clip > 0) || !double.IsFinite(clip)) throw new InvalidDataException($"{source}: option 'clip' = {clip}; must be finite and > 0.");
        try
        {
            return new TwoStageForecaster(context.Name, model, new InferenceProcessor(normaliser, clip), context.Horizon, context.Features,
                context.Window.WarmUpBars);
        }
        catch (ArgumentException e) { throw new InvalidDataException($"{source}: {e.Message}", e); }
    }
}
