using System.Reflection;
using LeanModels.Algorithms;
using LeanModels.Alpha;
using LeanModels.Portfolio;
using LeanModels.Risk;
using QuantConnect.Algorithm;
using QuantConnect.Algorithm.Framework.Alphas;
using QuantConnect.Algorithm.Framework.Portfolio;
using QuantConnect.Algorithm.Framework.Risk;

namespace LeanModels.Tests.LeanFacade;

/// <summary>
/// The facade holds only the members the pack uses, so a member of ours that hides one of the real LEAN base class's
/// (e.g. a nested type named <c>Settings</c> in a <see cref="QCAlgorithm"/> subclass, which hides QCAlgorithm.Settings)
/// compiles silently here but warns — an error under our build rules — against LEAN. Checked against
/// ../shared/docs/lean-public-api.txt.
/// </summary>
public class HidingTests
{
    private static readonly (Type Ours, string LeanBase)[] Pairs =
    [
        (typeof(EtfForecast), typeof(QCAlgorithm).FullName!),
        (typeof(StockForecast), typeof(QCAlgorithm).FullName!),
        (typeof(ForecastAlphaModel), typeof(AlphaModel).FullName!),
        (typeof(AllocationPortfolioConstructionModel), typeof(PortfolioConstructionModel).FullName!),
        (typeof(RegimeAwareRiskManagementModel), typeof(RiskManagementModel).FullName!),
    ];

    [Test]
    public void DeclaredMembers_DoNotHideMembersOfTheRealLeanBase()
    {
        var lean = File.ReadAllLines(Path.Combine(TestPaths.Shared, "docs", "lean-public-api.txt"));
        foreach (var (ours, leanBase) in Pairs)
        {
            var inherited = lean.Where(l => l.Length > 2 && l[0] != 'T' && l[1] == ' ' && l[2..].StartsWith(leanBase + "::", StringComparison.Ordinal))
                .Select(l => l[(2 + leanBase.Length + 2)..].Split(' ', '(', '<')[0]).ToHashSet(StringComparer.Ordinal);
            Assert.That(inherited, Is.Not.Empty, leanBase);
            var declared = ours.GetMembers(BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
                .Where(m => m is not MethodInfo { IsVirtual: true } || ((MethodInfo)m).GetBaseDefinition().DeclaringType == ours)
                .Where(m => m is not MethodBase { IsSpecialName: true } && m is not ConstructorInfo)
                .Where(m => !(m is PropertyInfo p && (p.GetMethod ?? p.SetMethod)!.GetBaseDefinition().DeclaringType != ours))
                .Select(m => m.Name).ToList();
            Assert.That(declared.Where(inherited.Contains), Is.Empty, $"{ours.Name} hides members of {leanBase}");
        }
    }
}
