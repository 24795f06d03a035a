namespace LeanModels.Models.Research.Metrics;

/// <summary>
/// Signal quality over a test segment, as Qlib's <c>SigAnaRecord</c> logs it (<c>qlib/workflow/record_temp.py</c>):
/// the mean and information ratio of the daily IC and Rank IC series (metric keys "IC", "ICIR", "Rank IC", "Rank ICIR"),
/// plus the share of positive dates and Newey–West t-statistics. Built by <see cref="SignalAnalysis.Analyse"/>.
/// </summary>
/// <param name="Dates">Number of dates with a finite IC (at least 2 assets finite in both forecast and label, neither
/// side constant). The mean, std, share and t-statistics are over these dates only.</param>
/// <param name="IC">Mean of the daily IC ("IC"); <see cref="double.NaN"/> when <paramref name="Dates"/> = 0.</param>
/// <param name="ICStd">Sample standard deviation (n − 1) of the daily IC; NaN when <paramref name="Dates"/> &lt; 2.</param>
/// <param name="Icir">"ICIR": <paramref name="IC"/> / <paramref name="ICStd"/>, per date, NOT annualised; NaN when the std
/// is NaN or 0.</param>
/// <param name="RankIC">Mean of the daily Rank IC ("Rank IC"); NaN when <paramref name="Dates"/> = 0.</param>
/// <param name="RankICStd">Sample standard deviation (n − 1) of the daily Rank IC; NaN when fewer than 2 dates.</param>
/// <param name="RankIcir">"Rank ICIR": <paramref name="RankIC"/> / <paramref name="RankICStd"/>, not annualised; NaN
/// when the std is NaN or 0.</param>
/// <param name="ICPositiveShare">Fraction in [0, 1] of the counted dates with IC &gt; 0; NaN when no date counts.</param>
/// <param name="RankICPositiveShare">Fraction in [0, 1] of the counted dates with Rank IC &gt; 0; NaN when none count.</param>
/// <param name="ICTStat">Newey–West t-statistic of the mean daily IC (<see cref="SignalMetrics.NeweyWestTStat"/>).</param>
/// <param name="RankICTStat">Newey–West t-statistic of the mean daily Rank IC.</param>
/// <param name="DailyIC">[D] IC per date, oldest → newest; NaN on skipped dates.</param>
/// <param name="DailyRankIC">[D] Rank IC per date, oldest → newest; NaN on skipped dates.</param>
public sealed record SignalReport(
    int Dates,
    double IC, double ICStd, double Icir,
    double RankIC, double RankICStd, double RankIcir,
    double ICPositiveShare, double RankICPositiveShare,
    double ICTStat, double RankICTStat,
    double[] DailyIC, double[] DailyRankIC);
