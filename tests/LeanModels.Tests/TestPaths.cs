namespace LeanModels.Tests;

/// <summary>Locates the repository root and the read-only ../shared folder beside it.</summary>
internal static class TestPaths
{
    /// <summary>The folder holding LeanModels.sln, found by walking up from the test assembly.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>../shared beside the repository.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));

    /// <summary>../shared/data/lean: real LEAN-format sample data.</summary>
    public static string LeanData => Path.Combine(Shared, "data", "lean");

    /// <summary>../shared/data/sp500: Alpha Vantage daily-adjusted CSVs (gzip).</summary>
    public static string Sp500 => Path.Combine(Shared, "data", "sp500");

    /// <summary>A new empty temporary folder, deleted by the caller (or left in /tmp).</summary>
    public static string NewTempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "leanmodels-tests-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        return path;
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LeanModels.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException($"LeanModels.sln not found above {AppContext.BaseDirectory}.");
    }
}
