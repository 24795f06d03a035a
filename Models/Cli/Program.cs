using System.CommandLine;
using System.Runtime.InteropServices;

namespace LeanModels.Models.Cli;

/// <summary>Entry point of the <c>leanmodels</c> command line: <c>research</c>, <c>import</c>, <c>predict</c>, <c>regime</c>, <c>efficiency</c>.</summary>
public static class Program
{
    /// <summary>
    /// Runs the command line. The first Ctrl-C (SIGINT) or SIGTERM cancels the running command cleanly: it stops at its next
    /// cancellation point, removes its temporary output folder, prints <c>cancelled</c> and exits with
    /// <see cref="ExitCodes.Cancelled"/>; a second signal ends the process at once (its temporary folder is then removed by
    /// the next run writing the same output).
    /// </summary>
    /// <param name="args">Command-line arguments.</param>
    /// <returns>Exit code, see <see cref="ExitCodes"/>.</returns>
    public static int Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            if (cancellation.IsCancellationRequested) return;   // second signal: default action, the process ends
            context.Cancel = true;
            cancellation.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        return Run(args, Console.Out, Console.Error, cancellation.Token);
    }

    /// <summary>Runs the command line with explicit output writers (tests capture them).</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <param name="stdout">Results (tables, predictions).</param>
    /// <param name="stderr">Diagnostics and errors.</param>
    /// <param name="cancellationToken">Cancels the command (<see cref="Main"/> ties it to SIGINT and SIGTERM).</param>
    /// <returns>Exit code, see <see cref="ExitCodes"/>.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("LeanModels: deep-learning stock models for QuantConnect LEAN. " + ExitCodes.HelpText);
        foreach (var command in Commands.All(stdout, stderr, cancellationToken)) root.Subcommands.Add(command);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) stderr.WriteLine($"error: {error.Message}");
            stderr.WriteLine("Run 'leanmodels --help' for usage.");
            return ExitCodes.Usage;
        }
        // Signals are handled by Main, not by System.CommandLine (whose handler would exit 143 on SIGTERM without cleaning up).
        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, ProcessTerminationTimeout = null });
    }
}
