namespace LeanModels.Models.Research;

/// <summary>Walk-forward settings, in trading days of the panel's calendar.</summary>
/// <param name="Horizon">H, label horizon in bars (≥ 1); also sets the purges (H + 1 days before each test block, and
/// between training and validation).</param>
/// <param name="TrainWindow">Training dates per fold for a rolling window (≥ 1), validation included; ignored when <paramref name="Expanding"/>.</param>
/// <param name="RetrainEvery">k, test-block length: the model is refitted every k days (≥ 1); 21 for the baselines, 63 or
/// 126 suit deep models (each block is predicted by the model fitted before it).</param>
/// <param name="Expanding">True: train on every usable date before the purge; false: the last <paramref name="TrainWindow"/> of them.</param>
/// <param name="Embargo">Days after each test block excluded from every later fold's training dates (≥ 0; López de Prado 2018, §7.4.2).</param>
/// <param name="MinTrainDates">The first test block starts only once this many training dates exist (≥ 1).</param>
/// <param name="ValidationDays">Days at the end of each fold's training window kept for validation (≥ 0; 0 = no
/// validation segment, as the baselines use). The H + 1 dates before them are purged from training.</param>
public sealed record WalkForwardOptions(int Horizon = 5, int TrainWindow = 504, int RetrainEvery = 21, bool Expanding = false,
    int Embargo = 0, int MinTrainDates = 126, int ValidationDays = 0)
{
    /// <summary>Checks every range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range; the message names it and gives the value.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Horizon, 1, nameof(Horizon));
        ArgumentOutOfRangeException.ThrowIfLessThan(TrainWindow, 1, nameof(TrainWindow));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetrainEvery, 1, nameof(RetrainEvery));
        ArgumentOutOfRangeException.ThrowIfNegative(Embargo, nameof(Embargo));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinTrainDates, 1, nameof(MinTrainDates));
        ArgumentOutOfRangeException.ThrowIfNegative(ValidationDays, nameof(ValidationDays));
    }
}
