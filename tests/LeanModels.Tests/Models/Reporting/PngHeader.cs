using System.Buffers.Binary;

namespace LeanModels.Tests.Models.Reporting;

/// <summary>Reads a PNG file's size from its IHDR chunk (PNG spec §11.2.2: 8-byte signature, then length, "IHDR", width, height, big-endian).</summary>
internal static class PngHeader
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static (int Width, int Height) Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.That(bytes.Length, Is.GreaterThan(24), path);
        Assert.That(bytes.AsSpan(0, 8).ToArray(), Is.EqualTo(Signature), $"{path} is not a PNG");
        Assert.That(System.Text.Encoding.ASCII.GetString(bytes, 12, 4), Is.EqualTo("IHDR"), path);
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
    }
}
