using System.Globalization;
using LeanModels.Models.Data;
using LeanModels.Models.Numerics;
using LeanModels.Models.Research;
using LeanModels.Models.Research.Features;

namespace LeanModels.Tests.Models.Research.Features;

/// <summary>
/// Alpha158 against Qlib's expressions: the committed numpy/scipy reference (reference/alpha158_reference.py →
/// reference/alpha158_reference.csv: AAPL, SPY and IBM raw LEAN daily bars on six dates, every one of the 157 features),
/// hand-derived values on a small synthetic window, window-locality and no look-ahead.
/// </summary>
public class Alpha158Tests
{
    private static string ReferenceFolder => Path.Combine(TestPaths.RepositoryRoot, "tests", "LeanModels.Tests", "Models", "Research", "Features", "reference");

    [Test]
    public void Names_AreQlibsAlpha158WithoutVwap0()
    {
        // 9 k-bar + OPEN0/HIGH0/LOW0 + 29 rolling families × 5 windows = 157; VWAP0 dropped (no VWAP in LEAN bars).
        Assert.That(Alpha158.Names, Has.Count.EqualTo(157));
        Assert.That(Alpha158.Names.Distinct().Count(), Is.EqualTo(157));
        Assert.That(Alpha158.Names, Does.Not.Contain("VWAP0"));
        Assert.That(Alpha158.Names.Take(12), Is.EqualTo(new[] { "KMID", "KLEN", "KMID2", "KUP", "KUP2", "KLOW", "KLOW2", "KSFT", "KSFT2", "OPEN0", "HIGH0", "LOW0" }));
        Assert.That(Alpha158.Names.Skip(12).Take(5), Is.EqualTo(new[] { "ROC5", "ROC10", "ROC20", "ROC30", "ROC60" }));
        Assert.That(Alpha158.Names[^1], Is.EqualTo("VSUMD60"));
    }

    [Test]
    public void ComputeRow_RealBars_MatchesQlibExpressionReference()
    {
        var reference = File.ReadLines(Path.Combine(ReferenceFolder, "alpha158_reference.csv"))
            .Where(line => !line.StartsWith('#') && !line.StartsWith("ticker,", StringComparison.Ordinal))
            .Select(line => line.Split(','))
            .GroupBy(f => (Ticker: f[0], Date: f[1]))
            .ToList();
        Assert.That(reference, Has.Count.EqualTo(6), "six (ticker, date) cases");
        var folder = new LeanDataFolder(TestPaths.LeanData);
        var row = new double[Alpha158.Names.Count];
        var compared = 0;
        var worst = 0.0;
        foreach (var group in reference)
        {
            var bars = folder.ReadEquityBars(group.Key.Ticker, BarResolution.Daily, PriceAdjustment.Raw);
            var date = DateOnly.ParseExact(group.Key.Date, "yyyyMMdd", CultureInfo.InvariantCulture);
            var j = bars.ToList().FindIndex(b => b.Date == date);
            Assert.That(j, Is.GreaterThanOrEqualTo(Alpha158.WarmUpBars), $"{group.Key}: bar found with history");
            var window = bars.Skip(j - Alpha158.WarmUpBars).Take(Alpha158.LookbackBars).ToArray();
            Alpha158.ComputeRow(window.Select(b => b.Open).ToArray(), window.Select(b => b.High).ToArray(), window.Select(b => b.Low).ToArray(),
                window.Select(b => b.Close).ToArray(), window.Select(b => b.Volume).ToArray(), row);
            foreach (var f in group)
            {
                var expected = double.Parse(f[3], CultureInfo.InvariantCulture);
                var actual = row[Alpha158.Names.ToList().IndexOf(f[2])];
                // Qlib's regression sums are updated incrementally and pandas/numpy sum in another order: agreement to
                // rounding, relative to the value's magnitude (and to 1 for values near 0, e.g. residuals and correlations).
                var error = Math.Abs(actual - expected) / Math.Max(1.0, Math.Abs(expected));
                worst = Math.Max(worst, error);
                Assert.That(actual, Is.EqualTo(expected).Within(1e-9 * Math.Max(1.0, Math.Abs(expected))), $"{group.Key.Ticker} {group.Key.Date} {f[2]}");
                compared++;
            }
        }
        Assert.That(compared, Is.EqualTo(6 * 157));
        TestContext.Out.WriteLine($"Alpha158 vs Qlib-expression reference: {compared} values, worst scaled error {worst:E2}");
    }

    [Test]
    public void ComputeRow_HandBuiltWindow_MatchesHandDerivedValues()
    {
        // 61 bars: closes 100, 101, …, 160 (a straight line, slope 1 per bar); open = close − 0.5, high = close + 1,
        // low = close − 1; volume 1000 on every bar but the last (2000).
        var c = Enumerable.Range(0, 61).Select(i => 100.0 + i).ToArray();
        var o = c.Select(x => x - 0.5).ToArray();
        var h = c.Select(x => x + 1).ToArray();
        var l = c.Select(x => x - 1).ToArray();
        var v = Enumerable.Repeat(1000.0, 61).ToArray();
        v[^1] = 2000;
        var row = new double[157];
        Alpha158.ComputeRow(o, h, l, c, v, row);
        double Get(string name) => row[Alpha158.Names.ToList().IndexOf(name)];
        Assert.Multiple(() =>
        {
            Assert.That(Get("KMID"), Is.EqualTo(0.5 / 159.5).Within(1e-15));                  // (160 − 159.5)/159.5
            Assert.That(Get("KLEN"), Is.EqualTo(2 / 159.5).Within(1e-15));                    // (161 − 159)/159.5
            Assert.That(Get("KSFT2"), Is.EqualTo(0.0).Within(1e-15));                          // 2·160 − 161 − 159 = 0
            Assert.That(Get("ROC5"), Is.EqualTo(155.0 / 160).Within(1e-15));                  // C_{j−5}/C_j
            Assert.That(Get("MA5"), Is.EqualTo(158.0 / 160).Within(1e-15));                    // mean(156..160) = 158
            Assert.That(Get("STD5"), Is.EqualTo(Math.Sqrt(2.5) / 160).Within(1e-15));          // sample var of 5 consecutive integers = 2.5
            Assert.That(Get("BETA10"), Is.EqualTo(1.0 / 160).Within(1e-13));                   // a straight line: slope 1
            Assert.That(Get("RSQR20"), Is.EqualTo(1.0).Within(1e-12));                         // perfect fit
            Assert.That(Get("RESI30"), Is.EqualTo(0.0).Within(1e-12));                         // no residual
            Assert.That(Get("MAX5"), Is.EqualTo(161.0 / 160).Within(1e-15));
            Assert.That(Get("MIN5"), Is.EqualTo(155.0 / 160).Within(1e-15));                   // low 156 − 1
            Assert.That(Get("QTLU5"), Is.EqualTo(159.2 / 160).Within(1e-13));                  // 0.8·4 = 3.2 → 159 + 0.2
            Assert.That(Get("QTLD10"), Is.EqualTo(152.8 / 160).Within(1e-13));                 // 0.2·9 = 1.8 → 152 + 0.8
            Assert.That(Get("RANK20"), Is.EqualTo(1.0));                                       // the last close is the highest
            Assert.That(Get("IMAX5"), Is.EqualTo(1.0));                                        // max high on the last bar: 5/5
            Assert.That(Get("IMIN5"), Is.EqualTo(0.2));                                        // min low on the first: 1/5
            Assert.That(Get("IMXD10"), Is.EqualTo(0.9));                                       // (10 − 1)/10
            Assert.That(Get("RSV5"), Is.EqualTo(5.0 / (6 + 1e-12)).Within(1e-15));             // (160 − 155)/(161 − 155)
            Assert.That(Get("CNTP20"), Is.EqualTo(1.0));
            Assert.That(Get("CNTN20"), Is.EqualTo(0.0));
            Assert.That(Get("SUMP10"), Is.EqualTo(10 / (10 + 1e-12)).Within(1e-15));
            Assert.That(Get("SUMD10"), Is.EqualTo(10 / (10 + 1e-12)).Within(1e-15));
            Assert.That(Get("VMA5"), Is.EqualTo(1200 / (2000 + 1e-12)).Within(1e-15));         // (4·1000 + 2000)/5 = 1200
            Assert.That(Get("VSUMP5"), Is.EqualTo(1000 / (1000 + 1e-12)).Within(1e-15));        // one rise of 1000, no fall
            Assert.That(Get("VSUMN5"), Is.EqualTo(0.0));
        });
        // CORR5 of a straight line with log volume that rises once at the end: Pearson r of (1..5) and (a,a,a,a,b), b > a
        // = cov/(sx·sy): deviations x −2,−1,0,1,2 and y −δ/5 ×4, 4δ/5 → Σxy = 2·4δ/5 + (−2−1+0+1)(−δ/5) = 8δ/5 + 2δ/5 = 2δ;
        // Σx² = 10, Σy² = 4δ²/25 + 16δ²/25 = 20δ²/25 → r = 2δ / sqrt(10 · 0.8 δ²) = 2/sqrt(8) = 0.7071…
        Assert.That(Get("CORR5"), Is.EqualTo(2 / Math.Sqrt(8)).Within(1e-12));
        // CORD5: close ratios (x) are not constant, but the log volume ratio is log 2 on every bar but the last (log 3):
        // computed here from the definition with MathNet's Pearson.
        var ratio = Enumerable.Range(56, 5).Select(i => c[i] / c[i - 1]).ToArray();
        var logRatio = Enumerable.Range(56, 5).Select(i => Math.Log(v[i] / v[i - 1] + 1)).ToArray();
        Assert.That(Get("CORD5"), Is.EqualTo(MathNet.Numerics.Statistics.Correlation.Pearson(ratio, logRatio)).Within(1e-12));
    }

    [Test]
    public void ComputeRow_ConstantVolume_CorrIsNaNAndTheRowIsInvalid()
    {
        // Qlib sets Corr to NaN where a side's window std is ≈ 0 (atol 2e-5): constant volume → CORR NaN.
        var c = Enumerable.Range(0, 61).Select(i => 100.0 + Math.Sin(i)).ToArray();
        var v = Enumerable.Repeat(1000.0, 61).ToArray();
        var row = new double[157];
        Alpha158.ComputeRow(c, c.Select(x => x + 1).ToArray(), c.Select(x => x - 1).ToArray(), c, v, row);
        Assert.That(row[Alpha158.Names.ToList().IndexOf("CORR5")], Is.NaN);
        Assert.That(row[Alpha158.Names.ToList().IndexOf("CORR60")], Is.NaN);

        var panel = Panel.FromBars(["x", "y"], [Bars(c, v), Bars(c.Select(x => x * 2).ToArray(), v.Select((x, i) => x + 300 * Math.Cos(1.7 * i)).ToArray())]);
        var features = Alpha158.Build(panel);
        Assert.That(features.IsValid(60, 0), Is.False, "constant volume: Corr NaN → invalid row, never a silent NaN");
        Assert.That(features.IsValid(60, 1), Is.True);
        Assert.That(features.IsValid(59, 1), Is.False, "60 bars are not enough");
    }

    [Test]
    public void Build_RandomPanel_EqualsRowsComputedFromEachAssetsLast61Bars()
    {
        // Window-locality: the panel builder's row equals ComputeRow on just the asset's last 61 bars (what a LEAN rolling
        // window holds), bit for bit, including an asset that misses days.
        var (tickers, bars) = ResearchTestData.RandomWalk(assets: 3, days: 150, seed: 11);
        bars[2] = bars[2].Where((b, i) => i % 7 != 3).ToList();
        var panel = Panel.FromBars(tickers, bars);
        var features = Alpha158.Build(panel);
        Assert.That(features.Names, Is.SameAs(Alpha158.Names));
        var row = new double[157];
        for (var a = 0; a < 3; a++)
        {
            var own = bars[a];
            for (var j = Alpha158.WarmUpBars; j < own.Count; j += 13)
            {
                var w = own.Skip(j - Alpha158.WarmUpBars).Take(Alpha158.LookbackBars).ToArray();
                Alpha158.ComputeRow(w.Select(b => b.Open).ToArray(), w.Select(b => b.High).ToArray(), w.Select(b => b.Low).ToArray(),
                    w.Select(b => b.Close).ToArray(), w.Select(b => b.Volume).ToArray(), row);
                var d = panel.IndexOnOrAfter(own[j].Date);
                Assert.That(features.IsValid(d, a), $"asset {a} bar {j}");
                Assert.That(features.Row(d, a).SequenceEqual(row), $"asset {a} bar {j}: bit-identical");
            }
        }
    }

    [Test]
    public void Build_PerturbBarsAfterT_EveryValueAtOrBeforeTIsBitIdentical()
    {
        var folder = new LeanDataFolder(TestPaths.LeanData);
        string[] tickers = ["aapl", "spy", "ibm", "bac"];
        var end = new DateOnly(2012, 12, 31);
        var bars = tickers.Select(x => folder.ReadEquityBars(x).Where(b => b.Date <= end && b.Date.Year >= 2010).ToList()).ToArray();
        var original = Alpha158.Build(Panel.FromBars(tickers, bars));
        var t = new DateOnly(2011, 6, 15);
        var rng = new Xoshiro256StarStar(5);
        var perturbed = bars.Select(list => list.Select(b => b.Date <= t ? b : new Bar(b.Time, b.Open * 1.3, b.High * 1.5, b.Low * 0.7,
            b.Close * Math.Exp(0.1 * rng.NextGaussian()), b.Volume * (0.5 + rng.NextDouble()))).ToList()).ToArray();
        var panel = Panel.FromBars(tickers, perturbed);
        var changed = Alpha158.Build(panel);
        var upTo = (panel.IndexOnOrAfter(t) + 1) * tickers.Length;
        int F = Alpha158.Names.Count;
        Assert.That(original.Valid.AsSpan(0, upTo).ToArray().Count(x => x), Is.GreaterThan(100), "valid rows before t exist");
        Assert.That(changed.Values.AsSpan(0, upTo * F).SequenceEqual(original.Values.AsSpan(0, upTo * F)), "values ≤ t");
        Assert.That(changed.Valid.AsSpan(0, upTo).SequenceEqual(original.Valid.AsSpan(0, upTo)), "validity ≤ t");
        Assert.That(changed.Values.AsSpan(upTo * F).SequenceEqual(original.Values.AsSpan(upTo * F)), Is.False, "the perturbation reaches rows after t");
    }

    [Test]
    public void FeatureSetCatalog_ResolvesAlpha158ByNameAndBySpecification()
    {
        var builder = FeatureSetCatalog.Get("alpha158");
        Assert.That(FeatureSetCatalog.Names, Is.EqualTo(new[] { "basic", "alpha158" }));
        Assert.That(builder.Specification.Version, Is.EqualTo("alpha158/1"));
        Assert.That(builder.Specification.FeatureNames, Is.SameAs(Alpha158.Names));
        Assert.That(builder.WarmUpBars, Is.EqualTo(60));
        Assert.That(FeatureSetCatalog.TryGet(new FeatureSpecification("alpha158", "alpha158/1", Alpha158.Names.ToArray()), out var found) && found == builder);
        Assert.That(FeatureSetCatalog.TryGet(new FeatureSpecification("alpha158", "alpha158/0", Alpha158.Names), out _), Is.False, "another version");
        Assert.That(FeatureSetCatalog.TryGet(new FeatureSpecification("alpha158", "alpha158/1", Alpha158.Names.Reverse().ToArray()), out _), Is.False, "another order");
        var panel = ResearchTestData.Panel(3, 90, 1);
        Assert.That(builder.Build(panel).Values.AsSpan().SequenceEqual(Alpha158.Build(panel).Values), "the builder is Alpha158.Build");
        Assert.That(() => FeatureSetCatalog.Get("alpha360"), Throws.ArgumentException.With.Message.Contains("alpha158"));
    }

    private static List<Bar> Bars(double[] close, double[] volume) =>
        close.Select((x, i) => new Bar(new DateTime(2020, 1, 1).AddDays(i), x, x + 1, x - 1, x, volume[i])).ToList();
}
