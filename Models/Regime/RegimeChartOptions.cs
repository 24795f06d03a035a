namespace LeanModels.Models.Regime;

/// <summary>Layout settings for <see cref="RegimeChart.Render"/>.</summary>
public sealed record RegimeChartOptions
{
    /// <summary>SVG width in px, ≥ 200. Default 960.</summary>
    public int Width { get; init; } = 960;

    /// <summary>SVG height in px, ≥ 120. Default 400.</summary>
    public int Height { get; init; } = 400;

    /// <summary>Title drawn above the plot (XML-escaped); empty for none.</summary>
    public string Title { get; init; } = "";

    /// <summary>Band colour for the high-volatility probability (any SVG colour). Default "#d62728" (red).</summary>
    public string BandColor { get; init; } = "#d62728";

    /// <summary>Band opacity at probability 1 (opacity = MaxBandOpacity × quantised probability), in (0, 1]; default 0.35 so the price line stays readable.</summary>
    public double MaxBandOpacity { get; init; } = 0.35;

    /// <summary>Probability is quantised to this many opacity steps so runs of similar days merge into one band; ≥ 1. Default 10.</summary>
    public int ProbabilitySteps { get; init; } = 10;
}
