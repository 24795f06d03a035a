using System.Globalization;
using System.Text.Json.Nodes;
using LeanModels.Models.Engine;
using LeanModels.Models.Forecasting;
using LeanModels.Models.Research;

namespace LeanModels.Models.Stockformer;

/// <summary>
/// A trained <see cref="StockformerModel{T}"/> (float) behind the forecaster contract (<see cref="IReturnForecaster"/>): reads the
/// cross-section's window [A, T, F] with its availability mask, standardises it with the training fold's
/// <see cref="InferenceProcessor"/> (z-score with the training rows' mean/std, clipped to ±clip; absent bars stay absent, never
/// filled), maps tickers to identity rows with the training <see cref="StockformerVocabulary"/> (unknown tickers → row 0),
/// runs the network on the whole cross-section (B = 1, A = all) and publishes the trained head (see
/// <see cref="StockformerObjective"/> for what <see cref="Forecast.Mean"/> and <see cref="Forecast.Confidence"/> are per objective).
/// An asset without a bar on the window's last date gets NaN in every published head.
/// Immutable and thread-safe: <see cref="Predict"/> runs on its own non-recording tape at one thread (bit-identical to any
/// thread count, see the engine README) and never writes to the parameters.
/// </summary>
public sealed class StockformerForecaster : SequenceForecaster
{
    /// <summary>The <see cref="ModelState.Kind"/> of a Stockformer artifact.</summary>
    public const string Kind = "stockformer";

    private readonly StockformerModel<float> _model;

    /// <summary>Wraps a trained network. The forecaster takes ownership: the caller must not change the model afterwards.</summary>
    /// <param name="name">Model name (e.g. <c>stockformer</c>).</param>
    /// <param name="model">The trained network; its options' T and F define the window.</param>
    /// <param name="objective">The head that was trained.</param>
    /// <param name="processor">Feature processor fitted on the training rows; F must equal the model's.</param>
    /// <param name="vocabulary">Training tickers (identity rows); its size must equal the model's vocabulary size.</param>
    /// <param name="horizon">Label horizon H in trading days, ≥ 1.</param>
    /// <param name="features">Feature specification the model reads (F names).</param>
    /// <param name="warmUpBars">Bars the features need before the first lookback bar.</param>
    /// <param name="training">Optional training record (not part of the artifact).</param>
    /// <exception cref="ArgumentException">F, the vocabulary size or the objective's head disagree with the model.</exception>
    public StockformerForecaster(string name, StockformerModel<float> model, StockformerObjective objective, InferenceProcessor processor,
        StockformerVocabulary vocabulary, int horizon, FeatureSpecification features, int warmUpBars, StockformerFitReport? training = null)
        : base(nameof(StockformerForecaster), name, NotNull(model).Options.Features, model.Options.Lookback, processor, horizon, features, warmUpBars, training)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        var o = model.Options;
        if (o.IdentityEmbedding && vocabulary.Size != o.VocabularySize)
            throw new ArgumentException($"StockformerForecaster: the vocabulary has {vocabulary.Size} rows, the model's identity table {o.VocabularySize}.", nameof(vocabulary));
        if (!o.Outputs.HasFlag(StockformerObjectives.Head(objective)))
            throw new ArgumentException($"StockformerForecaster: objective {StockformerObjectives.Name(objective)} needs the {StockformerObjectives.Head(objective)} head, the model has {o.Outputs}.", nameof(objective));
        _model = model;
        Objective = objective;
        Vocabulary = vocabulary;
    }

    /// <summary>The trained head.</summary>
    public StockformerObjective Objective { get; }

    /// <summary>The network's hyperparameters.</summary>
    public StockformerOptions Options => _model.Options;

    /// <summary>The training tickers.</summary>
    public StockformerVocabulary Vocabulary { get; }

    /// <inheritdoc />
    public override int ParameterCount => _model.Parameters().Sum(p => p.Value.Length);

    /// <inheritdoc />
    public override IReadOnlyList<NamedTensor<float>> NamedParameters() => _model.NamedParameters();

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The window's T or features differ from the model's.</exception>
    public override Forecast Predict(FeatureWindow window) => Run(window, null, false).Forecast;

    /// <summary>As <see cref="Predict"/>, also returning the cross-ticker attention map of the last encoder layer at the last
    /// time step, averaged over heads, [A, A] row-major (row i = asset i's weights over the assets).</summary>
    /// <param name="window">The window.</param>
    /// <param name="team">Optional thread team (results identical for any count).</param>
    /// <returns>The forecast and the map.</returns>
    public (Forecast Forecast, float[] Attention) PredictWithAttention(FeatureWindow window, Engine.Kernels.ThreadTeam? team = null)
    {
        var (f, att) = Run(window, team, true);
        return (f, att!);
    }

    internal (Forecast Forecast, float[]? Attention) Run(FeatureWindow window, Engine.Kernels.ThreadTeam? team, bool attention)
    {
        var (x, mask) = Standardise(window);
        int T = Window.LookbackBars, A = window.AssetCount, F = Features.Count;
        var ids = Options.IdentityEmbedding ? window.Tickers.Select(Vocabulary.IndexOf).ToArray() : [];
        var p = _model.Predict(new Tensor<float>(x, [1, T, A, F]), mask, ids, team, attention);
        return (ToForecast(window.Date, window.Tickers, p), p.CrossTickerAttention);
    }

    private Forecast ToForecast(DateOnly date, IReadOnlyList<string> tickers, StockformerPrediction<float> p)
    {
        var A = tickers.Count;
        static double[] D(float[] v, int stride = 1, int offset = 0)
        {
            var r = new double[v.Length / stride];
            for (var i = 0; i < r.Length; i++) r[i] = v[i * stride + offset];
            return r;
        }
        switch (Objective)
        {
            case StockformerObjective.ReturnMse:
            case StockformerObjective.ReturnIC:
                return new Forecast(date, tickers, D(p.Return!), null);
            case StockformerObjective.Direction:
            {
                var up = D(p.UpProbability!);
                double[] mean = new double[A], confidence = new double[A];
                for (var a = 0; a < A; a++)
                {
                    mean[a] = up[a] - 0.5;
                    confidence[a] = Math.Abs(2 * up[a] - 1);
                }
                return new Forecast(date, tickers, mean, confidence) { UpProbability = up };
            }
            case StockformerObjective.Quantiles:
            {
                double[] q10 = D(p.Quantiles!, 3, 0), q50 = D(p.Quantiles!, 3, 1), q90 = D(p.Quantiles!, 3, 2), confidence = new double[A];
                for (var a = 0; a < A; a++)
                {
                    var spread = (q90[a] - q10[a]) / 2;
                    var m = Math.Abs(q50[a]);
                    confidence[a] = double.IsNaN(m) ? double.NaN : m + spread > 0 ? m / (m + spread) : 0;
                }
                return new Forecast(date, tickers, (double[])q50.Clone(), confidence) { Quantile10 = q10, Quantile50 = q50, Quantile90 = q90 };
            }
            default:
            {
                var w = D(p.Allocation!);
                return new Forecast(date, tickers, (double[])w.Clone(), null) { Allocation = w };
            }
        }
    }

    /// <inheritdoc />
    public override ModelState State()
    {
        var o = Options;
        var options = new JsonObject
        {
            ["objective"] = StockformerObjectives.Name(Objective),
            ["lookback"] = o.Lookback,
            ["features"] = o.Features,
            ["model"] = o.Model,
            ["heads"] = o.Heads,
            ["layers"] = o.Layers,
            ["feedForward"] = o.FeedForward,
            ["dropout"] = o.Dropout,
            ["identityEmbedding"] = o.IdentityEmbedding,
            ["causalTemporal"] = o.CausalTemporal,
            ["probSparseFactor"] = o.ProbSparseFactor,
            ["distil"] = o.Distil,
            ["outputs"] = (int)o.Outputs,
            ["seed"] = _model.Seed.ToString(CultureInfo.InvariantCulture),
            ["clip"] = Processor.Clip,
            ["vocabulary"] = new JsonArray(Vocabulary.Tickers.Select(t => (JsonNode)JsonValue.Create(t)).ToArray()),
        };
        return new ModelState(Kind, options, Processor.Normaliser, EngineParameters.ToArrays(_model.Parameters()));
    }

    /// <summary>Rebuilds a forecaster from a validated artifact (called by <see cref="ForecasterCatalog.FromState"/>).</summary>
    /// <param name="context">The artifact's context.</param>
    /// <returns>The forecaster, bit-identical in its predictions to the one saved.</returns>
    /// <exception cref="InvalidDataException">An option is missing or has the wrong type, the options are invalid, the normaliser
    /// is missing or has another F, or a parameter is missing, extra, of another shape or not finite.</exception>
    public static StockformerForecaster FromState(ArtifactContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (state, source) = (context.State, context.Source);
        var j = state.Options;
        T Get<T>(string key)
        {
            if (j[key] is JsonValue v && v.TryGetValue<T>(out var r)) return r;
            throw new InvalidDataException($"{source}: option '{key}' of a stockformer model is missing or not a {typeof(T).Name}.");
        }
        if (!StockformerObjectives.TryParse(Get<string>("objective"), out var objective))
            throw new InvalidDataException($"{source}: option 'objective' = '{Get<string>("objective")}' is not a Stockformer objective (return-mse, return-ic, direction, quantiles, allocation).");
        if (!ulong.TryParse(Get<string>("seed"), NumberStyles.None, CultureInfo.InvariantCulture, out var seed))
            throw new InvalidDataException($"{source}: option 'seed' = '{Get<string>("seed")}' is not an unsigned integer.");
        if (j["vocabulary"] is not JsonArray tickers || tickers.Any(t => t is not JsonValue tv || !tv.TryGetValue<string>(out _)))
            throw new InvalidDataException($"{source}: option 'vocabulary' of a stockformer model is missing or not an array of tickers.");
        var vocabulary = new StockformerVocabulary(tickers.Select(t => t!.GetValue<string>()));
        if (vocabulary.Size != tickers.Count + 1)
            throw new InvalidDataException($"{source}: option 'vocabulary' repeats a ticker ({tickers.Count} entries, {vocabulary.Size - 1} distinct).");
        var identity = Get<bool>("identityEmbedding");
        var options = new StockformerOptions(Get<int>("lookback"), Get<int>("features"), Get<int>("model"), Get<int>("heads"), Get<int>("layers"),
            Get<int>("feedForward"), Get<double>("dropout"), identity ? vocabulary.Size : 1, identity, Get<bool>("causalTemporal"), 3,
            Get<int>("probSparseFactor"), Get<bool>("distil"), (StockformerHeads)Get<int>("outputs"));
        StockformerModel<float> model;
        try { model = new StockformerModel<float>(options, seed); }
        catch (ArgumentException e) { throw new InvalidDataException($"{source}: invalid stockformer options: {e.Message}", e); }
        EngineParameters.LoadInto(state.Arrays, model.Parameters(), source);
        foreach (var a in state.Arrays)
            if (a.FirstNonFinite() is var i and >= 0)
                throw new InvalidDataException($"{source}: parameter '{a.Name}' value {i} is not finite.");
        var normaliser = state.Normaliser ?? throw new InvalidDataException($"{source}: a stockformer model needs normaliser statistics; none are stored.");
        if (normaliser.Mean.Count != options.Features || context.Features.Count != options.Features)
            throw new InvalidDataException($"{source}: the stockformer reads F = {options.Features} features; the normaliser has {normaliser.Mean.Count} and the artifact declares {context.Features}.");
        var clip = Get<double>("clip");
        if (!(clip > 0) || !double.IsFinite(clip)) throw new InvalidDataException($"{source}: option 'clip' = {clip}; must be finite and > 0.");
        try
        {
            return new StockformerForecaster(context.Name, model, objective, new InferenceProcessor(normaliser, clip), vocabulary, context.Horizon,
                context.Features, context.Window.WarmUpBars);
        }
        catch (ArgumentException e) { throw new InvalidDataException($"{source}: {e.Message}", e); }
    }
}

/// <summary>What one Stockformer fit recorded, for the research report (never part of the artifact: times vary run to run).</summary>
/// <param name="Parameters">Trainable scalars.</param>
/// <param name="EpochsTrained">Epochs run (early stopping may end before the maximum).</param>
/// <param name="BestEpoch">0-based epoch whose weights were kept (the last one without validation days).</param>
/// <param name="SecondsPerEpoch">Mean wall time of one epoch (training steps plus validation), seconds.</param>
/// <param name="SamplesPerSecond">Training samples (dates × K-asset subsets) per second of training steps.</param>
/// <param name="ValidationCurve">Validation Rank IC after each epoch (empty without validation days).</param>
/// <param name="TrainingLoss">Mean training loss per epoch.</param>
public sealed record StockformerFitReport(int Parameters, int EpochsTrained, int BestEpoch, double SecondsPerEpoch, double SamplesPerSecond,
    IReadOnlyList<double> ValidationCurve, IReadOnlyList<double> TrainingLoss)
{
    /// <summary>[EpochsTrained] wall time of each epoch's training steps (the validation pass excluded), seconds; empty when the
    /// trainer does not record it (the two-stage and direct trainers do, for the efficiency study).</summary>
    public IReadOnlyList<double> EpochTrainSeconds { get; init; } = [];

    /// <summary>Wall time before the first epoch, seconds: the frozen two-stage recipe's stage-1 pretraining plus its embedding
    /// cache (<c>twostage-frozen-*</c>); 0 for every other trainer.</summary>
    public double PretrainSeconds { get; init; }
}
