using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeanModels.Models.Research;

namespace LeanModels.Models.Forecasting;

/// <summary>
/// One file per trained model. Layout (little endian): magic <c>LMFA</c>; uint16 format version (<see cref="FormatVersion"/>);
/// uint16 flags (bit 0: a blob follows the parameters; other bits 0); int32 header length; UTF-8 JSON header (kind, name, horizon, feature specification, training record);
/// int32 number of parameter arrays; per array an int32 name length, the UTF-8 name, an int32 element count and that many
/// float64 values (normaliser statistics and weights, bit-exact); when flag bit 0 is set, an int32 length and that many bytes
/// of an opaque model blob (the LightGBM ensemble as ML.NET saved it); then the SHA-256 of everything before it. A corrupted,
/// truncated or mismatched file (other format version, other feature set) is refused with <see cref="InvalidDataException"/>
/// naming the source and the reason; every length is checked against fixed limits and the bytes that remain before anything
/// is allocated, so a hostile header cannot make the loader allocate unbounded memory.
/// </summary>
public static class ForecasterArtifact
{
    /// <summary>The format version this build writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>Largest artifact accepted, in bytes (256 MiB).</summary>
    public const long MaxFileBytes = 256L << 20;

    private const int MaxHeaderBytes = 1 << 20;
    private const int MaxArrays = 64;
    private const int MaxNameBytes = 256;
    private static ReadOnlySpan<byte> Magic => "LMFA"u8;
    private const ushort BlobFlag = 1;

    /// <summary>Serialises a model.</summary>
    /// <param name="model">A <see cref="RidgeModel"/>, <see cref="RegimeRidgeModel"/>, <see cref="SignalModel"/> or <see cref="LightGbm.LightGbmModel"/>.</param>
    /// <param name="training">Its training record.</param>
    /// <returns>The artifact bytes.</returns>
    /// <exception cref="ArgumentException">The model kind has no artifact format.</exception>
    public static byte[] Serialize(IReturnForecaster model, ArtifactTraining training)
    {
        var featureSet = Research.Features.FeatureSets.FromNames(model.FeatureNames)
            ?? throw new ArgumentException($"{model.Name}: its {model.FeatureNames.Count} features are no feature set of this build.", nameof(model));
        var blob = model is LightGbm.LightGbmModel lightGbm ? lightGbm.ModelBytes : null;
        var header = new JsonObject
        {
            ["format"] = "leanmodels-forecaster",
            ["kind"] = Kind(model),
            ["name"] = model.Name,
            ["horizon"] = model.Horizon,
            ["lookbackBars"] = model.LookbackBars,
            ["features"] = new JsonObject
            {
                ["version"] = Research.Features.FeatureSets.Version(featureSet),
                ["names"] = new JsonArray(model.FeatureNames.Select(n => (JsonNode)n!).ToArray()),
            },
            ["training"] = new JsonObject
            {
                ["from"] = training.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["to"] = training.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["dates"] = training.Dates,
                ["tickers"] = new JsonArray(training.Tickers.Select(t => (JsonNode)t!).ToArray()),
            },
        };
        if (model is SignalModel signal) header["signal"] = new JsonObject { ["feature"] = signal.Feature };
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write((ushort)FormatVersion);
            w.Write((ushort)(blob is null ? 0 : BlobFlag));
            w.Write(headerBytes.Length);
            w.Write(headerBytes);
            var parameters = model.Parameters();
            w.Write(parameters.Count);
            foreach (var (name, values) in parameters)
            {
                var nameBytes = Encoding.UTF8.GetBytes(name);
                w.Write(nameBytes.Length);
                w.Write(nameBytes);
                w.Write(values.Length);
                foreach (var v in values) w.Write(v);
            }
            if (blob is not null)
            {
                w.Write(blob.Length);
                w.Write(blob);
            }
        }
        var body = stream.ToArray();
        return [.. body, .. SHA256.HashData(body)];
    }

    /// <summary>Writes an artifact file atomically (temporary file flushed to disk, then renamed).</summary>
    /// <param name="path">Destination file.</param>
    /// <param name="model">The model.</param>
    /// <param name="training">Its training record.</param>
    /// <exception cref="IOException">The file could not be written; no partial file is left.</exception>
    public static void Save(string path, IReturnForecaster model, ArtifactTraining training)
    {
        var bytes = Serialize(model, training);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                file.Write(bytes);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Reads an artifact file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The model and its training record.</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Larger than <see cref="MaxFileBytes"/>, corrupted, truncated or mismatched.</exception>
    public static LoadedArtifact Load(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"artifact not found: {path}", path);
        if (info.Length > MaxFileBytes) throw new InvalidDataException($"{path}: {info.Length} bytes is more than an artifact may hold ({MaxFileBytes}).");
        return Deserialize(File.ReadAllBytes(path), path);
    }

    /// <summary>Reads an artifact from bytes (e.g. from LEAN's ObjectStore).</summary>
    /// <param name="bytes">The artifact.</param>
    /// <param name="source">Name for messages (file, ObjectStore key).</param>
    /// <returns>The model and its training record.</returns>
    /// <exception cref="InvalidDataException">Corrupted (checksum), truncated, not an artifact, another format version, another
    /// feature set, or inconsistent parameters; the message names <paramref name="source"/> and the reason.</exception>
    public static LoadedArtifact Deserialize(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length > MaxFileBytes) throw Bad(source, $"{bytes.Length} bytes is more than an artifact may hold ({MaxFileBytes})");
        if (bytes.Length < Magic.Length + 8 + 32) throw Bad(source, $"truncated: {bytes.Length} bytes");
        if (!bytes[..4].SequenceEqual(Magic)) throw Bad(source, "not a LeanModels forecaster artifact (magic bytes differ)");
        var body = bytes[..^32];
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes[^32..]))
            throw Bad(source, "checksum mismatch: the file is corrupted or truncated");
        var reader = new SpanReader(body, source);
        reader.Skip(4);
        var version = reader.UInt16();
        if (version != FormatVersion) throw Bad(source, $"format version {version}; this build reads version {FormatVersion}");
        var flags = reader.UInt16();
        if ((flags & ~BlobFlag) != 0) throw Bad(source, $"unknown flags 0x{flags:x4}");
        var headerLength = reader.Length(MaxHeaderBytes, 1, "header");
        JsonNode header;
        try { header = JsonNode.Parse(reader.Bytes(headerLength)) ?? throw Bad(source, "empty header"); }
        catch (JsonException e) { throw Bad(source, $"header is not JSON ({e.Message})"); }
        var arrayCount = reader.Length(MaxArrays, 1, "parameter array count");
        var parameters = new Dictionary<string, double[]>();
        for (var i = 0; i < arrayCount; i++)
        {
            var name = Encoding.UTF8.GetString(reader.Bytes(reader.Length(MaxNameBytes, 1, "parameter name")));
            var count = reader.Length(int.MaxValue, 8, $"parameter '{name}'");
            var values = new double[count];
            for (var k = 0; k < count; k++) values[k] = reader.Double();
            parameters[name] = values;
        }
        var blob = (flags & BlobFlag) != 0 ? reader.Bytes(reader.Length(int.MaxValue, 1, "model blob")).ToArray() : null;
        if (!reader.AtEnd) throw Bad(source, "unexpected bytes after the parameters");
        try
        {
            return Build(header, parameters, blob, source);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or NullReferenceException)
        {
            throw Bad(source, $"inconsistent content: {e.Message}");
        }
    }

    private static LoadedArtifact Build(JsonNode header, Dictionary<string, double[]> parameters, byte[]? blob, string source)
    {
        var features = header["features"]!;
        var featureVersion = (string)features["version"]!;
        var featureNames = features["names"]!.AsArray().Select(n => (string)n!).ToList();
        var featureSet = Research.Features.FeatureSets.FromVersion(featureVersion);
        if (featureSet is null || !featureNames.SequenceEqual(Research.Features.FeatureSets.FeatureNames(featureSet)))
            throw Bad(source, $"trained on feature set '{featureVersion}' [{string.Join(", ", featureNames)}]; this build computes {string.Join(" and ", Research.Features.FeatureSets.Names.Select(n => $"'{Research.Features.FeatureSets.Version(n)}' [{string.Join(", ", Research.Features.FeatureSets.FeatureNames(n))}]"))}");
        var horizon = (int)header["horizon"]!;
        var name = (string)header["name"]!;
        var training = header["training"]!;
        var record = new ArtifactTraining(
            DateOnly.ParseExact((string)training["from"]!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            DateOnly.ParseExact((string)training["to"]!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            (int)training["dates"]!,
            training["tickers"]!.AsArray().Select(n => (string)n!).ToList());
        double[] Get(string key) => parameters.TryGetValue(key, out var v) ? v : throw Bad(source, $"parameter '{key}' is missing");
        IReturnForecaster model = (string)header["kind"]! switch
        {
            "ridge" => new RidgeModel(FeatureNormaliser.FromStatistics(Get("mean"), Get("std")), Get("beta"), horizon, featureNames),
            "lightgbm" => LightGbm.LightGbmModel.FromBytes(blob ?? throw Bad(source, "the lightgbm model blob is missing"), featureVersion, featureNames, horizon, Get("scale").Single()),
            "signal" => new SignalModel(name, (string)header["signal"]!["feature"]!, Get("scale").Single(), horizon),
            "ridge-regime" => new RegimeRidgeModel(FeatureNormaliser.FromStatistics(Get("mean"), Get("std")), RegimeFrom(Get), Get("beta"), horizon),
            var kind => throw Bad(source, $"unknown model kind '{kind}'"),
        };
        return new LoadedArtifact(model, record);
    }

    private static MarketRegimeFeatures RegimeFrom(Func<string, double[]> get)
    {
        var g = get("garch");
        if (g.Length != 5) throw new ArgumentException($"parameter 'garch' has {g.Length} values; expected 5 (μ, ω, α, β, backcast)");
        return new MarketRegimeFeatures(
            Regime.GaussianHmm.FromParameters(get("hmmStart"), get("hmmTransition"), get("hmmMeans"), get("hmmCovariances")),
            Regime.GarchModel.FromParameters(Regime.GarchVariant.Garch, Regime.GarchInnovation.Normal, g[0], g[1], g[2], 0, g[3], double.PositiveInfinity, g[4]));
    }

    private static string Kind(IReturnForecaster model) => model switch
    {
        RidgeModel => "ridge",
        RegimeRidgeModel => "ridge-regime",
        SignalModel => "signal",
        LightGbm.LightGbmModel => "lightgbm",
        _ => throw new ArgumentException($"no artifact format for model type {model.GetType().Name}.", nameof(model)),
    };

    private static InvalidDataException Bad(string source, string what) => new($"{source}: {what}.");

    /// <summary>Bounds-checked little-endian reader.</summary>
    private ref struct SpanReader(ReadOnlySpan<byte> data, string source)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public readonly bool AtEnd => _position == _data.Length;

        public void Skip(int n) => Bytes(n);

        public ReadOnlySpan<byte> Bytes(int n)
        {
            if (n < 0 || n > _data.Length - _position) throw Bad(source, $"truncated: need {n} bytes at offset {_position}, {_data.Length - _position} remain");
            var slice = _data.Slice(_position, n);
            _position += n;
            return slice;
        }

        public ushort UInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2));

        public double Double() => BinaryPrimitives.ReadDoubleLittleEndian(Bytes(8));

        /// <summary>Reads an int32 count and checks it against a limit and against the bytes that remain (count × elementBytes).</summary>
        public int Length(int limit, int elementBytes, string what)
        {
            var n = BinaryPrimitives.ReadInt32LittleEndian(Bytes(4));
            if (n < 0 || n > limit) throw Bad(source, $"{what} length {n} is outside [0, {limit}]");
            if ((long)n * elementBytes > _data.Length - _position)
                throw Bad(source, $"{what} claims {(long)n * elementBytes} bytes but only {_data.Length - _position} remain");
            return n;
        }
    }
}
