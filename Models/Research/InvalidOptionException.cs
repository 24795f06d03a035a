namespace LeanModels.Models.Research;

/// <summary>
/// A run option out of range, alone or against the data (horizon longer than the data, fewer than 2 assets with data in the
/// window, no walk-forward fold fits): a user's mistake, not a bug. The command line maps it to exit code 2; every other
/// <see cref="ArgumentException"/> reaching it is a bug (exit 1, stack trace).
/// </summary>
/// <param name="message">What is wrong, naming the option and its value, and what to choose instead.</param>
public sealed class InvalidOptionException(string message) : ArgumentException(message);
