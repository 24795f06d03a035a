namespace LeanModels.Models.Cli;

/// <summary>Exit codes of the <c>leanmodels</c> command line (STYLE.md §5), documented in <c>--help</c>.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>Unexpected error: a bug; the stack trace is printed.</summary>
    public const int Unexpected = 1;

    /// <summary>Usage error: a bad flag or option value.</summary>
    public const int Usage = 2;

    /// <summary>Bad input data: a missing or malformed file, an unknown ticker, a shape mismatch.</summary>
    public const int BadData = 3;

    /// <summary>Output could not be written.</summary>
    public const int OutputFailed = 4;

    /// <summary>Cancelled (Ctrl-C).</summary>
    public const int Cancelled = 130;

    /// <summary>Text for <c>--help</c>.</summary>
    public const string HelpText = "Exit codes: 0 success; 1 unexpected error (bug); 2 usage error; 3 bad input data; 4 output could not be written; 130 cancelled.";
}
