namespace LeanModels.Models.Forecasting;

/// <summary>What a saved model was trained on, recorded in its artifact.</summary>
/// <param name="From">First training date (its label starts at the next open).</param>
/// <param name="To">Last training date (validation dates, if any, excluded; see <see cref="LastLabelDate"/>).</param>
/// <param name="LastLabelDate">Date of the last open any training or validation label reads (t + 1 + H of the last such
/// date t): no data after it reached the model.</param>
/// <param name="Dates">Number of training dates.</param>
/// <param name="Tickers">Assets of the training panel, lower case.</param>
public sealed record ArtifactTraining(DateOnly From, DateOnly To, DateOnly LastLabelDate, int Dates, IReadOnlyList<string> Tickers);
