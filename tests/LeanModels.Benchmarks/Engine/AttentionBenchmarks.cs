using BenchmarkDotNet.Attributes;
using LeanModels.Models.Engine;
using LeanModels.Models.Engine.Layers;
using LeanModels.Models.Numerics;

namespace LeanModels.Benchmarks.Engine;

/// <summary>Full vs ProbSparse (Informer, c = 5) multi-head self-attention, forward + backward of one layer in training
/// (dropout 0.1, pooled tape), D = 64, 4 heads, 32768 tokens: at T = 64 the Stockformer peer's temporal attention
/// ([B·A = 512, 64, 64]), and a longer lookback T = 256 ([128, 256, 64]).</summary>
[MemoryDiagnoser]
public class AttentionBenchmarks
{
    private MultiHeadAttention<float> _layer = null!;
    private Tensor<float> _x = null!;
    private float[] _seed = [];
    private Xoshiro256StarStar _rng = null!;
    private readonly BufferPool<float> _pool = new();

    [Params(64, 256)]
    public int T { get; set; }

    [Params(0, 5)]
    public int ProbSparseFactor { get; set; }

    [Params(1)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Xoshiro256StarStar(1);
        _layer = new MultiHeadAttention<float>(64, 4, 0.1, rng, ProbSparseFactor);
        _x = Tensor<float>.Normal(rng, 1, [32768 / T, T, 64], requiresGrad: true);
        _seed = Enumerable.Repeat(1f / 32768, 32768 * 64).ToArray();
        _rng = new Xoshiro256StarStar(2);
    }

    [Benchmark]
    public float ForwardBackward()
    {
        using var tape = new Tape<float>(training: true, _rng, threads: Threads, pool: _pool);
        var y = _layer.Forward(tape, _x);
        tape.Backward(y, _seed);
        return y.Data[0];
    }
}
