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

    /// <summary>Runs <c>leanmodels</c> and cancels it (as SIGINT/SIGTERM do) as soon as stderr receives a line containing
    /// <paramref name="cancelOn"/>.</summary>
    protected static (int Code, string Out, string Err) RunAndCancelOn(string cancelOn, params string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        var stdout = new StringWriter();
        var stderr = new CancellingWriter(cancelOn, cancellation);
        var code = Program.Run(args, stdout, stderr, cancellation.Token);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The id of a process that has exited (a finished child): no live process owns it.</summary>
    protected static int DeadProcessId()
    {
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("dotnet", "--version") { UseShellExecute = false, RedirectStandardOutput = true })!;
        p.WaitForExit();
        return p.Id;
    }

    /// <summary>Leaves behind what a killed run leaves: <c>&lt;output&gt;.tmp-&lt;dead pid&gt;-&lt;hex&gt;</c> holding the marker and a partial file.</summary>
    protected static string LeaveKilledRunsTemporaryFolder(string output, LeanModels.Models.IO.OutputMarker marker)
    {
        var leftover = $"{output}.tmp-{DeadProcessId()}-0badf00d";
        Directory.CreateDirectory(leftover);
        File.WriteAllText(Path.Combine(leftover, marker.FileName), marker.Content);
        File.WriteAllText(Path.Combine(leftover, "partial.csv"), "date,ticker\n2010-01");
        return leftover;
    }

    private sealed class CancellingWriter(string trigger, CancellationTokenSource cancellation) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value is not null && value.Contains(trigger, StringComparison.Ordinal)) cancellation.Cancel();
        }
    }
}
