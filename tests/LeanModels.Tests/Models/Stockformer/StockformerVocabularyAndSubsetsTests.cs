using LeanModels.Models.Numerics;
using LeanModels.Models.Stockformer;

namespace LeanModels.Tests.Models.Stockformer;

public class StockformerVocabularyAndSubsetsTests
{
    [Test]
    public void Vocabulary_OrderAndCaseFree_UnknownIsZero()
    {
        var v1 = new StockformerVocabulary(["msft", "AAPL", "spy", "MSFT"]);
        var v2 = new StockformerVocabulary(["SPY", "aapl", "MSFT"]);
        Assert.That(v1.Tickers, Is.EqualTo(new[] { "AAPL", "MSFT", "SPY" }));
        Assert.That(v1.Size, Is.EqualTo(4));
        Assert.That(new[] { v1.IndexOf("aapl"), v1.IndexOf("MSFT"), v1.IndexOf("spy") }, Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That(v2.IndexOf("Spy"), Is.EqualTo(v1.IndexOf("SPY")));
        Assert.That(v1.IndexOf("TSLA"), Is.EqualTo(0));
        Assert.Throws<ArgumentException>(() => _ = new StockformerVocabulary(["A", " "]));
    }

    [Test]
    public void RowsWithUnknown_RateZeroIsIndexOf_RateHalfMapsAboutHalfToZero()
    {
        var v = new StockformerVocabulary(Enumerable.Range(0, 400).Select(i => $"T{i}"));
        var tickers = Enumerable.Range(0, 400).Select(i => $"T{i}").ToArray();
        Assert.That(v.RowsWithUnknown(tickers, 0, new Xoshiro256StarStar(1)), Is.EqualTo(tickers.Select(v.IndexOf).ToArray()));
        var rows = v.RowsWithUnknown(tickers, 0.5, new Xoshiro256StarStar(1));
        var zeros = rows.Count(r => r == 0);
        Assert.That(zeros, Is.InRange(150, 250));                                               // 200 ± 5σ (σ = 10)
        Assert.That(rows.Where(r => r != 0), Is.EqualTo(tickers.Select(v.IndexOf).Where((_, i) => rows[i] != 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => v.RowsWithUnknown(tickers, 1, new Xoshiro256StarStar(1)));
    }

    [Test]
    public void Sample_KAmongPresent_SortedDistinctAndSeeded()
    {
        var present = Enumerable.Range(0, 20).Select(a => a % 4 != 3).ToArray();              // 15 present
        var s1 = StockformerSubsets.Sample(present, 6, new Xoshiro256StarStar(1));
        var s2 = StockformerSubsets.Sample(present, 6, new Xoshiro256StarStar(1));
        var s3 = StockformerSubsets.Sample(present, 6, new Xoshiro256StarStar(2));
        Assert.That(s1, Is.EqualTo(s2));
        Assert.That(s1, Is.Not.EqualTo(s3));
        Assert.That(s1, Is.Ordered.And.Unique);
        Assert.That(s1.Length, Is.EqualTo(6));
        Assert.That(s1.All(a => present[a]), Is.True);
        Assert.That(StockformerSubsets.Sample(present, 50, new Xoshiro256StarStar(1)).Length, Is.EqualTo(15));
    }

    [Test]
    public void Take_CopiesChosenAssetsAndLeavesTheRestAbsent()
    {
        // [T=2, A=3, F=2] with value 100·t + 10·a + f; choose assets 2 and 0 into K = 3 columns
        var x = new float[12];
        for (var t = 0; t < 2; t++) for (var a = 0; a < 3; a++) for (var f = 0; f < 2; f++) x[(t * 3 + a) * 2 + f] = 100 * t + 10 * a + f;
        bool[] available = [true, false, true, true, true, false];
        var xo = new float[12];
        var ao = new bool[6];
        StockformerSubsets.Take<float>(x, available, 3, [2, 0], xo, ao);
        Assert.That(xo, Is.EqualTo(new float[] { 20, 21, 0, 1, 0, 0, 120, 121, 100, 101, 0, 0 }));
        Assert.That(ao, Is.EqualTo(new[] { true, true, false, false, true, false }));
    }
}
