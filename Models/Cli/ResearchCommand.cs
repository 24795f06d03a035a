using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using LeanModels.Models.Data;
using LeanModels.Models.IO;
using LeanModels.Models.Reporting;
using LeanModels.Models.Research;
using LeanModels.Models.Stockformer;
using Spectre.Console;
using Panel = LeanModels.Models.Research.Panel;

namespace LeanModels.Models.Cli;

/// <summary>
/// <c>leanmodels research --data &lt;LEAN data folder&gt; [options]</c>: walk-forward evaluation of one or more forecasters on
/// daily US-equity data; prints the metric table and writes <c>report.md</c>, <c>report.json</c>, <c>predictions.csv</c> and
/// the charts (<see cref="ResearchCharts.WriteResearchCharts"/>) that report.md embeds.
/// </summary>
internal static class ResearchCommand
{
    /// <summary>Builds the command.</summary>
    /// <param name="stdout">The metric table and the output path.</param>
    /// <param name="stderr">Progress and errors.</param>
    /// <param name="cancellationToken">Cancels the run between folds and before the output is renamed into place.</param>
    /// <returns>The <c>research</c> command.</returns>
    public static Command Create(TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var data = new Option<string>("--data") { Description = "LEAN data folder (holding equity/usa/daily), e.g. ../shared/data/lean or a folder written by `import`.", Required = true };
        var tickers = new Option<string?>("--tickers") { Description = "Comma-separated tickers; default: every daily equity ticker in the folder." };
        var start = new Option<string>("--start") { Description = "First out-of-sample decision date, yyyy-MM-dd (earlier data warms up features and trains).", DefaultValueFactory = _ => "2005-01-01" };
        var end = new Option<string?>("--end") { Description = "Last date read and evaluated, yyyy-MM-dd; default: all data." };
        var horizon = new Option<int>("--horizon") { Description = "Label horizon H in trading days: log return from the next open over H days.", DefaultValueFactory = _ => 5 };
        var trainWindow = new Option<int>("--train-window") { Description = "Rolling training window in trading days.", DefaultValueFactory = _ => 504 };
        var expanding = new Option<bool>("--expanding") { Description = "Use an expanding training window instead of a rolling one." };
        var retrain = new Option<int>("--retrain-every") { Description = "Refit every k trading days (test-block length).", DefaultValueFactory = _ => 21 };
        var embargo = new Option<int>("--embargo") { Description = "Trading days after each test block kept out of later training.", DefaultValueFactory = _ => 0 };
        var cost = new Option<double>("--cost-bps") { Description = "Trading cost in basis points per side.", DefaultValueFactory = _ => 5.0 };
        var topK = new Option<int>("--top-k") { Description = "TopK-Dropout book size; 0 = a third of the assets, at most 50.", DefaultValueFactory = _ => 0 };
        var nDrop = new Option<int>("--n-drop") { Description = "TopK-Dropout names swapped per day; -1 = TopK/10 (at least 1).", DefaultValueFactory = _ => -1 };
        var quantile = new Option<double>("--quantile") { Description = "Share of assets in each leg of the long-short book, (0, 0.5].", DefaultValueFactory = _ => 0.2 };
        var models = new Option<string>("--models") { Description = $"Comma-separated models: {string.Join(", ", ResearchPipeline.KnownModels)} (lightgbm, the stockformers, the two-stage and the direct models are opt-in). Default: {string.Join(",", ResearchPipeline.DefaultModels)}.", DefaultValueFactory = _ => string.Join(",", ResearchPipeline.DefaultModels) };
        var lgbRounds = new Option<int>("--lgb-rounds") { Description = "LightGBM boosting rounds (fixed; Qlib stops early on a validation set).", DefaultValueFactory = _ => 100 };
        var lgbLeaves = new Option<int>("--lgb-leaves") { Description = "LightGBM leaves per tree (Qlib 210).", DefaultValueFactory = _ => 210 };
        var lgbRate = new Option<double>("--lgb-learning-rate") { Description = "LightGBM learning rate (Qlib 0.2).", DefaultValueFactory = _ => 0.2 };
        var lgbMinLeaf = new Option<int>("--lgb-min-data-in-leaf") { Description = "LightGBM minimum rows per leaf.", DefaultValueFactory = _ => 20 };
        var lgbFraction = new Option<double>("--lgb-feature-fraction") { Description = "LightGBM share of features per tree (Qlib 0.8879); < 1 makes --seeds matter.", DefaultValueFactory = _ => 0.8879 };
        var lgbL1 = new Option<double>("--lgb-l1") { Description = "LightGBM L1 penalty on leaf values (Qlib 205.6999; with few assets it can zero every leaf: a constant forecast, IC n/a).", DefaultValueFactory = _ => 205.6999 };
        var lgbL2 = new Option<double>("--lgb-l2") { Description = "LightGBM L2 penalty on leaf values (Qlib 580.9768).", DefaultValueFactory = _ => 580.9768 };
        var lgbThreads = new Option<int>("--lgb-threads") { Description = "LightGBM threads (results are identical at any count).", DefaultValueFactory = _ => 1 };
        var sfDefaults = new StockformerTrainingOptions();
        var sfEpochs = new Option<int>("--sf-epochs") { Description = "Stockformer: maximum epochs per fold (early stopping on validation Rank IC with --validation-days).", DefaultValueFactory = _ => sfDefaults.Epochs };
        var sfModel = new Option<int>("--sf-d-model") { Description = "Stockformer: model width d_model (a multiple of --sf-heads).", DefaultValueFactory = _ => sfDefaults.Model };
        var sfHeads = new Option<int>("--sf-heads") { Description = "Stockformer: attention heads.", DefaultValueFactory = _ => sfDefaults.Heads };
        var sfLayers = new Option<int>("--sf-layers") { Description = "Stockformer: encoder layers.", DefaultValueFactory = _ => sfDefaults.Layers };
        var sfLookback = new Option<int>("--sf-lookback") { Description = "Stockformer: lookback T in bars.", DefaultValueFactory = _ => sfDefaults.Lookback };
        var sfAssets = new Option<int>("--sf-assets-per-sample") { Description = "Stockformer: K random assets per training sample (prediction uses every asset).", DefaultValueFactory = _ => sfDefaults.AssetsPerSample };
        var sfBatch = new Option<int>("--sf-batch") { Description = "Stockformer: dates per training step.", DefaultValueFactory = _ => sfDefaults.BatchDates };
        var sfLr = new Option<double>("--sf-lr") { Description = "Stockformer: AdamW learning rate.", DefaultValueFactory = _ => sfDefaults.LearningRate };
        var tsDefaults = new LeanModels.Models.TwoStage.TwoStageTrainingOptions();
        var tsEpochs = new Option<int>("--ts-epochs") { Description = "Two-stage and direct models: maximum epochs per fold (early stopping on validation Rank IC with --validation-days).", DefaultValueFactory = _ => tsDefaults.Epochs };
        var tsLookback = new Option<int>("--ts-lookback") { Description = "Two-stage and direct models: lookback T in bars.", DefaultValueFactory = _ => tsDefaults.Lookback };
        var tsWidth = new Option<int>("--ts-width") { Description = "Two-stage models: stage-1 token width D1 (a multiple of 2 heads).", DefaultValueFactory = _ => tsDefaults.StageOneWidth };
        var tsHeads = new Option<int>("--ts-heads") { Description = "Two-stage models: stage-1 attention heads (D1 must be a multiple).", DefaultValueFactory = _ => tsDefaults.StageOneHeads };
        var tsLayers = new Option<int>("--ts-layers") { Description = "Two-stage models: stage-1 encoder layers L1.", DefaultValueFactory = _ => tsDefaults.StageOneLayers };
        var tsStageOneEpochs = new Option<int>("--ts-stage1-epochs") { Description = "Frozen two-stage models (twostage-frozen-*): epochs of stage-1 pretraining before it is frozen.", DefaultValueFactory = _ => tsDefaults.StageOneEpochs };
        var tsEmbedding = new Option<int>("--ts-embedding") { Description = "Two-stage models: stage-1 embedding width E.", DefaultValueFactory = _ => tsDefaults.Embedding };
        var tsHidden = new Option<int>("--ts-hidden") { Description = "Two-stage and direct models: stage-2 hidden width H (LSTM/GRU state, TCN channels).", DefaultValueFactory = _ => tsDefaults.Hidden };
        var tsAssets = new Option<int>("--ts-assets-per-sample") { Description = "Two-stage models: K random assets per training sample (prediction uses every asset).", DefaultValueFactory = _ => tsDefaults.AssetsPerSample };
        var tsBatch = new Option<int>("--ts-batch") { Description = "Two-stage and direct models: dates per training step.", DefaultValueFactory = _ => tsDefaults.BatchDates };
        var tsLr = new Option<double>("--ts-lr") { Description = "Two-stage and direct models: AdamW learning rate.", DefaultValueFactory = _ => tsDefaults.LearningRate };
        var tsThreads = new Option<int>("--ts-threads") { Description = "Two-stage and direct models: threads while training (results identical for any count).", DefaultValueFactory = _ => tsDefaults.Threads };
        var sfThreads = new Option<int>("--sf-threads") { Description = "Stockformer: threads while training (results identical for any count).", DefaultValueFactory = _ => sfDefaults.Threads };
        var lambda = new Option<double>("--ridge-lambda") { Description = "Ridge penalty per training row.", DefaultValueFactory = _ => 0.01 };
        var featureSet = new Option<string>("--feature-set") { Description = $"Feature set: {string.Join(", ", FeatureSetCatalog.Names)}.", DefaultValueFactory = _ => FeatureSetCatalog.Default };
        var validationDays = new Option<int>("--validation-days") { Description = "Last days of each training window kept for validation (early stopping of deep models), purged H+1 days from training; 0 = none.", DefaultValueFactory = _ => 0 };
        var labelNorm = new Option<string>("--label-norm") { Description = "Training label normalised per date: none, rank (cross-sectional rank in [-0.5, 0.5]) or zscore; metrics always use the raw label.", DefaultValueFactory = _ => "none" };
        var seeds = new Option<string>("--seeds") { Description = "Comma-separated seeds, e.g. 1,2,3; results as mean ± std over them.", DefaultValueFactory = _ => "1" };
        var warmStart = new Option<bool>("--warm-start") { Description = "Start each fold's fit from the previous fold's model (deep models)." };
        var saveArtifacts = new Option<bool>("--save-artifacts") { Description = "Also save each model of the last fold to <out>/artifacts/<model>.lmfa (for `predict` and the LEAN alpha)." };
        var output = new Option<string>("--out") { Description = "Output folder: created, or replaced atomically if a previous `research` run wrote it (it holds leanmodels-research.json); any other non-empty folder is refused (exit 4).", DefaultValueFactory = _ => Path.Combine("runs", "research") };
        var charts = new Option<string>("--charts") { Description = "Charts embedded in report.md (cumulative return, drawdown, rolling Rank IC): png, svg or none.", DefaultValueFactory = _ => "png" };
        var command = new Command("research",
            "Walk-forward research: features and labels from a LEAN data folder, purged walk-forward folds, out-of-sample IC, Rank IC, "
            + "ICIR, TopK-Dropout and long-short books after costs against an equal-weight benchmark. " + ExitCodes.HelpText);
        foreach (var o in new Option[] { data, tickers, start, end, horizon, trainWindow, expanding, retrain, embargo, cost, topK, nDrop, quantile, models, lambda, featureSet, validationDays, labelNorm, seeds, warmStart, sfEpochs, sfModel, sfHeads, sfLayers, sfLookback, sfAssets, sfBatch, sfLr, sfThreads, tsEpochs, tsLookback, tsWidth, tsHeads, tsLayers, tsStageOneEpochs, tsEmbedding, tsHidden, tsAssets, tsBatch, tsLr, tsThreads, lgbRounds, lgbLeaves, lgbRate, lgbMinLeaf, lgbFraction, lgbL1, lgbL2, lgbThreads, saveArtifacts, output, charts })
            command.Options.Add(o);
        command.SetAction(parse => Commands.Guard(stderr, cancellationToken, () =>
        {
            var clock = Stopwatch.StartNew();
            var options = new ResearchOptions(
                ParseDate(parse.GetValue(start)!, "--start"),
                parse.GetValue(end) is { Length: > 0 } e ? ParseDate(e, "--end") : DateOnly.FromDateTime(DateTime.Today),
                Split(parse.GetValue(models)),
                parse.GetValue(horizon), parse.GetValue(trainWindow), parse.GetValue(retrain), parse.GetValue(expanding), parse.GetValue(embargo),
                parse.GetValue(cost), parse.GetValue(topK), parse.GetValue(nDrop), parse.GetValue(quantile), parse.GetValue(lambda),
                parse.GetValue(featureSet)!, parse.GetValue(validationDays), ParseLabelNorm(parse.GetValue(labelNorm)!),
                ParseSeeds(parse.GetValue(seeds)!), parse.GetValue(warmStart),
                new Forecasting.LightGbm.LightGbmOptions(NumberOfLeaves: parse.GetValue(lgbLeaves), LearningRate: parse.GetValue(lgbRate), Rounds: parse.GetValue(lgbRounds),
                    MinDataInLeaf: parse.GetValue(lgbMinLeaf), FeatureFraction: parse.GetValue(lgbFraction),
                    L1: parse.GetValue(lgbL1), L2: parse.GetValue(lgbL2), Threads: parse.GetValue(lgbThreads)),
                sfDefaults with
                {
                    Epochs = parse.GetValue(sfEpochs), Model = parse.GetValue(sfModel), Heads = parse.GetValue(sfHeads), Layers = parse.GetValue(sfLayers),
                    Lookback = parse.GetValue(sfLookback), AssetsPerSample = parse.GetValue(sfAssets), BatchDates = parse.GetValue(sfBatch),
                    LearningRate = parse.GetValue(sfLr), Threads = parse.GetValue(sfThreads),
                },
                tsDefaults with
                {
                    Epochs = parse.GetValue(tsEpochs), Lookback = parse.GetValue(tsLookback), StageOneWidth = parse.GetValue(tsWidth),
                    Embedding = parse.GetValue(tsEmbedding), Hidden = parse.GetValue(tsHidden), AssetsPerSample = parse.GetValue(tsAssets),
                    BatchDates = parse.GetValue(tsBatch), LearningRate = parse.GetValue(tsLr), Threads = parse.GetValue(tsThreads),
                    StageOneHeads = parse.GetValue(tsHeads), StageOneLayers = parse.GetValue(tsLayers), StageOneEpochs = parse.GetValue(tsStageOneEpochs),
                });
            options.Validate();
            var chartFormat = parse.GetValue(charts)!.Trim().ToLowerInvariant() switch
            {
                "png" => (ChartFormat?)ChartFormat.Png,
                "svg" => ChartFormat.Svg,
                "none" => null,
                var other => throw new UsageException($"--charts must be png, svg or none, got '{other}'."),
            };
            var folder = new LeanDataFolder(Commands.FullPath(parse.GetValue(data), "--data"));
            var requested = Split(parse.GetValue(tickers));
            var repeated = requested.GroupBy(t => t, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
            if (repeated is not null) throw new UsageException($"--tickers: '{repeated.Key}' is listed {repeated.Count()} times.");
            var universe = requested.Count > 0 ? requested : folder.EquityTickers(BarResolution.Daily);
            if (universe.Count == 0) throw new InvalidDataException($"{folder.Root}: no daily US-equity data (equity/usa/daily/*.zip).");
            if (universe.Count < 2)
                throw new UsageException($"cross-sectional metrics need at least 2 assets; got {universe.Count} ({string.Join(", ", universe)}).");
            var outputFolder = AtomicFolder.CheckDestination(Commands.FullPath(parse.GetValue(output), "--out"), OutputMarker.Research, [folder.Root]);   // before any work

            stderr.WriteLine($"research: {universe.Count} tickers from {folder.Root}, {options.Start:yyyy-MM-dd} .. {options.End:yyyy-MM-dd}, models {string.Join(", ", options.Models)}");
            ResearchData run;
            if (ReferenceEquals(stderr, System.Console.Error) && !System.Console.IsErrorRedirected)
            {
                // A terminal: Spectre.Console progress bars.
                ResearchData? inner = null;
                AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stderr) }).Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .Start(context =>
                    {
                        var load = context.AddTask("load bars", maxValue: universe.Count);
                        var panel = Panel.Load(folder, universe, options.End, new InlineProgress<int>(n => load.Value = n));
                        var tasks = options.Models.ToDictionary(m => m, m => context.AddTask($"walk-forward {m}"));
                        inner = ResearchPipeline.Run(panel, options, new InlineProgress<(string Model, int Done, int Total)>(p =>
                        {
                            tasks[p.Model].MaxValue = p.Total;
                            tasks[p.Model].Value = p.Done;
                        }), cancellationToken);
                    });
                run = inner!;
            }
            else
            {
                // A log: one line per stage.
                var panel = Panel.Load(folder, universe, options.End);
                stderr.WriteLine($"loaded {panel.AssetCount} assets × {panel.DateCount} dates in {clock.Elapsed.TotalSeconds:0.0} s");
                run = ResearchPipeline.Run(panel, options, new InlineProgress<(string Model, int Done, int Total)>(p =>
                {
                    if (p.Done == p.Total) stderr.WriteLine($"walk-forward {p.Model}: {p.Total} folds done at {clock.Elapsed.TotalSeconds:0.0} s");
                }), cancellationToken);
            }
            var result = ResearchEvaluation.Evaluate(run, options);
            PrintTable(stdout, result);
            var dates = run.Panel.Dates.Skip(run.EvaluationStart).Take(run.EvaluationEnd - run.EvaluationStart).ToList();
            Func<string, IReadOnlyList<ReportFigure>>? writeCharts = chartFormat is { } f ? dir =>
            {
                var chartClock = Stopwatch.StartNew();
                var extra = result.Models.Select((m, i) => (m, i)).Where(x => x.m.Allocation is not null)
                    .Select(x => new ChartSeries($"{x.m.Model} allocation", x.m.Allocation!.NetReturn, true, x.i)).ToList();
                var figures = ResearchCharts.WriteResearchCharts(dir, result, dates, f, extra).ToList();
                if (run.LastModels.Values.OfType<StockformerForecaster>().FirstOrDefault() is { } sf)
                {
                    // The cross-ticker attention of the last fold's model on the last evaluated date (last encoder layer, last
                    // time step, mean over heads).
                    var last = run.EvaluationEnd - 1;
                    var window = Models.Forecasting.FeatureWindow.FromFeatureSet(run.Features, sf.Features, run.Panel.Tickers, run.Panel.Dates, last, sf.Window);
                    var (_, attention) = sf.PredictWithAttention(window);
                    var day = run.Panel.Dates[last].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                    figures.Add(ResearchCharts.WriteAttentionHeatmap(dir, "attention-" + sf.Name, AbsentAsNaN(attention, window), run.Panel.Tickers,
                        $"{sf.Name}, {day}: cross-ticker attention (last layer, last step, mean over heads)", f));
                }
                foreach (var (model, reports) in run.TrainingReports)
                    if (reports.Any(r => r.ValidationCurve.Count > 0))
                        figures.Add(ResearchCharts.WriteValidationCurves(dir, "validation-" + model, reports.Select(r => r.ValidationCurve).ToList(),
                            $"{model}: validation Rank IC per epoch, each fold (first seed) and their mean", f));
                stderr.WriteLine($"{figures.Count} charts drawn in {chartClock.Elapsed.TotalSeconds:0.0} s");
                return figures;
            } : null;
            ResearchReportWriter.Write(outputFolder, result, run, folder.Root, clock.Elapsed, parse.GetValue(saveArtifacts), writeCharts, cancellationToken);
            stdout.WriteLine($"Report: {Path.Combine(outputFolder, "report.md")} (also report.json, predictions.csv{(chartFormat is null ? "" : ", charts")}); wall time {clock.Elapsed.TotalSeconds:0.0} s");
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>[A·A] attention weights as doubles, with the rows and columns of assets absent on the window's last date set to
    /// NaN (the heatmap's "masked pair"): such an asset gets no prediction and no present asset attends to it.</summary>
    private static double[] AbsentAsNaN(float[] attention, Models.Forecasting.FeatureWindow window)
    {
        int A = window.AssetCount, T = window.LookbackBars;
        var r = new double[A * A];
        for (var i = 0; i < A; i++)
            for (var j = 0; j < A; j++)
                r[i * A + j] = window.IsAvailable(i, T - 1) && window.IsAvailable(j, T - 1) ? attention[i * A + j] : double.NaN;
        return r;
    }

    /// <summary>Prints the metric table (plain ASCII, so it reads the same in a terminal and a CI log).</summary>
    internal static void PrintTable(TextWriter stdout, ResearchResult result)
    {
        var console = Console(stdout);
        console.Profile.Width = 240;
        var table = new Table().Border(TableBorder.Ascii)
            .Title($"Out of sample {result.EvaluatedFrom:yyyy-MM-dd}..{result.EvaluatedTo:yyyy-MM-dd}: {result.Tickers.Count} assets, {result.EvaluatedDates} days, {result.Folds} folds, H={result.Options.Horizon}, cost {result.Options.CostBps.ToString(CultureInfo.InvariantCulture)} bps/side, TopK {result.TopK}/drop {result.NDrop}");
        for (var i = 0; i < ResearchTable.Headers.Count; i++)
            table.AddColumn(i == 0 ? new TableColumn(ResearchTable.Headers[i]) : new TableColumn(ResearchTable.Headers[i]).RightAligned());
        foreach (var row in ResearchTable.Rows(result)) table.AddRow(row.Select(Markup.Escape).ToArray());
        console.Write(table);
    }

    private static IAnsiConsole Console(TextWriter writer) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(writer),
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.No,
    });

    private static DateOnly ParseDate(string text, string option) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new UsageException($"{option}: '{text}' is not a date in yyyy-MM-dd form.");

    private static LabelNormalisation ParseLabelNorm(string text) => text switch
    {
        "none" => LabelNormalisation.None,
        "rank" => LabelNormalisation.CrossSectionalRank,
        "zscore" => LabelNormalisation.CrossSectionalZScore,
        _ => throw new UsageException($"--label-norm: '{text}' is not one of none, rank, zscore."),
    };

    private static List<ulong> ParseSeeds(string text)
    {
        var parts = Split(text);
        if (parts.Count == 0) throw new UsageException("--seeds: give at least one seed, e.g. 1,2,3.");
        if (parts.Count > 100) throw new UsageException($"--seeds: {parts.Count} seeds; at most 100.");
        return parts.Select(p => ulong.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v : throw new UsageException($"--seeds: '{p}' is not a non-negative integer.")).ToList();
    }

    private static List<string> Split(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    /// <summary>Reports on the calling thread (Spectre's progress tasks are thread-safe).</summary>
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
