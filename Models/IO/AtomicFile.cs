namespace LeanModels.Models.IO;

/// <summary>
/// The one way this library writes a single file safely (STYLE.md §5): the content goes to a temporary sibling
/// <c>&lt;path&gt;.tmp-&lt;pid&gt;-&lt;random&gt;</c> (<see cref="TemporaryName"/>), is flushed to disk, and is renamed onto
/// <c>&lt;path&gt;</c> only once complete. A reader sees the old file or the new one, never a partial one; on any failure or
/// cancellation the temporary file is deleted and <c>&lt;path&gt;</c> is left as it was.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> all or nothing.</summary>
    /// <param name="path">Destination file; its folder is created if missing; an existing file is replaced.</param>
    /// <param name="write">Writes the content into the stream it is given (do not dispose it).</param>
    /// <param name="cancellationToken">Checked before and after <paramref name="write"/>; cancellation deletes the temporary file.</param>
    /// <exception cref="IOException">The file could not be written or renamed (e.g. <paramref name="path"/> is a folder); the
    /// message names the path. The temporary file is gone and the destination is unchanged.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the rename.</exception>
    public static void Write(string path, Action<Stream> write, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        cancellationToken.ThrowIfCancellationRequested();
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new IOException($"{full}: is a folder; expected a file path.");
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = TemporaryName(full);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            cancellationToken.ThrowIfCancellationRequested();
            Move(temp, full);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> all or nothing (<see cref="Write(string, Action{Stream}, CancellationToken)"/>).</summary>
    /// <param name="path">Destination file.</param>
    /// <param name="bytes">The whole content.</param>
    /// <exception cref="IOException">The file could not be written; the destination is unchanged.</exception>
    public static void WriteAllBytes(string path, ReadOnlyMemory<byte> bytes) => Write(path, s => s.Write(bytes.Span));

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte-order mark, all or nothing.</summary>
    /// <param name="path">Destination file.</param>
    /// <param name="text">The whole content.</param>
    /// <exception cref="IOException">The file could not be written; the destination is unchanged.</exception>
    public static void WriteAllText(string path, string text) => WriteAllBytes(path, new System.Text.UTF8Encoding(false).GetBytes(text));

    /// <summary>
    /// A fresh temporary sibling name for <paramref name="fullPath"/>: <c>&lt;fullPath&gt;.tmp-&lt;pid&gt;-&lt;8 hex digits&gt;</c>.
    /// The process id lets a later run tell a leftover of a killed process (owner gone) from one still being written
    /// (<see cref="AtomicFolder.CleanLeftovers"/>).
    /// </summary>
    /// <param name="fullPath">Absolute destination path.</param>
    /// <param name="kind"><c>tmp</c> for content being written, <c>old</c> for a previous folder moved aside.</param>
    /// <returns>The temporary path.</returns>
    internal static string TemporaryName(string fullPath, string kind = "tmp") => $"{fullPath}.{kind}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Test seam: the rename of the finished temporary file onto the destination (<see cref="File.Move(string, string, bool)"/>).</summary>
    internal static Action<string, string> MoveFile { get; set; } = (from, to) => File.Move(from, to, overwrite: true);

    private static void Move(string temp, string full)
    {
        try
        {
            MoveFile(temp, full);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IOException($"{full}: cannot be replaced ({e.Message}).", e);
        }
    }

    /// <summary>Deletes a file if it exists; never throws (a failure here must not hide the original error).</summary>
    private static void TryDelete(string path)
    {
        try { if (File.Exists(path)) File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
