using System.Reflection;
using QuantConnect;

namespace LeanModels.Tests.LeanFacade;

/// <summary>
/// Every public member of the facade exists, with the same signature, in LEAN: the facade is dumped with
/// ../shared/tools/apidump (its Program.cs is linked into this assembly) and each line must appear in
/// ../shared/docs/lean-public-api.txt, LEAN's dump at commit 24863901 (type lines compared without their " @Assembly").
/// </summary>
public class FacadeApiTests
{
    /// <summary>The namespaces lean-public-api.txt covers (its header).</summary>
    private const string DumpedNamespaces =
        "QuantConnect,QuantConnect.Algorithm,QuantConnect.Algorithm.Framework.*,QuantConnect.Data,QuantConnect.Data.Market,"
        + "QuantConnect.Data.UniverseSelection,QuantConnect.Data.Consolidators,QuantConnect.Securities,QuantConnect.Scheduling,"
        + "QuantConnect.Indicators,QuantConnect.Interfaces,QuantConnect.Storage,QuantConnect.Orders,QuantConnect.Statistics,"
        + "QuantConnect.Util,Common.Util,Common.Data.Consolidators";

    /// <summary>Facade types outside those namespaces: they exist in LEAN but the reference dump cannot check them.</summary>
    private static readonly string[] UncheckedTypes =
    [
        "QuantConnect.Python.BasePythonWrapper`1",        // base of AlphaModel; Python types are left out of the dump
        "QuantConnect.Securities.Equity.Equity",          // return type of QCAlgorithm.AddEquity; namespace not dumped
    ];

    private static string Strip(string line)
    {
        var at = line.LastIndexOf(" @", StringComparison.Ordinal);
        return line.StartsWith("T ", StringComparison.Ordinal) && at > 0 ? line[..at] : line;
    }

    private static List<string> DumpFacade()
    {
        var output = Path.Combine(TestPaths.NewTempFolder(), "facade-api.txt");
        var main = typeof(ApiDump.Program).GetMethod("Main", BindingFlags.NonPublic | BindingFlags.Static)!;
        var facade = typeof(Symbol).Assembly.Location;
        var status = (int)main.Invoke(null, [new[] { "--out", output, "--ns", DumpedNamespaces, facade }])!;
        Assert.That(status, Is.EqualTo(0), "apidump failed");
        return File.ReadAllLines(output).Where(l => !l.StartsWith('#')).Select(Strip).ToList();
    }

    [Test]
    public void FacadeDump_EveryLine_ExistsInLeanPublicApi()
    {
        var lean = File.ReadAllLines(Path.Combine(TestPaths.Shared, "docs", "lean-public-api.txt"))
            .Where(l => !l.StartsWith('#')).Select(Strip).ToHashSet(StringComparer.Ordinal);
        var facade = DumpFacade();
        Assert.That(facade, Has.Count.GreaterThan(100), "the dump should list the facade's types and members");
        var missing = facade.Where(l => !lean.Contains(l)).ToList();
        Assert.That(missing, Is.Empty, "facade members that LEAN lacks (or whose signature differs):\n" + string.Join("\n", missing));
    }

    [Test]
    public void FacadeDump_ListsTheTypesThePackUses()
    {
        var facade = DumpFacade();
        foreach (var type in new[] { "QuantConnect.Algorithm.QCAlgorithm", "QuantConnect.Algorithm.Framework.Alphas.AlphaModel",
                     "QuantConnect.Algorithm.Framework.Portfolio.PortfolioConstructionModel", "QuantConnect.Algorithm.Framework.Risk.RiskManagementModel",
                     "QuantConnect.Data.Slice", "QuantConnect.Storage.ObjectStore" })
            Assert.That(facade.Any(l => l.StartsWith("T " + type + " ", StringComparison.Ordinal)), Is.True, type);
    }

    [Test]
    public void FacadeTypes_OutsideDumpedNamespaces_AreOnlyTheKnownOnes()
    {
        var specs = DumpedNamespaces.Split(',');
        bool Dumped(string ns) => specs.Any(s => s.EndsWith(".*", StringComparison.Ordinal)
            ? ns == s[..^2] || ns.StartsWith(s[..^1], StringComparison.Ordinal)
            : ns == s);
        var outside = typeof(Symbol).Assembly.GetExportedTypes().Where(t => !Dumped(t.Namespace ?? "")).Select(t => t.FullName!).Order().ToList();
        Assert.That(outside, Is.EquivalentTo(UncheckedTypes));
    }
}
