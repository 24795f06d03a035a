namespace LeanModels.Models.Research;

/// <summary>Settings of one walk-forward research run (the <c>research</c> command's options).</summary>
/// <param name="Start">First decision date evaluated (inclusive); earlier data is used for warm-up and training only.</param>
/// <param name="End">Last date loaded and evaluated (inclusive); nothing after it is read.</param>
/// <param name="Models">Forecaster names from <see cref="Forecasting.ForecasterCatalog.AllNames"/>, each optionally <c>name@featureSet</c> (e.g. <c>lightgbm@alpha158</c>).</param>
/// <param name="Horizon">H, label horizon in trading days (≥ 1).</param>
/// <param name="TrainWindow">Rolling training window in trading days (≥ 1).</param>
/// <param name="RetrainEvery">Refit every k trading days (≥ 1).</param>
/// <param name="Expanding">Expanding instead of rolling training window.</param>
/// <param name="Embargo">Trading days after each test block kept out of later training (≥ 0).</param>
/// <param name="CostBps">Trading cost in basis points per side (≥ 0), charged on turnover.</param>
/// <param name="TopK">TopK-Dropout book size; 0 = a third of the assets, between 1 and 50 (Qlib's benchmark configs hold 50).</param>
/// <param name="NDrop">Names swapped per day by TopK-Dropout; −1 = max(1, TopK / 10) (Qlib: 5 of 50).</param>
/// <param name="Quantile">Share of assets in each leg of the long-short book, in (0, 0.5].</param>
/// <param name="RidgeLambda">Ridge penalty per training row (≥ 0).</param>
/// <param name="Features">Feature set of every model given without <c>@set</c> (<see cref="Features.FeatureSets.Names"/>).</param>
/// <param name="LightGbm">LightGBM settings; null = Qlib's benchmark defaults.</param>
public sealed record ResearchOptions(
    DateOnly Start,
    DateOnly End,
    IReadOnlyList<string> Models,
    int Horizon = 5,
    int TrainWindow = 504,
    int RetrainEvery = 21,
    bool Expanding = false,
    int Embargo = 0,
    double CostBps = 5,
    int TopK = 0,
    int NDrop = -1,
    double Quantile = 0.2,
    double RidgeLambda = 0.01,
    string Features = global::LeanModels.Models.Research.Features.FeatureSets.Default,
    Forecasting.LightGbm.LightGbmOptions? LightGbm = null)
{
    /// <summary>Trading days per year used to annualise (always explicit; STYLE.md §3).</summary>
    public const int TradingDaysPerYear = 252;

    /// <summary>The walk-forward part of these options.</summary>
    public WalkForwardOptions WalkForward => new(Horizon, TrainWindow, RetrainEvery, Expanding, Embargo);

    /// <summary>Checks every value.</summary>
    /// <exception cref="ArgumentException">Start ≥ End, an unknown model or feature set, or a value out of range; the message names it and gives the value.</exception>
    public void Validate()
    {
        if (Start >= End) throw new ArgumentException($"start {Start:yyyy-MM-dd} must be before end {End:yyyy-MM-dd}.");
        if (Horizon < 1) throw new ArgumentException($"horizon must be ≥ 1 trading day, got {Horizon}.");
        if (TrainWindow < 1) throw new ArgumentException($"train window must be ≥ 1 trading day, got {TrainWindow}.");
        if (RetrainEvery < 1) throw new ArgumentException($"retrain step must be ≥ 1 trading day, got {RetrainEvery}.");
        if (Embargo < 0) throw new ArgumentException($"embargo must be ≥ 0, got {Embargo}.");
        if (!(CostBps >= 0 && double.IsFinite(CostBps))) throw new ArgumentException($"cost must be ≥ 0 bps per side, got {CostBps}.");
        if (TopK < 0) throw new ArgumentException($"top-k must be ≥ 0 (0 = a third of the assets, at most 50), got {TopK}.");
        if (NDrop < -1) throw new ArgumentException($"n-drop must be ≥ 0 (or −1 for TopK/10), got {NDrop}.");
        if (!(Quantile > 0 && Quantile <= 0.5)) throw new ArgumentException($"quantile must be in (0, 0.5], got {Quantile}.");
        if (!(RidgeLambda >= 0 && double.IsFinite(RidgeLambda))) throw new ArgumentException($"ridge lambda must be ≥ 0, got {RidgeLambda}.");
        if (Models.Count == 0) throw new ArgumentException("at least one model is needed.");
        if (!Research.Features.FeatureSets.Names.Contains(Features))
            throw new ArgumentException($"unknown feature set '{Features}'; known feature sets: {string.Join(", ", Research.Features.FeatureSets.Names)}.");
        foreach (var m in Models) Forecasting.ForecasterCatalog.Parse(m, Features);
        if (Models.Distinct().Count() != Models.Count) throw new ArgumentException($"a model is given twice: {string.Join(", ", Models)}.");
        LightGbm?.Validate();
    }
}
