namespace LeanModels.Models.Forecasting;

/// <summary>What a saved model was trained on, recorded in its artifact.</summary>
/// <param name="From">First training date (its label starts at the next open).</param>
/// <param name="To">Last training date.</param>
/// <param name="Dates">Number of training dates.</param>
/// <param name="Tickers">Assets of the training panel, lower case.</param>
public sealed record ArtifactTraining(DateOnly From, DateOnly To, int Dates, IReadOnlyList<string> Tickers);
