using LeanModels.Models.Data;

namespace LeanModels.Tests;

public class ArchitectureTests
{
    [Test]
    public void ModelsAssembly_ReferencesNoLeanAssembly()
    {
        var references = typeof(FactorFile).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();
        Assert.That(references, Is.Not.Empty);
        Assert.That(references.Where(n => n.StartsWith("QuantConnect", StringComparison.OrdinalIgnoreCase)), Is.Empty);
    }

    [Test]
    public void ModelsAssembly_ReferencesNoChartLibrary_ReportingReferencesNoLean()
    {
        // The LEAN pack references LeanModels.Models only; charts (ScottPlot, SkiaSharp's native library) stay in LeanModels.Reporting.
        var models = typeof(FactorFile).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();
        Assert.That(models.Where(n => n.StartsWith("ScottPlot", StringComparison.OrdinalIgnoreCase) || n.StartsWith("SkiaSharp", StringComparison.OrdinalIgnoreCase)), Is.Empty);
        var reporting = typeof(LeanModels.Models.Reporting.ResearchCharts).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();
        Assert.That(reporting, Does.Contain("ScottPlot").And.Contain("LeanModels.Models"));
        Assert.That(reporting.Where(n => n.StartsWith("QuantConnect", StringComparison.OrdinalIgnoreCase)), Is.Empty);
    }
}
