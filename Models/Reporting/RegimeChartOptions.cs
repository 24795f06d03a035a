namespace LeanModels.Models.Reporting;

/// <summary>Layout settings for <see cref="RegimeChart"/>.</summary>
public sealed record RegimeChartOptions
{
    /// <summary>Image width in px, ≥ 200. Default 1200.</summary>
    public int Width { get; init; } = 1200;

    /// <summary>Image height in px, ≥ 120. Default 500.</summary>
    public int Height { get; init; } = 500;

    /// <summary>Title drawn above the plot; empty for none.</summary>
    public string Title { get; init; } = "";

    /// <summary>Legend text of the price line and the y-axis label, e.g. "SPY adjusted close ($)". Default "Adjusted close ($)".</summary>
    public string PriceLabel { get; init; } = "Adjusted close ($)";

    /// <summary>Band colour for the high-volatility probability, as #RRGGBB. Default "#d62728" (red).</summary>
    public string BandColor { get; init; } = "#d62728";

    /// <summary>Band opacity at probability 1 (opacity = MaxBandOpacity × quantised probability), in (0, 1]; default 0.35 so the price line stays readable.</summary>
    public double MaxBandOpacity { get; init; } = 0.35;

    /// <summary>Probability is quantised to this many opacity steps so runs of similar days merge into one band; ≥ 1.
    /// Default 1: a day is shaded when its probability is ≥ 0.5, as recessions are shaded on macro charts. With more steps
    /// a long daily series (SPY 1998–2021: 2,391 level changes at 10 steps over ~1,100 px) turns into sub-pixel stripes
    /// that darken where they overlap, so use them for short series only.</summary>
    public int ProbabilitySteps { get; init; } = 1;
}
