namespace LeanModels.Models.Engine;

/// <summary>Outcome of <see cref="GradCheck.Check"/>.</summary>
public sealed class GradCheckResult
{
    /// <summary>True when every element met |analytic − numeric| ≤ atol + rtol·|numeric|.</summary>
    public bool Passed { get; internal set; }

    /// <summary>Number of input elements checked.</summary>
    public int Checked { get; internal set; }

    /// <summary>Largest |analytic − numeric| seen.</summary>
    public double MaxAbsError { get; internal set; }

    /// <summary>Largest error minus its allowance (positive means a failure; +∞ for a NaN).</summary>
    public double WorstExcess { get; internal set; } = double.NegativeInfinity;

    /// <summary>Which element was worst, with both gradients; empty when nothing was checked.</summary>
    public string Worst { get; internal set; } = "";

    /// <summary>A one-line summary for assertion messages.</summary>
    /// <returns>E.g. "passed, 12 elements, max error 3e-10; worst: input 0 ... ".</returns>
    public override string ToString() => $"{(Passed ? "passed" : "FAILED")}, {Checked} elements, max error {MaxAbsError:G3}; worst: {Worst}";
}
