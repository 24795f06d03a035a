using BenchmarkDotNet.Running;

namespace LeanModels.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release --project tests/LeanModels.Benchmarks -- --filter '*Sgemm*'</c>.</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
