using System.CommandLine;

namespace LeanModels.Models.Cli;

/// <summary>The sub-commands and the one place that maps exceptions to exit codes.</summary>
internal static class Commands
{
    /// <summary>Every sub-command of <c>leanmodels</c>.</summary>
    public static IEnumerable<Command> All(TextWriter stdout, TextWriter stderr)
    {
        yield return ResearchCommand.Create(stdout, stderr);
        yield return ImportCommand.Create(stdout, stderr);
        yield return PredictCommand.Create(stdout, stderr);
        yield return RegimeCommand.Create(stdout, stderr);
    }

    /// <summary>
    /// Runs a command body and maps failures to exit codes: <see cref="UsageException"/>/<see cref="ArgumentException"/> → 2,
    /// <see cref="InvalidDataException"/>/<see cref="FileNotFoundException"/>/<see cref="DirectoryNotFoundException"/> → 3,
    /// other <see cref="IOException"/>/<see cref="UnauthorizedAccessException"/> → 4, <see cref="OperationCanceledException"/> → 130,
    /// anything else → 1 with the stack trace.
    /// </summary>
    public static int Guard(TextWriter stderr, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (UsageException e) { stderr.WriteLine($"error: {e.Message}"); return ExitCodes.Usage; }
        catch (Data.UnknownTickerException e) { stderr.WriteLine($"error: {e.Message}"); return ExitCodes.BadData; }
        catch (ArgumentException e) { stderr.WriteLine($"error: {e.Message}"); return ExitCodes.Usage; }
        catch (InvalidDataException e) { stderr.WriteLine($"error: bad input data: {e.Message}"); return ExitCodes.BadData; }
        catch (FileNotFoundException e) { stderr.WriteLine($"error: {e.Message}"); return ExitCodes.BadData; }
        catch (DirectoryNotFoundException e) { stderr.WriteLine($"error: {e.Message}"); return ExitCodes.BadData; }
        catch (OperationCanceledException) { stderr.WriteLine("cancelled"); return ExitCodes.Cancelled; }
        catch (IOException e) { stderr.WriteLine($"error: output could not be written: {e.Message}"); return ExitCodes.OutputFailed; }
        catch (UnauthorizedAccessException e) { stderr.WriteLine($"error: output could not be written: {e.Message}"); return ExitCodes.OutputFailed; }
        catch (Exception e) { stderr.WriteLine($"unexpected error (a bug): {e}"); return ExitCodes.Unexpected; }
    }
}
