using System.Text.Json;
using LeanModels.Models.Regime;
using LeanModels.Models.RiskMeasures;
using LeanModels.Tests.Models.Regime;

namespace LeanModels.Tests.Models.RiskMeasures;

/// <summary>
/// VaR/CVaR and drawdown on SPY daily log returns in percent, 1998-01-05..2021-03-31, against
/// reference/risk_measures_spy.json (independent numpy/scipy implementations: quadrature where we use closed forms).
/// </summary>
public class SpyRiskMeasuresTests
{
    private static JsonElement Ref() => SpyReturns.ReadReference("RiskMeasures", "risk_measures_spy.json");

    private static (double Var, double Cvar) Pair(JsonElement e) => (e[0].GetDouble(), e[1].GetDouble());

    [TestCase("0.01")]
    [TestCase("0.05")]
    public void TailRisk_Spy_MatchesScipyReference(string alphaKey)
    {
        // Tolerances: historical and Gaussian use the same arithmetic on the same data (1e-10, summation order only);
        // Cornish–Fisher and GARCH-t CVaR are compared with scipy quad integrals of the quantile function, whose
        // requested accuracy is 1e-12 relative but whose integrand is singular at u = 0, so 1e-7 relative.
        var r = Ref().GetProperty("results").GetProperty(alphaKey);
        var alpha = double.Parse(alphaKey, System.Globalization.CultureInfo.InvariantCulture);
        var y = SpyReturns.Scaled(100);

        var h = TailRiskMeasures.Historical(y, alpha);
        var (hv, hc) = Pair(r.GetProperty("historical"));
        Assert.That(h.ValueAtRisk, Is.EqualTo(hv).Within(1e-10));
        Assert.That(h.ConditionalValueAtRisk, Is.EqualTo(hc).Within(1e-10));

        var g = TailRiskMeasures.Gaussian(y, alpha);
        var (gv, gc) = Pair(r.GetProperty("gaussian"));
        Assert.That(g.ValueAtRisk, Is.EqualTo(gv).Within(1e-10));
        Assert.That(g.ConditionalValueAtRisk, Is.EqualTo(gc).Within(1e-10));

        var cf = TailRiskMeasures.CornishFisher(y, alpha);
        var (cv, cc) = Pair(r.GetProperty("cornish_fisher"));
        TestContext.Out.WriteLine($"α = {alpha}: historical {h}, Gaussian {g}, Cornish–Fisher {cf}; CF CVaR diff vs quad = {cf.ConditionalValueAtRisk - cc:E2}");
        Assert.That(cf.ValueAtRisk, Is.EqualTo(cv).Within(1e-9));
        Assert.That(cf.ConditionalValueAtRisk, Is.EqualTo(cc).Within(1e-7).Percent.Or.EqualTo(cc).Within(1e-9));

        var gjr = SpyReturns.ReadReference("Regime", "garch_spy.json").GetProperty("models").GetProperty("gjr_t").GetProperty("params");
        var model = GarchModel.FromParameters(GarchVariant.Gjr, GarchInnovation.StudentT, gjr.GetProperty("mu").GetDouble(), gjr.GetProperty("omega").GetDouble(),
            gjr.GetProperty("alpha").GetDouble(), gjr.GetProperty("gamma").GetDouble(), gjr.GetProperty("beta").GetDouble(), gjr.GetProperty("nu").GetDouble(),
            SpyReturns.ReadReference("Regime", "garch_spy.json").GetProperty("backcast").GetDouble());
        var m = TailRiskMeasures.FromGarch(model, y, alpha);
        var (mv, mc) = Pair(r.GetProperty("gjr_t"));
        TestContext.Out.WriteLine($"α = {alpha}: GJR-t one-day-ahead {m}; CVaR diff vs quad = {m.ConditionalValueAtRisk - mc:E2}");
        Assert.That(m.ValueAtRisk, Is.EqualTo(mv).Within(1e-9));
        Assert.That(m.ConditionalValueAtRisk, Is.EqualTo(mc).Within(1e-7).Percent);
    }

    [Test]
    public void MaxDrawdown_Spy_MatchesNumpy()
    {
        // Price index exp(Σ r) from the unscaled log returns; numpy: 1 − p / maximum.accumulate(p). Same arithmetic
        // up to exp/cumsum rounding: 1e-12.
        var r = Ref();
        var price = new double[SpyReturns.Returns.Length];
        var s = 0.0;
        for (var t = 0; t < price.Length; t++) { s += SpyReturns.Returns[t]; price[t] = Math.Exp(s); }
        var dd = new double[price.Length];
        var max = DrawdownTracker.Drawdowns(price, dd);
        TestContext.Out.WriteLine($"SPY max drawdown 1998–2021 = {max:F4} on {SpyReturns.Dates[Array.IndexOf(dd, max)]}");
        Assert.That(max, Is.EqualTo(r.GetProperty("max_drawdown").GetDouble()).Within(1e-12));
        Assert.That(Array.IndexOf(dd, max), Is.EqualTo(r.GetProperty("max_drawdown_index").GetInt32()));
    }
}
