using LeanModels.Models.Forecasting.LightGbm;

namespace LeanModels.Models.Forecasting;

/// <summary>The models the research pipeline, the CLI and the LEAN modules know by name, and how artifacts rebuild them.</summary>
public static class ForecasterCatalog
{
    /// <summary>Model names run by default: <c>momentum20</c>, <c>reversal5</c>, <c>ridge</c>, <c>ridge-regime</c> (ridge with market regime features).</summary>
    public static IReadOnlyList<string> Names { get; } = ["momentum20", "reversal5", "ridge", "ridge-regime"];

    /// <summary>The Stockformer models (issue 13), each trained as its own model with one head's loss: <c>stockformer</c> (return
    /// head, MSE), <c>stockformer-ic</c> (return head, negative IC), <c>stockformer-dir</c> (direction head, BCE),
    /// <c>stockformer-q</c> (quantile head, pinball; the median is the forecast), <c>stockformer-alloc</c> (allocation head).
    /// Not in <see cref="Names"/> (the default research list): they train for seconds to minutes each.</summary>
    public static IReadOnlyList<string> DeepNames { get; } = ["stockformer", "stockformer-ic", "stockformer-dir", "stockformer-q", "stockformer-alloc"];

    /// <summary>The two-stage models (issue 16, <c>Models/TwoStage</c>): a cross-section transformer per date, then an LSTM,
    /// GRU or TCN per asset, trained on the return forecast's MSE: <c>twostage-lstm</c>, <c>twostage-gru</c>,
    /// <c>twostage-tcn</c>. Opt-in like <see cref="DeepNames"/>.</summary>
    public static IReadOnlyList<string> TwoStageNames { get; } = ["twostage-lstm", "twostage-gru", "twostage-tcn"];

    /// <summary>The two-stage models trained in stages (issue 16's "stage 1 trained first and frozen"): stage 1 pretrained on its
    /// own, frozen, its embeddings cached per date, then stage 2 trained (<see cref="TwoStage.TwoStageTrainingOptions.FreezeStageOne"/>):
    /// <c>twostage-frozen-lstm</c>, <c>twostage-frozen-gru</c>, <c>twostage-frozen-tcn</c>. Same artifact kind as the end-to-end ones.</summary>
    public static IReadOnlyList<string> FrozenTwoStageNames { get; } = ["twostage-frozen-lstm", "twostage-frozen-gru", "twostage-frozen-tcn"];

    /// <summary>The direct models, the two-stage models' baseline (issue 16, <c>Models/TwoStage</c>): one LSTM, GRU or TCN over
    /// the features of a fixed universe (the training panel's tickers) concatenated per day, trained on the return forecast's
    /// MSE: <c>direct-lstm</c>, <c>direct-gru</c>, <c>direct-tcn</c>. Opt-in like <see cref="DeepNames"/>.</summary>
    public static IReadOnlyList<string> DirectNames { get; } = ["direct-lstm", "direct-gru", "direct-tcn"];

    /// <summary>Every name <see cref="CreateTrainer"/> accepts: <see cref="Names"/>, the opt-in <c>lightgbm</c> (slower: a tree
    /// ensemble per fold), then <see cref="DeepNames"/>, <see cref="TwoStageNames"/>, <see cref="FrozenTwoStageNames"/> and <see cref="DirectNames"/>.</summary>
    public static IReadOnlyList<string> AllNames { get; } = [.. Names, "lightgbm", .. DeepNames, .. TwoStageNames, .. FrozenTwoStageNames, .. DirectNames];

    /// <summary>Models that read named features of the basic set (<see cref="Research.FeatureBuilder"/>) and so run on it only:
    /// the rules read <c>momentum5</c>/<c>momentum20</c>, ridge-regime interacts <c>momentum5</c>, <c>momentum20</c> and
    /// <c>volatility20</c> with its regime. Ridge and LightGBM run on any feature set.</summary>
    public static IReadOnlyList<string> BasicFeaturesOnly { get; } = ["momentum20", "reversal5", "ridge-regime"];

    /// <summary>The Stockformer objective of a name in <see cref="DeepNames"/>.</summary>
    /// <param name="name">A model name.</param>
    /// <param name="objective">The objective when the name is a Stockformer's.</param>
    /// <returns>True for a Stockformer name.</returns>
    public static bool TryStockformer(string name, out Stockformer.StockformerObjective objective)
    {
        (var ok, objective) = name switch
        {
            "stockformer" => (true, Stockformer.StockformerObjective.ReturnMse),
            "stockformer-ic" => (true, Stockformer.StockformerObjective.ReturnIC),
            "stockformer-dir" => (true, Stockformer.StockformerObjective.Direction),
            "stockformer-q" => (true, Stockformer.StockformerObjective.Quantiles),
            "stockformer-alloc" => (true, Stockformer.StockformerObjective.Allocation),
            _ => (false, default),
        };
        return ok;
    }

    /// <summary>The stage-2 family of a name in <see cref="TwoStageNames"/> or <see cref="FrozenTwoStageNames"/>.</summary>
    /// <param name="name">A model name.</param>
    /// <param name="family">The family when the name is a two-stage model's.</param>
    /// <returns>True for a two-stage name.</returns>
    public static bool TryTwoStage(string name, out TwoStage.TemporalFamily family)
    {
        (var ok, family) = name switch
        {
            "twostage-lstm" => (true, TwoStage.TemporalFamily.Lstm),
            "twostage-gru" => (true, TwoStage.TemporalFamily.Gru),
            "twostage-tcn" => (true, TwoStage.TemporalFamily.Tcn),
            "twostage-frozen-lstm" => (true, TwoStage.TemporalFamily.Lstm),
            "twostage-frozen-gru" => (true, TwoStage.TemporalFamily.Gru),
            "twostage-frozen-tcn" => (true, TwoStage.TemporalFamily.Tcn),
            _ => (false, default),
        };
        return ok;
    }

    /// <summary>The temporal family of a name in <see cref="DirectNames"/>.</summary>
    /// <param name="name">A model name.</param>
    /// <param name="family">The family when the name is a direct model's.</param>
    /// <returns>True for a direct-model name.</returns>
    public static bool TryDirect(string name, out TwoStage.TemporalFamily family)
    {
        (var ok, family) = name switch
        {
            "direct-lstm" => (true, TwoStage.TemporalFamily.Lstm),
            "direct-gru" => (true, TwoStage.TemporalFamily.Gru),
            "direct-tcn" => (true, TwoStage.TemporalFamily.Tcn),
            _ => (false, default),
        };
        return ok;
    }

    /// <summary>Creates the trainer of a model.</summary>
    /// <param name="name">One of <see cref="AllNames"/>.</param>
    /// <param name="ridgeLambda">Ridge penalty per training row (ridge models only).</param>
    /// <param name="lightGbm">LightGBM settings (lightgbm only); null = Qlib's benchmark defaults (<see cref="LightGbmOptions"/>).</param>
    /// <param name="stockformer">Hyperparameters of the Stockformer models; null = the small defaults.</param>
    /// <param name="twoStage">Hyperparameters of the two-stage and direct models (the direct models read the fields that apply);
    /// null = the small defaults.</param>
    /// <returns>A trainer.</returns>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A LightGBM setting is out of range.</exception>
    public static IForecasterTrainer CreateTrainer(string name, double ridgeLambda = 0.01, LightGbmOptions? lightGbm = null,
        Stockformer.StockformerTrainingOptions? stockformer = null, TwoStage.TwoStageTrainingOptions? twoStage = null) => name switch
    {
        _ when TryStockformer(name, out var objective) => new Stockformer.StockformerTrainer(name, objective, stockformer),
        _ when TryTwoStage(name, out var family) => new TwoStage.TwoStageTrainer(name, family,
            (twoStage ?? new TwoStage.TwoStageTrainingOptions()) with { FreezeStageOne = FrozenTwoStageNames.Contains(name) }),
        _ when TryDirect(name, out var family) => new TwoStage.DirectTrainer(name, family, twoStage),
        "momentum20" => new SignalTrainer(name, SignalModel.Momentum20),
        "reversal5" => new SignalTrainer(name, SignalModel.Reversal5),
        "ridge" => new RidgeTrainer(ridgeLambda),
        "ridge-regime" => new RegimeRidgeTrainer(ridgeLambda),
        "lightgbm" => new LightGbmTrainer(lightGbm),
        _ => throw new ArgumentException($"unknown model '{name}'; known models: {string.Join(", ", AllNames)}.", nameof(name)),
    };

    /// <summary>
    /// Rebuilds a model from a validated artifact (<see cref="ForecasterArtifact.Deserialize"/>): one case per model kind
    /// (a new model kind adds its case here). Each case checks the window, the arrays it reads (names, lengths against
    /// the declared feature count) and refuses arrays it does not read.
    /// </summary>
    /// <param name="context">Name, horizon, window, feature specification and state read from the artifact.</param>
    /// <returns>The model.</returns>
    /// <exception cref="InvalidDataException">Unknown kind, another window, a missing, unknown or mis-sized array, a missing
    /// normaliser; the message names the source.</exception>
    /// <exception cref="ArgumentException">The values are inconsistent in a way the model's constructor detects.</exception>
    public static IReturnForecaster FromState(ArtifactContext context)
    {
        var (state, source, F) = (context.State, context.Source, context.Features.Count);
        IReturnForecaster model;
        switch (state.Kind)
        {
            case "ridge":
                state.RequireOnly(["beta"], source);
                model = new RidgeModel(Normaliser(context), state.Doubles("beta", F + 1, source), context.Horizon, context.Features, context.Window.WarmUpBars);
                break;
            case "ridge-regime":
                state.RequireOnly(["beta", "hmmStart", "hmmTransition", "hmmMeans", "hmmCovariances", "garch"], source);
                var hmm = Regime.GaussianHmm.FromParameters(state.Doubles("hmmStart", 2, source), state.Doubles("hmmTransition", 4, source),
                    state.Doubles("hmmMeans", 2, source), state.Doubles("hmmCovariances", 2, source));
                var g = state.Doubles("garch", 5, source);
                var garch = Regime.GarchModel.FromParameters(Regime.GarchVariant.Garch, Regime.GarchInnovation.Normal, g[0], g[1], g[2], 0, g[3], double.PositiveInfinity, g[4]);
                model = new RegimeRidgeModel(Normaliser(context), new MarketRegimeFeatures(hmm, garch),
                    state.Doubles("beta", RegimeRidgeModel.Columns(F), source), context.Horizon);
                break;
            case "signal":
                state.RequireOnly(["scale"], source);
                var feature = state.Options["feature"] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var s) ? s
                    : throw new InvalidDataException($"{source}: option 'feature' of a signal model is missing or not a string.");
                model = new SignalModel(context.Name, feature, state.Doubles("scale", 1, source)[0], context.Horizon);
                break;
            case "lightgbm":
                state.RequireOnly(["scale"], source);
                if (state.Normaliser is not null) throw new InvalidDataException($"{source}: a lightgbm model reads raw features; the artifact stores a normaliser.");
                var blob = state.Blob ?? throw new InvalidDataException($"{source}: a lightgbm model needs its tree ensemble (the blob); none is stored.");
                model = LightGbmModel.FromBytes(blob, context.Features, context.Window.WarmUpBars, context.Horizon, state.Doubles("scale", 1, source)[0]);
                break;
            case Stockformer.StockformerForecaster.Kind:
                model = Stockformer.StockformerForecaster.FromState(context);
                break;
            case TwoStage.TwoStageForecaster.Kind:
                model = TwoStage.TwoStageForecaster.FromState(context);
                break;
            case TwoStage.DirectForecaster.Kind:
                model = TwoStage.DirectForecaster.FromState(context);
                break;
            default:
                throw new InvalidDataException($"{source}: unknown model kind '{state.Kind}'.");
        }
        if (model.Window != context.Window)
            throw new InvalidDataException($"{source}: window (T = {context.Window.LookbackBars}, warm-up {context.Window.WarmUpBars}, proxy {context.Window.MarketProxyDays}) is not the {state.Kind} model's (T = {model.Window.LookbackBars}, warm-up {model.Window.WarmUpBars}, proxy {model.Window.MarketProxyDays}).");
        if (!model.Features.Matches(context.Features))
            throw new InvalidDataException($"{source}: a {state.Kind} model reads {model.Features}, the artifact declares {context.Features}.");
        return model;
    }

    private static Research.FeatureNormaliser Normaliser(ArtifactContext context) =>
        context.State.Normaliser ?? throw new InvalidDataException($"{context.Source}: a {context.State.Kind} model needs normaliser statistics; none are stored.");
}
