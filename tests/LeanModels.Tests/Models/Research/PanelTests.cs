using LeanModels.Models.Data;
using LeanModels.Models.Research;

namespace LeanModels.Tests.Models.Research;

public class PanelTests
{
    private static Bar B(int day, double price) => new(new DateTime(2021, 1, day), price, price, price, price, 100);

    [Test]
    public void FromBars_AssetListedLateAndMissingADay_IsMaskedNotForwardFilled()
    {
        // a trades on 4, 5, 6, 7; b starts on 5 and misses 6.
        var panel = Panel.FromBars(["a", "b"], [[B(4, 10), B(5, 11), B(6, 12), B(7, 13)], [B(5, 20), B(7, 22)]]);
        Assert.That(panel.Dates, Is.EqualTo(new[] { new DateOnly(2021, 1, 4), new DateOnly(2021, 1, 5), new DateOnly(2021, 1, 6), new DateOnly(2021, 1, 7) }));
        Assert.That(panel.Available, Is.EqualTo(new[] { true, false, true, true, true, false, true, true }));
        Assert.That(double.IsNaN(panel.Close[0 * 2 + 1]), "b before listing");
        Assert.That(double.IsNaN(panel.Close[2 * 2 + 1]), "b's missing day is not forward-filled");
        Assert.That(panel.Close[3 * 2 + 1], Is.EqualTo(22));
    }

    [Test]
    public void FromBars_DuplicateTicker_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Panel.FromBars(["a", "A"], [[B(4, 1)], [B(4, 1)]]));
        Assert.That(e!.Message, Does.Contain("given twice"));
    }

    [Test]
    public void ForwardLogReturn_HorizonTwo_UsesNextOpenAndMasksGaps()
    {
        // opens a: 10, 11, 12, 13, 14; label_0 = log(O_3 / O_1) = log(13/11) (decide after close 0, trade at open 1, H = 2)
        var panel = Panel.FromBars(["a", "b"],
            [[B(4, 10), B(5, 11), B(6, 12), B(7, 13), B(8, 14)], [B(4, 20), B(5, 21), B(7, 23), B(8, 24)]]);
        var label = Labels.ForwardLogReturn(panel, 2);
        Assert.That(label[0 * 2 + 0], Is.EqualTo(Math.Log(13.0 / 11.0)).Within(1e-15));
        Assert.That(label[1 * 2 + 0], Is.EqualTo(Math.Log(14.0 / 12.0)).Within(1e-15));
        Assert.That(double.IsNaN(label[2 * 2 + 0]), "needs a bar at d + 3 = 5, beyond the panel");
        // b has bars on date indices 0, 1, 3, 4 (none on 2): label_0 needs 0, 1, 3 → log(23/21); label_1 needs 1, 2, 4 → absent.
        Assert.That(label[0 * 2 + 1], Is.EqualTo(Math.Log(23.0 / 21.0)).Within(1e-15));
        Assert.That(double.IsNaN(label[1 * 2 + 1]), "the missing bar on date 2 masks the label, never forward-filled");
        Assert.That(double.IsNaN(label[2 * 2 + 1]), "no bar on the decision date");
    }

    [Test]
    public void NextOpenToOpenReturn_ExitsAtNextOpenOrAtTheLastCloseBeforeAGap()
    {
        // b: bars on date indices 0, 1, 3 (none on 2). Decision at 0 enters at open 1 (21); no bar on 2, so it leaves at
        // the close of 1 (21, B sets O = C): 21/21 − 1 = 0. a: O_2/O_1 − 1 = 12/11 − 1. Decision at 1: b has no entry open → NaN.
        var panel = Panel.FromBars(["a", "b"], [[B(4, 10), B(5, 11), B(6, 12), B(7, 13)], [B(4, 20), B(5, 21), B(7, 23)]]);
        var ret = Labels.NextOpenToOpenReturn(panel);
        Assert.That(ret[0 * 2 + 0], Is.EqualTo(12.0 / 11.0 - 1).Within(1e-15));
        Assert.That(ret[0 * 2 + 1], Is.EqualTo(0.0));
        Assert.That(double.IsNaN(ret[1 * 2 + 1]));
        Assert.That(ret[2 * 2 + 0], Is.EqualTo(0.0), "last bar: enters at open 3 and leaves at close 3 (B sets O = C)");
        Assert.That(double.IsNaN(ret[3 * 2 + 0]), "no bar after the last date");
    }
}
