using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using LeanModels.Models.Engine.Layers;
using LeanModels.Models.Forecasting;
using LeanModels.Models.Numerics;
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
        Assert.That(loaded.Model.Window, Is.EqualTo(trained.Model.Window));
        Assert.That(loaded.Training, Is.EqualTo(trained.Training).Using<ArtifactTraining>((x, y) =>
            x.From == y.From && x.To == y.To && x.LastLabelDate == y.LastLabelDate && x.Dates == y.Dates && x.Tickers.SequenceEqual(y.Tickers)));
        var features = FeatureBuilder.Build(History);
        var a = trained.Model.PredictDate(features, History.Tickers, History.Dates, 299).Mean;
        var b = loaded.Model.PredictDate(features, History.Tickers, History.Dates, 299).Mean;
        Assert.That(b, Is.EqualTo(a));
        Assert.That(a.All(double.IsFinite));
        Assert.That(ForecasterArtifact.Serialize(loaded.Model, loaded.Training), Is.EqualTo(bytes));
    }

    [Test]
    public void Fit_TrainingDatesEndBeforeThePurge_AndLastLabelDateIsRecorded()
    {
        var trained = Trained("ridge");
        // D = 300 dates; labels need d + 1 + H ≤ 299 and the purge keeps d ≤ D − H − 2 = 293; window of 150 usable dates.
        Assert.That(trained.Training.To, Is.EqualTo(History.Dates[293]));
        Assert.That(trained.Training.LastLabelDate, Is.EqualTo(History.Dates[299]));   // 293 + 1 + 5
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
    public void EngineParameters_ThroughTheArtifact_AreBitIdenticalUnderOneChecksum()
    {
        var source = new Linear<float>(4, 3, new Xoshiro256StarStar(1));
        var target = new Linear<float>(4, 3, new Xoshiro256StarStar(2));
        Assert.That(target.Parameters()[0].Value.Data, Is.Not.EqualTo(source.Parameters()[0].Value.Data));
        var model = new StateModel(Trained("ridge").Model, s => s with
        {
            Kind = "test-engine", Normaliser = null, Arrays = EngineParameters.ToArrays(source.Parameters(), "net."), Blob = [1, 2, 3],
        });
        var bytes = ForecasterArtifact.Serialize(model, Trained("ridge").Training);
        var (context, _) = ForecasterArtifact.ReadContext(bytes, "x");
        Assert.That(context.State.Kind, Is.EqualTo("test-engine"));
        Assert.That(context.State.Blob, Is.EqualTo(new byte[] { 1, 2, 3 }));
        Assert.That(context.State.Arrays.Select(a => (a.Name, a.FormatShape())), Is.EqualTo(new[] { ("net.weight", "[4, 3]"), ("net.bias", "[3]") }));
        EngineParameters.LoadInto(context.State.Arrays, target.Parameters(), "x", "net.");
        foreach (var (s, t) in source.Parameters().Zip(target.Parameters()))
            Assert.That(t.Value.Data.Select(BitConverter.SingleToInt32Bits), Is.EqualTo(s.Value.Data.Select(BitConverter.SingleToInt32Bits)), s.Name);
        // the model kind is unknown to the catalog: refused by name
        Assert.That(Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Deserialize(bytes, "x"))!.Message, Does.Contain("unknown model kind 'test-engine'"));
    }

    [Test]
    public void EngineParameters_LoadInto_OtherShapeOrMissingOrExtra_IsRefusedAndCopiesNothing()
    {
        var source = new Linear<float>(4, 3, new Xoshiro256StarStar(1));
        var other = new Linear<float>(5, 3, new Xoshiro256StarStar(2));
        var before = other.Parameters()[1].Value.Data.ToArray();
        var arrays = EngineParameters.ToArrays(source.Parameters());
        Assert.That(Assert.Throws<InvalidDataException>(() => EngineParameters.LoadInto(arrays, other.Parameters(), "f"))!.Message,
            Does.Contain("'weight' is [4, 3] in the artifact but [5, 3]"));
        Assert.That(other.Parameters()[1].Value.Data, Is.EqualTo(before), "nothing copied");
        Assert.That(Assert.Throws<InvalidDataException>(() => EngineParameters.LoadInto(arrays.Take(1).ToList(), source.Parameters(), "f"))!.Message, Does.Contain("'bias' is missing"));
        var extra = arrays.Append(NamedArray.Of("extra", new float[2])).ToList();
        Assert.That(Assert.Throws<InvalidDataException>(() => EngineParameters.LoadInto(extra, source.Parameters(), "f"))!.Message, Does.Contain("'extra' does not exist"));
        var asDouble = new Linear<double>(4, 3, new Xoshiro256StarStar(1));
        Assert.That(Assert.Throws<InvalidDataException>(() => EngineParameters.LoadInto(arrays, asDouble.Parameters(), "f"))!.Message, Does.Contain("4-byte"));
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

    [TestCase(1, "format version 1; this build reads version 2", "retrain")]
    [TestCase(3, "format version 3; this build reads version 2", "newer build")]
    public void Deserialize_OtherFormatVersion_IsRefusedNamingBothVersions(int version, string expected, string hint)
    {
        var body = Body();
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(4), (ushort)version);
        var e = Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Deserialize(Seal(body), "old.lmfa"));
        Assert.That(e!.Message, Does.Contain(expected).And.Contain(hint).And.Contain("old.lmfa"));
    }

    [Test]
    public void Deserialize_VersionOneFile_IsRefusedBeforeItsChecksumIsRead()
    {
        // A version-1 header followed by v1's layout (a header, double arrays without shapes) and its own SHA-256: the
        // version is checked first, so the message names both versions whatever follows.
        var v1Header = Encoding.UTF8.GetBytes("{\"format\":\"leanmodels-forecaster\",\"kind\":\"ridge\"}");
        var body = new List<byte>("LMFA"u8.ToArray());
        body.AddRange(BitConverter.GetBytes((ushort)1));
        body.AddRange(BitConverter.GetBytes((ushort)0));
        body.AddRange(BitConverter.GetBytes(v1Header.Length));
        body.AddRange(v1Header);
        body.AddRange(BitConverter.GetBytes(0));
        var e = Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Deserialize(Seal(body.ToArray()), "v1.lmfa"));
        Assert.That(e!.Message, Does.Contain("format version 1; this build reads version 2"));
    }

    [Test]
    public void Deserialize_OtherFeatureSet_IsRefused()
    {
        var e = Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Deserialize(Edit(h => h["features"]!["version"] = "features/0"), "x"));
        Assert.That(e!.Message, Does.Contain("feature set basic 'features/0'").And.Contain(FeatureBuilder.Version));
        e = Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Deserialize(Edit(h => h["features"]!["name"] = "alpha999"), "x"));
        Assert.That(e!.Message, Does.Contain("alpha999"));
    }

    [Test]
    public void Deserialize_HostileHeaderLength_IsRefusedBeforeAllocating()
    {
        var body = Body();
        BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(8), int.MaxValue);
        var e = Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Deserialize(Seal(body), "x"));
        Assert.That(e!.Message, Does.Contain("header 2147483647 is outside"));
    }

    [Test]
    public void Deserialize_HostileArrayShape_IsRefusedBeforeAllocating()
    {
        var body = Body();
        // first array of a ridge artifact is "normaliser.mean": count, name length, name (15), element size, rank, size 0
        var headerLength = BinaryPrimitives.ReadInt32LittleEndian(body.AsSpan(8));
        var sizeAt = 12 + headerLength + 4 + 4 + 15 + 1 + 4;
        BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(sizeAt), 500_000_000);
        var e = Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Deserialize(Seal(body), "x"));
        Assert.That(e!.Message, Does.Contain("array 'normaliser.mean' shape [500000000…] claims more bytes"));
    }

    [Test]
    public void Deserialize_NullOrDuplicateTicker_IsRefusedNamingTheSource()
    {
        var e = Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Deserialize(Edit(h => h["training"]!["tickers"]!.AsArray()[1] = null), "f.lmfa"));
        Assert.That(e!.Message, Does.Contain("f.lmfa").And.Contain("'training.tickers' entry 1 is null"));
        e = Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Deserialize(Edit(h => h["training"]!["tickers"]!.AsArray()[1] = "t0"), "f.lmfa"));
        Assert.That(e!.Message, Does.Contain("lists 't0' twice"));
        e = Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Deserialize(Edit(h => h["features"]!["names"]!.AsArray()[0] = 3), "f.lmfa"));
        Assert.That(e!.Message, Does.Contain("'features.names' entry 0"));
    }

    [TestCase(0)]
    [TestCase(5000)]
    public void Deserialize_HorizonOutOfRange_IsRefused(int horizon)
    {
        var e = Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Deserialize(Edit(h => h["horizon"] = horizon), "x"));
        Assert.That(e!.Message, Does.Contain($"'horizon' = {horizon} is outside [1, 1000]"));
    }

    [Test]
    public void Deserialize_DatesOutOfRangeOrOrder_AreRefused()
    {
        var e = Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Deserialize(Edit(h => h["training"]!["from"] = "1800-01-01"), "x"));
        Assert.That(e!.Message, Does.Contain("'training.from' = 1800-01-01 is outside"));
        e = Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Deserialize(Edit(h => h["training"]!["lastLabelDate"] = "2020-01-02"), "x"));
        Assert.That(e!.Message, Does.Contain("out of order"));
        e = Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Deserialize(Edit(h => h["training"]!["to"] = "2020-13-01"), "x"));
        Assert.That(e!.Message, Does.Contain("not a yyyy-MM-dd date"));
    }

    [Test]
    public void Deserialize_ArrayLengthAgainstDeclaredFeatureCount_IsRefusedNamingTheSource()
    {
        var bytes = WithState(s => s with { Arrays = [NamedArray.Of("beta", new double[7])] });
        var e = Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Deserialize(bytes, "short.lmfa"));
        Assert.That(e!.Message, Does.Contain("short.lmfa").And.Contain("'beta' has 7 values").And.Contain("needs 12"));
        bytes = WithState(s => s with { Normaliser = FeatureNormaliser.FromStatistics([0, 0], [1, 1]) });
        e = Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Deserialize(bytes, "short.lmfa"));
        Assert.That(e!.Message, Does.Contain("normaliser statistics are [2] and [2]").And.Contain("F = 11"));
    }

    [Test]
    public void Deserialize_DuplicateArray_IsRefused()
    {
        var bytes = WithState(s => s with { Arrays = [.. s.Arrays, NamedArray.Of("betb", new double[12])] });
        var body = bytes[..^32];
        var at = body.AsSpan().LastIndexOf("betb"u8);
        "beta"u8.CopyTo(body.AsSpan(at));
        var e = Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Deserialize(Seal(body), "x"));
        Assert.That(e!.Message, Does.Contain("array 'beta' appears twice"));
    }

    [Test]
    public void Deserialize_UnknownArray_IsRefused()
    {
        var bytes = WithState(s => s with { Arrays = [.. s.Arrays, NamedArray.Of("gamma", new double[3])] });
        var e = Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Deserialize(bytes, "x"));
        Assert.That(e!.Message, Does.Contain("unknown parameter 'gamma' for a ridge model"));
    }

    [Test]
    public void Deserialize_NonFiniteWeight_IsRefused()
    {
        var beta = new double[12];
        beta[4] = double.NaN;
        var e = Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Deserialize(WithState(s => s with { Arrays = [NamedArray.Of("beta", beta)] }), "x"));
        Assert.That(e!.Message, Does.Contain("array 'beta' element 4 is not finite"));
        var f = new float[] { 1, float.PositiveInfinity };
        e = Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Deserialize(WithState(s => s with { Arrays = [.. s.Arrays, NamedArray.Of("w", f)] }), "x"));
        Assert.That(e!.Message, Does.Contain("array 'w' element 1 is not finite"));
    }

    [Test]
    public void Deserialize_WindowOfAnotherModel_IsRefused()
    {
        var e = Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Deserialize(Edit(h => h["window"]!["lookbackBars"] = 60), "x"));
        Assert.That(e!.Message, Does.Contain("window (T = 60").And.Contain("ridge model's (T = 1"));
        e = Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Deserialize(Edit(h => h["window"]!["warmUpBars"] = 10), "x"));
        Assert.That(e!.Message, Does.Contain("warm-up 10 bars is less than feature set 'basic' needs (60)"));
    }

    [Test]
    public void Load_DeviceOrFolder_IsRefusedAsNotARegularFile()
    {
        if (OperatingSystem.IsWindows()) Assert.Ignore("/dev/zero is a Unix device");
        var e = Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Load("/dev/zero"));
        Assert.That(e!.Message, Does.Contain("/dev/zero: not a regular file"));
        var dir = TestPaths.NewTempFolder();
        Assert.That(Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Load(dir))!.Message, Does.Contain("is a folder"));
        Directory.Delete(dir);
    }

    [Test]
    public void Load_NamedPipe_IsRefusedWithoutOpeningIt()
    {
        if (OperatingSystem.IsWindows()) Assert.Ignore("mkfifo is Unix");
        var dir = TestPaths.NewTempFolder();
        var fifo = Path.Combine(dir, "pipe.lmfa");
        using (var p = Process.Start("mkfifo", fifo)) p.WaitForExit();
        Assert.That(File.Exists(fifo), "mkfifo made the pipe");
        // Opening a FIFO for reading blocks until a writer appears; the check must come before any open.
        var e = Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Load(fifo));
        Assert.That(e!.Message, Does.Contain("not a regular file"));
        var link = Path.Combine(dir, "link.lmfa");
        File.CreateSymbolicLink(link, "/dev/zero");
        Assert.That(Assert.Throws<InvalidDataException>(() => ForecasterArtifact.Load(link))!.Message, Does.Contain("not a regular file"));
        Directory.Delete(dir, true);
    }

    /// <summary>Wraps a model and edits its state before it is written.</summary>
    private sealed class StateModel(IReturnForecaster inner, Func<ModelState, ModelState> edit) : IReturnForecaster
    {
        public string Name => inner.Name;
        public int Horizon => inner.Horizon;
        public InputWindow Window => inner.Window;
        public FeatureSpecification Features => inner.Features;
        public Forecast Predict(FeatureWindow window) => inner.Predict(window);
        public ModelState State() => edit(inner.State());
    }

    private static byte[] WithState(Func<ModelState, ModelState> edit)
    {
        var trained = Trained("ridge");
        return ForecasterArtifact.Serialize(new StateModel(trained.Model, edit), trained.Training);
    }

    /// <summary>A ridge artifact whose JSON header was edited, resealed with a valid checksum.</summary>
    private static byte[] Edit(Action<JsonObject> edit)
    {
        var body = Body();
        var length = BinaryPrimitives.ReadInt32LittleEndian(body.AsSpan(8));
        var header = JsonNode.Parse(body.AsSpan(12, length))!.AsObject();
        edit(header);
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var lengthBytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(lengthBytes, json.Length);
        return Seal([.. body[..8], .. lengthBytes, .. json, .. body[(12 + length)..]]);
    }

    private static byte[] Bytes()
    {
        var trained = Trained("ridge");
        return ForecasterArtifact.Serialize(trained.Model, trained.Training);
    }

    private static byte[] Body() => Bytes()[..^32];

    private static byte[] Seal(byte[] body) => [.. body, .. SHA256.HashData(body)];
}
