using LeanModels.Models.Research;

namespace LeanModels.Models.TwoStage;

/// <summary>The outcome of <see cref="EfficiencyStudy.Run"/>.</summary>
/// <param name="Options">The study's settings.</param>
/// <param name="Tickers">[N] assets of the panel.</param>
/// <param name="Research">The research settings of the last model run (the same for both but the model name).</param>
/// <param name="Rows">[2] the two-stage row, then the direct row.</param>
public sealed record EfficiencyResult(EfficiencyOptions Options, IReadOnlyList<string> Tickers, ResearchOptions Research, IReadOnlyList<EfficiencyRow> Rows);
