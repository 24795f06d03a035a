using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using LeanModels.Models.Data;

namespace LeanModels.Tests.Models.Regime;

/// <summary>
/// Adjusted SPY daily log returns, close to close, 1998-01-02..2021-03-31: the same series as reference/spy_returns.py
/// (5848 returns, first dated 1998-01-05). Raw closes (dollars × 10000) × FactorFile.PriceScaleFactor(date).
/// </summary>
internal static class SpyReturns
{
    private static readonly Lazy<(DateOnly[] Dates, double[] Returns)> Series = new(Load);

    /// <summary>[T] dates of each return (the later close's date).</summary>
    public static DateOnly[] Dates => Series.Value.Dates;

    /// <summary>[T] log returns per day.</summary>
    public static double[] Returns => Series.Value.Returns;

    /// <summary>Returns × scale (100 = percent, as the reference scripts use).</summary>
    public static double[] Scaled(double scale) => Array.ConvertAll(Returns, r => r * scale);

    public static string ReferenceFolder(string area) =>
        Path.Combine(TestPaths.RepositoryRoot, "tests", "LeanModels.Tests", "Models", area, "reference");

    public static JsonElement ReadReference(string area, string file) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(ReferenceFolder(area), file))).RootElement;

    public static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    private static (DateOnly[], double[]) Load()
    {
        var usa = Path.Combine(TestPaths.LeanData, "equity", "usa");
        var factors = FactorFile.Read(Path.Combine(usa, "factor_files", "spy.csv"));
        var dates = new List<DateOnly>();
        var closes = new List<double>();
        using var zip = ZipFile.OpenRead(Path.Combine(usa, "daily", "spy.zip"));
        using var reader = new StreamReader(zip.GetEntry("spy.csv")!.Open());
        var first = new DateOnly(1998, 1, 2);
        var last = new DateOnly(2021, 3, 31);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            var f = line.Split(',');
            var date = DateOnly.ParseExact(f[0][..8], "yyyyMMdd", CultureInfo.InvariantCulture);
            if (date < first || date > last) continue;
            dates.Add(date);
            closes.Add(double.Parse(f[4], CultureInfo.InvariantCulture) / 10000.0 * factors.PriceScaleFactor(date));
        }
        var returns = new double[closes.Count - 1];
        for (var i = 1; i < closes.Count; i++) returns[i - 1] = Math.Log(closes[i] / closes[i - 1]);
        return (dates.Skip(1).ToArray(), returns);
    }
}
