using BenchmarkDotNet.Attributes;
using LeanModels.Models.Engine;
using LeanModels.Models.Engine.Kernels;
using LeanModels.Models.Engine.Layers;
using LeanModels.Models.Engine.Optimizers;
using LeanModels.Models.Numerics;

namespace LeanModels.Benchmarks.Engine;

/// <summary>One training step (forward, backward, clip, Adam) on the peer's Stockformer shapes: B = 32, T = 64, A = 16, F = 8,
/// D = 64, 4 heads, 2 layers, dropout 0.1, Adam 1e-3, clip 1.0. samples/s = 32 / mean.</summary>
[MemoryDiagnoser]
public class StockformerTrainingBenchmarks
{
    private StockformerReplica _model = null!;
    private Adam<float> _optimizer = null!;
    private Tensor<float> _x = null!, _r = null!, _x1 = null!;
    private Xoshiro256StarStar _dropoutRng = null!;
    private readonly BufferPool<float> _pool = new();
    private ThreadTeam _team = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Xoshiro256StarStar(1);
        _model = new StockformerReplica(64, 16, 8, 64, 4, 2, 0.1, rng);
        _optimizer = new Adam<float>(_model.Parameters(), 1e-3);
        _x = Tensor<float>.Normal(rng, 1, [32, 64, 16, 8]);
        _r = Tensor<float>.Normal(rng, 0.01, [32, 16]);
        _x1 = Tensor<float>.Normal(rng, 1, [1, 64, 16, 8]);
        _dropoutRng = new Xoshiro256StarStar(2);
        _team = new ThreadTeam(Threads);                                   // persistent workers for Threads > 1
    }

    [GlobalCleanup]
    public void Cleanup() => _team.Dispose();

    [Benchmark]
    public float TrainStep()
    {
        _optimizer.ZeroGrad();
        using var tape = new Tape<float>(training: true, _dropoutRng, pool: _pool, team: _team);
        var loss = StockformerReplica.Loss(tape, _model.Forward(tape, _x), _r);
        tape.Backward(loss);
        GradientClipping.ClipGlobalNorm(_optimizer.Parameters, 1.0);
        _optimizer.Step();
        return loss.Item();
    }

    [Benchmark]
    public float InferBatch32()
    {
        using var tape = new Tape<float>(training: false, recording: false, pool: _pool, team: _team);
        return _model.Forward(tape, _x).Data[0];
    }

    [Benchmark]
    public float InferBatch1()
    {
        using var tape = new Tape<float>(training: false, recording: false, pool: _pool, team: _team);
        return _model.Forward(tape, _x1).Data[0];
    }
}

/// <summary>One LSTM / GRU training step on the peer's shapes (../shared/bench/rnn_peer.py): x [64, 90, 62], hidden 64,
/// Linear(64, 1) on the last step, MSE, Adam 1e-3, pooled tape, 1 or 2 threads on a persistent <see cref="ThreadTeam"/>.
/// samples/s = 64 / mean. The Infer benchmarks time the peer's inference throughput call (the same batch, no tape recording).</summary>
[MemoryDiagnoser]
public class RnnTrainingBenchmarks
{
    private Lstm<float> _lstm = null!;
    private Gru<float> _gru = null!;
    private Linear<float> _headL = null!, _headG = null!;
    private Adam<float> _optL = null!, _optG = null!;
    private Tensor<float> _x = null!, _y = null!;
    private readonly BufferPool<float> _pool = new();
    private ThreadTeam _team = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Xoshiro256StarStar(1);
        _lstm = new Lstm<float>(62, 64, rng);
        _gru = new Gru<float>(62, 64, rng);
        _headL = new Linear<float>(64, 1, rng);
        _headG = new Linear<float>(64, 1, rng);
        _optL = new Adam<float>(_lstm.Parameters().Concat(_headL.Parameters()).ToList(), 1e-3);
        _optG = new Adam<float>(_gru.Parameters().Concat(_headG.Parameters()).ToList(), 1e-3);
        _x = Tensor<float>.Normal(rng, 1, [64, 90, 62]);
        _y = Tensor<float>.Normal(rng, 1, [64, 1]);
        _team = new ThreadTeam(Threads);
    }

    [GlobalCleanup]
    public void Cleanup() => _team.Dispose();

    [Benchmark]
    public float LstmTrainStep()
    {
        _optL.ZeroGrad();
        using var tape = new Tape<float>(pool: _pool, team: _team);
        var loss = tape.MseLoss(_headL.Forward(tape, _lstm.Forward(tape, _x).Last), _y);
        tape.Backward(loss);
        _optL.Step();
        return loss.Item();
    }

    [Benchmark]
    public float GruTrainStep()
    {
        _optG.ZeroGrad();
        using var tape = new Tape<float>(pool: _pool, team: _team);
        var loss = tape.MseLoss(_headG.Forward(tape, _gru.Forward(tape, _x).Last), _y);
        tape.Backward(loss);
        _optG.Step();
        return loss.Item();
    }

    [Benchmark]
    public float LstmInfer()
    {
        using var tape = new Tape<float>(training: false, recording: false, pool: _pool, team: _team);
        return _headL.Forward(tape, _lstm.Forward(tape, _x).Last).Data[0];
    }

    [Benchmark]
    public float GruInfer()
    {
        using var tape = new Tape<float>(training: false, recording: false, pool: _pool, team: _team);
        return _headG.Forward(tape, _gru.Forward(tape, _x).Last).Data[0];
    }
}
