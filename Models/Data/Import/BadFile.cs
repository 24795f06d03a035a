namespace LeanModels.Models.Data.Import;

/// <summary>An input file that could not be imported, with why.</summary>
/// <param name="File">File name (no folder), e.g. <c>DA-BF.B-T-2021-04-21.csv.gz</c>.</param>
/// <param name="Errors">Up to <see cref="AlphaVantageCsv.MaxErrorsPerFile"/> messages, each
/// <c>&lt;file&gt;:&lt;line&gt;: &lt;what is wrong&gt;: '&lt;row text&gt;'</c> (or a file-level reason).</param>
/// <param name="ErrorCount">All errors found in the file, ≥ <see cref="Errors"/>.Count.</param>
public sealed record BadFile(string File, IReadOnlyList<string> Errors, int ErrorCount)
{
    /// <summary>The errors as one text, one per line, with a count of those not listed.</summary>
    public string Describe() => AlphaVantageCsv.FormatErrors(Errors, ErrorCount);
}
