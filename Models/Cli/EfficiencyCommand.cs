using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LeanModels.Models.Data;
using LeanModels.Models.IO;
using LeanModels.Models.Research;
using LeanModels.Models.TwoStage;
using Panel = LeanModels.Models.Research.Panel;

namespace LeanModels.Models.Cli;

/// <summary>
/// <c>leanmodels efficiency --data &lt;LEAN data folder&gt; [options]</c>: the issue-16 efficiency study
/// (<see cref="EfficiencyStudy"/>): the two-stage and the direct model of one temporal family trained on the same data, batch
/// size, epochs and seeds through the research walk-forward; writes <c>efficiency.md</c> and <c>efficiency.json</c>
/// (parameters, FLOPs per sample, median time per epoch, samples/s, peak memory, out-of-sample IC and Rank IC, and the
/// two-stage/direct ratios) into a marker-owned output folder, atomically.
/// </summary>
internal static class EfficiencyCommand
{
    /// <summary>Builds the command.</summary>
    /// <param name="stdout">The table and the output path.</param>
    /// <param name="stderr">Progress and errors.</param>
    /// <param name="cancellationToken">Cancels between folds and before the output is renamed into place.</param>
    /// <returns>The <c>efficiency</c> command.</returns>
    public static Command Create(TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var d = new EfficiencyOptions(default, default);
        var data = new Option<string>("--data") { Description = "LEAN data folder (holding equity/usa/daily), e.g. an `import` output.", Required = true };
        var tickers = new Option<string>("--tickers") { Description = "A number N (the first N daily equity tickers of the folder in alphabetical order) or a comma-separated list.", DefaultValueFactory = _ => "100" };
        var start = new Option<string>("--start") { Description = "First out-of-sample decision date, yyyy-MM-dd.", Required = true };
        var end = new Option<string?>("--end") { Description = "Last date read and evaluated, yyyy-MM-dd; default: all data." };
        var family = new Option<string>("--family") { Description = "Temporal family of both models: lstm, gru or tcn.", DefaultValueFactory = _ => "gru" };
        var lookback = new Option<int>("--lookback") { Description = "Lookback T in bars.", DefaultValueFactory = _ => d.Lookback };
        var featureSet = new Option<string>("--feature-set") { Description = $"Feature set: {string.Join(", ", FeatureSetCatalog.Names)} (alpha158: 157 features a day).", DefaultValueFactory = _ => d.FeatureSet };
        var epochs = new Option<int>("--epochs") { Description = "Epochs per fold (all run unless --validation-days > 0).", DefaultValueFactory = _ => d.Epochs };
        var batch = new Option<int>("--batch") { Description = "Dates per training step, both models.", DefaultValueFactory = _ => d.BatchDates };
        var seeds = new Option<string>("--seeds") { Description = "Comma-separated seeds; IC and Rank IC are averaged over them.", DefaultValueFactory = _ => "1" };
        var horizon = new Option<int>("--horizon") { Description = "Label horizon H in trading days.", DefaultValueFactory = _ => d.Horizon };
        var trainWindow = new Option<int>("--train-window") { Description = "Rolling training window in trading days.", DefaultValueFactory = _ => d.TrainWindow };
        var retrain = new Option<int>("--retrain-every") { Description = "Refit every k trading days.", DefaultValueFactory = _ => d.RetrainEvery };
        var validation = new Option<int>("--validation-days") { Description = "Validation days per fold for early stopping; 0 = fixed epochs.", DefaultValueFactory = _ => d.ValidationDays };
        var width = new Option<int>("--width") { Description = "Two-stage stage-1 width D1 (a multiple of 2 heads).", DefaultValueFactory = _ => d.StageOneWidth };
        var embedding = new Option<int>("--embedding") { Description = "Two-stage embedding width E.", DefaultValueFactory = _ => d.Embedding };
        var hidden = new Option<int>("--hidden") { Description = "Hidden width H of both temporal models.", DefaultValueFactory = _ => d.Hidden };
        var lr = new Option<double>("--lr") { Description = "AdamW learning rate of both.", DefaultValueFactory = _ => d.LearningRate };
        var threads = new Option<int>("--threads") { Description = "Training threads of both (results identical at any count).", DefaultValueFactory = _ => d.Threads };
        var isolate = new Option<bool>("--isolate") { Description = "Train each model in a fresh child process (`dotnet leanmodels.dll efficiency --only …`), so each peak working set is its own; false = both in this process, one after the other (the second then inherits what the first left resident).", DefaultValueFactory = _ => true };
        var only = new Option<string?>("--only") { Description = "Internal (the child process of --isolate): train just this model and write its row as JSON to --row-out.", Hidden = true };
        var rowOut = new Option<string?>("--row-out") { Description = "Internal: the row file of --only.", Hidden = true };
        var output = new Option<string>("--out") { Description = "Output folder: created, or replaced atomically if a previous `efficiency` run wrote it (it holds leanmodels-efficiency.json); any other non-empty folder is refused (exit 4).", DefaultValueFactory = _ => Path.Combine("runs", "efficiency") };
        var command = new Command("efficiency",
            "Efficiency study (issue 16): the two-stage and the direct model of one family on the same data, batch size, epochs and seeds, "
            + "through the research walk-forward; parameters, FLOPs per sample, time per epoch, samples/s, peak memory, out-of-sample IC "
            + "and Rank IC, and their two-stage/direct ratios. " + ExitCodes.HelpText);
        foreach (var o in new Option[] { data, tickers, start, end, family, lookback, featureSet, epochs, batch, seeds, horizon, trainWindow, retrain, validation, width, embedding, hidden, lr, threads, isolate, only, rowOut, output })
            command.Options.Add(o);
        command.SetAction(parse => Commands.Guard(stderr, cancellationToken, () =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var fam = parse.GetValue(family)!.Trim().ToLowerInvariant() switch
            {
                "lstm" => TemporalFamily.Lstm,
                "gru" => TemporalFamily.Gru,
                "tcn" => TemporalFamily.Tcn,
                var other => throw new UsageException($"--family must be lstm, gru or tcn, got '{other}'."),
            };
            var options = new EfficiencyOptions(
                ParseDate(parse.GetValue(start)!, "--start"),
                parse.GetValue(end) is { Length: > 0 } e ? ParseDate(e, "--end") : DateOnly.FromDateTime(DateTime.Today),
                fam, parse.GetValue(lookback), parse.GetValue(featureSet)!, parse.GetValue(epochs), parse.GetValue(batch), ParseSeeds(parse.GetValue(seeds)!),
                parse.GetValue(horizon), parse.GetValue(trainWindow), parse.GetValue(retrain), parse.GetValue(validation),
                parse.GetValue(width), parse.GetValue(embedding), parse.GetValue(hidden), parse.GetValue(lr), parse.GetValue(threads));
            try { options.Research("twostage-gru", options.Training(2)); }                  // every option checked before any data is read
            catch (ArgumentException x) { throw new UsageException(x.Message); }
            var folder = new LeanDataFolder(Commands.FullPath(parse.GetValue(data), "--data"));
            var universe = Universe(parse.GetValue(tickers)!, folder);
            if (parse.GetValue(only) is { } child)
            {
                // The child process of --isolate: one model, its row to a file, nothing else written.
                var rowFile = Commands.FullPath(parse.GetValue(rowOut), "--row-out");
                var childPanel = Panel.Load(folder, universe, options.End);
                var row = EfficiencyStudy.RunOne(childPanel, options, child, new Progress(stderr), cancellationToken);
                AtomicFile.WriteAllText(rowFile, JsonSerializer.Serialize(row, RowJson));
                return ExitCodes.Success;
            }
            var outputFolder = AtomicFolder.CheckDestination(Commands.FullPath(parse.GetValue(output), "--out"), OutputMarker.Efficiency, [folder.Root]);

            stderr.WriteLine($"efficiency: {universe.Count} tickers from {folder.Root}, {options.Start:yyyy-MM-dd} .. {options.End:yyyy-MM-dd}, family {fam}, lookback {options.Lookback}, feature set {options.FeatureSet}");
            var panel = Panel.Load(folder, universe, options.End);
            stderr.WriteLine($"loaded {panel.AssetCount} assets × {panel.DateCount} dates in {clock.Elapsed.TotalSeconds:0.0} s");
            EfficiencyResult result;
            if (parse.GetValue(isolate))
            {
                options.Research("twostage-gru", options.Training(panel.AssetCount)).ValidateAgainst(panel);    // fail here, not in a child
                var rows = new List<EfficiencyRow>();
                foreach (var name in EfficiencyStudy.ModelNames(fam))
                {
                    string[] childArgs = ["efficiency", "--data", folder.Root, "--tickers", string.Join(",", universe), "--start", Date(options.Start),
                        "--end", Date(options.End), "--family", parse.GetValue(family)!, "--lookback", I(options.Lookback), "--feature-set", options.FeatureSet,
                        "--epochs", I(options.Epochs), "--batch", I(options.BatchDates), "--seeds", string.Join(",", options.Seeds!),
                        "--horizon", I(options.Horizon), "--train-window", I(options.TrainWindow), "--retrain-every", I(options.RetrainEvery),
                        "--validation-days", I(options.ValidationDays), "--width", I(options.StageOneWidth), "--embedding", I(options.Embedding),
                        "--hidden", I(options.Hidden), "--lr", options.LearningRate.ToString("R", CultureInfo.InvariantCulture), "--threads", I(options.Threads),
                        "--only", name];
                    rows.Add(RunChild(childArgs, stderr, cancellationToken));
                }
                result = new EfficiencyResult(options, panel.Tickers, options.Research(rows[^1].Model, options.Training(panel.AssetCount)), rows);
            }
            else result = EfficiencyStudy.Run(panel, options, new Progress(stderr), cancellationToken);
            var markdown = Markdown(result, folder.Root, parse.GetValue(isolate));
            stdout.Write(Table(result));
            AtomicFolder.Write(outputFolder, OutputMarker.Efficiency, dir =>
            {
                AtomicFile.WriteAllText(Path.Combine(dir, "efficiency.md"), markdown);
                AtomicFile.WriteAllText(Path.Combine(dir, "efficiency.json"), Json(result, folder.Root, parse.GetValue(isolate)));
            }, cancellationToken, [folder.Root]);
            stdout.WriteLine($"Report: {Path.Combine(outputFolder, "efficiency.md")} (also efficiency.json); wall time {clock.Elapsed.TotalSeconds:0.0} s");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static readonly JsonSerializerOptions RowJson = new() { Converters = { new FiniteOrNullJsonConverter() } };

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// Runs one model in a fresh child process, <c>dotnet leanmodels.dll efficiency … --only &lt;model&gt; --row-out &lt;file&gt;</c>
    /// (the host is <c>DOTNET_HOST_PATH</c>, this process when it is <c>dotnet</c>, else <c>dotnet</c> on the PATH), forwards its
    /// stderr, and reads its row back.
    /// </summary>
    /// <exception cref="InvalidOptionException">The child exited 2 (its message was forwarded).</exception>
    /// <exception cref="InvalidDataException">The child exited 3.</exception>
    /// <exception cref="InvalidOperationException">The child could not start, exited with another non-zero code, or wrote no row.</exception>
    private static EfficiencyRow RunChild(string[] args, TextWriter stderr, CancellationToken cancellationToken)
    {
        var rowFile = Path.Combine(Path.GetTempPath(), $"leanmodels-efficiency-{Environment.ProcessId}-{Guid.NewGuid():N}.json");
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h
            : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var info = new System.Diagnostics.ProcessStartInfo(host) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(typeof(EfficiencyCommand).Assembly.Location);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.ArgumentList.Add("--row-out");
        info.ArgumentList.Add(rowFile);
        try
        {
            using var process = System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException($"efficiency: could not start {host}.");
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.WriteLine(e.Data); };
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.WriteLine(e.Data); };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            using (cancellationToken.Register(() => { try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } }))
                process.WaitForExit();
            cancellationToken.ThrowIfCancellationRequested();
            switch (process.ExitCode)
            {
                case ExitCodes.Success: break;
                case ExitCodes.Usage: throw new InvalidOptionException($"the child process for {args[^1]} refused its options (above).");
                case ExitCodes.BadData: throw new InvalidDataException($"the child process for {args[^1]} found bad data (above).");
                default: throw new InvalidOperationException($"efficiency: the child process for {args[^1]} exited {process.ExitCode} (its messages are above).");
            }
            return JsonSerializer.Deserialize<EfficiencyRow>(File.ReadAllText(rowFile), RowJson)
                ?? throw new InvalidOperationException($"efficiency: the child process for {args[^1]} wrote an empty row.");
        }
        finally
        {
            try { File.Delete(rowFile); } catch (IOException) { }
        }
    }

    /// <summary>The study's tickers: the first N of the folder (alphabetical) or an explicit list.</summary>
    private static List<string> Universe(string text, LeanDataFolder folder)
    {
        text = text.Trim();
        List<string> universe;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            if (n < 2) throw new UsageException($"--tickers {n}: the study needs at least 2 assets.");
            var all = folder.EquityTickers(BarResolution.Daily);
            if (all.Count == 0) throw new InvalidDataException($"{folder.Root}: no daily US-equity data (equity/usa/daily/*.zip).");
            if (all.Count < n) throw new UsageException($"--tickers {n}: {folder.Root} holds only {all.Count} daily equity tickers.");
            universe = all.Take(n).ToList();
        }
        else
        {
            universe = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            var repeated = universe.GroupBy(t => t, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
            if (repeated is not null) throw new UsageException($"--tickers: '{repeated.Key}' is listed {repeated.Count()} times.");
            if (universe.Count < 2) throw new UsageException($"--tickers: the study needs at least 2 assets; got {universe.Count}.");
        }
        return universe;
    }

    private static readonly string[] Headers =
        ["Model", "Parameters", "FLOPs/sample", "s/epoch (median)", "one-off s/fold", "samples/s", "Epochs", "Peak managed MiB", "Peak working set MiB", "IC", "Rank IC", "Wall s"];

    private static string[] Cells(EfficiencyRow r) =>
    [
        r.Model, r.Parameters.ToString("N0", CultureInfo.InvariantCulture), Flops(r.FlopsPerSample), F(r.SecondsPerEpoch, "0.000"),
        F(r.PretrainSecondsPerFold, "0.000"), F(r.SamplesPerSecond, "0.0"), r.Epochs.ToString(CultureInfo.InvariantCulture), F(Mib(r.PeakManagedBytes), "0.0"),
        F(Mib(r.PeakWorkingSetBytes), "0.0"), F(r.IC, "0.0000"), F(r.RankIC, "0.0000"), F(r.WallSeconds, "0.0"),
    ];

    private static string[] RatioCells(EfficiencyRow a, EfficiencyRow b) =>
    [
        a.Model + " / " + b.Model, F((double)a.Parameters / b.Parameters, "0.000"), F((double)a.FlopsPerSample / b.FlopsPerSample, "0.000"),
        F(a.SecondsPerEpoch / b.SecondsPerEpoch, "0.000"), "", F(a.SamplesPerSecond / b.SamplesPerSecond, "0.000"), "",
        F((double)a.PeakManagedBytes / b.PeakManagedBytes, "0.000"), F((double)a.PeakWorkingSetBytes / b.PeakWorkingSetBytes, "0.000"),
        F(a.IC / b.IC, "0.00"), F(a.RankIC / b.RankIC, "0.00"), F(a.WallSeconds / b.WallSeconds, "0.000"),
    ];

    /// <summary>The Markdown table (also printed to stdout).</summary>
    internal static string Table(EfficiencyResult result)
    {
        var sb = new StringBuilder();
        sb.Append("| ").Append(string.Join(" | ", Headers)).Append(" |\n");
        sb.Append('|').Append(string.Join('|', Headers.Select(_ => "---"))).Append("|\n");
        foreach (var r in result.Rows) sb.Append("| ").Append(string.Join(" | ", Cells(r))).Append(" |\n");
        foreach (var r in result.Rows.Take(result.Rows.Count - 1))
            sb.Append("| ").Append(string.Join(" | ", RatioCells(r, result.Rows[^1]))).Append(" |\n");
        return sb.ToString();
    }

    private static string Markdown(EfficiencyResult result, string dataFolder, bool isolated)
    {
        var o = result.Options;
        var r = result.Research;
        var sb = new StringBuilder();
        sb.Append($"# Efficiency study: two-stage (end to end and stage 1 frozen) vs direct ({o.Family})\n\n");
        sb.Append($"Data {dataFolder}: {result.Tickers.Count} assets ({string.Join(", ", result.Tickers.Take(12))}{(result.Tickers.Count > 12 ? ", …" : "")}), ");
        sb.Append($"out of sample {o.Start:yyyy-MM-dd}..{o.End:yyyy-MM-dd}, feature set {o.FeatureSet} ({FeatureSetCatalog.Get(o.FeatureSet).Specification.Count} features a day), lookback {o.Lookback}, horizon {o.Horizon}.\n\n");
        sb.Append($"All models, same settings: the research walk-forward (rolling {r.TrainWindow}-day training window, refit every {r.RetrainEvery} days, {r.ValidationDays} validation days), ");
        sb.Append($"{o.Epochs} epoch(s) per fold, batch {o.BatchDates} dates, every asset in every step (the two-stage model samples K = N), AdamW lr {o.LearningRate.ToString(CultureInfo.InvariantCulture)}, ");
        sb.Append($"hidden H = {o.Hidden} (two-stage D1 = {o.StageOneWidth}, E = {o.Embedding}), label normalisation {o.LabelNormalisation}, {o.Threads} training thread(s), seeds {string.Join(",", r.SeedList)}.\n\n");
        sb.Append(Table(result));
        sb.Append("\nHow it was measured. Parameters and FLOPs per training sample (forward, 2 per multiply-add, one date's window of all N assets; the frozen two-stage model counts stage 1 once per date, as its cache spends it) from `TwoStageFlops`. ");
        sb.Append("s/epoch: median over every epoch of every fold of the wall time of the epoch's training steps, validation excluded. ");
        sb.Append("one-off s/fold: the frozen two-stage model's stage-1 pretraining and per-date embedding cache before its first epoch (median over fits). ");
        sb.Append("samples/s: median over folds of training dates per second. ");
        sb.Append(isolated
            ? "Memory: each model ran in a fresh child process (`--isolate`, the default: its own runtime, data load and JIT); "
            : "Memory: both models ran one after the other in this process (`--isolate false`: the second inherits what the first left resident); ");
        sb.Append($"before each run, a full blocking compacting GC; during it a thread samples every {EfficiencyStudy.SampleMilliseconds} ms the managed heap (`GC.GetTotalMemory(false)`) and the process working set (`Environment.WorkingSet`, managed and native, including the runtime and the shared data panel). ");
        sb.Append("The peaks are the largest samples (a shorter spike can be missed). Baselines before each run: ");
        sb.Append(string.Join("; ", result.Rows.Select(x => $"{x.Model} managed {Mib(x.BaselineManagedBytes):0.0} MiB, working set {Mib(x.BaselineWorkingSetBytes):0.0} MiB")));
        sb.Append(". IC and Rank IC: out-of-sample means over the test dates, averaged over seeds; per seed: ");
        sb.Append(string.Join("; ", result.Rows.Select(x => $"{x.Model} IC {string.Join(", ", x.ICPerSeed.Select(v => F(v, "0.0000")))}, Rank IC {string.Join(", ", x.RankICPerSeed.Select(v => F(v, "0.0000")))}")));
        sb.Append(". Wall time on a shared machine: indicative.\n");
        return sb.ToString();
    }

    private static string Json(EfficiencyResult result, string dataFolder, bool isolated)
    {
        var o = result.Options;
        object Row(EfficiencyRow r) => new Dictionary<string, object>
        {
            ["model"] = r.Model,
            ["parameters"] = r.Parameters,
            ["flopsPerSample"] = r.FlopsPerSample,
            ["secondsPerEpochMedian"] = r.SecondsPerEpoch,
            ["pretrainSecondsPerFold"] = r.PretrainSecondsPerFold,
            ["samplesPerSecond"] = r.SamplesPerSecond,
            ["epochs"] = r.Epochs,
            ["folds"] = r.Folds,
            ["peakManagedBytes"] = r.PeakManagedBytes,
            ["peakWorkingSetBytes"] = r.PeakWorkingSetBytes,
            ["baselineManagedBytes"] = r.BaselineManagedBytes,
            ["baselineWorkingSetBytes"] = r.BaselineWorkingSetBytes,
            ["IC"] = r.IC,
            ["Rank IC"] = r.RankIC,
            ["ICPerSeed"] = r.ICPerSeed,
            ["RankICPerSeed"] = r.RankICPerSeed,
            ["wallSeconds"] = r.WallSeconds,
            ["evaluatedDates"] = r.EvaluatedDates,
        };
        var b = result.Rows[^1];
        Dictionary<string, double> Ratios(EfficiencyRow a) => new()
        {
            ["parameters"] = (double)a.Parameters / b.Parameters,
            ["flopsPerSample"] = (double)a.FlopsPerSample / b.FlopsPerSample,
            ["secondsPerEpochMedian"] = a.SecondsPerEpoch / b.SecondsPerEpoch,
            ["samplesPerSecond"] = a.SamplesPerSecond / b.SamplesPerSecond,
            ["peakManagedBytes"] = (double)a.PeakManagedBytes / b.PeakManagedBytes,
            ["peakWorkingSetBytes"] = (double)a.PeakWorkingSetBytes / b.PeakWorkingSetBytes,
            ["IC"] = a.IC / b.IC,
            ["Rank IC"] = a.RankIC / b.RankIC,
        };
        var document = new Dictionary<string, object>
        {
            ["format"] = "leanmodels-efficiency/2",
            ["data"] = dataFolder,
            ["tickers"] = result.Tickers,
            ["family"] = o.Family.ToString().ToLowerInvariant(),
            ["featureSet"] = o.FeatureSet,
            ["features"] = FeatureSetCatalog.Get(o.FeatureSet).Specification.Count,
            ["lookback"] = o.Lookback,
            ["horizon"] = o.Horizon,
            ["epochs"] = o.Epochs,
            ["batchDates"] = o.BatchDates,
            ["seeds"] = result.Research.SeedList,
            ["start"] = o.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["end"] = o.End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["trainWindow"] = o.TrainWindow,
            ["retrainEvery"] = o.RetrainEvery,
            ["validationDays"] = o.ValidationDays,
            ["memorySampleMilliseconds"] = EfficiencyStudy.SampleMilliseconds,
            ["isolated"] = isolated,
            ["models"] = result.Rows.Select(Row).ToList(),
            ["ratios"] = Ratios(result.Rows[0]),
            ["ratiosToDirect"] = result.Rows.Take(result.Rows.Count - 1).ToDictionary(r => r.Model, Ratios),
        };
        return JsonSerializer.Serialize(document, new JsonSerializerOptions
        {
            WriteIndented = true,
            Converters = { new FiniteOrNullJsonConverter() },              // an undefined metric is null, never "NaN"
        });
    }

    private static double Mib(long bytes) => bytes / (1024.0 * 1024.0);

    private static string F(double v, string format) => double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    private static string Flops(long v) => v >= 1_000_000_000 ? (v / 1e9).ToString("0.00", CultureInfo.InvariantCulture) + " G"
        : v >= 1_000_000 ? (v / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " M"
        : v.ToString("N0", CultureInfo.InvariantCulture);

    private static DateOnly ParseDate(string text, string option) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new UsageException($"{option}: '{text}' is not a date in yyyy-MM-dd form.");

    private static List<ulong> ParseSeeds(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0) throw new UsageException("--seeds: give at least one seed, e.g. 1,2,3.");
        if (parts.Length > 100) throw new UsageException($"--seeds: {parts.Length} seeds; at most 100.");
        return parts.Select(p => ulong.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v : throw new UsageException($"--seeds: '{p}' is not a non-negative integer.")).ToList();
    }

    /// <summary>Writes each progress line to stderr on the calling thread.</summary>
    private sealed class Progress(TextWriter stderr) : IProgress<string>
    {
        public void Report(string value) => stderr.WriteLine(value);
    }
}
