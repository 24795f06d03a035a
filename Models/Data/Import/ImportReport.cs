using System.Text.Json;
using System.Text.Json.Serialization;

namespace LeanModels.Models.Data.Import;

/// <summary>
/// Result of <see cref="CsvImporter.Import"/>: the imported tickers with their agreement check, the bad files, and the
/// totals. Also written, as JSON, to <c>&lt;output&gt;/leanmodels-import.json</c> (<see cref="CsvImporter.ManifestFileName"/>).
/// </summary>
/// <param name="Tolerance">Agreement tolerance used, a fraction (0.005 = 0.5%).</param>
/// <param name="InputFiles">Number of <c>*.csv</c> / <c>*.csv.gz</c> files found.</param>
/// <param name="Tickers">Imported tickers, ascending by ticker (ordinal).</param>
/// <param name="BadFiles">Files not imported, ascending by file name; empty when all were good.</param>
public sealed record ImportReport(double Tolerance, int InputFiles, IReadOnlyList<TickerResult> Tickers, IReadOnlyList<BadFile> BadFiles)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new IO.FiniteOrNullJsonConverter() },            // an undefined number is null, never "NaN"
    };

    /// <summary>Price rows over all imported tickers.</summary>
    public long TotalRows => Tickers.Sum(t => (long)t.Rows);

    /// <summary>Rows within <see cref="Tolerance"/> over all imported tickers.</summary>
    public long AgreeingRows => Tickers.Sum(t => (long)t.AgreeingRows);

    /// <summary><see cref="AgreeingRows"/> / <see cref="TotalRows"/>, a fraction; NaN when nothing was imported.</summary>
    public double AgreementShare => TotalRows == 0 ? double.NaN : (double)AgreeingRows / TotalRows;

    /// <summary>Tickers whose every row is within <see cref="Tolerance"/>.</summary>
    public int TickersAllAgreeing => Tickers.Count(t => t.AllAgree);

    /// <summary>The report as indented camelCase JSON (System.Text.Json); dates as <c>yyyy-MM-dd</c>. Deterministic.</summary>
    /// <returns>JSON text ending in a newline.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions) + "\n";

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/> atomically (<see cref="IO.AtomicFile"/>).</summary>
    /// <param name="path">Destination file; its folder is created if missing.</param>
    /// <exception cref="IOException">The file could not be written.</exception>
    public void WriteJson(string path) => IO.AtomicFile.WriteAllText(path, ToJson());
}
