using LeanModels.Models.Engine;
using LeanModels.Models.Numerics;

namespace LeanModels.Tests.Models.Engine;

/// <summary>Seeded inputs and the gradcheck assertion shared by the engine tests.</summary>
internal static class EngineTestData
{
    /// <summary>N(0, 1) values that require a gradient.</summary>
    public static Tensor<double> Normal(ulong seed, params int[] shape) => Tensor<double>.Normal(new Xoshiro256StarStar(seed), 1.0, shape, requiresGrad: true);

    /// <summary>Uniform values in [0.5, 1.5) that require a gradient (for log, sqrt, pow, div denominators).</summary>
    public static Tensor<double> Positive(ulong seed, params int[] shape)
    {
        var rng = new Xoshiro256StarStar(seed);
        var t = Tensor<double>.Parameter(shape);
        for (var i = 0; i < t.Length; i++) t.Data[i] = 0.5 + rng.NextDouble();
        return t;
    }

    /// <summary>Same as <see cref="Normal"/> but without a gradient (data, labels).</summary>
    public static Tensor<double> Constant(ulong seed, params int[] shape) => Tensor<double>.Normal(new Xoshiro256StarStar(seed), 1.0, shape);

    /// <summary>Asserts the PyTorch-tolerance gradcheck (eps 1e-6, atol 1e-5, rtol 1e-3) passes.</summary>
    public static void AssertGradCheck(Func<Tape<double>, Tensor<double>> f, params Tensor<double>[] inputs)
    {
        var result = GradCheck.Check(f, inputs);
        Assert.That(result.Passed, Is.True, result.ToString());
        Assert.That(result.Checked, Is.EqualTo(inputs.Sum(t => t.Length)));
    }
}
