namespace LeanModels.Models.Data.Import;

/// <summary>Settings of <see cref="CsvImporter.Import"/>.</summary>
/// <param name="SkipBad">false (default): any bad input file aborts the whole import and nothing is written. true: the
/// good files are imported and the bad ones only listed in <see cref="ImportReport.BadFiles"/>.</param>
/// <param name="Tolerance">Agreement check: a row agrees when |close × LEAN price scale factor / adjusted_close − 1| ≤ this
/// fraction; default 0.005 (0.5%, the figure data/README.md §2 reports).</param>
/// <param name="ChangeThreshold">Relative change of a factor between consecutive days that starts a new factor row;
/// default <see cref="RatioFactorBuilder.DefaultChangeThreshold"/> (1e-9).</param>
/// <param name="MaxDegreeOfParallelism">Files converted at once; -1 (default) = one per processor. The output does not
/// depend on it.</param>
public sealed record ImportOptions(
    bool SkipBad = false,
    double Tolerance = 0.005,
    double ChangeThreshold = RatioFactorBuilder.DefaultChangeThreshold,
    int MaxDegreeOfParallelism = -1);
