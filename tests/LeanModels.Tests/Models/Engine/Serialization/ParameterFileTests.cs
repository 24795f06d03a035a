using LeanModels.Models.Engine;
using LeanModels.Models.Engine.Layers;
using LeanModels.Models.Engine.Serialization;
using LeanModels.Models.Numerics;

namespace LeanModels.Tests.Models.Engine.Serialization;

public class ParameterFileTests
{
    private string _folder = "";

    [SetUp] public void SetUp() => _folder = TestPaths.NewTempFolder();
    [TearDown] public void TearDown() => Directory.Delete(_folder, recursive: true);

    private static MultiHeadAttention<float> Model(ulong seed) => new(8, 2, 0.1, new Xoshiro256StarStar(seed));

    [Test]
    public void SaveLoad_RoundTrip_IsBitIdentical()
    {
        var path = Path.Combine(_folder, "m.bin");
        var source = Model(1);
        ParameterFile.Save(path, source.Parameters());
        var target = Model(2);                                          // different initial values
        Assert.That(target.Parameters()[0].Value.Data, Is.Not.EqualTo(source.Parameters()[0].Value.Data));
        ParameterFile.Load(path, target.Parameters());
        foreach (var (s, t) in source.Parameters().Zip(target.Parameters()))
            Assert.That(t.Value.Data.Select(BitConverter.SingleToInt32Bits), Is.EqualTo(s.Value.Data.Select(BitConverter.SingleToInt32Bits)), s.Name);
        Assert.That(Directory.GetFiles(_folder), Has.Length.EqualTo(1));   // no temporary file left behind
    }

    [Test]
    public void Load_FlippedByte_RefusedWithChecksumError_AndModelUntouched()
    {
        var path = Path.Combine(_folder, "m.bin");
        ParameterFile.Save(path, Model(1).Parameters());
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(path, bytes);
        var target = Model(2);
        var before = target.Parameters()[0].Value.Data.ToArray();
        Assert.That(() => ParameterFile.Load(path, target.Parameters()), Throws.TypeOf<InvalidDataException>().With.Message.Contains("checksum").And.Message.Contains(path));
        Assert.That(target.Parameters()[0].Value.Data, Is.EqualTo(before));
    }

    [Test]
    public void Load_Truncated_Refused()
    {
        var path = Path.Combine(_folder, "m.bin");
        ParameterFile.Save(path, Model(1).Parameters());
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 10)]);
        Assert.That(() => ParameterFile.Load(path, Model(2).Parameters()), Throws.TypeOf<InvalidDataException>());
    }

    [Test]
    public void Load_ShapeMismatch_RefusedNamingParameterAndShapes()
    {
        var path = Path.Combine(_folder, "m.bin");
        ParameterFile.Save(path, Model(1).Parameters());
        var other = new MultiHeadAttention<float>(4, 2, 0.1, new Xoshiro256StarStar(1));
        Assert.That(() => ParameterFile.Load(path, other.Parameters()),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("'wq.weight' is [8, 8] in the file but [4, 4]"));
    }

    [Test]
    public void Load_ElementTypeMismatch_Refused()
    {
        var path = Path.Combine(_folder, "m.bin");
        ParameterFile.Save(path, Model(1).Parameters());
        var asDouble = new MultiHeadAttention<double>(8, 2, 0.1, new Xoshiro256StarStar(1));
        Assert.That(() => ParameterFile.Load(path, asDouble.Parameters()), Throws.TypeOf<InvalidDataException>().With.Message.Contains("4-byte"));
    }

    [Test]
    public void Load_NotAParameterFile_Refused()
    {
        var path = Path.Combine(_folder, "m.bin");
        File.WriteAllText(path, "date,open,high,low,close,volume\n20240102,1,2,3,4,5\n");
        Assert.That(() => ParameterFile.Load(path, Model(1).Parameters()), Throws.TypeOf<InvalidDataException>().With.Message.Contains("magic"));
    }
}

public class Crc32Tests
{
    [Test]
    public void Compute_StandardCheckString_MatchesZlibCheckValue() =>
        // the CRC-32/ISO-HDLC catalogue check value for ASCII "123456789" is 0xCBF43926
        Assert.That(Crc32.Compute("123456789"u8), Is.EqualTo(0xCBF43926u));
}
