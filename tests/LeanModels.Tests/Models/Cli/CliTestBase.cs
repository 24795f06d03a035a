using LeanModels.Models.Cli;

namespace LeanModels.Tests.Models.Cli;

/// <summary>Runs the command line in-process with captured output, in a fresh temporary folder per test.</summary>
public abstract class CliTestBase
{
    /// <summary>The test's temporary folder, deleted after the test.</summary>
    protected string Root { get; private set; } = "";

    [SetUp]
    public void CreateRoot() => Root = TestPaths.NewTempFolder();

    [TearDown]
    public void DeleteRoot() => Directory.Delete(Root, recursive: true);

    /// <summary>Runs <c>leanmodels</c> with <paramref name="args"/>; returns the exit code, stdout and stderr.</summary>
    protected static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
