using System.Globalization;
using System.Text.RegularExpressions;

namespace LeanModels.Models.IO;

/// <summary>
/// The one way this library writes a whole output folder (STYLE.md §5): all or nothing, and never over a folder it did not
/// write.
/// <list type="bullet">
/// <item>Ownership: every folder written here holds a marker file (<see cref="OutputMarker"/>, e.g.
/// <c>leanmodels-research.json</c>). An existing destination is replaced only when it is empty or holds the same marker
/// (or, for folders written before markers existed, the command's signature file, <see cref="OutputMarker.LegacyFile"/>);
/// anything else (a folder of the user's files, the current directory, a data folder) is refused with
/// <see cref="OutputRefusedException"/> before any work. A destination that contains or is contained in a protected folder
/// (the run's input) is refused too.</item>
/// <item>Atomicity: the content is written into a temporary sibling <c>&lt;path&gt;.tmp-&lt;pid&gt;-&lt;random&gt;</c>,
/// which holds the marker from its first moment. Once complete, an existing destination is renamed aside to
/// <c>&lt;path&gt;.old-&lt;pid&gt;-&lt;random&gt;</c>, the new folder renamed in, the old one deleted; if the second rename
/// fails the old folder is renamed back. A failure or cancellation deletes the temporary folder.</item>
/// <item>Leftovers of a killed run (<see cref="CleanLeftovers"/>): before writing, sibling <c>.tmp-</c>/<c>.old-</c>
/// folders of the same destination whose owning process is gone and which hold the marker are removed (an <c>.old-</c>
/// folder is renamed back first if the destination is missing, i.e. the kill fell between the two renames).</item>
/// </list>
/// </summary>
public static partial class AtomicFolder
{
    /// <summary>Creates or replaces <paramref name="path"/> by running <paramref name="write"/> on a temporary folder, then renaming it.</summary>
    /// <param name="path">Destination folder; its parent is created if missing.</param>
    /// <param name="marker">The ownership marker written first into the temporary folder (<paramref name="write"/> may overwrite
    /// its content, not delete it) and required in an existing, non-empty destination.</param>
    /// <param name="write">Writes the content into the folder it is given.</param>
    /// <param name="cancellationToken">Checked before the work, after <paramref name="write"/> and before the renames.</param>
    /// <param name="protectedFolders">Folders the destination must neither contain nor lie inside (the run's input); may be null.</param>
    /// <exception cref="OutputRefusedException">The destination is a file, a root, overlaps a protected folder, or is a
    /// non-empty folder without the marker; nothing was written.</exception>
    /// <exception cref="IOException">The folder could not be created or renamed (the temporary folder is removed; the
    /// previous destination, if any, is left in place).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the temporary folder is removed).</exception>
    public static void Write(string path, OutputMarker marker, Action<string> write, CancellationToken cancellationToken = default,
        IEnumerable<string>? protectedFolders = null)
    {
        ArgumentNullException.ThrowIfNull(marker);
        ArgumentNullException.ThrowIfNull(write);
        var full = CheckDestination(path, marker, protectedFolders);
        cancellationToken.ThrowIfCancellationRequested();
        CleanLeftovers(full, marker);
        var temp = AtomicFile.TemporaryName(full);
        try
        {
            Directory.CreateDirectory(temp);
            File.WriteAllText(Path.Combine(temp, marker.FileName), marker.Content);
            write(temp);
            if (!File.Exists(Path.Combine(temp, marker.FileName)))
                throw new InvalidOperationException($"the writer of {full} deleted its marker {marker.FileName}.");
            cancellationToken.ThrowIfCancellationRequested();
            Swap(temp, full, marker);
        }
        finally
        {
            TryDeleteDirectory(temp);
        }
    }

    /// <summary>
    /// Checks, before any work, that <paramref name="path"/> may be written by <see cref="Write"/>: not a file or a root, not
    /// overlapping a protected folder, and missing, empty or holding <paramref name="marker"/>.
    /// </summary>
    /// <param name="path">Destination folder.</param>
    /// <param name="marker">The ownership marker.</param>
    /// <param name="protectedFolders">Folders the destination must neither contain nor lie inside; may be null.</param>
    /// <returns>The destination's full path, without a trailing separator.</returns>
    /// <exception cref="OutputRefusedException">The destination may not be written; the message says why and what to do.</exception>
    public static string CheckDestination(string path, OutputMarker marker, IEnumerable<string>? protectedFolders = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(marker);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (Path.GetDirectoryName(full) is null) throw new OutputRefusedException($"refusing to write to {full}: it is a root folder.");
        foreach (var folder in protectedFolders ?? [])
        {
            var other = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
            if (IsSameOrInside(full, other) || IsSameOrInside(other, full))
                throw new OutputRefusedException($"refusing to write to {full}: it {(IsSameOrInside(full, other) ? "is or lies inside" : "contains")} the input folder {other}. Choose an output folder outside it.");
        }
        if (File.Exists(full)) throw new OutputRefusedException($"refusing to write to {full}: it is a file; expected a folder (new, empty, or written by a previous run).");
        if (!Directory.Exists(full)) return full;
        if (new DirectoryInfo(full).LinkTarget is not null)
            throw new OutputRefusedException($"refusing to replace {full}: it is a symbolic link. Choose another output folder.");
        if (!Directory.EnumerateFileSystemEntries(full).Any() || IsOwned(full, marker)) return full;
        throw new OutputRefusedException(
            $"refusing to replace {full}: it is not empty and has no {marker.FileName}, so it was not written by a previous `{marker.Command}` run. "
            + "Choose another output folder, or remove this one yourself.");
    }

    /// <summary>
    /// Removes the leftovers of killed runs beside <paramref name="full"/>: sibling folders named
    /// <c>&lt;name&gt;.tmp-&lt;pid&gt;-&lt;8 hex&gt;</c> or <c>&lt;name&gt;.old-&lt;pid&gt;-&lt;8 hex&gt;</c> that are real folders
    /// (not links), hold <paramref name="marker"/> and whose process <c>pid</c> is no longer running. If
    /// <paramref name="full"/> is missing, the newest such <c>.old-</c> folder is renamed back onto it instead of being
    /// deleted (a kill between the two renames of a swap). Anything else, including folders of live processes, is left alone.
    /// Best effort: a folder that cannot be removed is skipped.
    /// </summary>
    /// <param name="full">Full path of the destination folder.</param>
    /// <param name="marker">The ownership marker a leftover must hold.</param>
    /// <returns>The leftovers removed or restored, full paths.</returns>
    public static IReadOnlyList<string> CleanLeftovers(string full, OutputMarker marker)
    {
        var parent = Path.GetDirectoryName(full);
        var name = Path.GetFileName(full);
        var cleaned = new List<string>();
        if (parent is null || !Directory.Exists(parent)) return cleaned;
        var pattern = new Regex("^" + Regex.Escape(name) + @"\.(tmp|old)-(\d{1,10})-[0-9a-f]{8}$", RegexOptions.CultureInvariant);
        var candidates = new List<(string Path, bool Old)>();
        foreach (var dir in Directory.EnumerateDirectories(parent))
        {
            var m = pattern.Match(Path.GetFileName(dir));
            if (!m.Success) continue;
            if (new DirectoryInfo(dir).LinkTarget is not null) continue;
            if (!int.TryParse(m.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || IsRunning(pid)) continue;
            if (!IsOwned(dir, marker)) continue;
            candidates.Add((dir, m.Groups[1].Value == "old"));
        }
        if (!Directory.Exists(full))
        {
            var restore = candidates.Where(c => c.Old).OrderByDescending(c => Directory.GetLastWriteTimeUtc(c.Path)).FirstOrDefault();
            if (restore.Path is not null)
            {
                try
                {
                    Directory.Move(restore.Path, full);
                    cleaned.Add(restore.Path);
                    candidates.Remove(restore);
                }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
        }
        foreach (var (dir, _) in candidates)
            if (TryDeleteDirectory(dir)) cleaned.Add(dir);
        return cleaned;
    }

    /// <summary>Test seam: the two folder renames of a swap (<see cref="Directory.Move"/>).</summary>
    internal static Action<string, string> MoveDirectory { get; set; } = Directory.Move;

    /// <summary>Renames <paramref name="temp"/> onto <paramref name="full"/>; an existing folder is moved aside, then deleted,
    /// or moved back if the second rename fails.</summary>
    private static void Swap(string temp, string full, OutputMarker marker)
    {
        if (!Directory.Exists(full))
        {
            MoveDirectory(temp, full);
            return;
        }
        CheckDestination(full, marker);                          // it may have changed while we were writing
        var old = AtomicFile.TemporaryName(full, "old");
        MoveDirectory(full, old);
        try
        {
            MoveDirectory(temp, full);
        }
        catch
        {
            try { MoveDirectory(old, full); }
            catch (IOException) { }                              // both failed: the previous output stays at <path>.old-*, restored by the next run
            throw;
        }
        TryDeleteDirectory(old);
    }

    private static bool IsOwned(string folder, OutputMarker marker)
    {
        var file = new FileInfo(Path.Combine(folder, marker.FileName));
        if (file.Exists && file.LinkTarget is null) return true;
        if (marker.LegacyFile is null || marker.LegacySignature is null) return false;
        var legacy = new FileInfo(Path.Combine(folder, marker.LegacyFile));
        if (!legacy.Exists || legacy.LinkTarget is not null) return false;
        try
        {
            using var stream = legacy.OpenRead();
            var head = new byte[4096];
            var n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            return System.Text.Encoding.UTF8.GetString(head, 0, n).Contains(marker.LegacySignature, StringComparison.Ordinal);
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }             // no such process
        catch (InvalidOperationException) { return true; }      // cannot tell: leave its folders alone (a later run retries)
        catch (System.ComponentModel.Win32Exception) { return true; }   // exists but not ours to inspect: leave its folders alone
    }

    /// <summary>True when <paramref name="path"/> equals <paramref name="folder"/> or lies inside it.</summary>
    /// <param name="path">A full path.</param>
    /// <param name="folder">A full folder path, without a trailing separator.</param>
    /// <returns>Whether <paramref name="path"/> is <paramref name="folder"/> or below it (by name; links are not followed).</returns>
    public static bool IsSameOrInside(string path, string folder)
    {
        var relative = Path.GetRelativePath(folder, path);
        return relative == "." || !(relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative));
    }

    /// <summary>Deletes a folder and its content if it exists; never throws (a failure here must not hide the original error).</summary>
    private static bool TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
            return true;
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }
}

/// <summary>
/// The file that marks a folder as written by one <c>leanmodels</c> command (<see cref="AtomicFolder"/>), so that only such
/// a folder is ever replaced.
/// </summary>
/// <param name="Command">The command that writes it, for messages (e.g. <c>research</c>).</param>
/// <param name="FileName">The marker's file name inside the folder (e.g. <c>leanmodels-research.json</c>).</param>
/// <param name="LegacyFile">For folders written before markers existed: a file the command always wrote (e.g.
/// <c>report.json</c>); null when there are none.</param>
/// <param name="LegacySignature">Text that <paramref name="LegacyFile"/>'s first 4 KB must contain for the folder to count as
/// the command's (e.g. <c>"format": "leanmodels-research/1"</c>).</param>
public sealed record OutputMarker(string Command, string FileName, string? LegacyFile = null, string? LegacySignature = null)
{
    /// <summary>The marker of <c>research</c> run folders; folders of earlier versions are recognised by their <c>report.json</c>'s format.</summary>
    public static OutputMarker Research { get; } = new("research", "leanmodels-research.json", "report.json", "\"format\": \"leanmodels-research/1\"");

    /// <summary>The marker of <c>regime</c> run folders; folders of earlier versions are recognised by their <c>report.md</c>'s title.</summary>
    public static OutputMarker Regime { get; } = new("regime", "leanmodels-regime.json", "report.md", "# Regimes of ");

    /// <summary>The marker of <c>efficiency</c> study folders (issue 16: two-stage vs direct model).</summary>
    public static OutputMarker Efficiency { get; } = new("efficiency", "leanmodels-efficiency.json");

    /// <summary>The marker of <c>import</c> output folders: the import manifest, overwritten with the report at the end.</summary>
    public static OutputMarker Import { get; } = new("import", "leanmodels-import.json");

    /// <summary>Initial content of the marker: a small JSON object naming the command.</summary>
    public string Content => $"{{\"writtenBy\": \"leanmodels {Command}\"}}\n";
}

/// <summary>An output folder or file that must not be written (not ours, overlapping the input); exits with code 4.</summary>
/// <param name="message">What was refused and why, naming the path.</param>
public sealed class OutputRefusedException(string message) : IOException(message);
