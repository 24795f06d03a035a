using System.CommandLine;

namespace LeanModels.Models.Cli;

/// <summary>Entry point of the <c>leanmodels</c> command line: <c>research</c>, <c>import</c>, <c>predict</c>, <c>regime</c>.</summary>
public static class Program
{
    /// <summary>Runs the command line.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <returns>Exit code, see <see cref="ExitCodes"/>.</returns>
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the command line with explicit output writers (tests capture them).</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <param name="stdout">Results (tables, predictions).</param>
    /// <param name="stderr">Diagnostics and errors.</param>
    /// <returns>Exit code, see <see cref="ExitCodes"/>.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("LeanModels: deep-learning stock models for QuantConnect LEAN. " + ExitCodes.HelpText);
        foreach (var command in Commands.All(stdout, stderr)) root.Subcommands.Add(command);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) stderr.WriteLine($"error: {error.Message}");
            stderr.WriteLine("Run 'leanmodels --help' for usage.");
            return ExitCodes.Usage;
        }
        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }
}
