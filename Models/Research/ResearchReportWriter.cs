using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using LeanModels.Models.IO;
using LeanModels.Models.Research.Metrics;

namespace LeanModels.Models.Research;

/// <summary>
/// Writes a research run folder (Qlib's recorder: config, metrics, predictions): <c>report.md</c>, <c>report.json</c>,
/// <c>predictions.csv</c> and the pictures the caller draws (the CLI passes <c>ResearchCharts.WriteResearchCharts</c> from
/// LeanModels.Reporting, which this library does not reference), all or nothing, replacing only a previous run's folder
/// (<see cref="AtomicFolder"/>, marker <see cref="OutputMarker.Research"/>).
/// </summary>
public static class ResearchReportWriter
{
    /// <summary>Writes the run folder.</summary>
    /// <param name="outputFolder">Destination; replaced if it is a previous research run folder.</param>
    /// <param name="result">Metrics.</param>
    /// <param name="data">Forecasts and labels for predictions.csv.</param>
    /// <param name="dataFolder">The LEAN data folder read, recorded in the manifest.</param>
    /// <param name="elapsed">Wall time of the run, recorded in the manifest.</param>
    /// <param name="saveArtifacts">Also write each model of the last fold to <c>artifacts/&lt;model&gt;.lmfa</c> (<see cref="Forecasting.ForecasterArtifact"/>).</param>
    /// <param name="writeFigures">Draws pictures into the (temporary) folder it is given and returns them, in order, for
    /// report.md to embed; null for none.</param>
    /// <param name="cancellationToken">Cancels the write; the temporary folder is removed and the destination left as it was.</param>
    /// <exception cref="OutputRefusedException">The destination is not empty and not a previous research run folder (no
    /// <c>leanmodels-research.json</c>), or it overlaps <paramref name="dataFolder"/> (<see cref="AtomicFolder.CheckDestination"/>).</exception>
    /// <exception cref="IOException">The folder could not be written; nothing is left behind.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static void Write(string outputFolder, ResearchResult result, ResearchData data, string dataFolder, TimeSpan elapsed, bool saveArtifacts = false,
        Func<string, IReadOnlyList<ReportFigure>>? writeFigures = null, CancellationToken cancellationToken = default)
    {
        var commit = GitInfo.TryReadCommit(AppContext.BaseDirectory) ?? GitInfo.TryReadCommit(Directory.GetCurrentDirectory());
        AtomicFolder.Write(outputFolder, OutputMarker.Research, dir =>
        {
            var figures = writeFigures?.Invoke(dir) ?? [];
            File.WriteAllText(Path.Combine(dir, "report.md"), Markdown(result, dataFolder, commit, elapsed, figures, data.TrainingReports, data.ModelSeconds));
            WritePredictions(Path.Combine(dir, "predictions.csv"), result, data);
            if (saveArtifacts)
            {
                var last = data.Folds[^1];
                var lastLabelled = last.ValidationDates.Count > 0 ? last.ValidationDates[^1] : last.TrainDates[^1];
                var training = new Forecasting.ArtifactTraining(data.Panel.Dates[last.TrainDates[0]], data.Panel.Dates[last.TrainDates[^1]],
                    data.Panel.Dates[lastLabelled + 1 + result.Options.Horizon], last.TrainDates.Count, data.Panel.Tickers);
                foreach (var model in result.Options.Models)
                    Forecasting.ForecasterArtifact.Save(Path.Combine(dir, "artifacts", model + ".lmfa"), data.LastModels[model], training);
            }
            File.WriteAllText(Path.Combine(dir, "report.json"), Json(result, dataFolder, commit, elapsed));
        }, cancellationToken, [dataFolder]);
    }

    /// <summary>The Markdown report: settings, the metric table, conventions, then the pictures.</summary>
    /// <param name="result">Metrics.</param>
    /// <param name="dataFolder">Data folder read.</param>
    /// <param name="commit">Git commit, or null.</param>
    /// <param name="elapsed">Wall time.</param>
    /// <param name="figures">Pictures in the run folder to embed as <c>![caption](file)</c>, in order; null or empty for none.</param>
    /// <returns>Markdown text.</returns>
    /// <param name="training">Deep models' per-fold training records (<see cref="ResearchData.TrainingReports"/>); null or empty
    /// for none.</param>
    /// <param name="modelSeconds">Per model, the wall time of its walk-forward over all seeds (<see cref="ResearchData.ModelSeconds"/>); null
    /// or empty to leave it out.</param>
    public static string Markdown(ResearchResult result, string dataFolder, string? commit, TimeSpan elapsed, IReadOnlyList<ReportFigure>? figures = null,
        IReadOnlyDictionary<string, IReadOnlyList<Stockformer.StockformerFitReport>>? training = null, IReadOnlyDictionary<string, double>? modelSeconds = null)
    {
        var o = result.Options;
        var sb = new StringBuilder();
        sb.Append("# Walk-forward research report\n\n");
        sb.Append($"- Data: `{dataFolder}`, {result.Tickers.Count} assets: {string.Join(", ", result.Tickers.Take(30))}{(result.Tickers.Count > 30 ? ", …" : "")}\n");
        sb.Append($"- Out of sample: {result.EvaluatedFrom:yyyy-MM-dd} .. {result.EvaluatedTo:yyyy-MM-dd} ({result.EvaluatedDates} decision dates, {result.Folds} folds)\n");
        sb.Append($"- Label: log return over {o.Horizon} days from the next open (decide after close t, trade at open t+1)\n");
        sb.Append($"- Walk-forward: {(o.Expanding ? "expanding" : $"rolling {o.TrainWindow}-day")} training window, refit every {o.RetrainEvery} days, purge {o.Horizon + 1} days, embargo {o.Embargo} days"
            + (o.ValidationDays > 0 ? $", validation the last {o.ValidationDays} days of each window (purged {o.Horizon + 1} days from training)" : "")
            + $"; feature set {o.FeatureSet}; training label {o.LabelNormalisation}{(o.WarmStart ? "; warm start" : "")}\n");
        sb.Append($"- Books: TopK-Dropout top {result.TopK}, drop {result.NDrop} per day (long only); long-short {o.Quantile:P0} quantiles (+0.5/−0.5); daily rebalance at the next open; cost {o.CostBps.ToString(CultureInfo.InvariantCulture)} bps per side\n");
        sb.Append($"- Commit: {commit ?? "unknown"}; wall time {elapsed.TotalSeconds:0.0} s\n");
        if (modelSeconds is { Count: > 0 })
            sb.Append("- Walk-forward wall time per model (all seeds, fits and test-day predictions): "
                + string.Join(", ", modelSeconds.Select(m => $"{m.Key} {m.Value.ToString("0.0", CultureInfo.InvariantCulture)} s")) + "\n");
        sb.Append('\n');
        sb.Append(ResearchTable.Markdown(result));
        if (o.SeedList.Count > 1)
        {
            sb.Append($"\nThe table above is seed {o.SeedList[0]}. Over the seeds {string.Join(", ", o.SeedList)}, mean ± sample std (n − 1); a model whose fit ignores the seed shows ± 0:\n\n");
            sb.Append(ResearchTable.SeedMarkdown(result));
        }
        sb.Append("\nIC/Rank IC: mean of the daily cross-sectional Pearson/Spearman correlation between forecast and label; ICIR = mean/std of the daily series (not annualised); IC>0 = share of days with positive IC; t (NW) = Newey–West t-statistic of the mean daily IC with lags = horizon. Returns are compounded and annualised (252 days) after costs; max DD is the largest peak-to-trough loss; turnover is Σ|Δw| per day (both sides).\n");
        var allocation = result.Models.Where(m => m.Allocation is not null).ToList();
        if (allocation.Count > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\n## Allocation books\n\nThe model's own weights (allocation head), each date scaled to gross exposure Σ|w| = {ResearchEvaluation.AllocationGross}, daily rebalance at the next open, cost {o.CostBps.ToString(CultureInfo.InvariantCulture)} bps per side, drift and turnover as the other books; its TopK and long-short rows above rank the same weights.\n\n");
            sb.Append("| Model | Ann. ret | Sharpe | Max DD | Turnover |\n|---|---:|---:|---:|---:|\n");
            foreach (var m in allocation)
            {
                var b = m.Allocation!;
                sb.Append(CultureInfo.InvariantCulture, $"| {m.Model} allocation | {b.AnnualisedReturn:P1} | {b.Sharpe:0.00} | {b.MaxDrawdown:P1} | {b.MeanTurnover:P1} |\n");
            }
            var seeded = allocation.Where(m => m.PerSeed.Count > 1 && m.PerSeed.All(s => s.Allocation is not null)).ToList();
            if (seeded.Count > 0)
            {
                sb.Append($"\nThe table above is seed {o.SeedList[0]}. Over the seeds {string.Join(", ", o.SeedList)}, mean ± sample std (n − 1):\n\n");
                sb.Append("| Model | Seeds | Ann. ret | Sharpe | Max DD | Turnover |\n|---|---:|---:|---:|---:|---:|\n");
                foreach (var m in seeded)
                {
                    string Pm(Func<Metrics.PortfolioReport, double> get, string format)
                    {
                        var (mean, std) = ResearchTable.MeanStd(m.PerSeed.Select(s => get(s.Allocation!)).ToArray());
                        return mean.ToString(format, CultureInfo.InvariantCulture) + " ± " + std.ToString(format, CultureInfo.InvariantCulture);
                    }
                    sb.Append(CultureInfo.InvariantCulture, $"| {m.Model} allocation | {m.PerSeed.Count} | {Pm(b => b.AnnualisedReturn, "P1")} | {Pm(b => b.Sharpe, "0.00")} | {Pm(b => b.MaxDrawdown, "P1")} | {Pm(b => b.MeanTurnover, "P1")} |\n");
                }
            }
        }
        if (training is { Count: > 0 }) sb.Append(TrainingMarkdown(training));
        if (figures is { Count: > 0 })
        {
            sb.Append("\n## Pictures\n\nDates are decision dates (the position decided after the close of d is held from the open of d+1 to the open of d+2); books are net of costs; solid = TopK-Dropout, dashed = long-short, black = equal-weight benchmark.\n");
            foreach (var f in figures) sb.Append($"\n![{f.Caption}]({f.FileName})\n");
        }
        return sb.ToString();
    }

    /// <summary>The deep models' training section: per model the parameter count, folds, epochs trained per fold (mean, min–max),
    /// wall time per epoch, training samples per second, the process's peak working set (whole run, all models), and the
    /// validation Rank IC curve of the last fold.</summary>
    private static string TrainingMarkdown(IReadOnlyDictionary<string, IReadOnlyList<Stockformer.StockformerFitReport>> training)
    {
        var sb = new StringBuilder();
        var peak = System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
        sb.Append($"\n## Deep-model training\n\nPer fold, first seed. Time per epoch = training steps plus the validation pass, wall clock on this machine (shared, so indicative). Peak memory = the process's peak working set over the whole run: {peak:0} MiB.\n\n");
        sb.Append("| Model | Parameters | Folds | Epochs trained (mean, min–max) | Best epoch (mean) | Validation Rank IC at the best epoch (mean over folds) | s / epoch | samples / s | Validation Rank IC, last fold (per epoch) |\n");
        sb.Append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        foreach (var (model, reports) in training)
        {
            if (reports.Count == 0) continue;
            var last = reports[^1];
            var curve = last.ValidationCurve.Count > 0 ? string.Join(" → ", last.ValidationCurve.Select(v => v.ToString("0.0000", CultureInfo.InvariantCulture))) : "no validation days";
            sb.Append(CultureInfo.InvariantCulture, $"| {model} | {last.Parameters:N0} | {reports.Count} | {reports.Average(r => r.EpochsTrained):0.0} ({reports.Min(r => r.EpochsTrained)}–{reports.Max(r => r.EpochsTrained)}) | "
                + $"{reports.Average(r => r.BestEpoch):0.0} | {BestValidation(reports)} | {reports.Average(r => r.SecondsPerEpoch):0.00} | {reports.Average(r => r.SamplesPerSecond):0.0} | {curve} |\n");
        }
        return sb.ToString();
    }

    // Mean over folds of the validation Rank IC at the kept (best) epoch; "n/a" without validation days.
    private static string BestValidation(IReadOnlyList<Stockformer.StockformerFitReport> reports)
    {
        var best = reports.Where(r => r.ValidationCurve.Count > r.BestEpoch).Select(r => r.ValidationCurve[r.BestEpoch]).ToList();
        return best.Count == 0 ? "n/a" : best.Average().ToString("0.0000", CultureInfo.InvariantCulture);
    }

    private static void WritePredictions(string path, ResearchResult result, ResearchData data)
    {
        int A = data.Panel.AssetCount;
        var models = result.Options.Models;
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 16);
        writer.Write("date,ticker,label");
        foreach (var m in models) writer.Write("," + m);
        writer.Write('\n');
        for (var d = data.EvaluationStart; d < data.EvaluationEnd; d++)
            for (var a = 0; a < A; a++)
            {
                var k = d * A + a;
                if (!models.Any(m => double.IsFinite(data.Forecasts[m][k]))) continue;
                writer.Write(data.Panel.Dates[d].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                writer.Write(',');
                writer.Write(data.Panel.Tickers[a]);
                writer.Write(',');
                writer.Write(R(data.Labels[k]));
                foreach (var m in models) { writer.Write(','); writer.Write(R(data.Forecasts[m][k])); }
                writer.Write('\n');
            }
    }

    /// <summary>Round-trip text of a double (bit-exact when parsed back); empty for NaN.</summary>
    private static string R(double x) => double.IsNaN(x) ? "" : x.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Per metric the mean and sample std over the seeds, and the per-seed values.</summary>
    private static Dictionary<string, object> SeedSummary(ModelResult m, IReadOnlyList<ulong> seeds)
    {
        var r = m.PerSeed.Count > 0 ? m.PerSeed : [m];
        var metrics = new (string Name, Func<ModelResult, double> Get)[]
        {
            ("IC", x => x.Signal.IC), ("Rank IC", x => x.Signal.RankIC), ("ICIR", x => x.Signal.Icir), ("Rank ICIR", x => x.Signal.RankIcir),
            ("IC t-stat (Newey-West)", x => x.Signal.ICTStat), ("Rank IC t-stat (Newey-West)", x => x.Signal.RankICTStat),
            ("topK annualisedReturn", x => x.TopK.AnnualisedReturn), ("topK sharpe", x => x.TopK.Sharpe),
            ("topK maxDrawdown", x => x.TopK.MaxDrawdown), ("topK meanTurnover", x => x.TopK.MeanTurnover),
        };
        var summary = new Dictionary<string, object> { ["seeds"] = seeds.Take(r.Count).ToList() };
        foreach (var (name, get) in metrics)
        {
            var values = r.Select(get).ToArray();
            var (mean, std) = ResearchTable.MeanStd(values);
            summary[name] = new { mean, std, values };
        }
        return summary;
    }

    internal static string Json(ResearchResult result, string dataFolder, string? commit, TimeSpan elapsed)
    {
        var o = result.Options;
        object Portfolio(PortfolioReport p) => new
        {
            name = p.Name,
            annualisedReturn = p.AnnualisedReturn,
            annualisedVolatility = p.AnnualisedVolatility,
            sharpe = p.Sharpe,
            maxDrawdown = p.MaxDrawdown,
            meanTurnover = p.MeanTurnover,
        };
        var document = new
        {
            format = "leanmodels-research/1",
            commit,
            wallTimeSeconds = Math.Round(elapsed.TotalSeconds, 3),
            dataFolder,
            tickers = result.Tickers,
            options = new
            {
                start = o.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                end = o.End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                models = o.Models,
                horizon = o.Horizon,
                trainWindow = o.TrainWindow,
                retrainEvery = o.RetrainEvery,
                expanding = o.Expanding,
                embargo = o.Embargo,
                costBpsPerSide = o.CostBps,
                topK = result.TopK,
                nDrop = result.NDrop,
                quantile = o.Quantile,
                ridgeLambda = o.RidgeLambda,
                featureSet = o.FeatureSet,
                validationDays = o.ValidationDays,
                labelNormalisation = o.LabelNormalisation.ToString(),
                seeds = o.SeedList,
                warmStart = o.WarmStart,
                tradingDaysPerYear = ResearchOptions.TradingDaysPerYear,
            },
            evaluatedFrom = result.EvaluatedFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            evaluatedTo = result.EvaluatedTo.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            evaluatedDates = result.EvaluatedDates,
            folds = result.Folds,
            models = result.Models.Select(m => new Dictionary<string, object>
            {
                ["model"] = m.Model,
                ["IC"] = m.Signal.IC,
                ["ICIR"] = m.Signal.Icir,
                ["Rank IC"] = m.Signal.RankIC,
                ["Rank ICIR"] = m.Signal.RankIcir,
                ["IC positive share"] = m.Signal.ICPositiveShare,
                ["Rank IC positive share"] = m.Signal.RankICPositiveShare,
                ["IC t-stat (Newey-West)"] = m.Signal.ICTStat,
                ["Rank IC t-stat (Newey-West)"] = m.Signal.RankICTStat,
                ["IC dates"] = m.Signal.Dates,
                ["topK"] = Portfolio(m.TopK),
                ["longShort"] = Portfolio(m.LongShort),
                ["seeds"] = SeedSummary(m, o.SeedList),
            }).ToList(),
            benchmark = Portfolio(result.Benchmark),
        };
        return JsonSerializer.Serialize(document, new JsonSerializerOptions
        {
            WriteIndented = true,
            Converters = { new FiniteOrNullJsonConverter() },              // an undefined metric is null, never "NaN"
        });
    }
}
