// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using LeanModels.Models.Forecasting;
using QuantConnect;
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
    /// <remarks>
    /// <b>No look-ahead by usage.</b> An artifact records its training window and the date of the last open its training or
    /// validation labels read (<see cref="ArtifactTraining.LastLabelDate"/>). In a backtest whose start date is not after that day, every trade
    /// up to it would come from a model that had seen later prices, so the artifact is refused with an error naming both
    /// dates, unless <paramref name="allowTrainingOverlap"/> is set; then it is used with a warning in the log. Live trading
    /// starts today, after any training window, and is not checked. Call it in <c>Initialize</c> after <c>SetStartDate</c>.
    /// </remarks>
    /// <param name="algorithm">The algorithm whose ObjectStore holds the artifact.</param>
    /// <param name="key">ObjectStore key of the artifact.</param>
    /// <param name="allowTrainingOverlap">Use the artifact even though the backtest starts inside (or before the end of) its
    /// training data; every result is then contaminated by look-ahead. Defaults to false.</param>
    /// <returns>A slot named <paramref name="key"/>, holding the model or empty.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or white space.</exception>
    public static ForecasterSlot FromObjectStore(QCAlgorithm algorithm, string key, bool allowTrainingOverlap = false)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        var slot = new ForecasterSlot(key);
        if (!algorithm.ObjectStore.ContainsKey(key))
        {
            algorithm.Error($"{nameof(ForecasterSlot)}: no model artifact under ObjectStore key '{key}'; the forecast alpha will emit no insights. Save one from the research notebook or with 'leanmodels research --save-artifacts'.");
            return slot;
        }
        LoadedArtifact loaded;
        try
        {
            loaded = ForecasterArtifact.Deserialize(algorithm.ObjectStore.ReadBytes(key), $"ObjectStore:{key}");
        }
        catch (InvalidDataException e)
        {
            algorithm.Error($"{nameof(ForecasterSlot)}: refused the model artifact under ObjectStore key '{key}': {e.Message} The forecast alpha will emit no insights.");
            return slot;
        }
        if (!algorithm.LiveMode)
        {
            var labelEnd = loaded.Training.LastLabelDate;
            var start = DateOnly.FromDateTime(algorithm.StartDate);
            if (start <= labelEnd)
            {
                var what = string.Create(CultureInfo.InvariantCulture,
                    $"the model artifact under ObjectStore key '{key}' was trained on {loaded.Training.From:yyyy-MM-dd}..{loaded.Training.To:yyyy-MM-dd} with labels up to {labelEnd:yyyy-MM-dd}, but the backtest starts {start:yyyy-MM-dd}");
                if (!allowTrainingOverlap)
                {
                    algorithm.Error($"{nameof(ForecasterSlot)}: refused: {what}, so its trades would use prices the model had already seen (look-ahead). Train the artifact on data ending before the backtest starts (e.g. 'leanmodels research --end <date> --save-artifacts'), or start the backtest after {labelEnd:yyyy-MM-dd}. The forecast alpha will emit no insights.");
                    return slot;
                }
                var warning = $"{nameof(ForecasterSlot)}: WARNING: LOOK-AHEAD ALLOWED: {what}; every result up to {labelEnd:yyyy-MM-dd} is contaminated.";
                algorithm.Log(warning);
                algorithm.Debug(warning);
            }
        }
        slot.Publish(loaded.Model);
        algorithm.Debug($"{nameof(ForecasterSlot)}: loaded model '{loaded.Model.Name}' (horizon {loaded.Model.Horizon} bars, trained {loaded.Training.From:yyyy-MM-dd}..{loaded.Training.To:yyyy-MM-dd} on {loaded.Training.Tickers.Count} tickers) from ObjectStore key '{key}'.");
        return slot;
    }
}
