// SPDX-License-Identifier: Apache-2.0
using LeanModels.Models.Forecasting;
using QuantConnect.Algorithm;

namespace LeanModels.Alpha;

/// <summary>
/// Holds the model a <see cref="ForecastAlphaModel"/> predicts with. Models are immutable (<see cref="IReturnForecaster"/>),
/// so a new one is published with one reference write (<see cref="Volatile.Write{T}(ref T, T)"/>): in live mode LEAN runs
/// scheduled training on its "RealTime Thread" while <c>Update</c> runs on the algorithm thread (lean-api.md §4), and a
/// reader sees either the old model or the new one, never a mix.
/// </summary>
public sealed class ForecasterSlot
{
    private IReturnForecaster? _current;
    private int _version;

    /// <summary>Initializes a new instance of the <see cref="ForecasterSlot"/> class.</summary>
    /// <param name="name">Identifies the model source in the alpha's <c>Name</c> (an ObjectStore key or a trainer name); not empty.</param>
    /// <param name="initial">The first model, or null when a model is loaded or trained later; the alpha emits nothing until one exists.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or white space.</exception>
    public ForecasterSlot(string name, IReturnForecaster? initial = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        if (initial is not null) Publish(initial);
    }

    /// <summary>The model source, e.g. <c>leanmodels/ridge.lmfa</c> or <c>ridge</c>.</summary>
    public string Name { get; }

    /// <summary>The current model, or null when none was published (an empty slot makes the alpha emit nothing).</summary>
    public IReturnForecaster? Current => Volatile.Read(ref _current);

    /// <summary>Number of models published so far (0 for an empty slot).</summary>
    public int Version => Volatile.Read(ref _version);

    /// <summary>Publishes <paramref name="model"/> for the next prediction: one atomic reference write.</summary>
    /// <param name="model">An immutable trained model.</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    public void Publish(IReturnForecaster model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Volatile.Write(ref _current, model);
        Interlocked.Increment(ref _version);
    }

    /// <summary>
    /// Reads an artifact (<see cref="ForecasterArtifact"/> bytes, e.g. saved from the research notebook or <c>research
    /// --save-artifacts</c>) from the algorithm's ObjectStore. A missing key or a corrupted, truncated or mismatched artifact
    /// is refused: the reason goes to <c>algorithm.Error</c> and the slot stays empty, so the alpha emits nothing rather than
    /// predictions from a bad model.
    /// </summary>
    /// <param name="algorithm">The algorithm whose ObjectStore holds the artifact.</param>
    /// <param name="key">ObjectStore key of the artifact.</param>
    /// <returns>A slot named <paramref name="key"/>, holding the model or empty.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or white space.</exception>
    public static ForecasterSlot FromObjectStore(QCAlgorithm algorithm, string key)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        var slot = new ForecasterSlot(key);
        if (!algorithm.ObjectStore.ContainsKey(key))
        {
            algorithm.Error($"{nameof(ForecasterSlot)}: no model artifact under ObjectStore key '{key}'; the forecast alpha will emit no insights. Save one from the research notebook or with 'leanmodels research --save-artifacts'.");
            return slot;
        }
        try
        {
            var loaded = ForecasterArtifact.Deserialize(algorithm.ObjectStore.ReadBytes(key), $"ObjectStore:{key}");
            slot.Publish(loaded.Model);
            algorithm.Debug($"{nameof(ForecasterSlot)}: loaded model '{loaded.Model.Name}' (horizon {loaded.Model.Horizon} bars, trained {loaded.Training.From:yyyy-MM-dd}..{loaded.Training.To:yyyy-MM-dd} on {loaded.Training.Tickers.Count} tickers) from ObjectStore key '{key}'.");
        }
        catch (InvalidDataException e)
        {
            algorithm.Error($"{nameof(ForecasterSlot)}: refused the model artifact under ObjectStore key '{key}': {e.Message} The forecast alpha will emit no insights.");
        }
        return slot;
    }
}
