using LeanModels.Models.IO;

namespace LeanModels.Tests.Models.IO;

public class AtomicFileTests
{
    private string _root = "";

    [SetUp]
    public void CreateRoot() => _root = TestPaths.NewTempFolder();

    [TearDown]
    public void DeleteRoot()
    {
        AtomicFile.MoveFile = (from, to) => File.Move(from, to, overwrite: true);
        Directory.Delete(_root, recursive: true);
    }

    [Test]
    public void Write_NewAndExistingFile_ReplacesContentAndLeavesNoTemporaryFile()
    {
        var path = Path.Combine(_root, "sub", "a.txt");
        AtomicFile.WriteAllText(path, "one");
        AtomicFile.WriteAllText(path, "two");
        Assert.That(File.ReadAllText(path), Is.EqualTo("two"));
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(path)!), Is.EqualTo(new[] { path }));
    }

    [Test]
    public void Write_WriterThrows_KeepsOldFileAndRemovesTemporaryFile()
    {
        var path = Path.Combine(_root, "a.txt");
        File.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write("partial"u8);
            throw new InvalidOperationException("boom");
        }));
        Assert.That(File.ReadAllText(path), Is.EqualTo("old"));
        Assert.That(Directory.GetFiles(_root), Is.EqualTo(new[] { path }), "the temporary file is removed");
    }

    [Test]
    public void Write_RenameFails_KeepsOldFileAndRemovesTemporaryFile()
    {
        var path = Path.Combine(_root, "a.txt");
        File.WriteAllText(path, "old");
        AtomicFile.MoveFile = (_, _) => throw new IOException("disk full");
        var e = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(path, "new"));
        Assert.That(e!.Message, Is.EqualTo("disk full"));
        Assert.That(File.ReadAllText(path), Is.EqualTo("old"));
        Assert.That(Directory.GetFiles(_root), Is.EqualTo(new[] { path }));
    }

    [Test]
    public void Write_CancelledDuringWrite_KeepsOldFileAndRemovesTemporaryFile()
    {
        var path = Path.Combine(_root, "a.txt");
        File.WriteAllText(path, "old");
        using var cts = new CancellationTokenSource();
        Assert.Throws<OperationCanceledException>(() => AtomicFile.Write(path, s => { s.Write("new"u8); cts.Cancel(); }, cts.Token));
        Assert.That(File.ReadAllText(path), Is.EqualTo("old"));
        Assert.That(Directory.GetFiles(_root), Is.EqualTo(new[] { path }));
    }

    [Test]
    public void Write_DestinationIsAFolder_ThrowsNamingItAndKeepsIt()
    {
        var path = Path.Combine(_root, "dir");
        Directory.CreateDirectory(path);
        var e = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(path, "x"));
        Assert.That(e!.Message, Does.Contain(path).And.Contain("is a folder"));
        Assert.That(Directory.Exists(path) && Directory.GetFileSystemEntries(_root).Length == 1);
    }

    [Test]
    public void TemporaryName_HoldsProcessIdAndIsFresh()
    {
        var a = AtomicFile.TemporaryName("/x/out");
        Assert.That(a, Does.Match($@"^/x/out\.tmp-{Environment.ProcessId}-[0-9a-f]{{8}}$"));
        Assert.That(AtomicFile.TemporaryName("/x/out"), Is.Not.EqualTo(a));
    }
}
