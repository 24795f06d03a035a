namespace LeanModels.Tests.Models.Data.Import;

/// <summary>Small synthetic Alpha Vantage CSVs for the importer tests, written into temp folders.</summary>
internal static class ImportTestData
{
    public const string Header = "timestamp,open,high,low,close,adjusted_close,volume,dividend_amount,split_coefficient";

    /// <summary>
    /// Ticker "test", 7 days, three events (Alpha Vantage factors, newest → oldest):
    ///   2020-01-08 dividend 0.50, ex-date close 49.50 → AV factor C_ex/(C_ex+D) = 49.5/50 = 0.99 for days ≤ 01-07;
    ///   2020-01-06 split 2:1 → × 0.5 for days ≤ 01-03, ratio 0.495;
    ///   2020-01-03 spin-off-like step: adjusted_close falls by × 0.8 for days ≤ 01-02 (ratio 0.396) although the
    ///              dividend column is 0 there, so only the adjusted_close / close ratio explains it.
    /// adjusted_close = close × ratio: 99.5·0.396 = 39.402; 100·0.396 = 39.6; 80·0.495 = 39.6; 40.5·0.99 = 40.095;
    /// 50·0.99 = 49.5; then 49.5 and 49.8 (ratio 1).
    /// Row 01-02 has open 100.00005 (× 10⁴ = 1000000.5, midpoint → 1000001) and low 99.12344 (→ 991234.4 → 991234).
    /// </summary>
    public static readonly string[] TestRows =
    [
        "2019-12-31,99.0,100.0,98.0,99.5,39.402,500,0.0,1.0",
        "2020-01-02,100.00005,101.5,99.12344,100.0,39.6,1000,0.0,1.0",
        "2020-01-03,80.0,81.0,79.0,80.0,39.6,2000,0.0,1.0",
        "2020-01-06,40.0,41.0,39.5,40.5,40.095,4000,0.0,2.0",
        "2020-01-07,40.5,50.25,40.25,50.0,49.5,3000,0.0,1.0",
        "2020-01-08,49.75,50.0,49.0,49.5,49.5,3500,0.5,1.0",
        "2020-01-09,49.5,49.9,49.1,49.8,49.8,0,0.0,1.0",
    ];

    /// <summary>A second good ticker without events: ratio 1 throughout.</summary>
    public static readonly string[] PlainRows =
    [
        "2020-01-02,10.0,10.5,9.5,10.25,10.25,100,0.0,1.0",
        "2020-01-03,10.25,10.75,10.0,10.5,10.5,200,0.0,1.0",
    ];

    public static string Csv(IEnumerable<string> rows) => Header + "\n" + string.Join("\n", rows) + "\n";

    /// <summary>A new input folder holding the given files (name → content).</summary>
    public static string InputFolder(params (string Name, string Content)[] files)
    {
        var folder = TestPaths.NewTempFolder();
        foreach (var (name, content) in files) File.WriteAllText(Path.Combine(folder, name), content);
        return folder;
    }

    /// <summary>Relative path → SHA-256 of every file below <paramref name="root"/>.</summary>
    public static SortedDictionary<string, string> Hashes(string root)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            result[Path.GetRelativePath(root, file)] = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file)));
        return result;
    }

    /// <summary>The lines of the single entry of a daily zip.</summary>
    public static string[] ZipLines(string zipPath, out string entryName)
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(zipPath);
        Assert.That(zip.Entries, Has.Count.EqualTo(1));
        entryName = zip.Entries[0].FullName;
        using var reader = new StreamReader(zip.Entries[0].Open());
        return reader.ReadToEnd().Split('\n');
    }
}
