using LeanModels.Models.Engine;
using LeanModels.Models.Numerics;
using static LeanModels.Tests.Models.Engine.EngineTestData;

namespace LeanModels.Tests.Models.Engine;

/// <summary>Tape behaviour, forward values worked by hand, and malformed-shape errors.</summary>
public class TapeTests
{
    [Test]
    public void Backward_GradientsAccumulateAcrossTapes_UntilZeroGrad()
    {
        // L = Σ 3x → dL/dx = 3 per pass; two passes without ZeroGrad give 6.
        var x = Tensor<double>.From([1.0, 2.0], [2], requiresGrad: true);
        for (var pass = 0; pass < 2; pass++) { var t = new Tape<double>(); t.Backward(t.Sum(t.Scale(x, 3))); }
        Assert.That(x.Grad, Is.EqualTo(new[] { 6.0, 6.0 }));
        x.ZeroGrad();
        Assert.That(x.Grad, Is.EqualTo(new[] { 0.0, 0.0 }));
    }

    [Test]
    public void Backward_CalledTwice_Throws()
    {
        var x = Normal(1, 2);
        var t = new Tape<double>();
        var loss = t.Sum(x);
        t.Backward(loss);
        Assert.That(() => t.Backward(loss), Throws.InvalidOperationException.With.Message.Contains("already"));
    }

    [Test]
    public void Backward_NonScalarLoss_ThrowsNamingShape()
    {
        var t = new Tape<double>();
        var y = t.Exp(Normal(1, 2, 3));
        Assert.That(() => t.Backward(y), Throws.ArgumentException.With.Message.Contains("[2, 3]"));
    }

    [Test]
    public void NotRecordingTape_ResultsRequireNoGradient()
    {
        var t = new Tape<double>(training: false, recording: false);
        var y = t.Tanh(Normal(1, 3));
        Assert.That(y.RequiresGrad, Is.False);
        Assert.That(t.RecordedOps, Is.EqualTo(0));
    }

    [Test]
    public void Dropout_EvalMode_ReturnsInputUnchanged()
    {
        var x = Normal(1, 10);
        Assert.That(new Tape<double>(training: false).Dropout(x, 0.5), Is.SameAs(x));
    }

    [Test]
    public void Dropout_TrainingWithoutGenerator_Throws()
    {
        Assert.That(() => new Tape<double>().Dropout(Normal(1, 4), 0.5), Throws.InvalidOperationException.With.Message.Contains("random generator"));
    }

    [Test]
    public void Dropout_SameSeed_SameMask_AndKeptScaled()
    {
        var x = Tensor<double>.From(Enumerable.Repeat(1.0, 1000).ToArray(), [1000]);
        var a = new Tape<double>(true, new Xoshiro256StarStar(5)).Dropout(x, 0.25);
        var b = new Tape<double>(true, new Xoshiro256StarStar(5)).Dropout(x, 0.25);
        Assert.That(a.Data, Is.EqualTo(b.Data));
        Assert.That(a.Data.Distinct().OrderBy(v => v), Is.EqualTo(new[] { 0.0, 1.0 / 0.75 }).Within(1e-15));   // 0 or 1/(1−p)
        var dropped = a.Data.Count(v => v == 0) / 1000.0;
        Assert.That(dropped, Is.EqualTo(0.25).Within(0.05));          // binomial sd √(0.25·0.75/1000) ≈ 0.014
    }

    [Test]
    public void Reshape_IsAViewSharingStorageAndGradient()
    {
        var x = Normal(1, 2, 3);
        var t = new Tape<double>();
        var y = t.Reshape(x, 3, 2);
        Assert.That(y.Data, Is.SameAs(x.Data));
        t.Backward(t.Sum(t.Scale(y, 2)));                              // d(Σ 2y)/dx = 2 everywhere, through the shared buffer
        Assert.That(x.Grad, Is.EqualTo(Enumerable.Repeat(2.0, 6)));
    }

    [Test]
    public void Add_Broadcast_ForwardValues()
    {
        // [[1],[2]] + [10, 20, 30] = [[11, 21, 31], [12, 22, 32]]
        var t = new Tape<double>();
        var y = t.Add(Tensor<double>.From([1.0, 2.0], [2, 1]), Tensor<double>.From([10.0, 20.0, 30.0], [3]));
        Assert.That(y.Shape.ToArray(), Is.EqualTo(new[] { 2, 3 }));
        Assert.That(y.Data, Is.EqualTo(new[] { 11.0, 21.0, 31.0, 12.0, 22.0, 32.0 }));
    }

    [Test]
    public void Broadcast_AllThreePaths_AgreeWithHandValues()
    {
        // a [2, 1, 2] = [[[1, 2]], [[3, 4]]]; b [1, 2, 2] = [[[10, 20], [30, 40]]] → row path; b2 [2, 1] = [[100], [200]] → index map path
        var t = new Tape<double>();
        var a = Tensor<double>.From([1.0, 2, 3, 4], [2, 1, 2]);
        Assert.That(t.Add(a, Tensor<double>.From([10.0, 20, 30, 40], [1, 2, 2])).Data, Is.EqualTo(new[] { 11.0, 22, 31, 42, 13, 24, 33, 44 }));
        Assert.That(t.Add(a, Tensor<double>.From([100.0, 200], [2, 1])).Data, Is.EqualTo(new[] { 101.0, 102, 201, 202, 103, 104, 203, 204 }));
        Assert.That(t.Permute(Tensor<double>.From([1.0, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]), 1, 0, 2).Data, Is.EqualTo(new[] { 1.0, 2, 5, 6, 3, 4, 7, 8 }));
    }

    [Test]
    public void Softmax_LargeLogits_MaxSubtractedStaysFinite()
    {
        // softmax([1000, 1000 + ln 3]) = [1/4, 3/4]; without subtracting the max, e^1000 overflows.
        var y = new Tape<double>().Softmax(Tensor<double>.From([1000.0, 1000.0 + Math.Log(3)], [1, 2]));
        Assert.That(y.Data, Is.EqualTo(new[] { 0.25, 0.75 }).Within(1e-12));
    }

    [Test]
    public void LayerNorm_KnownRow_Normalises()
    {
        // x = [1, 2, 3]: μ = 2, σ² = 2/3, r = 1/√(2/3 + 1e-5); y = [−r, 0, r] with γ = 1, β = 0
        var r = 1 / Math.Sqrt(2.0 / 3 + 1e-5);
        var y = new Tape<double>().LayerNorm(Tensor<double>.From([1.0, 2, 3], [1, 3]), Tensor<double>.From([1.0, 1, 1], [3]), Tensor<double>.Zeros(3));
        Assert.That(y.Data, Is.EqualTo(new[] { -r, 0, r }).Within(1e-12));
    }

    [Test]
    public void NegativePearsonICLoss_PerfectlyCorrelatedDates_IsMinusOne()
    {
        // each date's forecast is an affine map of its label (positive slope) → c_d = 1 (up to ε = 1e-8) → loss −1
        var p = Tensor<double>.From([1.0, 2, 3, 10, 30, 20], [2, 3]);
        var y = Tensor<double>.From([0.1, 0.2, 0.3, -1, 1, 0], [2, 3]);
        Assert.That(new Tape<double>().NegativePearsonICLoss(p, y).Item(), Is.EqualTo(-1.0).Within(1e-6));
    }

    [Test]
    public void PortfolioUtilityLoss_HandValue()
    {
        // w = [[0.5, −0.5], [1, 0]], r = [[0.02, 0.01], [−0.01, 0.03]]: Σw·r = 0.01 − 0.005 − 0.01 + 0 = −0.005; −mean = 0.00125
        // turnover over 1 pair: |1 − 0.5| + |0 + 0.5| = 1, / (1·2) = 0.5; λ = 0.1 → 0.05; total 0.05125
        var w = Tensor<double>.From([0.5, -0.5, 1, 0], [2, 2]);
        var r = Tensor<double>.From([0.02, 0.01, -0.01, 0.03], [2, 2]);
        Assert.That(new Tape<double>().PortfolioUtilityLoss(w, r, 0.1).Item(), Is.EqualTo(0.05125).Within(1e-15));
    }

    [Test]
    public void Gelu_FloatFastErf_MatchesDoubleExactWithinFloatPrecision()
    {
        // float uses Abramowitz & Stegun 7.1.26 (|erf error| ≤ 1.5e-7): GELU and its derivative agree with the exact double
        // version to ~1e-6 absolute on [−6, 6]
        var xs = Enumerable.Range(0, 241).Select(i => -6 + i * 0.05).ToArray();
        var tf = new Tape<float>();
        var xf = Tensor<float>.From(xs, [xs.Length], requiresGrad: true);
        var yf = tf.Gelu(xf);
        tf.Backward(tf.Sum(yf));
        var td = new Tape<double>();
        var xd = Tensor<double>.From(xs, [xs.Length], requiresGrad: true);
        var yd = td.Gelu(xd);
        td.Backward(td.Sum(yd));
        Assert.That(yf.Data.Select(v => (double)v), Is.EqualTo(yd.Data).Within(2e-6));
        Assert.That(xf.Grad!.Select(v => (double)v), Is.EqualTo(xd.Grad!).Within(2e-6));
        Assert.That(yd.Data[140], Is.EqualTo(0.8413447460685429).Within(1e-15));   // x = 1 (index 140): GELU(1) = Φ(1) = ½(1 + erf(1/√2)) = 0.8413447460685429
    }

    // ---- malformed shapes: the message names the shapes ----
    [Test]
    public void Add_ShapesDoNotBroadcast_ThrowsNamingShapes() =>
        Assert.That(() => new Tape<double>().Add(Normal(1, 2, 3), Normal(2, 4)), Throws.ArgumentException.With.Message.Contains("[2, 3]").And.Message.Contains("[4]"));

    [Test]
    public void MatMul_InnerMismatch_ThrowsNamingShapes() =>
        Assert.That(() => new Tape<double>().MatMul(Normal(1, 32, 64), Normal(2, 65, 16)),
            Throws.ArgumentException.With.Message.Contains("a is [32, 64], b is [65, 16]"));

    [Test]
    public void MatMul_BatchMismatch_ThrowsNamingShapes() =>
        Assert.That(() => new Tape<double>().MatMul(Normal(1, 2, 3, 4), Normal(2, 3, 4, 5)), Throws.ArgumentException.With.Message.Contains("[2, 3, 4]"));

    [Test]
    public void Reshape_WrongCount_ThrowsNamingShapes() =>
        Assert.That(() => new Tape<double>().Reshape(Normal(1, 2, 3), 4, 2), Throws.ArgumentException.With.Message.Contains("[2, 3]").And.Message.Contains("[4, 2]"));

    [Test]
    public void Slice_OutOfRange_ThrowsNamingShape() =>
        Assert.That(() => new Tape<double>().Slice(Normal(1, 2, 3), 1, 2, 2), Throws.ArgumentException.With.Message.Contains("[2, 3]"));

    [Test]
    public void Concat_OffAxisMismatch_ThrowsNamingShapes() =>
        Assert.That(() => new Tape<double>().Concat([Normal(1, 2, 3), Normal(2, 3, 3)], 1), Throws.ArgumentException.With.Message.Contains("[3, 3]"));

    [Test]
    public void Gather_IndexOutOfRange_ThrowsNamingIndex() =>
        Assert.That(() => new Tape<double>().Gather(Normal(1, 4, 2), [1, 4]), Throws.ArgumentException.With.Message.Contains("index 4 at position 1"));

    [Test]
    public void Permute_NotAPermutation_Throws() =>
        Assert.That(() => new Tape<double>().Permute(Normal(1, 2, 3), 0, 0), Throws.ArgumentException.With.Message.Contains("[2, 3]"));

    [Test]
    public void LayerNorm_GammaWrongLength_ThrowsNamingShapes() =>
        Assert.That(() => new Tape<double>().LayerNorm(Normal(1, 2, 5), Normal(2, 4), Normal(3, 5)), Throws.ArgumentException.With.Message.Contains("gamma [4]"));

    [Test]
    public void Attention_KeyWidthMismatch_ThrowsNamingShapes() =>
        Assert.That(() => new Tape<double>().Attention(Normal(1, 2, 3, 4), Normal(2, 2, 3, 5), Normal(3, 2, 3, 2)), Throws.ArgumentException.With.Message.Contains("k [2, 3, 5]"));

    [Test]
    public void Attention_MaskRowAllowsNothing_Throws() =>
        Assert.That(() => new Tape<double>().Attention(Normal(1, 1, 2, 2), Normal(2, 1, 2, 2), Normal(3, 1, 2, 2), [true, false, false, false]),
            Throws.ArgumentException.With.Message.Contains("row 1"));

    [Test]
    public void MseLoss_ShapeMismatch_ThrowsNamingShapes() =>
        Assert.That(() => new Tape<double>().MseLoss(Normal(1, 2, 3), Normal(2, 3, 2)), Throws.ArgumentException.With.Message.Contains("[2, 3]").And.Message.Contains("[3, 2]"));
}
