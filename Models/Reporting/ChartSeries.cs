namespace LeanModels.Models.Reporting;

/// <summary>One named daily series for <see cref="ResearchCharts"/>, aligned with the chart's dates.</summary>
/// <param name="Label">Legend text, e.g. "ridge TopK".</param>
/// <param name="Values">[D] one value per date, oldest first: a book's net simple return per period (fraction) for the
/// book charts, a model's daily Rank IC for the Rank IC chart.</param>
/// <param name="Dashed">Draw the line dashed (the long-short books, to tell them from the long-only books of the same model).</param>
/// <param name="ColorIndex">Index into the Category10 palette (a model keeps its colour across books); −1 = the series' position.</param>
public sealed record ChartSeries(string Label, double[] Values, bool Dashed = false, int ColorIndex = -1);
