using System.Globalization;
using System.Text.Json.Nodes;
using LeanModels.Models.Engine;
using LeanModels.Models.Forecasting;
using LeanModels.Models.Research;
using LeanModels.Models.Stockformer;

namespace LeanModels.Models.TwoStage;

/// <summary>
/// A trained <see cref="DirectModel{T}"/> (float) behind the forecaster contract (<see cref="IReturnForecaster"/>), the
/// baseline of <see cref="TwoStageForecaster"/>. The model has a <b>fixed universe</b> of N positions, the training panel's
/// tickers in their order (<see cref="Universe"/>, stored in the artifact). <see cref="Predict"/> maps the window's assets to
/// their positions by ticker (case-insensitive), so a window in another order or with fewer assets is served:
/// <list type="bullet">
/// <item>a ticker outside the training universe gets NaN (the model has no position for it);</item>
/// <item>a training ticker absent from the window is fed as absent throughout (features 0, availability flag 0);</item>
/// <item>an asset without a bar on the window's last date gets NaN.</item>
/// </list>
/// The window [A, T, F] is standardised with the training fold's <see cref="InferenceProcessor"/> (z-score, clip ±clip), scattered
/// into x [1, T, N, F] and run at one thread; <see cref="Forecast.Mean"/> is the return forecast over the label horizon (in the
/// unit of the training label, normalised per date when the run normalises labels; no confidence).
/// Immutable and thread-safe.
/// </summary>
public sealed class DirectForecaster : SequenceForecaster
{
    /// <summary>The <see cref="ModelState.Kind"/> of a direct-model artifact.</summary>
    public const string Kind = "direct";

    private readonly DirectModel<float> _model;
    private readonly Dictionary<string, int> _position;

    /// <summary>Wraps a trained network. The forecaster takes ownership: the caller must not change the model afterwards.</summary>
    /// <param name="name">Model name (e.g. <c>direct-lstm</c>).</param>
    /// <param name="model">The trained network; its options' T, F and N define the window and the universe.</param>
    /// <param name="universe">[N] tickers of the fixed universe, in position order (unique ignoring case, non-empty).</param>
    /// <param name="processor">Feature processor fitted on the training rows; F must equal the model's.</param>
    /// <param name="horizon">Label horizon H in trading days, ≥ 1.</param>
    /// <param name="features">Feature specification the model reads (F names).</param>
    /// <param name="warmUpBars">Bars the features need before the first lookback bar.</param>
    /// <param name="training">Optional training record (not part of the artifact).</param>
    /// <exception cref="ArgumentException">F of the processor or the specification disagrees with the model's, the universe does not
    /// hold N tickers, or a ticker is empty or repeated.</exception>
    public DirectForecaster(string name, DirectModel<float> model, IReadOnlyList<string> universe, InferenceProcessor processor, int horizon,
        FeatureSpecification features, int warmUpBars, StockformerFitReport? training = null)
        : base(nameof(DirectForecaster), name, NotNull(model).Options.Features, model.Options.Lookback, processor, horizon, features, warmUpBars, training)
    {
        ArgumentNullException.ThrowIfNull(universe);
        var o = model.Options;
        if (universe.Count != o.Assets)
            throw new ArgumentException($"DirectForecaster: the model has N = {o.Assets} positions; the universe lists {universe.Count} tickers.", nameof(universe));
        _position = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < universe.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(universe[i]))
                throw new ArgumentException($"DirectForecaster: universe ticker {i} is empty.", nameof(universe));
            if (!_position.TryAdd(universe[i], i))
                throw new ArgumentException($"DirectForecaster: universe ticker '{universe[i]}' appears twice (positions {_position[universe[i]]} and {i}).", nameof(universe));
        }
        _model = model;
        Universe = universe.ToArray();
    }

    /// <summary>The network's hyperparameters (N = <see cref="Universe"/>'s count).</summary>
    public DirectOptions Options => _model.Options;

    /// <summary>[N] tickers of the fixed universe in position order (the training panel's).</summary>
    public IReadOnlyList<string> Universe { get; }

    /// <inheritdoc />
    public override int ParameterCount => _model.ParameterCount;

    /// <inheritdoc />
    public override IReadOnlyList<NamedTensor<float>> NamedParameters() => _model.NamedParameters();

    /// <summary>Whether another forecaster has the same options and the same universe in the same order (a warm start may copy its weights).</summary>
    /// <param name="options">The new fold's options.</param>
    /// <param name="universe">The new fold's universe.</param>
    /// <returns>True when the weights fit.</returns>
    internal bool Fits(DirectOptions options, IReadOnlyList<string> universe) =>
        Options == options && Universe.SequenceEqual(universe, StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The window's T or features differ from the model's, or a ticker appears twice in it.</exception>
    public override Forecast Predict(FeatureWindow window)
    {
        var (processed, present) = Standardise(window);                // [T, A, F], [T, A]
        int T = Window.LookbackBars, A = window.AssetCount, F = Features.Count, N = Options.Assets;
        var slot = new int[A];                                          // window asset → universe position, −1 = outside
        var taken = new int[N];
        Array.Fill(taken, -1);
        for (var a = 0; a < A; a++)
        {
            slot[a] = _position.TryGetValue(window.Tickers[a], out var p) ? p : -1;
            if (slot[a] < 0) continue;
            if (taken[slot[a]] >= 0)
                throw new ArgumentException($"{Name}: ticker '{window.Tickers[a]}' appears twice in the window (assets {taken[slot[a]]} and {a}).", nameof(window));
            taken[slot[a]] = a;
        }
        var x = new float[T * N * F];                                   // [1, T, N, F]; positions without a window asset stay absent
        var mask = new bool[T * N];
        for (var t = 0; t < T; t++)
            for (var a = 0; a < A; a++)
            {
                if (slot[a] < 0) continue;
                mask[t * N + slot[a]] = present[t * A + a];
                processed.AsSpan((t * A + a) * F, F).CopyTo(x.AsSpan((t * N + slot[a]) * F, F));
            }
        var y = _model.Predict(new Tensor<float>(x, [1, T, N, F]), mask);
        var mean = new double[A];
        for (var a = 0; a < A; a++) mean[a] = slot[a] < 0 ? double.NaN : y.Return[slot[a]];
        return new Forecast(window.Date, window.Tickers, mean, null);
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
            ["hidden"] = o.Hidden,
            ["tcnLevels"] = o.TcnLevels,
            ["tcnKernel"] = o.TcnKernel,
            ["dropout"] = o.Dropout,
            ["seed"] = _model.Seed.ToString(CultureInfo.InvariantCulture),
            ["clip"] = Processor.Clip,
            ["universe"] = new JsonArray(Universe.Select(t => (JsonNode)t!).ToArray()),
        };
        return new ModelState(Kind, options, Processor.Normaliser, EngineParameters.ToArrays(_model.Parameters()));
    }

    /// <summary>Rebuilds a forecaster from a validated artifact (called by <see cref="ForecasterCatalog.FromState"/>).</summary>
    /// <param name="context">The artifact's context.</param>
    /// <returns>The forecaster, bit-identical in its predictions to the one saved.</returns>
    /// <exception cref="InvalidDataException">An option is missing or has the wrong type, the family is unknown, the universe is
    /// missing, empty or holds an empty or repeated ticker, the options are invalid, the normaliser is missing or has another F,
    /// or a parameter is missing, extra, of another shape or not finite.</exception>
    public static DirectForecaster FromState(ArtifactContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (state, source) = (context.State, context.Source);
        var j = state.Options;
        T Get<T>(string key)
        {
            if (j[key] is JsonValue v && v.TryGetValue<T>(out var r)) return r;
            throw new InvalidDataException($"{source}: option '{key}' of a direct model is missing or not a {typeof(T).Name}.");
        }
        if (!Enum.TryParse<TemporalFamily>(Get<string>("family"), ignoreCase: false, out var family) || !Enum.IsDefined(family))
            throw new InvalidDataException($"{source}: option 'family' = '{Get<string>("family")}' is not a temporal family (Lstm, Gru, Tcn).");
        if (!ulong.TryParse(Get<string>("seed"), NumberStyles.None, CultureInfo.InvariantCulture, out var seed))
            throw new InvalidDataException($"{source}: option 'seed' = '{Get<string>("seed")}' is not an unsigned integer.");
        if (j["universe"] is not JsonArray list || list.Count == 0)
            throw new InvalidDataException($"{source}: option 'universe' of a direct model (its N tickers in position order) is missing or empty.");
        var universe = new List<string>(list.Count);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in list)
        {
            if (item is not JsonValue v || !v.TryGetValue<string>(out var ticker) || string.IsNullOrWhiteSpace(ticker))
                throw new InvalidDataException($"{source}: option 'universe' entry {universe.Count} is not a non-empty ticker string.");
            if (!seen.Add(ticker))
                throw new InvalidDataException($"{source}: option 'universe' lists '{ticker}' twice.");
            universe.Add(ticker);
        }
        var options = new DirectOptions(universe.Count, Get<int>("lookback"), Get<int>("features"), family, Get<int>("hidden"), Get<int>("tcnLevels"),
            Get<int>("tcnKernel"), Get<double>("dropout"));
        DirectModel<float> model;
        try { model = new DirectModel<float>(options, seed); }
        catch (ArgumentException e) { throw new InvalidDataException($"{source}: invalid direct-model options: {e.Message}", e); }
        EngineParameters.LoadInto(state.Arrays, model.Parameters(), source);
        foreach (var a in state.Arrays)
            if (a.FirstNonFinite() is var i and >= 0)
                throw new InvalidDataException($"{source}: parameter '{a.Name}' value {i} is not finite.");
        var normaliser = state.Normaliser ?? throw new InvalidDataException($"{source}: a direct model needs normaliser statistics; none are stored.");
        if (normaliser.Mean.Count != options.Features || context.Features.Count != options.Features)
            throw new InvalidDataException($"{source}: the direct model reads F = {options.Features} features; the normaliser has {normaliser.Mean.Count} and the artifact declares {context.Features}.");
        var clip = Get<double>("clip");
        if (!(clip > 0) || !double.IsFinite(clip)) throw new InvalidDataException($"{source}: option 'clip' = {clip}; must be finite and > 0.");
        try
        {
            return new DirectForecaster(context.Name, model, universe, new InferenceProcessor(normaliser, clip), context.Horizon, context.Features,
                context.Window.WarmUpBars);
        }
        catch (ArgumentException e) { throw new InvalidDataException($"{source}: {e.Message}", e); }
    }
}
