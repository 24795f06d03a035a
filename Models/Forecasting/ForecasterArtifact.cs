using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeanModels.Models.Research;

namespace LeanModels.Models.Forecasting;

/// <summary>
/// One file per trained model, for every model kind (baselines, deep models, tree models), under one checksum.
/// Layout (little endian): magic <c>LMFA</c>; uint16 format version (<see cref="FormatVersion"/>); uint16 flags (0);
/// int32 header length; UTF-8 JSON header (kind, name, horizon, input window, feature specification, options, training
/// record with tickers); int32 number of arrays; per array an int32 name length, the UTF-8 name, a uint8 element size
/// (4 = float32, 8 = float64), an int32 rank, int32 sizes, the row-major values bit for bit (the normaliser statistics
/// are the arrays <c>normaliser.mean</c> and <c>normaliser.std</c>, [F]); int64 blob length (−1 = none) and the blob;
/// then the SHA-256 of everything before it.
/// </summary>
/// <remarks>
/// Artifacts are untrusted input. <see cref="Load"/> reads regular files only (no device, pipe or socket) and caps the
/// size by what it actually reads, not by what the file system reports. After the checksum every field is validated:
/// the version (an old version is refused naming both versions), header types, horizon and window in range, dates in
/// range and ordered, ticker and feature lists without nulls, empties or duplicates, the feature set known to this build,
/// array names unique and known to the model kind, shapes against the declared feature count, all values finite. Every
/// refusal is an <see cref="InvalidDataException"/> naming the source (the CLI's exit code 3).
/// </remarks>
public static class ForecasterArtifact
{
    /// <summary>The format version this build writes and reads (1: the first format, baselines only, double arrays without
    /// shapes, no window, blob or last label date).</summary>
    public const int FormatVersion = 2;

    /// <summary>Largest artifact accepted, in bytes (256 MiB).</summary>
    public const long MaxFileBytes = 256L << 20;

    /// <summary>Largest horizon accepted, in bars (about four years of trading days).</summary>
    public const int MaxHorizon = 1000;

    /// <summary>Largest lookback, warm-up or market-proxy span accepted, in bars.</summary>
    public const int MaxWindowBars = 10_000;

    private const int MaxHeaderBytes = 16 << 20;
    private const int MaxArrays = 4096;
    private const string NormaliserMean = "normaliser.mean";
    private const string NormaliserStd = "normaliser.std";
    private static readonly DateOnly MinDate = new(1900, 1, 1);
    private static readonly DateOnly MaxDate = new(2200, 12, 31);
    private static ReadOnlySpan<byte> Magic => "LMFA"u8;

    /// <summary>Serialises a model.</summary>
    /// <param name="model">Any model whose <see cref="IReturnForecaster.State"/> the catalog can rebuild.</param>
    /// <param name="training">Its training record.</param>
    /// <returns>The artifact bytes.</returns>
    /// <exception cref="ArgumentException">Array names repeat or use the reserved <c>normaliser.</c> prefix.</exception>
    public static byte[] Serialize(IReturnForecaster model, ArtifactTraining training)
    {
        var state = model.State();
        var dup = state.Arrays.GroupBy(a => a.Name).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new ArgumentException($"{model.Name}: parameter '{dup.Key}' appears {dup.Count()} times.", nameof(model));
        if (state.Arrays.FirstOrDefault(a => a.Name.StartsWith("normaliser.", StringComparison.Ordinal)) is { } reserved)
            throw new ArgumentException($"{model.Name}: parameter name '{reserved.Name}' uses the reserved prefix 'normaliser.'.", nameof(model));
        var header = new JsonObject
        {
            ["format"] = "leanmodels-forecaster",
            ["kind"] = state.Kind,
            ["name"] = model.Name,
            ["horizon"] = model.Horizon,
            ["window"] = new JsonObject
            {
                ["lookbackBars"] = model.Window.LookbackBars,
                ["warmUpBars"] = model.Window.WarmUpBars,
                ["marketProxyDays"] = model.Window.MarketProxyDays,
            },
            ["features"] = new JsonObject
            {
                ["name"] = model.Features.Name,
                ["version"] = model.Features.Version,
                ["names"] = new JsonArray(model.Features.FeatureNames.Select(n => (JsonNode)n!).ToArray()),
            },
            ["options"] = state.Options.DeepClone(),
            ["training"] = new JsonObject
            {
                ["from"] = Format(training.From),
                ["to"] = Format(training.To),
                ["lastLabelDate"] = Format(training.LastLabelDate),
                ["dates"] = training.Dates,
                ["tickers"] = new JsonArray(training.Tickers.Select(t => (JsonNode)t!).ToArray()),
            },
        };
        var arrays = new List<NamedArray>();
        if (state.Normaliser is { } z)
        {
            arrays.Add(NamedArray.Of(NormaliserMean, z.Mean.ToArray()));
            arrays.Add(NamedArray.Of(NormaliserStd, z.Std.ToArray()));
        }
        arrays.AddRange(state.Arrays);
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write((ushort)FormatVersion);
            w.Write((ushort)0);
            w.Write(headerBytes.Length);
            w.Write(headerBytes);
            w.Write(arrays.Count);
            foreach (var a in arrays)
            {
                var nameBytes = Encoding.UTF8.GetBytes(a.Name);
                w.Write(nameBytes.Length);
                w.Write(nameBytes);
                w.Write((byte)a.ElementBytes);
                w.Write(a.Shape.Count);
                foreach (var s in a.Shape) w.Write(s);
                if (a.Doubles is { } d) w.Write(MemoryMarshal.AsBytes(d.AsSpan()));    // BinaryWriter and x64/ARM64 are little-endian
                else w.Write(MemoryMarshal.AsBytes(a.Floats!.AsSpan()));
            }
            w.Write(state.Blob is null ? -1L : state.Blob.LongLength);
            if (state.Blob is not null) w.Write(state.Blob);
        }
        var body = stream.ToArray();
        return [.. body, .. SHA256.HashData(body)];
    }

    /// <summary>Writes an artifact file atomically (<see cref="IO.AtomicFile"/>: temporary file flushed to disk, then renamed).</summary>
    /// <param name="path">Destination file.</param>
    /// <param name="model">The model.</param>
    /// <param name="training">Its training record.</param>
    /// <exception cref="IOException">The file could not be written; no partial file is left.</exception>
    public static void Save(string path, IReturnForecaster model, ArtifactTraining training)
    {
        var bytes = Serialize(model, training);
        IO.AtomicFile.WriteAllBytes(path, bytes);
    }

    /// <summary>
    /// Reads an artifact file. Only a regular file is read (a symbolic link is followed to its target, which must be one);
    /// a device, pipe or socket is refused before it is opened. At most <see cref="MaxFileBytes"/> + 1 bytes are read, so a
    /// file that grows while being read, or reports a wrong length, cannot make the process allocate more.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <returns>The model and its training record.</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a regular file, larger than <see cref="MaxFileBytes"/>, corrupted,
    /// truncated, another format version or feature set, or a field out of range; the message names the file.</exception>
    public static LoadedArtifact Load(string path)
    {
        var info = new FileInfo(path);
        if (Directory.Exists(path)) throw new InvalidDataException($"{path}: is a folder, not an artifact file.");
        if (!info.Exists) throw new FileNotFoundException($"artifact not found: {path}", path);
        var target = info.LinkTarget is null ? info.FullName : info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? info.FullName;
        if (!IsRegularFile(target)) throw new InvalidDataException($"{path}: not a regular file (a device, pipe or socket); an artifact must be a regular file.");
        using var stream = new FileStream(target, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buffer = new MemoryStream();
        var chunk = new byte[1 << 16];
        int n;
        while ((n = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > MaxFileBytes) throw new InvalidDataException($"{path}: more than {MaxFileBytes} bytes, more than an artifact may hold.");
        }
        return Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), path);
    }

    /// <summary>Reads an artifact from bytes (e.g. from LEAN's ObjectStore).</summary>
    /// <param name="bytes">The artifact.</param>
    /// <param name="source">Name for messages (file, ObjectStore key).</param>
    /// <returns>The model and its training record.</returns>
    /// <exception cref="InvalidDataException">Corrupted (checksum), truncated, not an artifact, another format version, another
    /// feature set, or a field out of range or inconsistent; the message names <paramref name="source"/> and the reason.</exception>
    public static LoadedArtifact Deserialize(ReadOnlySpan<byte> bytes, string source)
    {
        var (context, training) = ReadContext(bytes, source);
        IReturnForecaster model;
        try { model = ForecasterCatalog.FromState(context); }
        catch (ArgumentException e) { throw Bad(source, $"inconsistent content: {e.Message}"); }
        return new LoadedArtifact(model, training);
    }

    /// <summary>
    /// Reads and validates an artifact without building the model: what <see cref="ForecasterCatalog.FromState"/> receives.
    /// Every check of <see cref="Deserialize"/> except the model kind's own (known kind, array names and sizes).
    /// </summary>
    /// <param name="bytes">The artifact.</param>
    /// <param name="source">Name for messages.</param>
    /// <returns>The validated content and the training record.</returns>
    /// <exception cref="InvalidDataException">As <see cref="Deserialize"/>.</exception>
    public static (ArtifactContext Context, ArtifactTraining Training) ReadContext(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.Length > MaxFileBytes) throw Bad(source, $"{bytes.Length} bytes is more than an artifact may hold ({MaxFileBytes})");
        if (bytes.Length < Magic.Length + 2) throw Bad(source, $"truncated: {bytes.Length} bytes");
        if (!bytes[..4].SequenceEqual(Magic)) throw Bad(source, "not a LeanModels forecaster artifact (magic bytes differ)");
        var version = BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]);
        if (version != FormatVersion)
            throw Bad(source, $"format version {version}; this build reads version {FormatVersion}"
                + (version < FormatVersion ? " (retrain the model or save it again with this build, e.g. research --save-artifacts)" : " (written by a newer build)"));
        if (bytes.Length < Magic.Length + 8 + 32) throw Bad(source, $"truncated: {bytes.Length} bytes");
        var body = bytes[..^32];
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes[^32..]))
            throw Bad(source, "checksum mismatch: the file is corrupted or truncated");
        var reader = new SpanReader(body, source);
        reader.Skip(6);
        var flags = reader.UInt16();
        if (flags != 0) throw Bad(source, $"flags {flags}; this build knows none");
        var headerLength = reader.Length(MaxHeaderBytes, 1, "header");
        JsonObject header;
        try { header = JsonNode.Parse(reader.Bytes(headerLength)) as JsonObject ?? throw Bad(source, "header is not a JSON object"); }
        catch (JsonException e) { throw Bad(source, $"header is not JSON ({e.Message})"); }
        var arrayCount = reader.Length(MaxArrays, 1, "array count");
        var arrays = new List<NamedArray>(arrayCount);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < arrayCount; i++)
        {
            var name = Encoding.UTF8.GetString(reader.Bytes(reader.Length(NamedArray.MaxNameBytes, 1, $"array {i} name")));
            if (name.Length == 0) throw Bad(source, $"array {i} has an empty name");
            if (!names.Add(name)) throw Bad(source, $"array '{name}' appears twice");
            var elementBytes = reader.Byte();
            if (elementBytes is not (4 or 8)) throw Bad(source, $"array '{name}' has {elementBytes}-byte elements; expected 4 (float32) or 8 (float64)");
            var rank = reader.Length(NamedArray.MaxRank, 4, $"array '{name}' rank");
            var shape = new int[rank];
            long count = 1;
            for (var k = 0; k < rank; k++)
            {
                shape[k] = reader.Length(int.MaxValue, 0, $"array '{name}' size {k}");
                count *= shape[k];
                if (count * elementBytes > body.Length) throw Bad(source, $"array '{name}' shape [{string.Join(", ", shape[..(k + 1)])}…] claims more bytes than the file holds");
            }
            var raw = reader.Bytes(checked((int)(count * elementBytes)));
            NamedArray array = elementBytes == 8
                ? NamedArray.Of(name, MemoryMarshal.Cast<byte, double>(raw).ToArray(), shape)
                : NamedArray.Of(name, MemoryMarshal.Cast<byte, float>(raw).ToArray(), shape);
            if (array.FirstNonFinite() is var bad and >= 0) throw Bad(source, $"array '{name}' element {bad} is not finite");
            arrays.Add(array);
        }
        var blobLength = reader.Int64();
        if (blobLength < -1 || blobLength > body.Length) throw Bad(source, $"blob length {blobLength} is outside [−1, {body.Length}]");
        var blob = blobLength < 0 ? null : reader.Bytes((int)blobLength).ToArray();
        if (!reader.AtEnd) throw Bad(source, "unexpected bytes after the blob");
        return Build(header, arrays, blob, source);
    }

    private static (ArtifactContext, ArtifactTraining) Build(JsonObject header, List<NamedArray> arrays, byte[]? blob, string source)
    {
        var h = new HeaderReader(header, source);
        if (h.String("format") != "leanmodels-forecaster") throw Bad(source, "header 'format' is not 'leanmodels-forecaster'");
        var kind = h.String("kind");
        var name = h.String("name");
        var horizon = h.Int("horizon", 1, MaxHorizon);
        var w = h.Object("window");
        var window = new InputWindow(w.Int("lookbackBars", 1, MaxWindowBars), w.Int("warmUpBars", 0, MaxWindowBars), w.Int("marketProxyDays", 0, MaxWindowBars));
        var f = h.Object("features");
        var features = new FeatureSpecification(f.String("name"), f.String("version"), f.Strings("names", unique: true));
        if (features.Count == 0) throw Bad(source, "the feature specification lists no feature");
        if (!FeatureSetCatalog.TryGet(features, out var builder))
        {
            var known = FeatureSetCatalog.Names.Select(n => FeatureSetCatalog.Get(n).Specification.ToString());
            throw Bad(source, $"trained on feature set {features}; this build computes {string.Join("; ", known)}");
        }
        if (window.WarmUpBars < builder!.WarmUpBars)
            throw Bad(source, $"window warm-up {window.WarmUpBars} bars is less than feature set '{features.Name}' needs ({builder.WarmUpBars})");
        var options = h.Object("options").Node;
        var t = h.Object("training");
        var training = new ArtifactTraining(t.Date("from"), t.Date("to"), t.Date("lastLabelDate"), t.Int("dates", 1, int.MaxValue), t.Strings("tickers", unique: true));
        if (training.From > training.To || training.To >= training.LastLabelDate)
            throw Bad(source, $"training dates out of order: from {Format(training.From)}, to {Format(training.To)}, last label {Format(training.LastLabelDate)} (need from ≤ to < last label)");
        if (training.Tickers.Count == 0) throw Bad(source, "the training record lists no ticker");

        FeatureNormaliser? normaliser = null;
        var mean = arrays.FirstOrDefault(a => a.Name == NormaliserMean);
        var std = arrays.FirstOrDefault(a => a.Name == NormaliserStd);
        if ((mean is null) != (std is null)) throw Bad(source, $"'{NormaliserMean}' and '{NormaliserStd}' must both be present or both absent");
        if (mean is not null)
        {
            if (mean.Doubles is null || std!.Doubles is null || mean.Shape.Count != 1 || std.Shape.Count != 1 || mean.Length != features.Count || std.Length != features.Count)
                throw Bad(source, $"normaliser statistics are {mean.FormatShape()} and {std!.FormatShape()}; the feature specification declares F = {features.Count} (double [F] each)");
            for (var k = 0; k < features.Count; k++)
                if (!(std.Doubles[k] > 0)) throw Bad(source, $"normaliser std of '{features.FeatureNames[k]}' is {std.Doubles[k]}; it must be > 0");
            normaliser = FeatureNormaliser.FromStatistics(mean.Doubles, std.Doubles);
        }
        var state = new ModelState(kind, options, normaliser, arrays.Where(a => a != mean && a != std).ToList(), blob);
        return (new ArtifactContext(name, horizon, window, features, state, source), training);
    }

    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static InvalidDataException Bad(string source, string what) => new($"{source}: {what}.");

    /// <summary>Typed, checked access to the JSON header: a missing or mistyped field is refused by name.</summary>
    private readonly struct HeaderReader(JsonObject node, string source, string path = "")
    {
        public JsonObject Node => node;

        private JsonNode Get(string key) => node[key] ?? throw Bad(source, $"header field '{path}{key}' is missing or null");

        public string String(string key)
        {
            if (Get(key) is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0) return s;
            throw Bad(source, $"header field '{path}{key}' is not a non-empty string");
        }

        public int Int(string key, int min, int max)
        {
            if (Get(key) is JsonValue v && v.TryGetValue<int>(out var i))
            {
                if (i < min || i > max) throw Bad(source, $"header field '{path}{key}' = {i} is outside [{min}, {max}]");
                return i;
            }
            throw Bad(source, $"header field '{path}{key}' is not an integer");
        }

        public DateOnly Date(string key)
        {
            var text = String(key);
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                throw Bad(source, $"header field '{path}{key}' = '{text}' is not a yyyy-MM-dd date");
            if (d < MinDate || d > MaxDate) throw Bad(source, $"header field '{path}{key}' = {text} is outside {Format(MinDate)}..{Format(MaxDate)}");
            return d;
        }

        public HeaderReader Object(string key) =>
            Get(key) is JsonObject o ? new HeaderReader(o, source, path + key + ".") : throw Bad(source, $"header field '{path}{key}' is not an object");

        public IReadOnlyList<string> Strings(string key, bool unique)
        {
            if (Get(key) is not JsonArray array) throw Bad(source, $"header field '{path}{key}' is not an array");
            var list = new List<string>(array.Count);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is not JsonValue v || !v.TryGetValue<string>(out var s) || string.IsNullOrWhiteSpace(s))
                    throw Bad(source, $"header field '{path}{key}' entry {i} is null, empty or not a string");
                if (unique && !seen.Add(s)) throw Bad(source, $"header field '{path}{key}' lists '{s}' twice");
                list.Add(s);
            }
            return list;
        }
    }

    /// <summary>True when <paramref name="path"/> is a regular file (stat's S_IFREG on Unix; not a device on Windows).</summary>
    private static bool IsRegularFile(string path)
    {
        if (OperatingSystem.IsWindows()) return (File.GetAttributes(path) & (FileAttributes.Device | FileAttributes.Directory)) == 0;
        var status = default(UnixFileStatus);
        if (UnixStat(path, ref status) != 0) throw new FileNotFoundException($"artifact not found or not readable: {path}", path);
        return (status.Mode & 0xF000) == 0x8000;                      // S_IFMT, S_IFREG
    }

    /// <summary>The runtime's own stat shim (libSystem.Native, shipped with .NET on every Unix); only <c>Mode</c> is read.</summary>
    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", CharSet = CharSet.Ansi, SetLastError = true)]
    private static extern int UnixStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, ref UnixFileStatus status);

    /// <summary>Room for the runtime's FileStatus (about 100 bytes in .NET 10); Flags then Mode lead it in every version.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 512)]
    private struct UnixFileStatus
    {
        public int Flags;
        public int Mode;
    }

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

        public byte Byte() => Bytes(1)[0];

        public ushort UInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2));

        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Bytes(8));

        /// <summary>Reads an int32 count and checks it against a limit and against the bytes that remain (count × elementBytes).</summary>
        public int Length(int limit, int elementBytes, string what)
        {
            var n = BinaryPrimitives.ReadInt32LittleEndian(Bytes(4));
            if (n < 0 || n > limit) throw Bad(source, $"{what} {n} is outside [0, {limit}]");
            if ((long)n * elementBytes > _data.Length - _position)
                throw Bad(source, $"{what} claims {(long)n * elementBytes} bytes but only {_data.Length - _position} remain");
            return n;
        }
    }
}
