namespace LeanModels.Models.Research;

/// <summary>One walk-forward step: fit on <see cref="TrainDates"/>, predict dates [<see cref="TestStart"/>, <see cref="TestEnd"/>).</summary>
/// <param name="Index">0-based fold number.</param>
/// <param name="TrainDates">Date indices whose labels train the model, ascending. Every label ends strictly before the
/// test block's first decision: the last H + 1 dates before <paramref name="TestStart"/> are purged.</param>
/// <param name="TestStart">First test date index (inclusive).</param>
/// <param name="TestEnd">Last test date index + 1 (exclusive).</param>
public sealed record Fold(int Index, IReadOnlyList<int> TrainDates, int TestStart, int TestEnd);
