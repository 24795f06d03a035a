using System.Globalization;
using LeanModels.Models.Data;
using LeanModels.Models.Data.Import;
using LeanModels.Models.IO;

namespace LeanModels.Tests.Models.Data.Import;

public class CsvImporterTests
{
    private readonly List<string> _cleanup = [];

    [TearDown]
    public void TearDown()
    {
        foreach (var path in _cleanup)
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        _cleanup.Clear();
    }

    private string Input(params (string Name, string Content)[] files)
    {
        var folder = ImportTestData.InputFolder(files);
        _cleanup.Add(folder);
        return folder;
    }

    private string Output()
    {
        var parent = TestPaths.NewTempFolder();
        _cleanup.Add(parent);
        return Path.Combine(parent, "lean");
    }

    private (string Output, ImportReport Report) ImportTestTicker(ImportOptions? options = null)
    {
        var input = Input(("DA-TEST-T-2021-04-21.csv", ImportTestData.Csv(ImportTestData.TestRows)));
        var output = Output();
        return (output, CsvImporter.Import(input, output, options ?? new ImportOptions()));
    }

    [Test]
    public void Import_SyntheticTicker_DailyZipHoldsExactRows()
    {
        var (output, _) = ImportTestTicker();
        var lines = ImportTestData.ZipLines(Path.Combine(output, "equity", "usa", "daily", "test.zip"), out var entry);
        Assert.That(entry, Is.EqualTo("test.csv"));
        // dollars × 10,000, raw (unadjusted), volume as is; 100.00005 → 1000000.5 → 1000001 (midpoint away from zero),
        // 99.12344 → 991234.4 → 991234; the file ends with a newline (last split element empty).
        Assert.That(lines, Is.EqualTo(new[]
        {
            "20191231 00:00,990000,1000000,980000,995000,500",
            "20200102 00:00,1000001,1015000,991234,1000000,1000",
            "20200103 00:00,800000,810000,790000,800000,2000",
            "20200106 00:00,400000,410000,395000,405000,4000",
            "20200107 00:00,405000,502500,402500,500000,3000",
            "20200108 00:00,497500,500000,490000,495000,3500",
            "20200109 00:00,495000,499000,491000,498000,0",
            "",
        }));
    }

    [Test]
    public void Import_SyntheticTicker_FactorFileRowsAsDerived()
    {
        var (output, _) = ImportTestTicker();
        var text = File.ReadAllText(Path.Combine(output, "equity", "usa", "factor_files", "test.csv"));
        // splitFactor = ∏ 1/split over later ex-dates: 0.5 for days ≤ 01-03 (split on 01-06), 1 after.
        // priceFactor = ratio / splitFactor: 0.396/0.5 = 0.792 (≤ 01-02), 0.495/0.5 = 0.99 (01-03), 0.99/1 (01-06..07), 1 after.
        // Rows: start row at the first date (ref 1, first segment's factors); one row on the last day before each change
        // with that day's raw close; no row for the last segment (factors 1, 1); LEAN's sentinel.
        Assert.That(text, Is.EqualTo(
            "20191231,0.792,0.5,1\n" +
            "20200102,0.792,0.5,100\n" +
            "20200103,0.99,0.5,80\n" +
            "20200107,0.99,1,50\n" +
            "20501231,1,1,0\n"));
    }

    [Test]
    public void Import_SyntheticTicker_LeanRuleReproducesAdjustedClose()
    {
        var (output, _) = ImportTestTicker();
        var factors = FactorFile.Read(Path.Combine(output, "equity", "usa", "factor_files", "test.csv"));
        foreach (var line in ImportTestData.TestRows)
        {
            var f = line.Split(',');
            var date = DateOnly.ParseExact(f[0], "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var close = double.Parse(f[4], CultureInfo.InvariantCulture);
            var adjusted = double.Parse(f[5], CultureInfo.InvariantCulture);
            // e.g. 2020-01-03: first row dated ≥ 01-03 is 20200103 → 80 × 0.99 × 0.5 = 39.6
            Assert.That(close * factors.PriceScaleFactor(date), Is.EqualTo(adjusted).Within(1e-9 * adjusted), f[0]);
        }
    }

    [Test]
    public void Import_SyntheticTicker_MapFileHasFirstDateAndSentinel()
    {
        var (output, _) = ImportTestTicker();
        var path = Path.Combine(output, "equity", "usa", "map_files", "test.csv");
        Assert.That(File.ReadAllText(path), Is.EqualTo("20191231,test\n20501231,test\n"));
        var map = MapFile.Read(path);
        Assert.That(map.TickerOn(new DateOnly(2020, 1, 6)), Is.EqualTo("test"));
        Assert.That(map.TickerOn(new DateOnly(2019, 12, 30)), Is.Null);
    }

    [Test]
    public void Import_SyntheticTicker_ReportCountsEveryRowAsAgreeing()
    {
        var (output, report) = ImportTestTicker();
        Assert.That(report.Tickers, Has.Count.EqualTo(1));
        var t = report.Tickers[0];
        Assert.Multiple(() =>
        {
            Assert.That(t.Ticker, Is.EqualTo("test"));
            Assert.That(t.SourceFile, Is.EqualTo("DA-TEST-T-2021-04-21.csv"));
            Assert.That(t.Rows, Is.EqualTo(7));
            Assert.That(t.AgreeingRows, Is.EqualTo(7));
            Assert.That(t.FactorRows, Is.EqualTo(5));                   // start, 3 change rows, sentinel
            Assert.That(t.DividendEvents, Is.EqualTo(1));
            Assert.That(t.SplitEvents, Is.EqualTo(1));
            Assert.That(Math.Abs(t.WorstRelativeError), Is.LessThan(1e-12));
            Assert.That(t.FirstDate, Is.EqualTo(new DateOnly(2019, 12, 31)));
            Assert.That(t.LastDate, Is.EqualTo(new DateOnly(2020, 1, 9)));
            Assert.That(report.AgreementShare, Is.EqualTo(1.0));
            Assert.That(report.TickersAllAgreeing, Is.EqualTo(1));
            Assert.That(report.BadFiles, Is.Empty);
            Assert.That(File.Exists(Path.Combine(output, CsvImporter.ManifestFileName)), Is.True);
        });
    }

    [Test]
    public void Import_CoarseChangeThreshold_AgreementCheckCountsRowsOutside()
    {
        // ChangeThreshold 2% merges the 1% dividend step (pf 0.99 → 1 between 01-07 and 01-08) into the last segment, whose
        // factors are 1: days 01-06 and 01-07 then get scale 1 instead of 0.99, i.e. error 1/0.99 − 1 = +1.0101% > 0.5%.
        // The other 5 days keep their own rows (the 25% spin-off and 2:1 split steps exceed 2%).
        var report = ImportTestTicker(new ImportOptions(ChangeThreshold: 0.02)).Report;
        var t = report.Tickers[0];
        Assert.That(t.AgreeingRows, Is.EqualTo(5));
        Assert.That(t.AllAgree, Is.False);
        Assert.That(t.WorstRelativeError, Is.EqualTo(1 / 0.99 - 1).Within(1e-9));
        Assert.That(t.WorstDate, Is.EqualTo(new DateOnly(2020, 1, 6)).Or.EqualTo(new DateOnly(2020, 1, 7)));
        Assert.That(t.FactorRows, Is.EqualTo(4));                      // start, 01-02, 01-03, sentinel
        Assert.That(report.AgreementShare, Is.EqualTo(5.0 / 7).Within(1e-15));
    }

    [Test]
    public void Import_DescendingRows_SameFilesAsAscending()
    {
        var (ascendingOutput, _) = ImportTestTicker();
        var input = Input(("DA-TEST-T-2021-04-21.csv", ImportTestData.Csv(ImportTestData.TestRows.Reverse())));
        var descendingOutput = Output();
        CsvImporter.Import(input, descendingOutput, new ImportOptions());
        // every file, the manifest included (it holds no line numbers or paths), is byte-identical
        Assert.That(ImportTestData.Hashes(descendingOutput), Is.EqualTo(ImportTestData.Hashes(ascendingOutput)));
    }

    [Test]
    public void Import_MalformedRow_ThrowsWithFileAndLineAndWritesNothing()
    {
        var rows = ImportTestData.TestRows.ToArray();
        rows[2] = "2020-01-03,80.0,81.0,79.0,80.0,39.6,2000,0.0";        // 8 fields, on line 4 (header is line 1)
        var input = Input(("DA-TEST-T-2021-04-21.csv", ImportTestData.Csv(rows)), ("plain.csv", ImportTestData.Csv(ImportTestData.PlainRows)));
        var output = Output();
        var e = Assert.Throws<InvalidDataException>(() => CsvImporter.Import(input, output, new ImportOptions()));
        Assert.That(e!.Message, Does.Contain("DA-TEST-T-2021-04-21.csv:4: expected 9 fields"));
        Assert.That(e.Message, Does.Contain("'2020-01-03,80.0,81.0,79.0,80.0,39.6,2000,0.0'"));
        Assert.That(Directory.Exists(output), Is.False);
        Assert.That(Directory.GetFileSystemEntries(Path.GetDirectoryName(output)!), Is.Empty, "no temporary folder left behind");
    }

    [Test]
    public void Import_BadFileWithoutSkipBad_LeavesPreviousImportUntouched()
    {
        var output = Output();
        var goodInput = Input(("plain.csv", ImportTestData.Csv(ImportTestData.PlainRows)));
        CsvImporter.Import(goodInput, output, new ImportOptions());
        var before = ImportTestData.Hashes(output);

        var input = Input(("plain.csv", ImportTestData.Csv(ImportTestData.PlainRows)),
                          ("DA-TEST-T-2021-04-21.csv", ImportTestData.Csv(ImportTestData.TestRows)),
                          ("DA-BF.B-T-2021-04-21.csv", "{\n    \"Error Message\": \"Invalid API call.\"\n}\n"),
                          ("neg.csv", ImportTestData.Csv(["2020-01-02,10.0,10.5,9.5,10.25,10.25,-5,0.0,1.0"])));
        var e = Assert.Throws<InvalidDataException>(() => CsvImporter.Import(input, output, new ImportOptions()));
        Assert.That(e!.Message, Does.StartWith("2 of 4 input files are bad"));
        Assert.That(e.Message, Does.Contain("DA-BF.B-T-2021-04-21.csv:1: not Alpha Vantage daily-adjusted price data"));
        Assert.That(e.Message, Does.Contain("neg.csv:2: volume '-5' is not an integer ≥ 0"));
        Assert.That(ImportTestData.Hashes(output), Is.EqualTo(before), "the previous import is unchanged");
        Assert.That(Directory.GetFileSystemEntries(Path.GetDirectoryName(output)!), Has.Length.EqualTo(1), "only the output folder, no temporary one");
    }

    [Test]
    public void Import_BadFileWithSkipBad_ImportsTheGoodOnes()
    {
        var input = Input(("DA-TEST-T-2021-04-21.csv", ImportTestData.Csv(ImportTestData.TestRows)),
                          ("DA-BF.B-T-2021-04-21.csv", "{\n    \"Error Message\": \"Invalid API call.\"\n}\n"));
        var output = Output();
        var report = CsvImporter.Import(input, output, new ImportOptions(SkipBad: true));
        Assert.That(report.Tickers.Select(t => t.Ticker), Is.EqualTo(new[] { "test" }));
        Assert.That(report.BadFiles.Select(b => b.File), Is.EqualTo(new[] { "DA-BF.B-T-2021-04-21.csv" }));
        Assert.That(report.InputFiles, Is.EqualTo(2));
        Assert.That(File.Exists(Path.Combine(output, "equity", "usa", "daily", "test.zip")), Is.True);
        Assert.That(File.Exists(Path.Combine(output, "equity", "usa", "daily", "bf.b.zip")), Is.False);
        Assert.That(File.Exists(Path.Combine(output, "equity", "usa", "factor_files", "bf.b.csv")), Is.False);
    }

    [Test]
    public void Import_AllFilesBadWithSkipBad_ThrowsAndWritesNothing()
    {
        var input = Input(("x.csv", "{\n\"Error Message\"\n}\n"));
        var output = Output();
        Assert.Throws<InvalidDataException>(() => CsvImporter.Import(input, output, new ImportOptions(SkipBad: true)));
        Assert.That(Directory.Exists(output), Is.False);
    }

    [Test]
    public void Import_Twice_ByteIdenticalAtAnyParallelism()
    {
        var input = Input(("DA-TEST-T-2021-04-21.csv", ImportTestData.Csv(ImportTestData.TestRows)),
                          ("DA-BRK.B-T-2021-04-21.csv", ImportTestData.Csv(ImportTestData.PlainRows)),
                          ("plain.csv", ImportTestData.Csv(ImportTestData.PlainRows)));
        var output = Output();
        CsvImporter.Import(input, output, new ImportOptions(MaxDegreeOfParallelism: 1));
        var first = ImportTestData.Hashes(output);
        CsvImporter.Import(input, output, new ImportOptions(MaxDegreeOfParallelism: 2));    // replaces the previous import
        Assert.That(ImportTestData.Hashes(output), Is.EqualTo(first));
        Assert.That(first.Keys, Does.Contain(Path.Combine("equity", "usa", "daily", "brk.b.zip")));
        Assert.That(first, Has.Count.EqualTo(3 * 3 + 1));                                   // 3 tickers × 3 files + manifest
        Assert.That(Directory.GetFileSystemEntries(Path.GetDirectoryName(output)!), Has.Length.EqualTo(1), "no *.tmp-* or *.old-* left");
    }

    [Test]
    public void Import_GzipInput_SameFilesAsPlain()
    {
        var plainOutput = ImportTestTicker().Output;
        var folder = Input();
        using (var file = File.Create(Path.Combine(folder, "DA-TEST-T-2021-04-21.csv.gz")))
        using (var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Optimal))
            gzip.Write(System.Text.Encoding.UTF8.GetBytes(ImportTestData.Csv(ImportTestData.TestRows)));
        var gzipOutput = Output();
        var report = CsvImporter.Import(folder, gzipOutput, new ImportOptions());
        Assert.That(report.Tickers[0].SourceFile, Is.EqualTo("DA-TEST-T-2021-04-21.csv.gz"));
        var expected = ImportTestData.Hashes(plainOutput);
        var actual = ImportTestData.Hashes(gzipOutput);
        expected.Remove(CsvImporter.ManifestFileName);                 // differs only in sourceFile
        actual.Remove(CsvImporter.ManifestFileName);
        Assert.That(actual, Is.EqualTo(expected));
    }

    [Test]
    public void Import_GzipWithoutTrailer_IsReportedAsTruncatedNotImported()
    {
        var folder = Input(("DA-GOOD-T-2021-04-21.csv", ImportTestData.Csv(ImportTestData.PlainRows)));
        byte[] gz;
        using (var memory = new MemoryStream())
        {
            using (var gzip = new System.IO.Compression.GZipStream(memory, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
                gzip.Write(System.Text.Encoding.UTF8.GetBytes(ImportTestData.Csv(ImportTestData.TestRows)));
            gz = memory.ToArray();
        }
        File.WriteAllBytes(Path.Combine(folder, "DA-TEST-T-2021-04-21.csv.gz"), gz[..^8]);   // deflate data complete, trailer gone
        var output = Output();
        var e = Assert.Throws<InvalidDataException>(() => CsvImporter.Import(folder, output, new ImportOptions()));
        Assert.That(e!.Message, Does.Contain("DA-TEST-T-2021-04-21.csv.gz").And.Contain("truncated"));
        Assert.That(Directory.Exists(output), Is.False);
        var report = CsvImporter.Import(folder, output, new ImportOptions(SkipBad: true));
        Assert.That(report.Tickers.Select(t => t.Ticker), Is.EqualTo(new[] { "good" }));
        Assert.That(report.BadFiles.Single().File, Is.EqualTo("DA-TEST-T-2021-04-21.csv.gz"));
    }

    [Test]
    public void Import_SameTickerFromTwoFiles_BothAreBad()
    {
        var input = Input(("DA-KO-T-2021-04-21.csv", ImportTestData.Csv(ImportTestData.PlainRows)), ("ko.csv", ImportTestData.Csv(ImportTestData.PlainRows)));
        var e = Assert.Throws<InvalidDataException>(() => CsvImporter.Import(input, Output(), new ImportOptions()));
        Assert.That(e!.Message, Does.Contain("DA-KO-T-2021-04-21.csv: ticker 'ko' also comes from ko.csv"));
        Assert.That(e.Message, Does.Contain("ko.csv: ticker 'ko' also comes from DA-KO-T-2021-04-21.csv"));
    }

    [Test]
    public void Import_MissingInputFolder_ThrowsDirectoryNotFound()
    {
        var missing = Path.Combine(Path.GetTempPath(), "leanmodels-no-such-folder-" + Guid.NewGuid().ToString("N"));
        Assert.Throws<DirectoryNotFoundException>(() => CsvImporter.Import(missing, Output(), new ImportOptions()));
    }

    [Test]
    public void Import_FolderWithoutCsv_ThrowsInvalidData()
    {
        var input = Input(("readme.txt", "no data here"));
        var e = Assert.Throws<InvalidDataException>(() => CsvImporter.Import(input, Output(), new ImportOptions()));
        Assert.That(e!.Message, Does.Contain("no *.csv or *.csv.gz files"));
    }

    [Test]
    public void Import_OutputIsForeignFolder_RefusesAndKeepsIt()
    {
        var input = Input(("plain.csv", ImportTestData.Csv(ImportTestData.PlainRows)));
        var output = Output();
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "precious.txt"), "keep me");
        var e = Assert.Throws<OutputRefusedException>(() => CsvImporter.Import(input, output, new ImportOptions()));
        Assert.That(e!.Message, Does.Contain("refusing to replace").And.Contain(CsvImporter.ManifestFileName));
        Assert.That(File.ReadAllText(Path.Combine(output, "precious.txt")), Is.EqualTo("keep me"));
    }

    [Test]
    public void Import_OutputInsideInput_IsRefused()
    {
        var input = Input(("plain.csv", ImportTestData.Csv(ImportTestData.PlainRows)));
        var e = Assert.Throws<OutputRefusedException>(() => CsvImporter.Import(input, Path.Combine(input, "lean"), new ImportOptions()));
        Assert.That(e!.Message, Does.Contain("inside the input folder"));
        Assert.That(Directory.Exists(Path.Combine(input, "lean")), Is.False);
    }

    [Test]
    public void Import_Cancelled_WritesNothing()
    {
        var input = Input(("plain.csv", ImportTestData.Csv(ImportTestData.PlainRows)));
        var output = Output();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => CsvImporter.Import(input, output, new ImportOptions(), ct: cts.Token));
        Assert.That(Directory.GetFileSystemEntries(Path.GetDirectoryName(output)!), Is.Empty);
    }

    [Test]
    public void Import_RealTickers_AdjustedClosesAgreeWithinHalfPercent()
    {
        // Four real Alpha Vantage files (AAPL: 4 splits; EBAY: PayPal spin-off 2015-07-20 recorded as a dividend; MSFT; KO).
        // data/README.md §2 measures 100% of rows within 0.5% for the ratio method; the issue asks for ≥ 99%.
        string[] names = ["DA-AAPL-T-2021-04-21.csv.gz", "DA-EBAY-T-2021-04-21.csv.gz", "DA-MSFT-T-2021-04-21.csv.gz", "DA-KO-T-2021-04-21.csv.gz"];
        var input = Input();
        foreach (var name in names) File.Copy(Path.Combine(TestPaths.Sp500, name), Path.Combine(input, name));
        var output = Output();
        var report = CsvImporter.Import(input, output, new ImportOptions());
        Assert.That(report.Tickers.Select(t => t.Ticker), Is.EqualTo(new[] { "aapl", "ebay", "ko", "msft" }));
        Assert.That(report.AgreementShare, Is.GreaterThanOrEqualTo(0.99));
        Assert.That(report.TotalRows, Is.GreaterThan(4 * 5000));        // full histories 1999-11-01..2021-04-21 have 5,402 rows
        // First CSV row of AAPL: 1999-11-01,80.0,80.69,77.37,77.62,0.596878742448,2487300 → × 10,000.
        var aapl = ImportTestData.ZipLines(Path.Combine(output, "equity", "usa", "daily", "aapl.zip"), out _);
        Assert.That(aapl[0], Is.EqualTo("19991101 00:00,800000,806900,773700,776200,2487300"));
    }
}
