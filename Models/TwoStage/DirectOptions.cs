namespace LeanModels.Models.TwoStage;

/// <summary>
/// Hyperparameters of <see cref="DirectModel{T}"/>, the seed's "traditional approach": one temporal model over the features of
/// a fixed universe of N assets concatenated per day. Checked by <see cref="Validate"/> (the constructor calls it).
/// </summary>
/// <param name="Assets">N ≥ 1, the fixed universe: input position a is always the same asset, and the output has N returns.
/// An asset outside the training universe cannot be served (no position exists for it).</param>
/// <param name="Lookback">T ≥ 1, bars of history (oldest → newest).</param>
/// <param name="Features">F ≥ 1, features per bar and asset.</param>
/// <param name="Family">The temporal model: LSTM, GRU or TCN.</param>
/// <param name="Hidden">H ≥ 1, hidden width (TCN channels).</param>
/// <param name="TcnLevels">TCN blocks ≥ 1; only read for <see cref="TemporalFamily.Tcn"/>.</param>
/// <param name="TcnKernel">TCN taps ≥ 2; only read for <see cref="TemporalFamily.Tcn"/>.</param>
/// <param name="Dropout">TCN dropout in [0, 1) after each ReLU (LSTM and GRU have none).</param>
public sealed record DirectOptions(
    int Assets,
    int Lookback = 60,
    int Features = 11,
    TemporalFamily Family = TemporalFamily.Lstm,
    int Hidden = 64,
    int TcnLevels = 3,
    int TcnKernel = 3,
    double Dropout = 0.1)
{
    /// <summary>Checks every field.</summary>
    /// <exception cref="ArgumentException">A field is out of range; the message names it, gives its value and the rule.</exception>
    public void Validate()
    {
        static void Require(bool ok, string message)
        {
            if (!ok) throw new ArgumentException("DirectOptions: " + message);
        }
        Require(Assets >= 1, $"Assets = {Assets}; must be ≥ 1 (the fixed universe N).");
        Require(Lookback >= 1, $"Lookback = {Lookback}; must be ≥ 1 bar.");
        Require(Features >= 1, $"Features = {Features}; must be ≥ 1.");
        Require(Enum.IsDefined(Family), $"Family = {Family}; must be Lstm, Gru or Tcn.");
        Require(Hidden >= 1, $"Hidden = {Hidden}; must be ≥ 1.");
        Require(TcnLevels >= 1, $"TcnLevels = {TcnLevels}; must be ≥ 1.");
        Require(TcnKernel >= 2, $"TcnKernel = {TcnKernel}; must be ≥ 2 taps.");
        Require(Dropout >= 0 && Dropout < 1, $"Dropout = {Dropout}; must be in [0, 1).");
    }

    /// <summary>I = N·(F + 1), inputs per day: every asset's features and availability flag, asset-major.</summary>
    public int InputsPerDay => Assets * (Features + 1);
}
