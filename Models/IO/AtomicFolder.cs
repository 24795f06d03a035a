namespace LeanModels.Models.IO;

/// <summary>
/// Writes a whole output folder or nothing (STYLE.md §5): the content is written into a temporary sibling
/// <c>&lt;path&gt;.tmp-&lt;random&gt;</c>, which is renamed onto <c>&lt;path&gt;</c> only once complete. An existing folder is
/// moved aside first and deleted after the swap, so a failure at any point leaves either the old folder or the new one.
/// </summary>
public static class AtomicFolder
{
    /// <summary>Creates <paramref name="path"/> by running <paramref name="write"/> on a temporary folder, then renaming it.</summary>
    /// <param name="path">Destination folder; its parent is created if missing.</param>
    /// <param name="write">Writes the content into the folder it is given.</param>
    /// <exception cref="IOException">The folder could not be created or renamed (the temporary folder is removed).</exception>
    public static void Write(string path, Action<string> write)
    {
        var full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        var parent = Path.GetDirectoryName(full) ?? throw new IOException($"{full}: has no parent folder.");
        Directory.CreateDirectory(parent);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var temp = $"{full}.tmp-{suffix}";
        try
        {
            Directory.CreateDirectory(temp);
            write(temp);
            if (Directory.Exists(full))
            {
                var old = $"{full}.old-{suffix}";
                Directory.Move(full, old);
                Directory.Move(temp, full);
                Directory.Delete(old, recursive: true);
            }
            else
            {
                Directory.Move(temp, full);
            }
        }
        catch
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            throw;
        }
    }
}
