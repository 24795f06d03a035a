using System.IO.Compression;
using LeanModels.Models.Data;

namespace LeanModels.Tests.Models.Data;

/// <summary>Golden values read by hand from the real files in ../shared/data/lean (see ../shared/data/README.md §3).</summary>
public class LeanDataFolderTests
{
    private static LeanDataFolder Folder => new(TestPaths.LeanData);

    [Test]
    public void ReadEquityBars_SpyDailyRaw_FirstAndLastBarsMatchFile()
    {
        var bars = Folder.ReadEquityBars("SPY", BarResolution.Daily, PriceAdjustment.Raw);
        // spy.zip: 5,849 rows; first row "19980102 00:00,973100,975300,965300,973600,2150000" → ÷10,000
        Assert.That(bars, Has.Count.EqualTo(5849));
        var first = bars[0];
        Assert.That(first.Time, Is.EqualTo(new DateTime(1998, 1, 2)));
        Assert.That(new[] { first.Open, first.High, first.Low, first.Close }, Is.EqualTo(new[] { 97.31, 97.53, 96.53, 97.36 }).Within(1e-9));
        Assert.That(first.Volume, Is.EqualTo(2_150_000));
        // last row 2021-03-31: O 395.35 H 398.00 L 395.33 C 396.33 V 90,673,494
        var last = bars[^1];
        Assert.That(last.Time, Is.EqualTo(new DateTime(2021, 3, 31)));
        Assert.That(new[] { last.Open, last.High, last.Low, last.Close }, Is.EqualTo(new[] { 395.35, 398.00, 395.33, 396.33 }).Within(1e-9));
        Assert.That(last.Volume, Is.EqualTo(90_673_494));
    }

    [Test]
    public void ReadEquityBars_SpyDailyAdjusted_FirstCloseUsesFirstFactorRow()
    {
        // factor row 19980102,0.6566606,1,1 → 97.36 × 0.6566606 = 63.932476016
        var bars = Folder.ReadEquityBars("spy", BarResolution.Daily, PriceAdjustment.Adjusted);
        Assert.That(bars[0].Close, Is.EqualTo(63.932476016).Within(1e-9));
        // volume ÷ factor, rounded: 2,150,000 / 0.6566606 = 3,274,142.27… → 3,274,142
        Assert.That(bars[0].Volume, Is.EqualTo(3_274_142));
        Assert.That(bars[^1].Close, Is.EqualTo(396.33).Within(1e-9), "after the last event row the sentinel factor 1 applies");
    }

    [TestCase("2020-08-27", 508.50, 509.94, 495.33, 500.04, 126.71669993, 127.07554368, 123.43477478, 124.60849288)]
    [TestCase("2020-08-28", 504.00, 505.77, 498.31, 499.23, 125.59531320, 126.03639198, 124.17738199, 124.40664327)]
    [TestCase("2020-08-31", 127.67, 131.00, 126.25, 129.04, 127.25994949, 130.57925420, 125.84451025, 128.62554933)]
    [TestCase("2020-09-01", 132.91, 134.80, 130.53, 134.18, 132.48311966, 134.36704936, 130.11076375, 133.74904068)]
    public void ReadEquityBars_AaplAcrossFourForOneSplit_RawJumpsAdjustedContinuous(string date, double o, double h, double l, double c,
        double ao, double ah, double al, double ac)
    {
        // Rows ≤ 2020-08-28 use factor row 20200828,0.9967882,0.25 → scale 0.24919705; 2020-08-31..11-05 use 0.9967882 (data README §3).
        var d = DateOnly.Parse(date);
        var raw = Folder.ReadEquityBars("aapl", BarResolution.Daily, PriceAdjustment.Raw).Single(b => b.Date == d);
        var adjusted = Folder.ReadEquityBars("aapl", BarResolution.Daily, PriceAdjustment.Adjusted).Single(b => b.Date == d);
        Assert.That(new[] { raw.Open, raw.High, raw.Low, raw.Close }, Is.EqualTo(new[] { o, h, l, c }).Within(1e-9));
        Assert.That(new[] { adjusted.Open, adjusted.High, adjusted.Low, adjusted.Close }, Is.EqualTo(new[] { ao, ah, al, ac }).Within(1e-7));
    }

    [Test]
    public void ReadEquityBars_AaplSplit_RawCloseFallsByAboutFourAdjustedDoesNot()
    {
        var raw = Folder.ReadEquityBars("aapl", BarResolution.Daily, PriceAdjustment.Raw);
        var adjusted = Folder.ReadEquityBars("aapl", BarResolution.Daily, PriceAdjustment.Adjusted);
        var i = raw.ToList().FindIndex(b => b.Date == new DateOnly(2020, 8, 31));
        Assert.That(raw[i].Close / raw[i - 1].Close, Is.LessThan(0.3));                              // 129.04 / 499.23 = 0.258
        Assert.That(adjusted[i].Close / adjusted[i - 1].Close, Is.EqualTo(128.62554933 / 124.40664327).Within(1e-9));   // +3.4%
        // 7:1 split 2014-06-09: 645.57 × 0.9011818 × 0.0357143 = 20.77772026; 93.70 × 0.9011818 × 0.25 = 21.11018367
        Assert.That(adjusted.Single(b => b.Date == new DateOnly(2014, 6, 6)).Close, Is.EqualTo(20.77772026).Within(1e-6));
        Assert.That(adjusted.Single(b => b.Date == new DateOnly(2014, 6, 9)).Close, Is.EqualTo(21.11018367).Within(1e-6));
    }

    [Test]
    public void ReadEquityBars_AaplHourOnSplitDay_SevenBarsReproduceTheDailyBar()
    {
        // hour/aapl.zip 2020-08-31: 09:00..15:00, first open 1276700, last close 1290400, volumes sum to the daily 210,024,091
        var day = new DateOnly(2020, 8, 31);
        var bars = Folder.ReadEquityBars("aapl", BarResolution.Hour, PriceAdjustment.Raw).Where(b => b.Date == day).ToList();
        Assert.That(bars.Select(b => b.Time.Hour), Is.EqualTo(new[] { 9, 10, 11, 12, 13, 14, 15 }));
        Assert.That(bars[0].Open, Is.EqualTo(127.67).Within(1e-9));
        Assert.That(bars[^1].Close, Is.EqualTo(129.04).Within(1e-9));
        Assert.That(bars.Sum(b => b.Volume), Is.EqualTo(210_024_091));
    }

    [Test]
    public void ReadEquityMinuteBars_Spy20131004_IncludesExtendedHours()
    {
        // first row "14760000,1676500,..." = 04:06; last row "71940000,1688900,1689100,1688400,1688400,6500" = 19:59
        var bars = Folder.ReadEquityMinuteBars("spy", new DateOnly(2013, 10, 4), PriceAdjustment.Raw);
        Assert.That(bars[0].Time, Is.EqualTo(new DateTime(2013, 10, 4, 4, 6, 0)));
        Assert.That(bars[0].Close, Is.EqualTo(167.65).Within(1e-9));
        Assert.That(bars[^1].Time, Is.EqualTo(new DateTime(2013, 10, 4, 19, 59, 0)));
        Assert.That(bars[^1].High, Is.EqualTo(168.91).Within(1e-9));
        Assert.That(bars[^1].Volume, Is.EqualTo(6500));
    }

    [Test]
    public void ReadCryptoBars_BtcUsdDaily_PricesAreNotScaled()
    {
        // btcusd_trade.zip first row "20141201 00:00,300,370,300,370,0.05655554"
        var bars = Folder.ReadCryptoBars("coinbase", "BTCUSD", BarResolution.Daily);
        Assert.That(bars[0].Time, Is.EqualTo(new DateTime(2014, 12, 1)));
        Assert.That(new[] { bars[0].Open, bars[0].High, bars[0].Low, bars[0].Close }, Is.EqualTo(new[] { 300.0, 370, 300, 370 }));
        Assert.That(bars[0].Volume, Is.EqualTo(0.05655554).Within(1e-12));
    }

    [Test]
    public void ReadEquityBars_WasteManagement_FollowsMapFileNotFileName()
    {
        // map_files/wm.csv: uw until 1998-07-16, wmi until 2009-08-04, wm after. On 2005-01-03 wmi.zip holds
        // "299500,299600,295300,295300" (Waste Management) while wm.zip holds Washington Mutual's 42.12 close.
        var bars = Folder.ReadEquityBars("wm", BarResolution.Daily, PriceAdjustment.Raw);
        var b = bars.Single(x => x.Date == new DateOnly(2005, 1, 3));
        Assert.That(b.Close, Is.EqualTo(29.53).Within(1e-9));
        Assert.That(bars[0].Date, Is.EqualTo(new DateOnly(1998, 1, 2)), "history starts in uw.zip");
        Assert.That(bars.Single(x => x.Date == new DateOnly(2009, 8, 4)).Close, Is.EqualTo(28.50).Within(1e-9), "last wmi.zip day");
        Assert.That(bars.Single(x => x.Date == new DateOnly(2009, 8, 5)).Close, Is.EqualTo(28.58).Within(1e-9), "first wm.zip day");
    }

    [Test]
    public void ReadEquityBars_Googl_ReadsGoogZipBefore2014AndAppliesSplitFactor()
    {
        // googl.csv map: goog until 2014-04-02. goog.zip first row "20040819 00:00,1359100,1409300,945400,1003700";
        // factor row 20040819,1,0.5 → adjusted close 100.37 × 0.5 = 50.185
        var bars = Folder.ReadEquityBars("googl", BarResolution.Daily, PriceAdjustment.Adjusted);
        Assert.That(bars[0].Date, Is.EqualTo(new DateOnly(2004, 8, 19)));
        Assert.That(bars[0].Close, Is.EqualTo(50.185).Within(1e-9));
    }

    [Test]
    public void EquityTickers_Daily_ListsCurrentSecuritiesOnly()
    {
        var tickers = Folder.EquityTickers(BarResolution.Daily);
        Assert.That(tickers, Is.SupersetOf(new[] { "aapl", "spy", "googl", "goog", "wm", "qqq", "ibm" }));
        Assert.That(tickers, Has.None.EqualTo("uw").And.None.EqualTo("wmi").And.None.EqualTo("fb.1").And.None.EqualTo("qqqq"));
    }

    [Test]
    public void ReadEquityBars_UnknownTicker_ListsAvailableTickers()
    {
        var e = Assert.Throws<UnknownTickerException>(() => Folder.ReadEquityBars("NOPE"));
        Assert.That(e!.Message, Does.Contain("nope").IgnoreCase.And.Contain("aapl").And.Contain("spy"));
    }

    [Test]
    public void LeanDataFolder_MissingFolder_ThrowsWithPath()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => new LeanDataFolder("/no/such/lean/data"));
        Assert.That(e!.Message, Does.Contain("/no/such/lean/data"));
    }

    [Test]
    public void ReadEquityBars_TruncatedZip_NamesTheFile()
    {
        var root = MiniFolder(out var daily);
        var bytes = File.ReadAllBytes(Path.Combine(TestPaths.LeanData, "equity", "usa", "daily", "spy.zip"));
        File.WriteAllBytes(Path.Combine(daily, "spy.zip"), bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<InvalidDataException>(() => new LeanDataFolder(root).ReadEquityBars("spy"));
        Assert.That(e!.Message, Does.Contain("spy.zip"));
    }

    [Test]
    public void ReadEquityBars_MalformedRow_NamesFileEntryAndLine()
    {
        var root = MiniFolder(out var daily);
        WriteZip(Path.Combine(daily, "abc.zip"), "abc.csv", "20130102 00:00,1451300,1462300,1442600,1462300,100\n20130103 00:00,1451300,1462300,1442600,1462300\n");
        var e = Assert.Throws<InvalidDataException>(() => new LeanDataFolder(root).ReadEquityBars("abc"));
        Assert.That(e!.Message, Does.Contain("abc.zip:abc.csv:2").And.Contain("expected 6 fields"));
    }

    [Test]
    public void ReadEquityBars_DatesNotAscending_Throws()
    {
        var root = MiniFolder(out var daily);
        WriteZip(Path.Combine(daily, "abc.zip"), "abc.csv", "20130103 00:00,1,1,1,1,1\n20130102 00:00,1,1,1,1,1\n");
        var e = Assert.Throws<InvalidDataException>(() => new LeanDataFolder(root).ReadEquityBars("abc"));
        Assert.That(e!.Message, Does.Contain(":2:").And.Contain("not after"));
    }

    [Test]
    public void ReadEquityBars_EntryWithWrongCrc_IsRefusedNamingFileAndEntry()
    {
        var root = MiniFolder(out var daily);
        var path = Path.Combine(daily, "abc.zip");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        using (var w = new StreamWriter(zip.CreateEntry("abc.csv", CompressionLevel.NoCompression).Open()))
            w.Write("20130102 00:00,1451300,1462300,1442600,1462300,100\n");
        var bytes = File.ReadAllBytes(path);
        var at = bytes.AsSpan().IndexOf("1462300,100"u8);
        Assert.That(at, Is.GreaterThan(0), "stored entry: the row is in the file as text");
        bytes[at + 10] = (byte)'7';                                     // volume 100 → 107: same length, a valid row, wrong CRC
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => new LeanDataFolder(root).ReadEquityBars("abc"));
        Assert.That(e!.Message, Does.Contain("abc.zip").And.Contain("abc.csv").And.Contain("CRC"));
    }

    [TestCase("20130102 00:00,1472300,1462300,1442600,1452300,100", TestName = "ReadEquityBars_OpenAboveHigh_IsRefusedWithLine")]
    [TestCase("20130102 00:00,1452300,1462300,1442600,1432300,100", TestName = "ReadEquityBars_CloseBelowLow_IsRefusedWithLine")]
    [TestCase("20130102 00:00,1452300,1442600,1462300,1452300,100", TestName = "ReadEquityBars_LowAboveHigh_IsRefusedWithLine")]
    public void ReadEquityBars_InconsistentBar_IsRefused(string row)
    {
        var root = MiniFolder(out var daily);
        WriteZip(Path.Combine(daily, "abc.zip"), "abc.csv", "20130101 00:00,1451300,1462300,1442600,1462300,100\n" + row + "\n");
        var e = Assert.Throws<InvalidDataException>(() => new LeanDataFolder(root).ReadEquityBars("abc"));
        Assert.That(e!.Message, Does.Contain("abc.zip:abc.csv:2").And.Contain("inconsistent prices"));
    }

    private static string MiniFolder(out string daily)
    {
        var root = TestPaths.NewTempFolder();
        daily = Path.Combine(root, "equity", "usa", "daily");
        Directory.CreateDirectory(daily);
        return root;
    }

    internal static void WriteZip(string path, string entryName, string content)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using var w = new StreamWriter(zip.CreateEntry(entryName).Open());
        w.Write(content);
    }
}
