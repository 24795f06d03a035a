using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace LeanModels.Models.IO;

/// <summary>
/// Reads a single-member gzip file (RFC 1952, as <c>gzip</c> and Alpha Vantage write them) and, at the end of the data,
/// checks the 8-byte trailer: the CRC-32 and the length mod 2³² (ISIZE) of everything decompressed. .NET's
/// <see cref="GZipStream"/> alone returns a file cut on a deflate block boundary, or one missing its trailer, as a shorter
/// valid stream; this reader reports it as a truncated file instead.
/// </summary>
/// <remarks>A file of several concatenated gzip members is refused (its trailer covers only the last member).</remarks>
public sealed class VerifiedGzipStream : Stream
{
    /// <summary>Header (10 bytes) + empty deflate block (2) + trailer (8): the shortest gzip file.</summary>
    private const int MinimumFileBytes = 20;

    private readonly string _path;
    private readonly GZipStream _gzip;
    private readonly uint _trailerCrc;
    private readonly uint _trailerSize;
    private readonly Crc32 _crc = new();
    private long _length;
    private bool _verified;

    /// <summary>Opens <paramref name="path"/> for reading.</summary>
    /// <param name="path">A gzip file.</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Too short or not gzip (no 1f 8b magic); the message names the file.</exception>
    public VerifiedGzipStream(string path)
    {
        _path = path;
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            Span<byte> head = stackalloc byte[2];
            Span<byte> trailer = stackalloc byte[8];
            if (file.Length < MinimumFileBytes)
                throw new InvalidDataException($"{path}: truncated gzip file ({file.Length} bytes; a complete one has at least {MinimumFileBytes}).");
            file.ReadExactly(head);
            if (head[0] != 0x1f || head[1] != 0x8b) throw new InvalidDataException($"{path}: not a gzip file (no 1f 8b magic bytes).");
            file.Seek(-8, SeekOrigin.End);
            file.ReadExactly(trailer);
            file.Seek(0, SeekOrigin.Begin);
            _trailerCrc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
            _trailerSize = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
            _gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: false);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Decompressed bytes read so far.</summary>
    public long BytesRead => _length;

    /// <inheritdoc/>
    /// <exception cref="InvalidDataException">The deflate data is corrupt, or at its end the trailer does not match the
    /// data read (a truncated or damaged file); the message names the file.</exception>
    public override int Read(Span<byte> buffer)
    {
        int n;
        try
        {
            n = _gzip.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{_path}: corrupt or truncated gzip data after {_length:N0} decompressed bytes ({e.Message}).", e);
        }
        if (n > 0)
        {
            _crc.Append(buffer[..n]);
            _length += n;
        }
        else if (buffer.Length > 0)
        {
            Verify();
        }
        return n;
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    private void Verify()
    {
        if (_verified) return;
        var crc = _crc.GetCurrentHashAsUInt32();
        if (crc != _trailerCrc || (uint)_length != _trailerSize)
            throw new InvalidDataException(
                $"{_path}: truncated or damaged gzip file: the data ends after {_length:N0} decompressed bytes (CRC-32 {crc:x8}), "
                + $"but the gzip trailer records {_trailerSize:N0} bytes (CRC-32 {_trailerCrc:x8}). A file cut short has no valid trailer; download it again.");
        _verified = true;
    }

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position { get => _length; set => throw new NotSupportedException(); }

    /// <inheritdoc/>
    public override void Flush() { }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing) _gzip.Dispose();
        base.Dispose(disposing);
    }
}
