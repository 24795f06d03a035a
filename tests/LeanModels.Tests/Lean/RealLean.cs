using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace LeanModels.Tests.Lean;

/// <summary>
/// Runs backtests in the real LEAN engine (../shared/lean-engine, LEAN 2.5 built from its public source) the way
/// <c>lean backtest</c> does, through the engine's <c>run-backtest.sh</c>, and reads what LEAN wrote: statistics, orders,
/// insights (<c>alpha-results.json</c>), the log, and the probe file of the test algorithms (tests/LeanAlgorithms).
/// </summary>
internal static class RealLean
{
    /// <summary>../shared/lean-engine.</summary>
    public static string EngineDir => Path.Combine(TestPaths.Shared, "lean-engine");

    private static string Script => Path.Combine(EngineDir, "run-backtest.sh");

    /// <summary>Where the runs are written: a folder of the test output, replaced per run.</summary>
    public static string RunsRoot { get; } = Path.Combine(AppContext.BaseDirectory, "lean-runs");

    private static readonly Lazy<string> ProbeDllLazy = new(BuildProbes);

    /// <summary>tests/LeanAlgorithms built once as <c>lean backtest</c> builds it (Debug, LEAN DLLs swapped in).</summary>
    public static string ProbeDll => ProbeDllLazy.Value;

    /// <summary>Backtests an Algorithms/ project folder exactly as the CLI emulation does (its own build, config.json parameters
    /// merged with <paramref name="parameters"/>).</summary>
    public static Backtest RunProject(string runName, string projectFolder, IReadOnlyDictionary<string, string>? parameters = null,
        Action<string>? prepareStorage = null) =>
        Run(runName, projectFolder, parameters, prepareStorage, algorithmType: null);

    /// <summary>Backtests one probe class of tests/LeanAlgorithms with exactly <paramref name="parameters"/>, plus
    /// <c>probe-out</c> pointing into the run folder.</summary>
    public static Backtest RunProbe(string runName, string algorithmType, IReadOnlyDictionary<string, string> parameters,
        Action<string>? prepareStorage = null)
    {
        var all = new Dictionary<string, string>(parameters) { ["probe-out"] = Path.Combine(RunsRoot, runName, "probe.tsv") };
        return Run(runName, ProbeDll, all, prepareStorage, algorithmType);
    }

    private static Backtest Run(string runName, string algorithm, IReadOnlyDictionary<string, string>? parameters, Action<string>? prepareStorage,
        string? algorithmType)
    {
        var output = Path.Combine(RunsRoot, runName);
        if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        var storage = Path.Combine(output, "storage");
        Directory.CreateDirectory(storage);
        prepareStorage?.Invoke(storage);
        var args = new List<string> { algorithm, TestPaths.LeanData, output };
        foreach (var (k, v) in parameters ?? new Dictionary<string, string>()) args.Add($"{k}={v}");
        var env = new Dictionary<string, string> { ["STORAGE"] = storage };
        if (algorithmType is not null) env["ALGORITHM_TYPE"] = algorithmType;
        var (exit, stdout) = Execute(Script, args, env, TimeSpan.FromMinutes(10));
        return new Backtest(runName, output, exit, stdout);
    }

    private static string BuildProbes()
    {
        var project = Path.Combine(TestPaths.RepositoryRoot, "tests", "LeanAlgorithms", "LeanAlgorithms.csproj");
        var bin = Path.Combine(RunsRoot, "_probes", "bin");
        if (Directory.Exists(bin)) Directory.Delete(bin, recursive: true);
        Directory.CreateDirectory(bin);
        // The build line of run-backtest.sh (what `lean backtest` runs inside its container, lean-api.md §6.4).
        var (exit, output) = Execute("dotnet", [
            "build", project, "-nologo", "-v", "q", "-clp:ErrorsOnly",
            $"-p:Configuration=Debug;Platform=AnyCPU;TargetFramework=net10.0;OutputPath={bin}/;GenerateAssemblyInfo=false;GenerateTargetFrameworkAttribute=false;AppendTargetFrameworkToOutputPath=false;AutomaticallyUseReferenceAssemblyPackages=false;CopyLocalLockFileAssemblies=true",
            $"-p:CustomAfterMicrosoftCommonTargets={EngineDir}/LeanBundle.targets", $"-p:LeanBundleDir={EngineDir}/"],
            new Dictionary<string, string>(), TimeSpan.FromMinutes(10));
        if (exit != 0) throw new InvalidOperationException($"building tests/LeanAlgorithms against real LEAN failed (exit {exit}):\n{output}");
        return Path.Combine(bin, "LeanAlgorithms.dll");
    }

    private static (int Exit, string Output) Execute(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string> env, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        // The test host's MSBuild variables would point a child build at the test run's SDK internals.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k == "MSBUILD_EXE_PATH").ToList())
            start.Environment.Remove(key);
        foreach (var (k, v) in env) start.Environment[k] = v;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} took longer than {timeout}.");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}

/// <summary>One finished backtest: LEAN's exit code and result files.</summary>
internal sealed class Backtest(string name, string folder, int exitCode, string output)
{
    public string Name { get; } = name;

    public string Folder { get; } = folder;

    /// <summary>LEAN's exit code (build failure: 1).</summary>
    public int ExitCode { get; } = exitCode;

    /// <summary>What run-backtest.sh printed (STATISTICS:: lines, errors).</summary>
    public string Output { get; } = output;

    private string ResultsFolder => Path.Combine(Folder, "results");

    private string? _id, _log;
    private IReadOnlyList<InsightRecord>? _insights;
    private string[][]? _probe;

    private string Id => _id ??= Directory.GetFiles(ResultsFolder, "*-log.txt").Select(f => Path.GetFileName(f)[..^"-log.txt".Length])
        .Single(n => File.Exists(Path.Combine(ResultsFolder, n + ".json")));

    /// <summary>The whole launcher log (LEAN's trace, debug, errors).</summary>
    public string Log => _log ??= File.ReadAllText(Path.Combine(Folder, "launcher.log"));

    /// <summary>LEAN's statistics block (name → text, e.g. "Sharpe Ratio" → "0.512").</summary>
    public IReadOnlyDictionary<string, string> Statistics
    {
        get
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(ResultsFolder, Id + ".json")));
            return doc.RootElement.GetProperty("statistics").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
        }
    }

    /// <summary>Number of orders in the result file.</summary>
    public int OrderCount
    {
        get
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(ResultsFolder, Id + ".json")));
            return doc.RootElement.GetProperty("orders").EnumerateObject().Count();
        }
    }

    /// <summary>Every insight LEAN recorded (alpha-results.json).</summary>
    public IReadOnlyList<InsightRecord> Insights => _insights ??= ReadInsights();

    private IReadOnlyList<InsightRecord> ReadInsights()
    {
        var path = Path.Combine(ResultsFolder, Id, "alpha-results.json");
        if (!File.Exists(path)) return [];
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.EnumerateArray().Select(e => new InsightRecord(
            e.GetProperty("id").GetString()!, e.GetProperty("sourceModel").GetString()!, e.GetProperty("ticker").GetString()!.ToLowerInvariant(),
            DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(e.GetProperty("generatedTime").GetDouble() * 1000)).UtcDateTime,
            DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(e.GetProperty("closeTime").GetDouble() * 1000)).UtcDateTime,
            e.GetProperty("period").GetDouble(), e.GetProperty("direction").GetString()!,
            e.TryGetProperty("weight", out var w) && w.ValueKind == JsonValueKind.String ? double.Parse(w.GetString()!, CultureInfo.InvariantCulture)
                : w.ValueKind == JsonValueKind.Number ? w.GetDouble() : null)).ToList();
    }

    /// <summary>The probe file's records of one kind (tests/LeanAlgorithms): exchange time and fields.</summary>
    public IReadOnlyList<ProbeRecord> Probe(string kind)
    {
        var path = Path.Combine(Folder, "probe.tsv");
        _probe ??= File.Exists(path) ? File.ReadLines(path).Select(l => l.Split('\t')).ToArray() : [];
        return _probe.Where(f => f[0] == kind)
            .Select(f => new ProbeRecord(DateTime.ParseExact(f[1], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), f[2..])).ToList();
    }

    /// <summary>Lines LEAN logged as errors (algorithm.Error, runtime errors), less two of LEAN's own that do not depend on the
    /// algorithm: its in-run results analysis, which races with the result handler in this LEAN build, and the shutdown's
    /// "Timeout waiting for 'Isolator Thread'" on a loaded machine.</summary>
    public IReadOnlyList<string> Errors => Log.Split('\n')
        .Where(l => (l.Contains(" ERROR:: ") || l.Contains("Runtime Error")) && !l.Contains("RunInRunResultsAnalysis")
            && !l.Contains("StopSafely(): Timeout waiting for")).ToList();

    /// <summary>A summary for assertion messages.</summary>
    public override string ToString() => $"{Name}: exit {ExitCode}; see {Folder}/launcher.log\n{Output}";
}

/// <summary>One insight of alpha-results.json.</summary>
internal sealed record InsightRecord(string Id, string SourceModel, string Ticker, DateTime GeneratedUtc, DateTime CloseUtc, double PeriodSeconds, string Direction,
    double? Weight);

/// <summary>One probe record: exchange time and the fields after it.</summary>
internal sealed record ProbeRecord(DateTime Time, string[] Fields)
{
    public double D(int i) => Fields[i] == "NA" ? double.NaN : double.Parse(Fields[i], CultureInfo.InvariantCulture);
}
