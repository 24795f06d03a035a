using LeanModels.Models.Data;
using LeanModels.Models.Data.Import;

namespace LeanModels.Tests.Models.Data.Import;

public class RatioFactorBuilderTests
{
    private static int _line = 1;

    /// <summary>A row on 2020-01-<paramref name="day"/> with close 10, the given ratio, split and dividend.</summary>
    private static DailyPriceRow Row(int day, double ratio, double split = 1.0, double dividend = 0.0) =>
        new(new DateOnly(2020, 1, day), 10m, 10m, 10m, 10m, 10.0 * ratio, 100, dividend, split, ++_line);

    private static readonly FactorRow Sentinel = new(new DateOnly(2050, 12, 31), 1, 1, 0);

    [Test]
    public void Build_NoEvents_StartRowAndSentinelOnly()
    {
        var file = RatioFactorBuilder.Build([Row(2, 1), Row(3, 1), Row(6, 1)], "t");
        Assert.That(file.Rows, Is.EqualTo(new[] { new FactorRow(new DateOnly(2020, 1, 2), 1, 1, 1), Sentinel }));
    }

    [Test]
    public void Build_FirstSegmentOneDay_NoSeparateStartRow()
    {
        // ratio 0.5 on 01-02 only, then 1: the change row is dated 01-02 = the first date, so it replaces the start row
        // (reference price = that day's close 10, not 1), keeping dates strictly ascending.
        var file = RatioFactorBuilder.Build([Row(2, 0.5), Row(3, 1), Row(6, 1)], "t");
        Assert.That(file.Rows, Is.EqualTo(new[] { new FactorRow(new DateOnly(2020, 1, 2), 0.5, 1, 10), Sentinel }));
    }

    [Test]
    public void Build_LastSegmentNotIdentity_RowAtLastDate()
    {
        // adjusted_close = 0.9 × close on the last two days (an odd file): without a row at 01-06 they would get factor 1.
        var file = RatioFactorBuilder.Build([Row(2, 0.8), Row(3, 0.9), Row(6, 0.9)], "t");
        Assert.That(file.Rows, Is.EqualTo(new[]
        {
            new FactorRow(new DateOnly(2020, 1, 2), 0.8, 1, 10),
            new FactorRow(new DateOnly(2020, 1, 6), 0.9, 1, 10),
            Sentinel,
        }));
        Assert.That(file.PriceScaleFactor(new DateOnly(2020, 1, 3)), Is.EqualTo(0.9));
    }

    [Test]
    public void Build_SplitAbsentFromRatio_PriceFactorAbsorbsIt()
    {
        // Split 2:1 in the column on 01-06 but adjusted_close ignores it (ratio 1 throughout; cf. TMUS's opposite case):
        // splitFactor 0.5 before 01-06, priceFactor = 1 / 0.5 = 2, so the scale stays 1 and adjusted_close is reproduced.
        var file = RatioFactorBuilder.Build([Row(2, 1), Row(3, 1), Row(6, 1, split: 2)], "t");
        Assert.That(file.Rows, Is.EqualTo(new[]
        {
            new FactorRow(new DateOnly(2020, 1, 2), 2, 0.5, 1),
            new FactorRow(new DateOnly(2020, 1, 3), 2, 0.5, 10),
            Sentinel,
        }));
        Assert.That(file.PriceScaleFactor(new DateOnly(2020, 1, 2)), Is.EqualTo(1.0));
    }

    [Test]
    public void Build_ChangeBelowThreshold_NoRow()
    {
        // relative change 5e-10 < 1e-9: one segment; the last day's factor 1 + 5e-10 is within the threshold of 1 → identity.
        var file = RatioFactorBuilder.Build([Row(2, 1 + 5e-10), Row(3, 1)], "t");
        Assert.That(file.Rows, Has.Count.EqualTo(2));
    }

    [Test]
    public void Build_RowsNotAscending_ThrowsArgumentException()
    {
        var e = Assert.Throws<ArgumentException>(() => RatioFactorBuilder.Build([Row(3, 1), Row(2, 1)], "t"));
        Assert.That(e!.Message, Does.Contain("2020-01-02 after 2020-01-03"));
        Assert.Throws<ArgumentException>(() => RatioFactorBuilder.Build([], "t"));
    }
}
