using System.Diagnostics;
using LeanModels.Models.IO;

namespace LeanModels.Tests.Models.IO;

public class AtomicFolderTests
{
    private static readonly OutputMarker Marker = OutputMarker.Research;
    private string _root = "";

    private string Out => Path.Combine(_root, "out");

    [SetUp]
    public void CreateRoot() => _root = TestPaths.NewTempFolder();

    [TearDown]
    public void DeleteRoot()
    {
        AtomicFolder.MoveDirectory = Directory.Move;
        Directory.Delete(_root, recursive: true);
    }

    private static void WriteA(string dir) => File.WriteAllText(Path.Combine(dir, "a.txt"), "new");

    private string[] Siblings() => Directory.GetFileSystemEntries(_root).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [Test]
    public void Write_NewFolder_HoldsContentAndMarker()
    {
        AtomicFolder.Write(Out, Marker, WriteA);
        Assert.That(File.ReadAllText(Path.Combine(Out, "a.txt")), Is.EqualTo("new"));
        Assert.That(File.ReadAllText(Path.Combine(Out, Marker.FileName)), Does.Contain("leanmodels research"));
        Assert.That(Siblings(), Is.EqualTo(new[] { "out" }));
    }

    [Test]
    public void Write_PreviousOutputOfSameCommand_IsReplaced()
    {
        AtomicFolder.Write(Out, Marker, dir => File.WriteAllText(Path.Combine(dir, "stale.txt"), "old"));
        AtomicFolder.Write(Out, Marker, WriteA);
        Assert.That(File.Exists(Path.Combine(Out, "stale.txt")), Is.False);
        Assert.That(File.ReadAllText(Path.Combine(Out, "a.txt")), Is.EqualTo("new"));
        Assert.That(Siblings(), Is.EqualTo(new[] { "out" }));
    }

    [Test]
    public void Write_EmptyExistingFolder_IsReplaced()
    {
        Directory.CreateDirectory(Out);
        AtomicFolder.Write(Out, Marker, WriteA);
        Assert.That(File.Exists(Path.Combine(Out, "a.txt")));
    }

    [Test]
    public void Write_FolderOfUserFiles_IsRefusedUntouched()
    {
        Directory.CreateDirectory(Out);
        File.WriteAllText(Path.Combine(Out, "thesis.tex"), "precious");
        var e = Assert.Throws<OutputRefusedException>(() => AtomicFolder.Write(Out, Marker, WriteA));
        Assert.That(e!.Message, Does.Contain(Out).And.Contain(Marker.FileName).And.Contain("`research`"));
        Assert.That(File.ReadAllText(Path.Combine(Out, "thesis.tex")), Is.EqualTo("precious"));
        Assert.That(Siblings(), Is.EqualTo(new[] { "out" }), "no temporary folder was even created");
    }

    [Test]
    public void Write_ResearchFolderOfAnEarlierVersion_IsRecognisedByItsReportAndReplaced()
    {
        Directory.CreateDirectory(Out);
        File.WriteAllText(Path.Combine(Out, "report.json"), "{\n  \"format\": \"leanmodels-research/1\",\n  \"commit\": null\n}");
        File.WriteAllText(Path.Combine(Out, "predictions.csv"), "old");
        AtomicFolder.Write(Out, Marker, WriteA);
        Assert.That(File.Exists(Path.Combine(Out, "predictions.csv")), Is.False);
        Assert.That(File.Exists(Path.Combine(Out, "a.txt")));
    }

    [Test]
    public void Write_FolderWithSomeOtherReportJson_IsRefused()
    {
        Directory.CreateDirectory(Out);
        File.WriteAllText(Path.Combine(Out, "report.json"), "{\"format\": \"something-else\"}");
        Assert.Throws<OutputRefusedException>(() => AtomicFolder.Write(Out, Marker, WriteA));
        Assert.That(File.Exists(Path.Combine(Out, "report.json")));
    }

    [Test]
    public void Write_OtherCommandsOutput_IsRefused()
    {
        AtomicFolder.Write(Out, OutputMarker.Import, WriteA);
        Assert.Throws<OutputRefusedException>(() => AtomicFolder.Write(Out, OutputMarker.Regime, WriteA));
        Assert.That(File.Exists(Path.Combine(Out, OutputMarker.Import.FileName)));
    }

    [Test]
    public void Write_DestinationIsAFile_IsRefused()
    {
        File.WriteAllText(Out, "x");
        Assert.Throws<OutputRefusedException>(() => AtomicFolder.Write(Out, Marker, WriteA));
        Assert.That(File.ReadAllText(Out), Is.EqualTo("x"));
    }

    [TestCase("data", "data", "is or lies inside")]
    [TestCase("data/sub", "data", "is or lies inside")]
    [TestCase("", "data", "contains")]
    public void Write_OverlappingProtectedFolder_IsRefused(string output, string input, string why)
    {
        var data = Path.Combine(_root, input);
        Directory.CreateDirectory(data);
        File.WriteAllText(Path.Combine(data, "spy.zip"), "bars");
        var target = output.Length == 0 ? _root : Path.Combine(_root, output);
        var e = Assert.Throws<OutputRefusedException>(() => AtomicFolder.Write(target, Marker, WriteA, protectedFolders: [data]));
        Assert.That(e!.Message, Does.Contain(why).And.Contain(data));
        Assert.That(File.ReadAllText(Path.Combine(data, "spy.zip")), Is.EqualTo("bars"));
    }

    [Test]
    public void Write_SiblingWithCommonPrefix_IsNotAnOverlap()
    {
        var data = Path.Combine(_root, "data");
        Directory.CreateDirectory(data);
        AtomicFolder.Write(Path.Combine(_root, "data2"), Marker, WriteA, protectedFolders: [data]);
        Assert.That(File.Exists(Path.Combine(_root, "data2", "a.txt")));
    }

    [Test]
    public void Write_WriterThrows_OldFolderKeptAndTemporaryRemoved()
    {
        AtomicFolder.Write(Out, Marker, dir => File.WriteAllText(Path.Combine(dir, "a.txt"), "old"));
        Assert.Throws<InvalidDataException>(() => AtomicFolder.Write(Out, Marker, dir =>
        {
            File.WriteAllText(Path.Combine(dir, "a.txt"), "half");
            throw new InvalidDataException("bad row");
        }));
        Assert.That(File.ReadAllText(Path.Combine(Out, "a.txt")), Is.EqualTo("old"));
        Assert.That(Siblings(), Is.EqualTo(new[] { "out" }));
    }

    [Test]
    public void Write_CancelledWhileWriting_OldFolderKeptAndTemporaryRemoved()
    {
        AtomicFolder.Write(Out, Marker, dir => File.WriteAllText(Path.Combine(dir, "a.txt"), "old"));
        using var cts = new CancellationTokenSource();
        Assert.Throws<OperationCanceledException>(() => AtomicFolder.Write(Out, Marker, dir =>
        {
            WriteA(dir);
            cts.Cancel();
        }, cts.Token));
        Assert.That(File.ReadAllText(Path.Combine(Out, "a.txt")), Is.EqualTo("old"));
        Assert.That(Siblings(), Is.EqualTo(new[] { "out" }));
    }

    [Test]
    public void Write_SecondRenameFails_OldFolderRenamedBackAndTemporaryRemoved()
    {
        AtomicFolder.Write(Out, Marker, dir => File.WriteAllText(Path.Combine(dir, "a.txt"), "old"));
        var moves = 0;
        AtomicFolder.MoveDirectory = (from, to) =>
        {
            if (++moves == 2) throw new IOException("rename failed");       // old aside succeeded, new in fails
            Directory.Move(from, to);
        };
        var e = Assert.Throws<IOException>(() => AtomicFolder.Write(Out, Marker, WriteA));
        Assert.That(e!.Message, Is.EqualTo("rename failed"));
        Assert.That(moves, Is.EqualTo(3), "aside, in (failed), back");
        Assert.That(File.ReadAllText(Path.Combine(Out, "a.txt")), Is.EqualTo("old"));
        Assert.That(Siblings(), Is.EqualTo(new[] { "out" }));
    }

    [Test]
    public void CleanLeftovers_KilledRunsTemporaryFolder_IsRemovedOnNextWrite()
    {
        var dead = DeadProcessId();
        var leftover = Path.Combine(_root, $"out.tmp-{dead}-0123abcd");
        Directory.CreateDirectory(leftover);
        File.WriteAllText(Path.Combine(leftover, Marker.FileName), Marker.Content);
        File.WriteAllText(Path.Combine(leftover, "predictions.csv"), "partial");
        AtomicFolder.Write(Out, Marker, WriteA);
        Assert.That(Siblings(), Is.EqualTo(new[] { "out" }));
    }

    [Test]
    public void CleanLeftovers_KillBetweenTheTwoRenames_RestoresThePreviousOutput()
    {
        var old = Path.Combine(_root, $"out.old-{DeadProcessId()}-0123abcd");
        Directory.CreateDirectory(old);
        File.WriteAllText(Path.Combine(old, Marker.FileName), Marker.Content);
        File.WriteAllText(Path.Combine(old, "a.txt"), "previous");
        var cleaned = AtomicFolder.CleanLeftovers(Out, Marker);
        Assert.That(cleaned, Is.EqualTo(new[] { old }));
        Assert.That(File.ReadAllText(Path.Combine(Out, "a.txt")), Is.EqualTo("previous"));
        Assert.That(Siblings(), Is.EqualTo(new[] { "out" }));
    }

    [Test]
    public void CleanLeftovers_LeavesEverythingThatIsNotProvablyAKilledRunsOwnFolder()
    {
        var dead = DeadProcessId();
        string Make(string name, bool marker)
        {
            var dir = Path.Combine(_root, name);
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "user.txt"), "keep");
            if (marker) File.WriteAllText(Path.Combine(dir, Marker.FileName), Marker.Content);
            return dir;
        }
        var kept = new[]
        {
            Make($"out.tmp-{Environment.ProcessId}-0123abcd", marker: true),   // a live process (us) is still writing it
            Make($"out.tmp-{dead}-0123abcd", marker: false),                   // right name, but not ours: no marker
            Make($"out.tmp-{dead}-XYZ", marker: true),                         // not our name pattern
            Make($"other.tmp-{dead}-0123abcd", marker: true),                  // another destination's
            Make("out.tmp-backup", marker: true),
        };
        var link = Path.Combine(_root, $"out.tmp-{dead}-89abcdef");
        Directory.CreateSymbolicLink(link, kept[1]);                           // a link is never followed or deleted
        Assert.That(AtomicFolder.CleanLeftovers(Out, Marker), Is.Empty);
        foreach (var dir in kept) Assert.That(File.ReadAllText(Path.Combine(dir, "user.txt")), Is.EqualTo("keep"), dir);
        Assert.That(Directory.Exists(link));
    }

    /// <summary>The id of a process that has exited (a finished child), so no live process owns it.</summary>
    private static int DeadProcessId()
    {
        using var p = Process.Start(new ProcessStartInfo("dotnet", "--version") { UseShellExecute = false, RedirectStandardOutput = true })!;
        p.WaitForExit();
        return p.Id;
    }
}
