namespace LeanModels.Models.Research;

/// <summary>A picture written into a run folder and embedded in its <c>report.md</c> as <c>![Caption](FileName)</c>.</summary>
/// <param name="Caption">Alt text and caption, e.g. "Cumulative net return of each book".</param>
/// <param name="FileName">File name relative to the run folder, e.g. <c>cumulative.png</c>.</param>
public sealed record ReportFigure(string Caption, string FileName);
