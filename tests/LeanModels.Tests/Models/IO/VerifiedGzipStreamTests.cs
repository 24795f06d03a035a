using System.IO.Compression;
using System.Text;
using LeanModels.Models.IO;

namespace LeanModels.Tests.Models.IO;

public class VerifiedGzipStreamTests
{
    private string _root = "";

    [SetUp]
    public void CreateRoot() => _root = TestPaths.NewTempFolder();

    [TearDown]
    public void DeleteRoot() => Directory.Delete(_root, recursive: true);

    private static byte[] Gzip(string text)
    {
        using var memory = new MemoryStream();
        using (var gz = new GZipStream(memory, CompressionLevel.Optimal)) gz.Write(Encoding.UTF8.GetBytes(text));
        return memory.ToArray();
    }

    private static string Text(int rows) => string.Concat(Enumerable.Range(0, rows).Select(i => $"2020-01-{i % 28 + 1:00},{i},{i + 1}\n"));

    private string ReadAll(byte[] bytes)
    {
        var path = Path.Combine(_root, "f.csv.gz");
        File.WriteAllBytes(path, bytes);
        using var reader = new StreamReader(new VerifiedGzipStream(path));
        return reader.ReadToEnd();
    }

    [Test]
    public void Read_CompleteFile_ReturnsAllText()
    {
        var text = Text(5000);
        Assert.That(ReadAll(Gzip(text)), Is.EqualTo(text));
    }

    [Test]
    public void Read_TrailerMissing_IsReportedAsTruncated()
    {
        var bytes = Gzip(Text(5000));
        // Without its 8-byte trailer the deflate stream is complete: GZipStream alone returns every row without complaint.
        using (var plain = new StreamReader(new GZipStream(new MemoryStream(bytes[..^8]), CompressionMode.Decompress)))
            Assert.That(plain.ReadToEnd(), Is.EqualTo(Text(5000)), "precondition: .NET does not notice");
        var e = Assert.Throws<InvalidDataException>(() => ReadAll(bytes[..^8]));
        Assert.That(e!.Message, Does.Contain("f.csv.gz").And.Contain("truncated"));
    }

    [Test]
    public void Read_CutOnABlockBoundary_IsReportedAsTruncated()
    {
        // A file of two gzip-compressed halves flushed at a block boundary, cut right after the first half's blocks.
        var first = Encoding.UTF8.GetBytes(Text(3000));
        using var memory = new MemoryStream();
        long cut;
        using (var gz = new GZipStream(memory, CompressionLevel.Optimal, leaveOpen: true))
        {
            gz.Write(first);
            gz.Flush();                                            // ends the block (sync flush): a row boundary on disk
            cut = memory.Length;
            gz.Write(Encoding.UTF8.GetBytes(Text(3000)));
        }
        var truncated = memory.ToArray()[..(int)cut];
        var e = Assert.Throws<InvalidDataException>(() => ReadAll(truncated));
        Assert.That(e!.Message, Does.Contain("truncated"));
    }

    [Test]
    public void Read_CorruptTrailerCrc_IsRefused()
    {
        var bytes = Gzip(Text(100));
        bytes[^8] ^= 0xFF;
        Assert.Throws<InvalidDataException>(() => ReadAll(bytes));
    }

    [Test]
    public void Open_NotGzipOrTooShort_IsRefusedNamingTheFile()
    {
        Assert.That(Assert.Throws<InvalidDataException>(() => ReadAll(Encoding.UTF8.GetBytes("timestamp,open,high,low,close\n")))!.Message,
            Does.Contain("not a gzip file"));
        Assert.That(Assert.Throws<InvalidDataException>(() => ReadAll([0x1f, 0x8b, 8]))!.Message, Does.Contain("truncated"));
    }
}
