using System.CommandLine;
using LeanModels.Models.IO;
using LeanModels.Models.Research;

namespace LeanModels.Models.Cli;

/// <summary>The sub-commands and the one place that maps exceptions to exit codes.</summary>
internal static class Commands
{
    /// <summary>Every sub-command of <c>leanmodels</c>.</summary>
    /// <param name="stdout">Results.</param>
    /// <param name="stderr">Diagnostics and errors.</param>
    /// <param name="cancellationToken">Cancels the running command (SIGINT, SIGTERM).</param>
    public static IEnumerable<Command> All(TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        yield return ResearchCommand.Create(stdout, stderr, cancellationToken);
        yield return ImportCommand.Create(stdout, stderr, cancellationToken);
        yield return PredictCommand.Create(stdout, stderr, cancellationToken);
        yield return RegimeCommand.Create(stdout, stderr, cancellationToken);
        yield return EfficiencyCommand.Create(stdout, stderr, cancellationToken);
    }

    /// <summary>The full path of a path option's value, or a usage error for an empty or invalid path.</summary>
    /// <param name="value">The option's value.</param>
    /// <param name="option">The option's name, e.g. <c>--out</c>, for the message.</param>
    /// <returns>The absolute path.</returns>
    /// <exception cref="UsageException">The value is empty, blank, or not a valid path (e.g. holds a NUL character).</exception>
    public static string FullPath(string? value, string option)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new UsageException($"{option}: empty path.");
        try
        {
            return Path.GetFullPath(value);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new UsageException($"{option}: '{value}' is not a valid path.");
        }
    }

    /// <summary>
    /// Runs a command body and maps failures to exit codes. Only validation errors exit 2: <see cref="UsageException"/> and
    /// <see cref="InvalidOptionException"/>. Bad data exits 3: <see cref="InvalidDataException"/>,
    /// <see cref="Data.UnknownTickerException"/>, <see cref="FileNotFoundException"/>, <see cref="DirectoryNotFoundException"/>.
    /// Output exits 4: <see cref="OutputRefusedException"/> and other <see cref="IOException"/>/<see cref="UnauthorizedAccessException"/>.
    /// Cancellation exits 130 after printing <c>cancelled</c>. Anything else, including any other
    /// <see cref="ArgumentException"/>, is a bug: exit 1 with the stack trace.
    /// </summary>
    public static int Guard(TextWriter stderr, CancellationToken cancellationToken, Func<int> body)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            return body();
        }
        catch (UsageException e) { stderr.WriteLine($"error: {e.Message}"); return ExitCodes.Usage; }
        catch (InvalidOptionException e) { stderr.WriteLine($"error: {e.Message}"); return ExitCodes.Usage; }
        catch (Data.UnknownTickerException e) { stderr.WriteLine($"error: {e.Message}"); return ExitCodes.BadData; }
        catch (InvalidDataException e) { stderr.WriteLine($"error: bad input data: {e.Message}"); return ExitCodes.BadData; }
        catch (FileNotFoundException e) { stderr.WriteLine($"error: {e.Message}"); return ExitCodes.BadData; }
        catch (DirectoryNotFoundException e) { stderr.WriteLine($"error: {e.Message}"); return ExitCodes.BadData; }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { stderr.WriteLine("cancelled"); return ExitCodes.Cancelled; }
        catch (OutputRefusedException e) { stderr.WriteLine($"error: {e.Message}"); return ExitCodes.OutputFailed; }
        catch (IOException e) { stderr.WriteLine($"error: output could not be written: {e.Message}"); return ExitCodes.OutputFailed; }
        catch (UnauthorizedAccessException e) { stderr.WriteLine($"error: output could not be written: {e.Message}"); return ExitCodes.OutputFailed; }
        catch (Exception e) { stderr.WriteLine($"unexpected error (a bug): {e}"); return ExitCodes.Unexpected; }
    }
}
