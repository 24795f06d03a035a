namespace LeanModels.Models.Reporting;

/// <summary>Image format of a saved chart.</summary>
public enum ChartFormat
{
    /// <summary>PNG raster (the default; byte-identical for the same input and fonts on one machine).</summary>
    Png,

    /// <summary>SVG vector document.</summary>
    Svg,
}
