using LeanModels.Models.Data.Import;

namespace LeanModels.Tests.Models.Data.Import;

public class AlphaVantageCsvTests
{
    private string _folder = "";

    [SetUp]
    public void SetUp() => _folder = TestPaths.NewTempFolder();

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    [TestCase("DA-BRK.B-T-2021-04-21.csv.gz", "brk.b")]
    [TestCase("DA-AAPL-T-2021-04-21.csv", "aapl")]
    [TestCase("KO.csv", "ko")]
    [TestCase("Foo.Bar.CSV.GZ", "foo.bar")]
    [TestCase("/some/folder/DA-BF.B-T-2021-04-21.csv.gz", "bf.b")]
    public void TickerFromFileName_KnownPatterns_LowerCaseTicker(string fileName, string expected) =>
        Assert.That(AlphaVantageCsv.TickerFromFileName(fileName), Is.EqualTo(expected));

    [TestCase("prices.txt")]
    [TestCase(".csv")]
    [TestCase("a b.csv")]
    public void TickerFromFileName_Unusable_ThrowsArgumentException(string fileName) =>
        Assert.Throws<ArgumentException>(() => AlphaVantageCsv.TickerFromFileName(fileName));

    [Test]
    public void Read_ValidFile_ParsesExactValues()
    {
        var rows = AlphaVantageCsv.Read(Write("t.csv", ImportTestData.Csv(ImportTestData.TestRows)));
        Assert.That(rows, Has.Count.EqualTo(7));
        var r = rows[1];
        Assert.Multiple(() =>
        {
            Assert.That(r.Date, Is.EqualTo(new DateOnly(2020, 1, 2)));
            Assert.That(r.Open, Is.EqualTo(100.00005m));
            Assert.That(r.Low, Is.EqualTo(99.12344m));
            Assert.That(r.AdjustedClose, Is.EqualTo(39.6));
            Assert.That(r.Volume, Is.EqualTo(1000));
            Assert.That(r.LineNumber, Is.EqualTo(3));
            Assert.That(rows[3].SplitCoefficient, Is.EqualTo(2.0));
            Assert.That(rows[5].DividendAmount, Is.EqualTo(0.5));
            Assert.That(r.AdjustmentRatio, Is.EqualTo(0.396).Within(1e-15));   // 39.6 / 100
        });
    }

    [Test]
    public void Read_CrlfAndTrailingBlankLines_Accepted()
    {
        var rows = AlphaVantageCsv.Read(Write("t.csv", ImportTestData.Csv(ImportTestData.PlainRows).Replace("\n", "\r\n") + "\r\n\r\n"));
        Assert.That(rows, Has.Count.EqualTo(2));
    }

    [TestCase("2020-01-02,10.0,10.5,9.5,10.25,10.25,100,0.0", "expected 9 fields")]
    [TestCase("2020/01/02,10.0,10.5,9.5,10.25,10.25,100,0.0,1.0", "timestamp '2020/01/02' is not a yyyy-MM-dd date")]
    [TestCase("2020-01-02,abc,10.5,9.5,10.25,10.25,100,0.0,1.0", "open 'abc' is not a price")]
    [TestCase("2020-01-02,10.0,10.5,0,10.25,10.25,100,0.0,1.0", "low '0' is not a price")]
    [TestCase("2020-01-02,10.0,10.5,9.5,10.25,NaN,100,0.0,1.0", "adjusted_close 'NaN' is not a finite number > 0")]
    [TestCase("2020-01-02,10.0,10.5,9.5,10.25,10.25,100.5,0.0,1.0", "volume '100.5' is not an integer ≥ 0")]
    [TestCase("2020-01-02,10.0,10.5,9.5,10.25,10.25,100,-1,1.0", "dividend_amount '-1' is not a finite number ≥ 0")]
    [TestCase("2020-01-02,10.0,10.5,9.5,10.25,10.25,100,0.0,0", "split_coefficient '0' is not a finite number > 0")]
    [TestCase("2020-01-02,10.0,10.2,9.5,10.25,10.25,100,0.0,1.0", "inconsistent prices")]
    [TestCase("2020-01-02,10.0,10.5,10.1,10.25,10.25,100,0.0,1.0", "inconsistent prices")]
    public void Read_BadRow_MessageNamesFileLineReasonAndRow(string badRow, string reason)
    {
        var path = Write("bad.csv", ImportTestData.Csv(["2020-01-01,10.0,10.5,9.5,10.25,10.25,100,0.0,1.0", badRow]));
        var e = Assert.Throws<InvalidDataException>(() => AlphaVantageCsv.Read(path));
        Assert.That(e!.Message, Does.StartWith("bad.csv:3: "));          // header line 1, good row line 2
        Assert.That(e.Message, Does.Contain(reason));
        Assert.That(e.Message, Does.EndWith($"'{badRow}'"));
    }

    [Test]
    public void Read_DuplicateDate_NamesBothLines()
    {
        var path = Write("dup.csv", ImportTestData.Csv([ImportTestData.PlainRows[0], ImportTestData.PlainRows[1], ImportTestData.PlainRows[0]]));
        var e = Assert.Throws<InvalidDataException>(() => AlphaVantageCsv.Read(path));
        Assert.That(e!.Message, Is.EqualTo("dup.csv:4: duplicate date 2020-01-02, already on line 2."));
    }

    [Test]
    public void Read_AlphaVantageErrorJson_IsNotPriceData()
    {
        var path = Write("DA-BF.B-T-2021-04-21.csv", "{\n    \"Error Message\": \"Invalid API call.\"\n}\n");
        var e = Assert.Throws<InvalidDataException>(() => AlphaVantageCsv.Read(path));
        Assert.That(e!.Message, Does.StartWith("DA-BF.B-T-2021-04-21.csv:1: not Alpha Vantage daily-adjusted price data"));
        Assert.That(e.Message, Does.Contain("found '{'"));
    }

    [Test]
    public void Read_HeaderOnlyOrEmpty_IsBad()
    {
        Assert.That(Assert.Throws<InvalidDataException>(() => AlphaVantageCsv.Read(Write("h.csv", ImportTestData.Header + "\n")))!.Message,
            Does.Contain("h.csv:1: no data rows"));
        Assert.That(Assert.Throws<InvalidDataException>(() => AlphaVantageCsv.Read(Write("e.csv", "")))!.Message,
            Does.Contain("e.csv:1: empty file"));
    }

    [Test]
    public void Read_ManyBadRows_ListsTenAndCountsTheRest()
    {
        var rows = Enumerable.Range(1, 25).Select(d => $"2020-01-{d:00},x,1,1,1,1,1,0,1");
        var e = Assert.Throws<InvalidDataException>(() => AlphaVantageCsv.Read(Write("many.csv", ImportTestData.Csv(rows))));
        Assert.That(e!.Message.Split('\n'), Has.Length.EqualTo(AlphaVantageCsv.MaxErrorsPerFile + 1));
        Assert.That(e.Message, Does.EndWith("... and 15 more bad rows."));
    }
}
