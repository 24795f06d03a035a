using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using LeanModels.Models.Forecasting;
using LeanModels.Models.Research;
using LeanModels.Tests.Models.Research;

namespace LeanModels.Tests.Models.Forecasting;

public class ForecasterArtifactTests
{
    private static readonly Panel History = ResearchTestData.Panel(assets: 5, days: 300, seed: 31);

    private static LoadedArtifact Trained(string model) =>
        ForecasterTraining.Fit(History, ForecasterCatalog.CreateTrainer(model), horizon: 5, trainWindow: 150);

    [TestCase("ridge")]
    [TestCase("momentum20")]
    [TestCase("reversal5")]
    [TestCase("ridge-regime")]
    public void SerializeDeserialize_RoundTrip_PredictsBitIdenticallyAndReserializesToTheSameBytes(string name)
    {
        var trained = Trained(name);
        var bytes = ForecasterArtifact.Serialize(trained.Model, trained.Training);
        var loaded = ForecasterArtifact.Deserialize(bytes, "test");
        Assert.That(loaded.Model.Name, Is.EqualTo(name));
        Assert.That(loaded.Model.Horizon, Is.EqualTo(5));
        Assert.That(loaded.Training, Is.EqualTo(trained.Training).Using<ArtifactTraining>((x, y) =>
            x.From == y.From && x.To == y.To && x.Dates == y.Dates && x.Tickers.SequenceEqual(y.Tickers)));
        var features = FeatureBuilder.Build(History);
        double[] a = new double[5], b = new double[5];
        trained.Model.PredictFeatures(features, 299, a);
        loaded.Model.PredictFeatures(features, 299, b);
        Assert.That(b, Is.EqualTo(a));
        Assert.That(a.All(double.IsFinite));
        Assert.That(ForecasterArtifact.Serialize(loaded.Model, loaded.Training), Is.EqualTo(bytes));
    }

    [Test]
    public void Fit_TrainingDatesEndBeforeThePurge()
    {
        var trained = Trained("ridge");
        // D = 300 dates; labels need d + 1 + H ≤ 299 and the purge keeps d ≤ D − H − 2 = 293; window of 150 usable dates.
        Assert.That(trained.Training.To, Is.EqualTo(History.Dates[293]));
        Assert.That(trained.Training.Dates, Is.EqualTo(150));
        Assert.That(trained.Training.From, Is.EqualTo(History.Dates[144]));
    }

    [Test]
    public void SaveLoad_File_RoundTripsAndLeavesNoTemporaryFile()
    {
        var dir = TestPaths.NewTempFolder();
        var trained = Trained("ridge");
        var path = Path.Combine(dir, "ridge.lmfa");
        ForecasterArtifact.Save(path, trained.Model, trained.Training);
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(ForecasterArtifact.Serialize(trained.Model, trained.Training)));
        Assert.That(ForecasterArtifact.Load(path).Model.Name, Is.EqualTo("ridge"));
        Assert.That(Directory.GetFiles(dir), Has.Length.EqualTo(1));
        Directory.Delete(dir, true);
    }

    [Test]
    public void Deserialize_FlippedByte_IsRefusedByChecksum()
    {
        var bytes = Bytes();
        bytes[bytes.Length / 2] ^= 0x40;
        var e = Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Deserialize(bytes, "store/ridge.lmfa"));
        Assert.That(e!.Message, Does.Contain("store/ridge.lmfa").And.Contain("checksum"));
    }

    [Test]
    public void Deserialize_Truncated_IsRefused()
    {
        var bytes = Bytes();
        var e = Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Deserialize(bytes.AsSpan(0, bytes.Length - 100), "x"));
        Assert.That(e!.Message, Does.Contain("checksum").Or.Contain("truncated"));
        Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Deserialize(bytes.AsSpan(0, 10), "x"));
    }

    [Test]
    public void Deserialize_NotAnArtifact_IsRefused()
    {
        var e = Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Deserialize(Encoding.UTF8.GetBytes(new string('x', 200)), "x"));
        Assert.That(e!.Message, Does.Contain("not a LeanModels"));
    }

    [Test]
    public void Deserialize_OtherFormatVersion_IsRefusedByName()
    {
        var body = Body();
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(4), 2);
        var e = Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Deserialize(Seal(body), "x"));
        Assert.That(e!.Message, Does.Contain("format version 2").And.Contain("reads version 1"));
    }

    [Test]
    public void Deserialize_OtherFeatureSet_IsRefused()
    {
        var changed = Body();
        var at = changed.AsSpan().IndexOf(Encoding.UTF8.GetBytes(FeatureBuilder.Version));
        Encoding.UTF8.GetBytes("features/0").CopyTo(changed, at);                                 // same length
        var e = Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Deserialize(Seal(changed), "x"));
        Assert.That(e!.Message, Does.Contain("feature set 'features/0'").And.Contain(FeatureBuilder.Version));
    }

    [Test]
    public void Deserialize_HostileHeaderLength_IsRefusedBeforeAllocating()
    {
        var body = Body();
        BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(8), int.MaxValue);
        var e = Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Deserialize(Seal(body), "x"));
        Assert.That(e!.Message, Does.Contain("header length 2147483647 is outside"));
    }

    [Test]
    public void Deserialize_HostileArrayLength_IsRefusedBeforeAllocating()
    {
        var body = Body();
        // first parameter array of a ridge artifact is "mean": after the header come count, name length, "mean", element count
        var headerLength = BinaryPrimitives.ReadInt32LittleEndian(body.AsSpan(8));
        var elementCountAt = 12 + headerLength + 4 + 4 + 4;
        BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(elementCountAt), 500_000_000);
        var e = Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Deserialize(Seal(body), "x"));
        Assert.That(e!.Message, Does.Contain("parameter 'mean' claims 4000000000 bytes"));
    }

    private static byte[] Bytes()
    {
        var trained = Trained("ridge");
        return ForecasterArtifact.Serialize(trained.Model, trained.Training);
    }

    private static byte[] Body() => Bytes()[..^32];

    private static byte[] Seal(byte[] body) => [.. body, .. SHA256.HashData(body)];
}
