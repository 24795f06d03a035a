namespace LeanModels.Models.IO;

/// <summary>Reads the current git commit without running git, for run manifests.</summary>
public static class GitInfo
{
    /// <summary>The commit checked out in the repository containing <paramref name="directory"/>, or null.</summary>
    /// <param name="directory">Any folder inside a git work tree.</param>
    /// <returns>A 40-hex-digit commit id, or null when none can be read (no repository, an unusual layout).</returns>
    public static string? TryReadCommit(string directory)
    {
        try
        {
            var dir = new DirectoryInfo(directory);
            while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, ".git")) && !File.Exists(Path.Combine(dir.FullName, ".git")))
                dir = dir.Parent;
            if (dir is null) return null;
            var gitDir = Path.Combine(dir.FullName, ".git");
            if (File.Exists(gitDir))                                   // a worktree: "gitdir: <path>"
            {
                var pointer = File.ReadAllText(gitDir).Trim();
                if (!pointer.StartsWith("gitdir:", StringComparison.Ordinal)) return null;
                gitDir = Path.GetFullPath(pointer["gitdir:".Length..].Trim(), dir.FullName);
            }
            var head = File.ReadAllText(Path.Combine(gitDir, "HEAD")).Trim();
            if (!head.StartsWith("ref:", StringComparison.Ordinal)) return head;
            var reference = head[4..].Trim();
            var common = File.Exists(Path.Combine(gitDir, "commondir"))
                ? Path.GetFullPath(File.ReadAllText(Path.Combine(gitDir, "commondir")).Trim(), gitDir)
                : gitDir;
            foreach (var root in new[] { gitDir, common })
            {
                var loose = Path.Combine(root, reference);
                if (File.Exists(loose)) return File.ReadAllText(loose).Trim();
                var packed = Path.Combine(root, "packed-refs");
                if (File.Exists(packed))
                    foreach (var line in File.ReadLines(packed))
                        if (line.EndsWith(" " + reference, StringComparison.Ordinal)) return line[..40];
            }
            return null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
