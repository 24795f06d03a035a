namespace LeanModels.Models.Cli;

/// <summary>A bad option value or combination detected after parsing (e.g. start ≥ end); exits with <see cref="ExitCodes.Usage"/>.</summary>
/// <param name="message">What is wrong, naming the option and the value.</param>
public sealed class UsageException(string message) : Exception(message);
