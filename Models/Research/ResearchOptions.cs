namespace LeanModels.Models.Research;

/// <summary>Settings of one walk-forward research run (the <c>research</c> command's options).</summary>
/// <param name="Start">First decision date evaluated (inclusive); earlier data is used for warm-up and training only.</param>
/// <param name="End">Last date loaded and evaluated (inclusive); nothing after it is read.</param>
/// <param name="Models">Forecaster names, from <see cref="Forecasting.ForecasterCatalog.AllNames"/>.</param>
/// <param name="Horizon">H, label horizon in trading days (≥ 1).</param>
/// <param name="TrainWindow">Rolling training window in trading days (≥ <see cref="MinTrainWindow"/>; ignored when <paramref name="Expanding"/>).</param>
/// <param name="RetrainEvery">Refit every k trading days (≥ 1).</param>
/// <param name="Expanding">Expanding instead of rolling training window.</param>
/// <param name="Embargo">Trading days after each test block kept out of later training (≥ 0).</param>
/// <param name="CostBps">Trading cost in basis points per side (≥ 0), charged on turnover.</param>
/// <param name="TopK">TopK-Dropout book size; 0 = a third of the assets, between 1 and 50 (Qlib's benchmark configs hold 50).</param>
/// <param name="NDrop">Names swapped per day by TopK-Dropout; −1 = max(1, TopK / 10) (Qlib: 5 of 50).</param>
/// <param name="Quantile">Share of assets in each leg of the long-short book, in (0, 0.5].</param>
/// <param name="RidgeLambda">Ridge penalty per training row (≥ 0).</param>
/// <param name="FeatureSet">Feature set name, one of <see cref="FeatureSetCatalog.Names"/>.</param>
/// <param name="ValidationDays">Days at the end of each training window kept for validation (early stopping), ≥ 0; 0 = none.</param>
/// <param name="LabelNormalisation">Per-date normalisation of the training label; metrics always use the raw label.</param>
/// <param name="Seeds">Seeds of the fits (≥ 1 of them); results are reported as mean ± std over them. Null = [1].</param>
/// <param name="WarmStart">Start each fold's fit from the previous fold's model.</param>
/// <param name="LightGbm">LightGBM settings (model <c>lightgbm</c>); null = Qlib's benchmark defaults.</param>
/// <param name="Stockformer">Hyperparameters of the Stockformer models (<see cref="Forecasting.ForecasterCatalog.DeepNames"/>); null = the small defaults.</param>
/// <param name="TwoStage">Hyperparameters of the two-stage models (<see cref="Forecasting.ForecasterCatalog.TwoStageNames"/>) and, the
/// fields that apply, of the direct models (<see cref="Forecasting.ForecasterCatalog.DirectNames"/>); null = the small defaults.</param>
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
    string FeatureSet = FeatureSetCatalog.Default,
    int ValidationDays = 0,
    LabelNormalisation LabelNormalisation = LabelNormalisation.None,
    IReadOnlyList<ulong>? Seeds = null,
    bool WarmStart = false,
    Forecasting.LightGbm.LightGbmOptions? LightGbm = null,
    LeanModels.Models.Stockformer.StockformerTrainingOptions? Stockformer = null,
    LeanModels.Models.TwoStage.TwoStageTrainingOptions? TwoStage = null)
{
    /// <summary>The seeds to run: <see cref="Seeds"/> or [1].</summary>
    public IReadOnlyList<ulong> SeedList => Seeds is { Count: > 0 } s ? s : [1UL];

    /// <summary>Trading days per year used to annualise (always explicit; STYLE.md §3).</summary>
    public const int TradingDaysPerYear = 252;

    /// <summary>The walk-forward part of these options.</summary>
    public WalkForwardOptions WalkForward => new(Horizon, TrainWindow, RetrainEvery, Expanding, Embargo, ValidationDays: ValidationDays);

    /// <summary>Largest <see cref="CostBps"/> accepted, exclusive: 10,000 bps = 100% per side would cost the whole book.</summary>
    public const double MaxCostBps = 10_000;

    /// <summary>Largest <see cref="RidgeLambda"/> accepted: with z-scored features a larger per-row penalty shrinks every
    /// weight below 10⁻⁶ of the unpenalised fit, so every forecast is a constant and IC is undefined.</summary>
    public const double MaxRidgeLambda = 1e6;

    /// <summary>Shortest rolling training window: every model must be fittable on it, and ridge-regime's market GARCH(1,1)
    /// needs <see cref="Regime.GarchModel.MinimumObservations"/> returns.</summary>
    public const int MinTrainWindow = Regime.GarchModel.MinimumObservations;

    /// <summary>Checks every value on its own (no data needed).</summary>
    /// <exception cref="InvalidOptionException">Start ≥ End, an unknown model, or a value out of range; the message names it and gives the value.</exception>
    public void Validate()
    {
        if (Start >= End) throw new InvalidOptionException($"start {Start:yyyy-MM-dd} must be before end {End:yyyy-MM-dd}.");
        if (Horizon < 1) throw new InvalidOptionException($"horizon must be ≥ 1 trading day, got {Horizon}.");
        if (TrainWindow < 1) throw new InvalidOptionException($"train window must be ≥ 1 trading day, got {TrainWindow}.");
        if (!Expanding && TrainWindow < MinTrainWindow)
            throw new InvalidOptionException($"train window must be ≥ {MinTrainWindow} trading days (ridge-regime's GARCH(1,1) needs {MinTrainWindow} market returns, and ridge more rows than its coefficients), got {TrainWindow}.");
        if (RetrainEvery < 1) throw new InvalidOptionException($"retrain step must be ≥ 1 trading day, got {RetrainEvery}.");
        if (Embargo < 0) throw new InvalidOptionException($"embargo must be ≥ 0, got {Embargo}.");
        if (!(CostBps >= 0 && CostBps < MaxCostBps)) throw new InvalidOptionException($"cost must be in [0, {MaxCostBps:0}) bps per side, got {CostBps}.");
        if (TopK < 0) throw new InvalidOptionException($"top-k must be ≥ 0 (0 = a third of the assets, at most 50), got {TopK}.");
        if (NDrop < -1) throw new InvalidOptionException($"n-drop must be ≥ 0 (or −1 for TopK/10), got {NDrop}.");
        if (TopK > 0 && NDrop > TopK) throw new InvalidOptionException($"n-drop {NDrop} must not exceed top-k {TopK}.");
        if (!(Quantile > 0 && Quantile <= 0.5)) throw new InvalidOptionException($"quantile must be in (0, 0.5], got {Quantile}.");
        if (!(RidgeLambda >= 0 && RidgeLambda <= MaxRidgeLambda)) throw new InvalidOptionException($"ridge lambda must be in [0, {MaxRidgeLambda:0e0}], got {RidgeLambda}.");
        if (ValidationDays < 0) throw new InvalidOptionException($"validation days must be ≥ 0, got {ValidationDays}.");
        if (ValidationDays >= TrainWindow && !Expanding) throw new InvalidOptionException($"validation days ({ValidationDays}) must be fewer than the training window ({TrainWindow}).");
        if (!FeatureSetCatalog.Names.Contains(FeatureSet)) throw new InvalidOptionException($"unknown feature set '{FeatureSet}'; known feature sets: {string.Join(", ", FeatureSetCatalog.Names)}.");
        if (Seeds is { Count: 0 }) throw new InvalidOptionException("at least one seed is needed.");
        if (Seeds is not null && Seeds.Distinct().Count() != Seeds.Count) throw new InvalidOptionException($"seeds repeat: {string.Join(",", Seeds)}.");
        if (Stockformer is not null)
            try { Stockformer.Validate(); }
            catch (ArgumentException e) { throw new InvalidOptionException(e.Message); }
        if (TwoStage is not null)
            try { TwoStage.Validate(); }
            catch (ArgumentException e) { throw new InvalidOptionException(e.Message); }
        if (Models.Count == 0) throw new InvalidOptionException("at least one model is needed.");
        foreach (var m in Models)
        {
            if (!Forecasting.ForecasterCatalog.AllNames.Contains(m))
                throw new InvalidOptionException($"unknown model '{m}'; known models: {string.Join(", ", Forecasting.ForecasterCatalog.AllNames)}.");
            if (FeatureSet != FeatureSetCatalog.Default && Forecasting.ForecasterCatalog.BasicFeaturesOnly.Contains(m))
                throw new InvalidOptionException($"model '{m}' reads named features of the '{FeatureSetCatalog.Default}' feature set and cannot run on '{FeatureSet}'; drop it from --models or use --feature-set {FeatureSetCatalog.Default}.");
        }
        try { LightGbm?.Validate(); }
        catch (ArgumentOutOfRangeException x) { throw new InvalidOptionException($"lightgbm: {x.Message}"); }
        if (Models.Distinct(StringComparer.Ordinal).Count() != Models.Count) throw new InvalidOptionException($"a model is listed twice: {string.Join(", ", Models)}.");
    }

    /// <summary>
    /// Checks the options against the loaded data, before any feature is computed: every day count fits the data's dates
    /// (so no index arithmetic can overflow and no buffer is sized from an absurd option), top-k fits the assets, and at least
    /// 2 assets have a bar on or after <see cref="Start"/>.
    /// </summary>
    /// <param name="panel">The loaded bars (up to <see cref="End"/>).</param>
    /// <exception cref="InvalidOptionException">A value does not fit the data; the message gives the value, what the data
    /// holds, and advice that matches the case.</exception>
    public void ValidateAgainst(Panel panel)
    {
        ArgumentNullException.ThrowIfNull(panel);
        Validate();
        int D = panel.DateCount, A = panel.AssetCount;
        if (D == 0) throw new InvalidOptionException($"no bar of {string.Join(", ", panel.Tickers)} is dated on or before end {End:yyyy-MM-dd}; choose a later end.");
        var first = panel.Dates[0];
        var last = panel.Dates[^1];
        if (Start > last)
            throw new InvalidOptionException($"start {Start:yyyy-MM-dd} is after the last bar ({last:yyyy-MM-dd}) of the data up to end {End:yyyy-MM-dd}; choose a start before {last:yyyy-MM-dd}.");
        void FitsData(string name, int value)
        {
            if (value > D)
                throw new InvalidOptionException($"{name} {value} is longer than the data: {D} trading days from {first:yyyy-MM-dd} to {last:yyyy-MM-dd}.");
        }
        FitsData("horizon", Horizon);
        if (!Expanding) FitsData("train window", TrainWindow);
        FitsData("retrain step", RetrainEvery);
        FitsData("embargo", Embargo);
        if (TopK > A) throw new InvalidOptionException($"top-k {TopK} exceeds the {A} assets; choose at most {A} (or 0 for a third of them).");
        if (NDrop > Math.Max(TopK, A)) throw new InvalidOptionException($"n-drop {NDrop} exceeds the {A} assets.");
        var from = panel.IndexOnOrAfter(Start);
        var withData = new List<string>();
        for (var a = 0; a < A; a++)
            for (var d = from; d < D; d++)
                if (panel.Available[d * A + a]) { withData.Add(panel.Tickers[a]); break; }
        if (withData.Count < 2)
            throw new InvalidOptionException(
                $"cross-sectional metrics need at least 2 assets with data in {Start:yyyy-MM-dd}..{End:yyyy-MM-dd}; "
                + (withData.Count == 0 ? "none has" : $"only {withData[0]} has") + $" a bar there (of {string.Join(", ", panel.Tickers)}). Widen the window or add tickers.");
    }
}
