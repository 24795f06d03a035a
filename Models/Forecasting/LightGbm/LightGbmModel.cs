using LeanModels.Models.Research;
using LeanModels.Models.Research.Features;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LeanModels.Models.Forecasting.LightGbm;

/// <summary>
/// A fitted LightGBM baseline (see <see cref="LightGbmTrainer"/>): forecast = <see cref="Scale"/> × tree-ensemble score of
/// the raw features (as float32). The score is in units of the normalised label, so the forecast reads as a
/// cross-sectionally demeaned log return over <see cref="Horizon"/>; rankings, and so IC and the books, use the score alone.
/// The ensemble lives as ML.NET's saved model (<see cref="ModelBytes"/>, a zip), the blob an artifact stores. Immutable and
/// thread-safe: each prediction builds its own data view and cursor.
/// </summary>
public sealed class LightGbmModel : IReturnForecaster
{
    private readonly ITransformer _transformer;
    private readonly byte[] _bytes;
    private readonly string[] _featureNames;

    private LightGbmModel(ITransformer transformer, byte[] bytes, string featureVersion, IReadOnlyList<string> featureNames, int horizon, double scale)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        if (!(scale > 0 && double.IsFinite(scale))) throw new ArgumentException($"lightgbm: scale {scale} must be finite and > 0.", nameof(scale));
        _transformer = transformer;
        _bytes = bytes;
        _featureNames = featureNames.ToArray();
        FeatureVersion = featureVersion;
        Horizon = horizon;
        Scale = scale;
    }

    /// <inheritdoc />
    public string Name => "lightgbm";

    /// <inheritdoc />
    public int Horizon { get; }

    /// <inheritdoc />
    public int LookbackBars => FeatureSets.WarmUpBars(FeatureSets.FromVersion(FeatureVersion) ?? FeatureSets.Default) + 1;

    /// <inheritdoc />
    public IReadOnlyList<string> FeatureNames => _featureNames;

    /// <summary>Version of the feature set the model was trained on (<see cref="FeatureSet.Version"/>).</summary>
    public string FeatureVersion { get; }

    /// <summary>Mean cross-sectional std of the raw training label (log return over the horizon) that converts a score into a forecast.</summary>
    public double Scale { get; }

    /// <summary>ML.NET's saved model (a zip written by <c>MLContext.Model.Save</c>); a copy.</summary>
    public byte[] ModelBytes => (byte[])_bytes.Clone();

    /// <summary>Wraps a freshly trained transformer, serialising it once.</summary>
    internal static LightGbmModel FromTransformer(MLContext ml, ITransformer transformer, DataViewSchema inputSchema, string featureVersion, IReadOnlyList<string> featureNames, int horizon, double scale)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(transformer, inputSchema, stream);
        return new LightGbmModel(transformer, Canonical(stream.ToArray()), featureVersion, featureNames, horizon, scale);
    }

    /// <summary>
    /// ML.NET's zip stamps each entry with the wall-clock time; rewriting it with the entries in the same order, a fixed
    /// timestamp (1980-01-01, the zip epoch) and a fixed compression level makes the same model give the same bytes.
    /// </summary>
    private static byte[] Canonical(byte[] zip)
    {
        using var input = new System.IO.Compression.ZipArchive(new MemoryStream(zip, writable: false), System.IO.Compression.ZipArchiveMode.Read);
        using var output = new MemoryStream();
        using (var archive = new System.IO.Compression.ZipArchive(output, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
            foreach (var entry in input.Entries)
            {
                var copy = archive.CreateEntry(entry.FullName, System.IO.Compression.CompressionLevel.Optimal);
                copy.LastWriteTime = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
                using var from = entry.Open();
                using var to = copy.Open();
                from.CopyTo(to);
            }
        return output.ToArray();
    }

    /// <summary>Rebuilds a model from its saved bytes (e.g. an artifact's blob).</summary>
    /// <param name="bytes">ML.NET's saved model, as <see cref="ModelBytes"/> returned.</param>
    /// <param name="featureVersion">Feature set version it was trained on; must be one this build computes.</param>
    /// <param name="featureNames">[F] feature names it was trained on; must equal that set's names.</param>
    /// <param name="horizon">H ≥ 1 bars.</param>
    /// <param name="scale">Score-to-forecast scale, finite and &gt; 0.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentException">Unknown feature version, names that differ from it, a bad horizon or scale, or bytes ML.NET cannot read.</exception>
    public static LightGbmModel FromBytes(byte[] bytes, string featureVersion, IReadOnlyList<string> featureNames, int horizon, double scale)
    {
        var set = FeatureSets.FromVersion(featureVersion)
            ?? throw new ArgumentException($"lightgbm: feature set version '{featureVersion}' is not computed by this build ({string.Join(", ", FeatureSets.Names.Select(FeatureSets.Version))}).", nameof(featureVersion));
        if (!featureNames.SequenceEqual(FeatureSets.FeatureNames(set)))
            throw new ArgumentException($"lightgbm: the {featureNames.Count} feature names differ from those of '{featureVersion}'.", nameof(featureNames));
        var ml = new MLContext(seed: 0);
        ITransformer transformer;
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            transformer = ml.Model.Load(stream, out _);
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException or FormatException or IOException or NotSupportedException)
        {
            throw new ArgumentException($"lightgbm: the model blob ({bytes.Length} bytes) is not a readable ML.NET model: {e.Message}", nameof(bytes), e);
        }
        return new LightGbmModel(transformer, (byte[])bytes.Clone(), featureVersion, featureNames, horizon, scale);
    }

    /// <inheritdoc />
    public void PredictFeatures(FeatureSet features, int date, Span<double> forecast)
    {
        int A = features.AssetCount, F = features.FeatureCount;
        if (forecast.Length != A || features.Version != FeatureVersion || !features.Names.SequenceEqual(_featureNames))
            throw new ArgumentException($"lightgbm: forecast has {forecast.Length} elements and the features are '{features.Version}' with F = {F}; expected A = {A} and '{FeatureVersion}' with F = {_featureNames.Length}.");
        var rows = new List<Row>();
        var assets = new List<int>();
        for (var a = 0; a < A; a++)
        {
            forecast[a] = double.NaN;
            if (!features.IsValid(date, a)) continue;
            var x = new float[F];
            var source = features.Row(date, a);
            for (var f = 0; f < F; f++) x[f] = (float)source[f];
            rows.Add(new Row { Features = x, Label = 0 });
            assets.Add(a);
        }
        if (rows.Count == 0) return;
        var scores = Score(rows, F);
        for (var i = 0; i < assets.Count; i++) forecast[assets[i]] = Scale * scores[i];
    }

    /// <summary>Scale as a one-element array; the ensemble itself is the blob (<see cref="ModelBytes"/>).</summary>
    /// <returns>Array <c>scale</c> [1].</returns>
    public IReadOnlyList<(string Name, double[] Values)> Parameters() => [("scale", [Scale])];

    private float[] Score(List<Row> rows, int F)
    {
        // A context per call: MLContext is not documented as thread-safe, the trained transformer is.
        var view = new MLContext(seed: 0).Data.LoadFromEnumerable(rows, InputSchema(F));
        var scored = _transformer.Transform(view);
        var scores = scored.GetColumn<float>("Score").ToArray();
        if (scores.Length != rows.Count) throw new InvalidOperationException($"lightgbm: {scores.Length} scores for {rows.Count} rows.");
        return scores;
    }

    /// <summary>The data view schema of <see cref="Row"/> with an F-long feature vector.</summary>
    internal static SchemaDefinition InputSchema(int features)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features);
        return schema;
    }

    /// <summary>One training or scoring row for ML.NET.</summary>
    internal sealed class Row
    {
        /// <summary>[F] raw features.</summary>
        public float[] Features { get; set; } = [];

        /// <summary>Normalised label (0 when scoring).</summary>
        public float Label { get; set; }
    }
}
