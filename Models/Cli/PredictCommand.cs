using System.CommandLine;
using System.Globalization;
using LeanModels.Models.Data;
using LeanModels.Models.Forecasting;
using LeanModels.Models.Research;

namespace LeanModels.Models.Cli;

/// <summary>
/// <c>leanmodels predict --artifact &lt;file&gt; --data &lt;LEAN data folder&gt; --date yyyy-MM-dd [--tickers …]</c>: loads a
/// saved model and prints its forecasts for one date as CSV (<c>date,ticker,forecast</c>, round-trip precision), equal bit for
/// bit to what <c>research</c> wrote for that date when the model is the fold that covered it.
/// </summary>
internal static class PredictCommand
{
    /// <summary>Builds the command.</summary>
    /// <param name="stdout">The forecasts as CSV.</param>
    /// <param name="stderr">Errors.</param>
    /// <param name="cancellationToken">Cancels the command before it starts.</param>
    /// <returns>The <c>predict</c> command.</returns>
    public static Command Create(TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var artifact = new Option<string>("--artifact") { Description = "Model artifact (.lmfa), e.g. written by `research --save-artifacts`.", Required = true };
        var data = new Option<string>("--data") { Description = "LEAN data folder holding equity/usa/daily.", Required = true };
        var date = new Option<string>("--date") { Description = "Decision date, yyyy-MM-dd (a trading day in the data).", Required = true };
        var tickers = new Option<string?>("--tickers") { Description = "Comma-separated tickers; default: the tickers the model was trained on." };
        var command = new Command("predict",
            "Print a saved model's forecasts (log return over its horizon from the next open) for one date. " + ExitCodes.HelpText);
        foreach (var o in new Option[] { artifact, data, date, tickers }) command.Options.Add(o);
        command.SetAction(parse => Commands.Guard(stderr, cancellationToken, () =>
        {
            var text = parse.GetValue(date)!;
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                throw new UsageException($"--date: '{text}' is not a date in yyyy-MM-dd form.");
            var loaded = ForecasterArtifact.Load(Commands.FullPath(parse.GetValue(artifact), "--artifact"));
            var folder = new LeanDataFolder(Commands.FullPath(parse.GetValue(data), "--data"));
            var requested = (parse.GetValue(tickers) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var repeated = requested.GroupBy(t => t, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
            if (repeated is not null) throw new UsageException($"--tickers: '{repeated.Key}' is listed {repeated.Count()} times.");
            var universe = requested.Length > 0 ? requested : loaded.Training.Tickers.ToArray();
            if (universe.Length < 2) throw new UsageException($"cross-sectional forecasts need at least 2 assets; got {universe.Length}.");
            var panel = Panel.Load(folder, universe, day);
            if (panel.DateCount == 0 || panel.Dates[^1] != day)
                throw new InvalidDataException($"no bar on {day:yyyy-MM-dd} for any of {string.Join(", ", universe)} in {folder.Root}"
                    + (panel.DateCount > 0 ? $"; the last trading day before it is {panel.Dates[^1]:yyyy-MM-dd}." : "."));
            var forecast = loaded.Model.Predict(panel);
            stdout.Write($"date,ticker,{loaded.Model.Name}\n");
            for (var a = 0; a < forecast.Tickers.Count; a++)
            {
                var x = forecast.Mean[a];
                stdout.Write($"{day:yyyy-MM-dd},{forecast.Tickers[a]},{(double.IsNaN(x) ? "" : x.ToString("R", CultureInfo.InvariantCulture))}\n");
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
