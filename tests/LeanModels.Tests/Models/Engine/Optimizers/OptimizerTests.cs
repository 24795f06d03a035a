using LeanModels.Models.Engine;
using LeanModels.Models.Engine.Layers;
using LeanModels.Models.Engine.Optimizers;
using LeanModels.Models.Numerics;

namespace LeanModels.Tests.Models.Engine.Optimizers;

public class OptimizerTests
{
    private static Parameter<double> Scalar(string name, double value, bool decay) =>
        new(name, Tensor<double>.From([value], [1], requiresGrad: true), decay);

    [Test]
    public void AdamW_ThreeSteps_MatchHandDerivation()
    {
        // L = w² + 3b, w₀ = 1 (decayed weight), b₀ = 0.5 (bias, never decayed); lr 0.1, λ 0.1, β 0.9/0.999, ε 1e-8.
        // Step 1 by hand: w ← 1·(1 − 0.1·0.1) = 0.99; m̂ = g = 2, v̂ = g² = 4 → w ← 0.99 − 0.1·2/(2 + 1e-8) = 0.8900000005.
        //                 b: no decay, m̂/√v̂ = 3/(3 + 1e-8) → b ← 0.5 − 0.1·(1 − 3.3e-9) = 0.4000000003.
        // Steps 2–3 from the same recurrences (PyTorch AdamW order), evaluated in Python:
        //   for t in 1..3: gw = 2w; w *= 1 − lr·λ; m = .9m + .1g; v = .999v + .001g²; w −= lr·(m/(1−.9ᵗ))/(√(v/(1−.999ᵗ)) + ε)
        // → w = 0.8900000004999999, 0.7815718559365048, 0.6751012216400698; b = 0.4000000003333333, 0.3000000006666673, 0.2000000010000007
        double[] expectedW = [0.8900000004999999, 0.7815718559365048, 0.6751012216400698];
        double[] expectedB = [0.4000000003333333, 0.3000000006666673, 0.2000000010000007];
        Parameter<double> w = Scalar("w", 1.0, decay: true), b = Scalar("b", 0.5, decay: false);
        var opt = new AdamW<double>([w, b], learningRate: 0.1, weightDecay: 0.1);
        for (var step = 0; step < 3; step++)
        {
            opt.ZeroGrad();
            var tape = new Tape<double>();
            tape.Backward(tape.Add(tape.Mul(w.Value, w.Value), tape.Scale(b.Value, 3)));
            opt.Step();
            Assert.That(w.Value.Data[0], Is.EqualTo(expectedW[step]).Within(1e-15), $"w after step {step + 1}");
            Assert.That(b.Value.Data[0], Is.EqualTo(expectedB[step]).Within(1e-15), $"b after step {step + 1}");
        }
    }

    [Test]
    public void Adam_FirstStep_MovesByLearningRate()
    {
        // bias-corrected first step: m̂ = g, v̂ = g² → Δθ = −lr·g/(|g| + ε); g = 5 → θ = 2 − 0.01·5/(5 + 1e-8) ≈ 1.99
        var p = Scalar("p", 2.0, decay: true);
        var opt = new Adam<double>([p], learningRate: 0.01);
        p.Value.Grad![0] = 5;
        opt.Step();
        Assert.That(p.Value.Data[0], Is.EqualTo(2 - 0.01 * 5 / (5 + 1e-8)).Within(1e-15));
    }

    [Test]
    public void Sgd_Momentum_TwoSteps()
    {
        // g = 1 each step, μ = 0.9, lr = 0.1: b₁ = 1, θ = 1 − 0.1 = 0.9; b₂ = 0.9 + 1 = 1.9, θ = 0.9 − 0.19 = 0.71
        var p = Scalar("p", 1.0, decay: true);
        var opt = new Sgd<double>([p], 0.1, momentum: 0.9);
        for (var i = 0; i < 2; i++) { p.Value.Grad![0] = 1; opt.Step(); }
        Assert.That(p.Value.Data[0], Is.EqualTo(0.71).Within(1e-15));
    }

    [Test]
    public void Step_NonFiniteLoss_ThrowsDivergedAndLeavesParameters()
    {
        var p = Scalar("p", 1.0, decay: true);
        var opt = new Adam<double>([p], learningRate: 0.01);
        p.Value.Grad![0] = 1;
        opt.Step(0.5);                                                    // step 1 is fine
        var after1 = p.Value.Data[0];
        var ex = Assert.Throws<TrainingDivergedException>(() => opt.Step(double.NaN));
        Assert.That((ex!.Step, ex.LearningRate), Is.EqualTo((2, 0.01)));
        Assert.That(p.Value.Data[0], Is.EqualTo(after1));
        Assert.That(opt.StepCount, Is.EqualTo(1));
    }

    [Test]
    public void ClipGlobalNorm_AboveMax_ScalesAllGradients()
    {
        // grads [3] and [4]: global norm 5; max 1 → scale 1/(5 + 1e-6)
        Parameter<double> a = Scalar("a", 0, true), b = Scalar("b", 0, true);
        a.Value.Grad![0] = 3;
        b.Value.Grad![0] = 4;
        var norm = GradientClipping.ClipGlobalNorm([a, b], 1.0);
        Assert.That(norm, Is.EqualTo(5.0).Within(1e-15));
        Assert.That(a.Value.Grad[0], Is.EqualTo(3 / (5 + 1e-6)).Within(1e-15));
        Assert.That(b.Value.Grad[0], Is.EqualTo(4 / (5 + 1e-6)).Within(1e-15));
    }

    [Test]
    public void ClipGlobalNorm_NonFinite_ThrowsNamingParameter()
    {
        var a = Scalar("layer.weight", 0, true);
        a.Value.Grad![0] = double.NaN;
        Assert.That(() => GradientClipping.ClipGlobalNorm([a], 1.0), Throws.TypeOf<ArithmeticException>().With.Message.Contains("layer.weight"));
    }

    [Test]
    public void WarmupCosine_KeyPoints()
    {
        // base 1, W = 10, S = 110, min 0.1: step 5 → 0.5; step 10 → 1; step 60 (halfway) → 0.1 + 0.9·½ = 0.55; step 110 → 0.1
        var s = new WarmupCosineSchedule(1.0, 10, 110, 0.1);
        Assert.That(new[] { s.RateAt(5), s.RateAt(10), s.RateAt(60), s.RateAt(110) }, Is.EqualTo(new[] { 0.5, 1.0, 0.55, 0.1 }).Within(1e-12));
    }

    [Test]
    public void StepSchedule_DecaysEveryStepSize()
    {
        // base 1, step 3, γ 0.5: epochs 0..2 → 1, 3..5 → 0.5, 6 → 0.25
        var s = new StepSchedule(1.0, 3, 0.5);
        Assert.That(new[] { s.RateAt(0), s.RateAt(2), s.RateAt(3), s.RateAt(6) }, Is.EqualTo(new[] { 1.0, 1.0, 0.5, 0.25 }));
    }

    [Test]
    public void ReduceOnPlateau_AfterPatienceExceeded_Reduces()
    {
        // patience 2: best 1.0, then three non-improving reports → the third exceeds patience → rate × 0.5
        var s = new ReduceOnPlateau(1.0, factor: 0.5, patience: 2);
        Assert.That(new[] { s.Report(1.0), s.Report(1.0), s.Report(1.1), s.Report(1.0) }, Is.EqualTo(new[] { 1.0, 1.0, 1.0, 0.5 }));
    }

    [Test]
    public void EarlyStopping_StopsAfterPatience_RemembersBest()
    {
        var e = new EarlyStopping(patience: 2);
        Assert.That(new[] { e.Report(3), e.Report(2), e.Report(2.5), e.ShouldStop, e.Report(2.1), e.ShouldStop },
            Is.EqualTo(new[] { true, true, false, false, false, true }));
        Assert.That((e.Best, e.BestIndex), Is.EqualTo((2.0, 1)));
    }

    [Test]
    public void Training_SmallMlpInFloat_Memorises16Samples()
    {
        // 16 random inputs [16, 4] with random targets [16, 1]; MLP 4 → 32 → 1 (tanh), Adam lr 1e-2, full batch.
        var rng = new Xoshiro256StarStar(42);
        var x = Tensor<float>.Normal(rng, 1, [16, 4]);
        var y = Tensor<float>.Normal(rng, 1, [16, 1]);
        var l1 = new Linear<float>(4, 32, rng);
        var l2 = new Linear<float>(32, 1, rng);
        var parameters = l1.Parameters().Concat(l2.Parameters()).ToList();
        var opt = new Adam<float>(parameters, 1e-2);
        var first = 0f;
        var loss = 0f;
        for (var step = 0; step < 600; step++)
        {
            opt.ZeroGrad();
            var tape = new Tape<float>();
            var l = tape.MseLoss(l2.Forward(tape, tape.Tanh(l1.Forward(tape, x))), y);
            tape.Backward(l);
            opt.Step();
            loss = l.Item();
            if (step == 0) first = loss;
        }
        Assert.That(first, Is.GreaterThan(0.3f));                // targets ~N(0, 1): the untrained loss is order 1
        Assert.That(loss, Is.LessThan(1e-3f), $"loss after 600 steps {loss} (start {first})");
    }
}
