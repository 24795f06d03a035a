using LeanModels.Models.Research;

namespace LeanModels.Models.Forecasting;

/// <summary>What <see cref="ForecasterCatalog.FromState"/> receives from a validated artifact to rebuild a model.</summary>
/// <param name="Name">Model name.</param>
/// <param name="Horizon">H in [1, <see cref="ForecasterArtifact.MaxHorizon"/>].</param>
/// <param name="Window">The declared input window.</param>
/// <param name="Features">The feature specification, known to this build.</param>
/// <param name="State">Kind, options, normaliser ([F], validated), arrays (unique, finite), blob.</param>
/// <param name="Source">File or key for messages.</param>
public sealed record ArtifactContext(string Name, int Horizon, InputWindow Window, FeatureSpecification Features, ModelState State, string Source);
