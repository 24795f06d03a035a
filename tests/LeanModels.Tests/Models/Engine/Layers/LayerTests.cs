using LeanModels.Models.Engine;
using LeanModels.Models.Engine.Layers;
using LeanModels.Models.Numerics;
using static LeanModels.Tests.Models.Engine.EngineTestData;

namespace LeanModels.Tests.Models.Engine.Layers;

/// <summary>Gradchecks of every layer (input and all parameters), hand-worked goldens, and initialisation properties.</summary>
public class LayerTests
{
    private static Tensor<double>[] With(Tensor<double> x, Module<double> m) => [x, .. m.Parameters().Select(p => p.Value)];

    [Test]
    public void Linear_GradCheck_InputAndParameters()
    {
        var layer = new Linear<double>(3, 2, new Xoshiro256StarStar(1));
        var x = Normal(2, 2, 2, 3);
        AssertGradCheck(t => layer.Forward(t, x), With(x, layer));
    }

    [Test]
    public void LayerNorm_GradCheck_InputAndParameters()
    {
        var layer = new LayerNorm<double>(4);
        Init.Normal<double>(layer.Gain.Data, 1, new Xoshiro256StarStar(3));     // away from the trivial γ = 1, β = 0
        Init.Normal<double>(layer.Offset.Data, 1, new Xoshiro256StarStar(4));
        var x = Normal(2, 3, 4);
        AssertGradCheck(t => layer.Forward(t, x), With(x, layer));
    }

    [Test]
    public void FeedForward_GradCheck_WithDropout()
    {
        var layer = new FeedForward<double>(3, 5, 0.2, new Xoshiro256StarStar(1));
        var x = Normal(2, 2, 3);
        AssertGradCheck(t => layer.Forward(t, x), With(x, layer));
    }

    [Test]
    public void MultiHeadAttention_GradCheck_TwoHeadsCausal()
    {
        var layer = new MultiHeadAttention<double>(4, 2, 0.0, new Xoshiro256StarStar(1));
        foreach (var p in layer.Parameters().Where(p => !p.Decay)) Init.Normal<double>(p.Value.Data, 0.3, new Xoshiro256StarStar(9));  // non-zero biases
        var x = Normal(2, 2, 3, 4);
        bool[] causal = [true, false, false, true, true, false, true, true, true];
        AssertGradCheck(t => layer.Forward(t, x, causal), With(x, layer));
    }

    [Test]
    public void MultiHeadAttention_GradCheck_CrossAttentionWithDropout()
    {
        var layer = new MultiHeadAttention<double>(4, 2, 0.2, new Xoshiro256StarStar(1));
        var (q, m) = (Normal(2, 2, 2, 4), Normal(3, 2, 3, 4));
        AssertGradCheck(t => layer.Forward(t, q, m), [q, m, .. layer.Parameters().Select(p => p.Value)]);
    }

    [Test]
    public void MultiHeadAttention_ForwardAcross_GradCheckWithDropout()
    {
        // Attention across axis 1 of [N=2, S=3, I=2, D=4] (double runs the composed permute path of AttentionHeadsAcross).
        var layer = new MultiHeadAttention<double>(4, 2, 0.2, new Xoshiro256StarStar(1));
        foreach (var p in layer.Parameters().Where(p => !p.Decay)) Init.Normal<double>(p.Value.Data, 0.3, new Xoshiro256StarStar(9));
        var x = Normal(4, 2, 3, 2, 4);
        AssertGradCheck(t => layer.ForwardAcross(t, x), With(x, layer));
    }

    [Test]
    public void MultiHeadAttention_ForwardAcrossFloat_MatchesPermutedForward()
    {
        // The fused float path (strided rows, dh = 16) against permute → Forward → permute back, within float rounding.
        var layer = new MultiHeadAttention<float>(32, 2, 0.0, new Xoshiro256StarStar(1));
        var x = Tensor<float>.Normal(new Xoshiro256StarStar(2), 1.0, [2, 5, 3, 32]);
        var t1 = new Tape<float>(training: false);
        var across = layer.ForwardAcross(t1, x).Data;
        var t2 = new Tape<float>(training: false);
        var permuted = t2.Permute(t2.Reshape(layer.Forward(t2, t2.Reshape(t2.Permute(x, 0, 2, 1, 3), 6, 5, 32)), 2, 3, 5, 32), 0, 2, 1, 3).Data;
        Assert.That(across, Is.EqualTo(permuted).Within(1e-5f));
    }

    [Test]
    public void Conv1d_SamePaddingDilated_GradCheck()
    {
        var layer = new Conv1d<double>(2, 3, 3, new Xoshiro256StarStar(1), dilation: 2);
        var x = Normal(2, 2, 6, 2);
        AssertGradCheck(t => layer.Forward(t, x), With(x, layer));
    }

    [Test]
    public void Conv1d_CausalEvenKernel_GradCheck()
    {
        var layer = new Conv1d<double>(2, 2, 2, new Xoshiro256StarStar(1), dilation: 1, causal: true);
        var x = Normal(2, 1, 5, 2);
        AssertGradCheck(t => layer.Forward(t, x), With(x, layer));
    }

    [Test]
    public void Conv1d_SamePadding_HandValues()
    {
        // Cin = Cout = 1, K = 3, w = [1, 2, 3], b = 0.5, x = [1, 2, 3, 4], pad 1 each side:
        // y0 = 0·1 + 1·2 + 2·3 + .5 = 8.5; y1 = 1·1 + 2·2 + 3·3 + .5 = 14.5; y2 = 2 + 6 + 12 + .5 = 20.5; y3 = 3 + 8 + 0 + .5 = 11.5
        var layer = new Conv1d<double>(1, 1, 3, new Xoshiro256StarStar(1));
        new[] { 1.0, 2, 3 }.CopyTo(layer.Weight.Data, 0);
        layer.Bias.Data[0] = 0.5;
        var y = layer.Forward(new Tape<double>(), Tensor<double>.From([1.0, 2, 3, 4], [1, 4, 1]));
        Assert.That(y.Data, Is.EqualTo(new[] { 8.5, 14.5, 20.5, 11.5 }).Within(1e-12));
    }

    [Test]
    public void Conv1d_Causal_OutputIgnoresFuture()
    {
        // no look-ahead: overwrite x after t = 2; outputs at t ≤ 2 must be bit-identical
        var layer = new Conv1d<double>(2, 3, 3, new Xoshiro256StarStar(1), dilation: 2, causal: true);
        var x = Tensor<double>.Normal(new Xoshiro256StarStar(2), 1, [1, 6, 2]);
        var before = layer.Forward(new Tape<double>(), x).Data[..9];
        for (var i = 6; i < 12; i++) x.Data[i] = 100 + i;
        var after = layer.Forward(new Tape<double>(), x).Data[..9];
        Assert.That(after, Is.EqualTo(before));
        Assert.That(layer.Forward(new Tape<double>(), x).Data[9..], Is.Not.EqualTo(before));   // the check can fail: later outputs do change
    }

    [Test]
    public void Lstm_OutputsUpToT_IgnoreLaterInputs()
    {
        // no look-ahead: overwrite x after t = 1; outputs at t ≤ 1 must be bit-identical, later ones must change
        var lstm = new Lstm<double>(2, 3, new Xoshiro256StarStar(1));
        var x = Tensor<double>.Normal(new Xoshiro256StarStar(2), 1, [1, 4, 2]);
        var before = lstm.Forward(new Tape<double>(), x).Outputs.Data.ToArray();
        for (var i = 4; i < 8; i++) x.Data[i] = 50 - i;
        var after = lstm.Forward(new Tape<double>(), x).Outputs.Data;
        Assert.That(after[..6], Is.EqualTo(before[..6]));
        Assert.That(after[6..], Is.Not.EqualTo(before[6..]));
    }

    [Test]
    public void MultiHeadAttention_CausalMask_OutputsIgnoreLaterSteps()
    {
        var mha = new MultiHeadAttention<double>(4, 2, 0, new Xoshiro256StarStar(1));
        bool[] causal = [true, false, false, true, true, false, true, true, true];
        var x = Tensor<double>.Normal(new Xoshiro256StarStar(2), 1, [1, 3, 4]);
        var before = mha.Forward(new Tape<double>(), x, causal).Data.ToArray();
        for (var i = 8; i < 12; i++) x.Data[i] = 9 + i;                                 // overwrite t = 2
        var after = mha.Forward(new Tape<double>(), x, causal).Data;
        Assert.That(after[..8], Is.EqualTo(before[..8]));
        Assert.That(after[8..], Is.Not.EqualTo(before[8..]));
    }

    [Test]
    public void TcnBlock_GradCheck_WithDownsample()
    {
        var layer = new TcnBlock<double>(2, 3, 2, 2, 0.1, new Xoshiro256StarStar(1));
        var x = Normal(2, 2, 5, 2);
        AssertGradCheck(t => layer.Forward(t, x), With(x, layer));
    }

    [Test]
    public void Lstm_GradCheck_Sequence()
    {
        var layer = new Lstm<double>(2, 3, new Xoshiro256StarStar(1));
        var x = Normal(2, 2, 3, 2);
        AssertGradCheck(t => layer.Forward(t, x).Outputs, With(x, layer));
    }

    [Test]
    public void Gru_GradCheck_Sequence()
    {
        var layer = new Gru<double>(2, 3, new Xoshiro256StarStar(1));
        foreach (var p in layer.Parameters().Where(p => !p.Decay)) Init.Normal<double>(p.Value.Data, 0.3, new Xoshiro256StarStar(9));
        var x = Normal(2, 2, 3, 2);
        AssertGradCheck(t => layer.Forward(t, x).Outputs, With(x, layer));
    }

    [Test]
    public void LstmRecurrence_GradCheck()
    {
        var (xw, whh) = (Normal(40, 2, 4, 12), Normal(41, 3, 12));                 // B = 2, T = 4, H = 3
        AssertGradCheck(t => t.LstmRecurrence(xw, whh), xw, whh);
    }

    [Test]
    public void GruRecurrence_GradCheck()
    {
        var (xw, whh, bhh) = (Normal(42, 2, 4, 9), Normal(43, 3, 9), Normal(44, 9));
        AssertGradCheck(t => t.GruRecurrence(xw, whh, bhh), xw, whh, bhh);
    }

    [Test]
    public void Lstm_Fused_MatchesComposedReference_ValuesAndGradients()
    {
        var layer = new Lstm<double>(3, 4, new Xoshiro256StarStar(5));
        var x = Normal(6, 2, 5, 3);
        AssertSameAsReference(layer, x, t => layer.Forward(t, x), t => layer.ForwardReference(t, x));
    }

    [Test]
    public void Gru_Fused_MatchesComposedReference_ValuesAndGradients()
    {
        var layer = new Gru<double>(3, 4, new Xoshiro256StarStar(5));
        foreach (var p in layer.Parameters().Where(p => !p.Decay)) Init.Normal<double>(p.Value.Data, 0.3, new Xoshiro256StarStar(9));
        var x = Normal(6, 2, 5, 3);
        AssertSameAsReference(layer, x, t => layer.Forward(t, x), t => layer.ForwardReference(t, x));
    }

    /// <summary>Loss = Σ outputs² + Σ last: compares both outputs and every gradient of the fused layer with the composed oracle.</summary>
    private static void AssertSameAsReference(Module<double> layer, Tensor<double> x,
        Func<Tape<double>, (Tensor<double> Outputs, Tensor<double> Last)> fused, Func<Tape<double>, (Tensor<double> Outputs, Tensor<double> Last)> reference)
    {
        var inputs = With(x, layer);
        (double[] Values, double[][] Grads) Run(Func<Tape<double>, (Tensor<double> Outputs, Tensor<double> Last)> f)
        {
            foreach (var t in inputs) t.ZeroGrad();
            var tape = new Tape<double>();
            var (o, l) = f(tape);
            tape.Backward(tape.Add(tape.Sum(tape.Mul(o, o)), tape.Sum(l)));
            return ([.. o.Data, .. l.Data], inputs.Select(t => (double[])t.Grad!.Clone()).ToArray());
        }
        var (fv, fg) = Run(fused);
        var (rv, rg) = Run(reference);
        Assert.That(fv, Is.EqualTo(rv).Within(1e-12));
        for (var i = 0; i < inputs.Length; i++) Assert.That(fg[i], Is.EqualTo(rg[i]).Within(1e-12), $"gradient of input {i}");
    }

    [Test]
    public void Embeddings_GradCheck()
    {
        var pos = new PositionalEmbedding<double>(3, 2, new Xoshiro256StarStar(1));
        var asset = new AssetEmbedding<double>(2, 2, new Xoshiro256StarStar(2));
        var x = Normal(3, 2, 2, 3, 2);                                                // [B, A, T, D]
        AssertGradCheck(t => t.Add(asset.Forward(t, pos.Forward(t, x)), t.Sum(asset.Lookup(t, [1, 1, 0]))), x, pos.Table, asset.Table);
    }

    [Test]
    public void Attention_TwoByTwo_HandValues()
    {
        // q = k = I₂, v = [[1, 2], [3, 4]], d = 2: S = I/√2. Row 0: p = softmax([1/√2, 0])₀ = σ(1/√2) = 0.6697615493;
        // O₀ = p·[1, 2] + (1 − p)·[3, 4] = [3 − 2p, 4 − 2p] = [1.6604769013, 2.6604769013]; row 1 has weights [1 − p, p]:
        // O₁ = [(1 − p) + 3p, 2(1 − p) + 4p] = [1 + 2p, 2 + 2p] = [2.3395230987, 3.3395230987].
        var p = 1 / (1 + Math.Exp(-1 / Math.Sqrt(2)));
        var eye = Tensor<double>.From([1.0, 0, 0, 1], [1, 2, 2]);
        var y = new Tape<double>().Attention(eye, eye, Tensor<double>.From([1.0, 2, 3, 4], [1, 2, 2]), default, out var w);
        Assert.That(p, Is.EqualTo(0.6697615493266569).Within(1e-15));
        Assert.That(w.Data, Is.EqualTo(new[] { p, 1 - p, 1 - p, p }).Within(1e-14));
        Assert.That(y.Data, Is.EqualTo(new[] { 1.6604769013466862, 2.6604769013466862, 1 + 2 * p, 2 + 2 * p }).Within(1e-14));
    }

    [Test]
    public void Lstm_OneStep_HandValues()
    {
        // F = H = 1, x = 1, h₀ = c₀ = 0, W_ih = [i .5, f −.5, g 1, o 2], bias = [0, 1, 0, 0] (forget bias 1):
        // i = σ(.5), f = σ(.5) (unused, c₀ = 0), g = tanh(1), o = σ(2);
        // c = σ(.5)·tanh(1) = 0.6224593·0.7615942 = 0.4740613890; h = σ(2)·tanh(c) = 0.8807971·0.4414756 = 0.3888498844
        var lstm = new Lstm<double>(1, 1, new Xoshiro256StarStar(1));
        new[] { 0.5, -0.5, 1, 2 }.CopyTo(lstm.WeightIh.Data, 0);
        Assert.That(lstm.Bias.Data, Is.EqualTo(new[] { 0.0, 1, 0, 0 }));              // literature init: forget bias 1
        var (outputs, last) = lstm.Forward(new Tape<double>(), Tensor<double>.From([1.0], [1, 1, 1]));
        Assert.That(last.Data[0], Is.EqualTo(0.3888498844368542).Within(1e-14));
        Assert.That(outputs.Data[0], Is.EqualTo(last.Data[0]));
    }

    [Test]
    public void Init_OrthogonalRecurrentBlocks_AreOrthonormal()
    {
        var lstm = new Lstm<double>(2, 4, new Xoshiro256StarStar(3));
        var w = lstm.WeightHh.Data;                                                   // [H=4, 4H=16]
        for (var g = 0; g < 4; g++)
            for (var c1 = 0; c1 < 4; c1++)
                for (var c2 = 0; c2 < 4; c2++)
                {
                    var dot = 0.0;
                    for (var r = 0; r < 4; r++) dot += w[r * 16 + g * 4 + c1] * w[r * 16 + g * 4 + c2];
                    Assert.That(dot, Is.EqualTo(c1 == c2 ? 1.0 : 0.0).Within(1e-12), $"gate {g}, columns {c1},{c2}");
                }
    }

    [Test]
    public void Linear_Init_WithinKaimingBound_AndParametersNamed()
    {
        var layer = new Linear<double>(16, 8, new Xoshiro256StarStar(4));
        Assert.That(layer.Weight.Data.Max(Math.Abs), Is.LessThanOrEqualTo(0.25));    // 1/√16
        Assert.That(layer.Weight.Data.Max(Math.Abs), Is.GreaterThan(0.2));            // 128 draws reach near the bound
        Assert.That(layer.Parameters().Select(p => (p.Name, p.Decay)), Is.EqualTo(new[] { ("weight", true), ("bias", false) }));
    }

    [Test]
    public void MultiHeadAttention_ParameterNames_AreDotted()
    {
        var mha = new MultiHeadAttention<float>(4, 2, 0, new Xoshiro256StarStar(1));
        Assert.That(mha.Parameters().Select(p => p.Name).Take(3), Is.EqualTo(new[] { "wq.weight", "wq.bias", "wk.weight" }));
        Assert.That(mha.ParameterCount, Is.EqualTo(4 * (16 + 4)));
    }

    [Test]
    public void MultiHeadAttention_WrongWidth_ThrowsNamingShape() =>
        Assert.That(() => new MultiHeadAttention<double>(4, 2, 0, new Xoshiro256StarStar(1)).Forward(new Tape<double>(), Normal(1, 2, 3, 5)),
            Throws.ArgumentException.With.Message.Contains("[2, 3, 5]"));
}
