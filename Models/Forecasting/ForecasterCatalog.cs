using LeanModels.Models.Forecasting.LightGbm;
using LeanModels.Models.Research.Features;

namespace LeanModels.Models.Forecasting;

/// <summary>The models the research pipeline, the CLI and the LEAN modules know by name.</summary>
public static class ForecasterCatalog
{
    /// <summary>Model names run by default: <c>momentum20</c>, <c>reversal5</c>, <c>ridge</c>, <c>ridge-regime</c> (ridge with market regime features).</summary>
    public static IReadOnlyList<string> Names { get; } = ["momentum20", "reversal5", "ridge", "ridge-regime"];

    /// <summary>Every model name: <see cref="Names"/> and the opt-in <c>lightgbm</c> (slower: a tree ensemble per fold).</summary>
    public static IReadOnlyList<string> AllNames { get; } = [.. Names, "lightgbm"];

    /// <summary>
    /// Splits a model specification <c>name</c> or <c>name@featureSet</c> (e.g. <c>lightgbm@alpha158</c>): the model runs on
    /// that feature set (<see cref="FeatureSets.Names"/>), or on <paramref name="defaultFeatures"/> when none is given.
    /// </summary>
    /// <param name="spec">The specification.</param>
    /// <param name="defaultFeatures">Feature set when the specification names none.</param>
    /// <returns>The model name and its feature set.</returns>
    /// <exception cref="ArgumentException">Unknown model or feature set, or a rule/regime model on a set without its features.</exception>
    public static (string Model, string Features) Parse(string spec, string defaultFeatures = FeatureSets.Default)
    {
        var at = spec.IndexOf('@');
        var (model, features) = at < 0 ? (spec, defaultFeatures) : (spec[..at], spec[(at + 1)..]);
        if (!AllNames.Contains(model)) throw new ArgumentException($"unknown model '{model}' in '{spec}'; known models: {string.Join(", ", AllNames)}.", nameof(spec));
        if (!FeatureSets.Names.Contains(features))
            throw new ArgumentException($"unknown feature set '{features}' in '{spec}'; known feature sets: {string.Join(", ", FeatureSets.Names)}.", nameof(spec));
        if (features != FeatureSets.Default && model is not ("ridge" or "lightgbm"))
            throw new ArgumentException($"'{spec}': {model} reads named features of the default set; only ridge and lightgbm run on '{features}'.", nameof(spec));
        return (model, features);
    }

    /// <summary>Creates the trainer of a model.</summary>
    /// <param name="name">One of <see cref="AllNames"/>.</param>
    /// <param name="ridgeLambda">Ridge penalty per training row (ridge models only).</param>
    /// <param name="lightGbm">LightGBM settings (lightgbm only); null = Qlib's benchmark defaults.</param>
    /// <returns>A trainer.</returns>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static IForecasterTrainer CreateTrainer(string name, double ridgeLambda = 0.01, LightGbmOptions? lightGbm = null) => name switch
    {
        "momentum20" => new SignalTrainer(name, SignalModel.Momentum20),
        "reversal5" => new SignalTrainer(name, SignalModel.Reversal5),
        "ridge" => new RidgeTrainer(ridgeLambda),
        "ridge-regime" => new RegimeRidgeTrainer(ridgeLambda),
        "lightgbm" => new LightGbmTrainer(lightGbm),
        _ => throw new ArgumentException($"unknown model '{name}'; known models: {string.Join(", ", AllNames)}.", nameof(name)),
    };
}
