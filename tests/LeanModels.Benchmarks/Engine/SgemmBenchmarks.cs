using BenchmarkDotNet.Attributes;
using LeanModels.Models.Engine.Kernels;
using LeanModels.Models.Numerics;

namespace LeanModels.Benchmarks.Engine;

/// <summary>SGEMM on the Stockformer peer's shapes (M = B·T·A = 32768 tokens) and 512³, as ../shared/bench/gemm_peer.py times
/// them. GFLOP/s = 2·M·K·N / mean time.</summary>
[MemoryDiagnoser]
public class SgemmBenchmarks
{
    private float[] _a = [], _b = [], _c = [];
    private ThreadTeam? _team;

    [Params("32768x64x64", "32768x64x256", "32768x256x64", "512x512x512")]
    public string Shape { get; set; } = "";

    [Params(1, 2)]
    public int Threads { get; set; }

    private (int M, int K, int N) Dims
    {
        get
        {
            var p = Shape.Split('x').Select(int.Parse).ToArray();
            return (p[0], p[1], p[2]);
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        var (m, k, n) = Dims;
        var rng = new Xoshiro256StarStar(1);
        _a = Enumerable.Range(0, m * k).Select(_ => (float)rng.NextGaussian()).ToArray();
        _b = Enumerable.Range(0, k * n).Select(_ => (float)rng.NextGaussian()).ToArray();
        _c = new float[m * n];
        _team = new ThreadTeam(Threads);
    }

    [Benchmark]
    public void Packed()
    {
        var (m, k, n) = Dims;
        Sgemm.Multiply(_a, _b, _c, m, k, n, threads: Threads);
    }

    /// <summary>Same GEMM with the rows split over a persistent <see cref="ThreadTeam"/> (no per-call tasks).</summary>
    [Benchmark]
    public void PackedTeam()
    {
        var (m, k, n) = Dims;
        Sgemm.Multiply(_a, _b, _c, m, k, n, team: _team);
    }

    [GlobalCleanup]
    public void Cleanup() => _team?.Dispose();
}
