using LeanModels.Models.Engine;
using LeanModels.Models.Engine.Kernels;
using LeanModels.Models.Engine.Layers;
using LeanModels.Models.Engine.Optimizers;
using LeanModels.Models.Numerics;

namespace LeanModels.Tests.Models.Engine.Layers;

/// <summary>The float fast path of the fused LSTM / GRU (AVX-512 kernels, vectorised cells) against the double composed
/// oracle, and its thread-count independence.</summary>
public class RecurrentTests
{
    /// <summary>Runs loss = Σ outputs⊙P + Σ last (P fixed N(0, 1)) forward and backward; returns the values and the gradients
    /// of x and of every parameter, as double.</summary>
    private static (double[] Values, double[][] Grads) RunFloat(Module<float> layer, Func<Tape<float>, Tensor<float>, (Tensor<float> Outputs, Tensor<float> Last)> f,
        double[] x, int[] shape, double[] projection)
    {
        var xt = Tensor<float>.Parameter(shape);
        for (var i = 0; i < x.Length; i++) xt.Data[i] = (float)x[i];
        layer.ZeroGrad();
        var tape = new Tape<float>();
        var (o, l) = f(tape, xt);
        var p = new Tensor<float>(projection.Select(v => (float)v).ToArray(), (int[])o.Shape.ToArray());
        tape.Backward(tape.Add(tape.Sum(tape.Mul(o, p)), tape.Sum(l)));
        return ([.. o.Data.Select(v => (double)v), .. l.Data.Select(v => (double)v)],
            [xt.Grad!.Select(v => (double)v).ToArray(), .. layer.Parameters().Select(q => q.Value.Grad!.Select(v => (double)v).ToArray())]);
    }

    private static (double[] Values, double[][] Grads) RunDouble(Module<double> layer, Func<Tape<double>, Tensor<double>, (Tensor<double> Outputs, Tensor<double> Last)> f,
        double[] x, int[] shape, double[] projection)
    {
        var xt = Tensor<double>.Parameter(shape);
        x.CopyTo(xt.Data, 0);
        layer.ZeroGrad();
        var tape = new Tape<double>();
        var (o, l) = f(tape, xt);
        var p = new Tensor<double>((double[])projection.Clone(), (int[])o.Shape.ToArray());
        tape.Backward(tape.Add(tape.Sum(tape.Mul(o, p)), tape.Sum(l)));
        return ([.. o.Data, .. l.Data], [(double[])xt.Grad!.Clone(), .. layer.Parameters().Select(q => (double[])q.Value.Grad!.Clone())]);
    }

    private static void CopyParameters(Module<double> from, Module<float> to)
    {
        var (a, b) = (from.Parameters().ToList(), to.Parameters().ToList());
        for (var i = 0; i < a.Count; i++)
            for (var j = 0; j < a[i].Value.Length; j++) b[i].Value.Data[j] = (float)a[i].Value.Data[j];
    }

    /// <summary>Float vs double within float tolerance: |f − d| ≤ 1e-4 + 1e-4·|d| (float rounding over T steps and B·T-term
    /// weight-gradient sums is ~1e-6 relative; a wrong formula or index gives O(1) differences).</summary>
    private static void AssertClose(double[] actual, double[] expected, string what)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length), what);
        for (var i = 0; i < actual.Length; i++)
            Assert.That(actual[i], Is.EqualTo(expected[i]).Within(1e-4 + 1e-4 * Math.Abs(expected[i])), $"{what}[{i}]");
    }

    [TestCase(1, 1)]          // one row, H = 1: only the staged partial-vector path
    [TestCase(3, 5)]          // H = 5: every vector of the cells is a partial one, W_hh's 20 columns 16 vector + 4 scalar
    [TestCase(2, 20)]         // one full vector + tail per gate block
    [TestCase(9, 64)]         // the peer's H; 9 rows = one 8-row block + a single row in the step products
    [TestCase(4, 17, 1)]      // T = 1: no recurrent product at all, forward or backward
    public void LstmSequence_Float_MatchesDoubleReference_ValuesAndGradients(int batch, int hidden, int steps = 6)
    {
        const int features = 5;
        var rng = new Xoshiro256StarStar(11);
        var ld = new Lstm<double>(features, hidden, rng);
        foreach (var p in ld.Parameters()) Init.Normal<double>(p.Value.Data, 0.4, rng);          // away from the init's structure
        var lf = new Lstm<float>(features, hidden, new Xoshiro256StarStar(1));
        CopyParameters(ld, lf);
        int[] shape = [batch, steps, features];
        var x = Tensor<double>.Normal(rng, 1, shape).Data;
        var projection = Tensor<double>.Normal(rng, 1, [batch, steps, hidden]).Data;
        var (fv, fg) = RunFloat(lf, (t, xt) => lf.Forward(t, xt), x, shape, projection);
        var (rv, rg) = RunDouble(ld, (t, xt) => ld.ForwardReference(t, xt), x, shape, projection);
        AssertClose(fv, rv, "values");
        for (var i = 0; i < rg.Length; i++) AssertClose(fg[i], rg[i], $"gradient {i}");
    }

    [TestCase(1, 1)]
    [TestCase(3, 5)]
    [TestCase(2, 20)]
    [TestCase(9, 64)]
    [TestCase(4, 17, 1)]
    public void GruSequence_Float_MatchesDoubleReference_ValuesAndGradients(int batch, int hidden, int steps = 6)
    {
        const int features = 5;
        var rng = new Xoshiro256StarStar(12);
        var gd = new Gru<double>(features, hidden, rng);
        foreach (var p in gd.Parameters()) Init.Normal<double>(p.Value.Data, 0.4, rng);
        var gf = new Gru<float>(features, hidden, new Xoshiro256StarStar(1));
        CopyParameters(gd, gf);
        int[] shape = [batch, steps, features];
        var x = Tensor<double>.Normal(rng, 1, shape).Data;
        var projection = Tensor<double>.Normal(rng, 1, [batch, steps, hidden]).Data;
        var (fv, fg) = RunFloat(gf, (t, xt) => gf.Forward(t, xt), x, shape, projection);
        var (rv, rg) = RunDouble(gd, (t, xt) => gd.ForwardReference(t, xt), x, shape, projection);
        AssertClose(fv, rv, "values");
        for (var i = 0; i < rg.Length; i++) AssertClose(fg[i], rg[i], $"gradient {i}");
    }

    [Test]
    public void LstmRecurrence_Float_MatchesDoubleLstmRecurrence()
    {
        // the gates-given entry point (copy of the input gates, da added to their gradient) in float vs double
        var xw = Tensor<double>.Normal(new Xoshiro256StarStar(21), 1, [3, 4, 28], requiresGrad: true);   // H = 7
        var whh = Tensor<double>.Normal(new Xoshiro256StarStar(22), 0.5, [7, 28], requiresGrad: true);
        var xwf = Tensor<float>.Parameter(3, 4, 28);
        var whhf = Tensor<float>.Parameter(7, 28);
        for (var i = 0; i < xw.Length; i++) xwf.Data[i] = (float)xw.Data[i];
        for (var i = 0; i < whh.Length; i++) whhf.Data[i] = (float)whh.Data[i];
        var td = new Tape<double>();
        var yd = td.LstmRecurrence(xw, whh);
        td.Backward(td.Sum(td.Mul(yd, yd)));
        var tf = new Tape<float>();
        var yf = tf.LstmRecurrence(xwf, whhf);
        tf.Backward(tf.Sum(tf.Mul(yf, yf)));
        AssertClose(yf.Data.Select(v => (double)v).ToArray(), yd.Data, "values");
        AssertClose(xwf.Grad!.Select(v => (double)v).ToArray(), xw.Grad!, "gates gradient");
        AssertClose(whhf.Grad!.Select(v => (double)v).ToArray(), whh.Grad!, "W_hh gradient");
    }

    [Test]
    public void GruRecurrence_Float_MatchesDoubleGruRecurrence()
    {
        var xw = Tensor<double>.Normal(new Xoshiro256StarStar(23), 1, [3, 4, 21], requiresGrad: true);   // H = 7
        var whh = Tensor<double>.Normal(new Xoshiro256StarStar(24), 0.5, [7, 21], requiresGrad: true);
        var bhh = Tensor<double>.Normal(new Xoshiro256StarStar(25), 0.5, [21], requiresGrad: true);
        var (xwf, whhf, bhhf) = (Tensor<float>.Parameter(3, 4, 21), Tensor<float>.Parameter(7, 21), Tensor<float>.Parameter(21));
        for (var i = 0; i < xw.Length; i++) xwf.Data[i] = (float)xw.Data[i];
        for (var i = 0; i < whh.Length; i++) whhf.Data[i] = (float)whh.Data[i];
        for (var i = 0; i < bhh.Length; i++) bhhf.Data[i] = (float)bhh.Data[i];
        var td = new Tape<double>();
        var yd = td.GruRecurrence(xw, whh, bhh);
        td.Backward(td.Sum(td.Mul(yd, yd)));
        var tf = new Tape<float>();
        var yf = tf.GruRecurrence(xwf, whhf, bhhf);
        tf.Backward(tf.Sum(tf.Mul(yf, yf)));
        AssertClose(yf.Data.Select(v => (double)v).ToArray(), yd.Data, "values");
        AssertClose(xwf.Grad!.Select(v => (double)v).ToArray(), xw.Grad!, "gates gradient");
        AssertClose(whhf.Grad!.Select(v => (double)v).ToArray(), whh.Grad!, "W_hh gradient");
        AssertClose(bhhf.Grad!.Select(v => (double)v).ToArray(), bhh.Grad!, "b_hh gradient");
    }

    /// <summary>Three Adam steps of recurrent layer + Linear head (MSE) on a fixed batch; returns every parameter's bits.</summary>
    private static int[] Train(bool gru, int batch, int hidden, ThreadTeam? team, bool pooled)
    {
        var rng = new Xoshiro256StarStar(31);
        Module<float> layer = gru ? new Gru<float>(4, hidden, rng) : new Lstm<float>(4, hidden, rng);
        var head = new Linear<float>(hidden, 1, rng);
        var ps = layer.Parameters().Concat(head.Parameters()).ToList();
        var opt = new Adam<float>(ps, 1e-2);
        var x = Tensor<float>.Normal(rng, 1, [batch, 7, 4]);
        var y = Tensor<float>.Normal(rng, 1, [batch, 1]);
        var pool = pooled ? new BufferPool<float>() : null;
        for (var step = 0; step < 3; step++)
        {
            opt.ZeroGrad();
            using var tape = new Tape<float>(pool: pool, team: team);
            var last = gru ? ((Gru<float>)layer).Forward(tape, x).Last : ((Lstm<float>)layer).Forward(tape, x).Last;
            tape.Backward(tape.MseLoss(head.Forward(tape, last), y));
            opt.Step();
        }
        return ps.SelectMany(p => p.Value.Data).Select(BitConverter.SingleToInt32Bits).ToArray();
    }

    [TestCase(false, 1, 20)]  // B = 1: one row chunk, but the weight-gradient columns still split over two threads
    [TestCase(false, 3, 5)]   // odd B: row chunks of 2 and 1; H = 5: 20 gate columns = one vector + a scalar tail
    [TestCase(false, 17, 20)] // 9 + 8 rows: 8-row blocks and single rows in the step products
    [TestCase(true, 1, 20)]
    [TestCase(true, 3, 5)]
    [TestCase(true, 17, 20)]
    public void Training_TwoThreadTeam_BitIdenticalToOneThread(bool gru, int batch, int hidden)
    {
        var one = Train(gru, batch, hidden, null, pooled: false);
        using var team = new ThreadTeam(2);
        var two = Train(gru, batch, hidden, team, pooled: true);
        Assert.That(two, Is.EqualTo(one));
        var untrained = Train(gru, batch, hidden, null, pooled: false);
        Assert.That(untrained, Is.EqualTo(one));                                     // and the run is reproducible
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Inference_NotRecording_BitIdenticalToTrainingForward(bool gru)
    {
        var rng = new Xoshiro256StarStar(41);
        var lstm = new Lstm<float>(3, 20, rng);
        var g = new Gru<float>(3, 20, rng);
        var x = Tensor<float>.Normal(rng, 1, [5, 4, 3]);
        float[] Run(bool recording)
        {
            var tape = new Tape<float>(training: recording, recording: recording);
            return (gru ? g.Forward(tape, x).Outputs : lstm.Forward(tape, x).Outputs).Data.ToArray();
        }
        var inference = Run(false);
        Assert.That(inference, Is.EqualTo(Run(true)));
        Assert.That(inference.All(float.IsFinite) && inference.Any(v => v != 0), Is.True);
    }
}
