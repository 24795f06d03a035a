using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace LeanModels.Models.Engine.Serialization;

/// <summary>
/// Named parameters to and from a versioned binary file. Layout, little-endian: magic <c>"LMPARAM\0"</c> (8 bytes), format
/// version (uint32, currently 1), element size in bytes (uint8: 4 = float32, 8 = float64), parameter count (int32), then per
/// parameter: name length (int32) and UTF-8 name, rank (int32), sizes (int32 each), the raw row-major values; last, a CRC-32
/// (IEEE, zlib's) of every preceding byte. Values are stored bit for bit, so a reload is bit-identical. Writing is atomic
/// (temporary file in the same folder, flushed to disk, then renamed); loading validates everything before it copies anything.
/// </summary>
public static class ParameterFile
{
    /// <summary>Current format version.</summary>
    public const uint Version = 1;

    private static ReadOnlySpan<byte> Magic => "LMPARAM\0"u8;

    /// <summary>Writes the parameters' names, shapes and values.</summary>
    /// <typeparam name="T"><c>float</c> or <c>double</c>.</typeparam>
    /// <param name="path">Destination; replaced atomically if it exists.</param>
    /// <param name="parameters">Parameters in a stable order (e.g. <c>model.Parameters()</c>); names must be unique.</param>
    /// <exception cref="ArgumentException">Names repeat; the message gives the name.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Save<T>(string path, IReadOnlyList<Parameter<T>> parameters) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(parameters);
        var dup = parameters.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new ArgumentException($"ParameterFile.Save: parameter name '{dup.Key}' appears {dup.Count()} times.", nameof(parameters));
        using var body = new MemoryStream();
        using (var w = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(Version);
            w.Write((byte)ElementSize<T>());
            w.Write(parameters.Count);
            foreach (var p in parameters)
            {
                var name = Encoding.UTF8.GetBytes(p.Name);
                w.Write(name.Length);
                w.Write(name);
                w.Write(p.Value.Rank);
                foreach (var d in p.Value.Shape) w.Write(d);
                w.Write(MemoryMarshal.AsBytes(p.Value.Data.AsSpan()));   // BinaryWriter and x64/ARM64 are little-endian
            }
        }
        var bytes = body.GetBuffer().AsSpan(0, (int)body.Length);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(crc, Crc32.Compute(bytes));
        var content = new byte[bytes.Length + crc.Length];
        bytes.CopyTo(content);
        crc.CopyTo(content.AsSpan(bytes.Length));
        IO.AtomicFile.WriteAllBytes(path, content);
    }

    /// <summary>Reads a file written by <see cref="Save{T}"/> into existing parameters, matched by name; every name, shape and the
    /// element type must match exactly. Nothing is copied unless the whole file is valid.</summary>
    /// <typeparam name="T">Element type of the parameters; must equal the file's.</typeparam>
    /// <param name="path">File to read.</param>
    /// <param name="parameters">Destination parameters (e.g. a freshly built model's).</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is truncated or corrupted (checksum), has the wrong magic, version or element
    /// type, or its names/shapes do not match the parameters; the message names the file and the mismatch.</exception>
    public static void Load<T>(string path, IReadOnlyList<Parameter<T>> parameters) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(parameters);
        var bytes = File.ReadAllBytes(path);
        InvalidDataException Bad(string what) => new($"{path}: {what}");
        if (bytes.Length < Magic.Length + 4 + 1 + 4 + 4) throw Bad($"file is {bytes.Length} bytes, too short for a parameter file.");
        if (!bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic)) throw Bad("not a LeanModels parameter file (magic 'LMPARAM' missing).");
        var stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4));
        var actual = Crc32.Compute(bytes.AsSpan(0, bytes.Length - 4));
        if (stored != actual) throw Bad($"checksum mismatch (stored 0x{stored:X8}, computed 0x{actual:X8}); the file is corrupted or truncated.");

        var values = new Dictionary<string, T[]>();
        using (var r = new BinaryReader(new MemoryStream(bytes, 0, bytes.Length - 4), Encoding.UTF8))
        {
            r.ReadBytes(Magic.Length);
            var version = r.ReadUInt32();
            if (version != Version) throw Bad($"format version {version}; this build reads version {Version}.");
            var size = r.ReadByte();
            if (size != ElementSize<T>()) throw Bad($"elements are {size}-byte floats but the model uses {typeof(T).Name} ({ElementSize<T>()} bytes).");
            var count = r.ReadInt32();
            if (count != parameters.Count) throw Bad($"holds {count} parameters, the model has {parameters.Count}.");
            var byName = parameters.ToDictionary(p => p.Name);
            for (var i = 0; i < count; i++)
            {
                var name = Encoding.UTF8.GetString(r.ReadBytes(r.ReadInt32()));
                if (!byName.TryGetValue(name, out var p)) throw Bad($"parameter '{name}' (entry {i}) does not exist in the model.");
                var rank = r.ReadInt32();
                if (rank < 0 || rank > 16) throw Bad($"parameter '{name}' has rank {rank}.");
                var shape = new int[rank];
                for (var d = 0; d < rank; d++) shape[d] = r.ReadInt32();
                if (!shape.AsSpan().SequenceEqual(p.Value.Shape))
                    throw Bad($"parameter '{name}' is {ShapeUtil.Format(shape)} in the file but {ShapeUtil.Format(p.Value.Shape)} in the model.");
                var data = new T[p.Value.Length];
                var raw = r.ReadBytes(data.Length * size);
                if (raw.Length != data.Length * size) throw Bad($"parameter '{name}' is truncated.");
                raw.CopyTo(MemoryMarshal.AsBytes(data.AsSpan()));
                if (!values.TryAdd(name, data)) throw Bad($"parameter '{name}' appears twice.");
            }
            if (r.BaseStream.Position != r.BaseStream.Length) throw Bad($"{r.BaseStream.Length - r.BaseStream.Position} unexpected bytes after the last parameter.");
        }
        foreach (var p in parameters) values[p.Name].CopyTo(p.Value.Data, 0);
    }

    private static int ElementSize<T>() where T : unmanaged => Marshal.SizeOf<T>();
}
