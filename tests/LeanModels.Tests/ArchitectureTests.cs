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
}
