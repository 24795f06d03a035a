namespace LeanModels.Models.Research;

/// <summary>
/// One walk-forward step with three segments: fit on <see cref="TrainDates"/>, choose the epoch (early stopping) on
/// <see cref="ValidationDates"/>, predict dates [<see cref="TestStart"/>, <see cref="TestEnd"/>).
/// </summary>
/// <param name="Index">0-based fold number.</param>
/// <param name="TrainDates">Date indices whose labels train the model, ascending. Every label ends strictly before the
/// validation segment's first date (a purge of H + 1 dates between them) and before the test block.</param>
/// <param name="TestStart">First test date index (inclusive).</param>
/// <param name="TestEnd">Last test date index + 1 (exclusive).</param>
public sealed record Fold(int Index, IReadOnlyList<int> TrainDates, int TestStart, int TestEnd)
{
    /// <summary>Validation date indices, ascending: the last days of the training window, after a purge of H + 1 dates
    /// from the training dates, and whose labels end before the test block (its own purge of H + 1 dates). Empty when
    /// the walk-forward has no validation segment.</summary>
    public IReadOnlyList<int> ValidationDates { get; init; } = [];
}
