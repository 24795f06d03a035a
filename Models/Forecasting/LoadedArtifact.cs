namespace LeanModels.Models.Forecasting;

/// <summary>A model read back from an artifact, with its training record.</summary>
/// <param name="Model">The immutable model.</param>
/// <param name="Training">What it was trained on.</param>
public sealed record LoadedArtifact(IReturnForecaster Model, ArtifactTraining Training);
