using System.Text.Json.Nodes;
using LeanModels.Models.Research;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LeanModels.Models.Forecasting.LightGbm;

/// <summary>
/// A fitted LightGBM baseline (see <see cref="LightGbmTrainer"/>): forecast = <see cref="Scale"/> × tree-ensemble score of
/// the decision date's raw features (as float32; T = 1, like ridge). The score is in units of the normalised label, so the
/// forecast reads as a cross-sectionally demeaned log return over <see cref="Horizon"/>; rankings, and so IC and the books,
/// use the score alone. The ensemble lives as ML.NET's saved model (<see cref="ModelBytes"/>, a zip), the artifact's blob
/// (<see cref="ModelState.Blob"/>). Immutable and thread-safe: each prediction builds its own data view and cursor.
/// </summary>
public sealed class LightGbmModel : IReturnForecaster
{
    private readonly ITransformer _transformer;
    private readonly byte[] _bytes;

    private LightGbmModel(ITransformer transformer, byte[] bytes, FeatureSpecification features, int warmUpBars, int horizon, double scale)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(warmUpBars);
        if (!(scale > 0 && double.IsFinite(scale))) throw new ArgumentException($"lightgbm: scale {scale} must be finite and > 0.", nameof(scale));
        _transformer = transformer;
        _bytes = bytes;
        Features = features;
        Window = new InputWindow(1, warmUpBars);
        Horizon = horizon;
        Scale = scale;
    }

    /// <inheritdoc />
    public string Name => "lightgbm";

    /// <inheritdoc />
    public int Horizon { get; }

    /// <summary>One date (T = 1) of its features after their warm-up: 61 bars per asset for both basic and alpha158.</summary>
    public InputWindow Window { get; }

    /// <inheritdoc />
    public FeatureSpecification Features { get; }

    /// <summary>Mean cross-sectional std of the raw training label (log return over the horizon) that converts a score into a forecast.</summary>
    public double Scale { get; }

    /// <summary>ML.NET's saved model (a zip written by <c>MLContext.Model.Save</c>); a copy.</summary>
    public byte[] ModelBytes => (byte[])_bytes.Clone();

    /// <summary>Wraps a freshly trained transformer, serialising it once.</summary>
    internal static LightGbmModel FromTransformer(MLContext ml, ITransformer transformer, DataViewSchema inputSchema, FeatureSpecification features, int warmUpBars, int horizon, double scale)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(transformer, inputSchema, stream);
        return new LightGbmModel(transformer, Canonical(stream.ToArray()), features, warmUpBars, horizon, scale);
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

    /// <summary>Rebuilds a model from its saved bytes (an artifact's blob; <see cref="ForecasterCatalog.FromState"/>).</summary>
    /// <param name="bytes">ML.NET's saved model, as <see cref="ModelBytes"/> returned.</param>
    /// <param name="features">The feature set it was trained on ([F] names).</param>
    /// <param name="warmUpBars">Bars its features need before a valid row (60 for basic and alpha158).</param>
    /// <param name="horizon">H ≥ 1 bars.</param>
    /// <param name="scale">Score-to-forecast scale, finite and &gt; 0.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentException">A bad horizon or scale, bytes ML.NET cannot read, or a model whose feature vector is
    /// not F long.</exception>
    public static LightGbmModel FromBytes(byte[] bytes, FeatureSpecification features, int warmUpBars, int horizon, double scale)
    {
        var ml = new MLContext(seed: 0);
        ITransformer transformer;
        DataViewSchema schema;
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            transformer = ml.Model.Load(stream, out schema);
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException or FormatException or IOException or NotSupportedException or ArgumentException)
        {
            throw new ArgumentException($"lightgbm: the model blob ({bytes.Length} bytes) is not a readable ML.NET model: {e.Message}", nameof(bytes), e);
        }
        var column = schema.GetColumnOrNull(nameof(Row.Features));
        var size = column?.Type is VectorDataViewType v ? v.Size : -1;
        if (size != features.Count)
            throw new ArgumentException($"lightgbm: the model blob reads {size} features; the specification has F = {features.Count} ({features.Name} '{features.Version}').", nameof(features));
        return new LightGbmModel(transformer, (byte[])bytes.Clone(), features, warmUpBars, horizon, scale);
    }

    /// <summary>Forecast = scale × ensemble score of each available asset's decision-date features; NaN for a masked asset.</summary>
    /// <param name="window">T = 1 window of the model's feature set.</param>
    /// <returns>The mean forecast only.</returns>
    /// <exception cref="ArgumentException">The window is not T = 1 or not the model's features.</exception>
    public Forecast Predict(FeatureWindow window)
    {
        BaselineWindow.Check(this, window);
        int A = window.AssetCount, F = window.FeatureCount;
        var forecast = new double[A];
        var rows = new List<Row>();
        var assets = new List<int>();
        for (var a = 0; a < A; a++)
        {
            forecast[a] = double.NaN;
            if (!window.IsAvailable(a, 0)) continue;
            var x = new float[F];
            var source = window.Row(a, 0);
            for (var f = 0; f < F; f++) x[f] = (float)source[f];
            rows.Add(new Row { Features = x, Label = 0 });
            assets.Add(a);
        }
        if (rows.Count > 0)
        {
            var scores = Score(rows, F);
            for (var i = 0; i < assets.Count; i++) forecast[assets[i]] = Scale * scores[i];
        }
        return new Forecast(window.Date, window.Tickers, forecast, null);
    }

    /// <summary>Kind <c>lightgbm</c>: no normaliser (trees read raw features), one array <c>scale</c> [1], and the ensemble as
    /// the blob (ML.NET's saved model, <see cref="ModelBytes"/>).</summary>
    /// <returns>The state.</returns>
    public ModelState State() => new("lightgbm", new JsonObject(), null, [NamedArray.Of("scale", [Scale])], ModelBytes);

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
