namespace LeanModels.Models.Regime;

/// <summary>
/// Bar-by-bar forward filter of a <see cref="GaussianHmm"/>: after <see cref="Update"/> with observation x_t it holds
/// Pr(S_t = k | x_1..x_t) (Rabiner 1989 eq. 20, normalised each step and kept in log space). It never sees later data,
/// so it is the form to use for trading. Not thread-safe; one instance per stream.
/// </summary>
public sealed class HmmOnlineFilter
{
    private readonly GaussianHmm _model;
    private readonly double[] _logPrevious;   // [K] ln Pr(S_{t−1} = k | x_1..x_{t−1}), normalised
    private readonly double[] _scratch;       // [K]

    internal HmmOnlineFilter(GaussianHmm model)
    {
        _model = model;
        _logPrevious = new double[model.States];
        _scratch = new double[model.States];
    }

    /// <summary>Observations consumed so far.</summary>
    public int Steps { get; private set; }

    /// <summary>Consumes observation x_t and writes the filtered probabilities Pr(S_t = k | x_1..x_t).</summary>
    /// <param name="observation">[D] one row, in the model's unit (e.g. log return per bar).</param>
    /// <param name="probabilities">[K] destination; sums to 1.</param>
    /// <exception cref="ArgumentException">Wrong lengths (both given in the message) or a non-finite value; the filter state is unchanged.</exception>
    public void Update(ReadOnlySpan<double> observation, Span<double> probabilities)
    {
        int k = _model.States, d = _model.Dimensions;
        if (observation.Length != d || probabilities.Length != k)
            throw new ArgumentException($"HmmOnlineFilter.Update: observation has {observation.Length} values and probabilities {probabilities.Length}; the model needs D = {d} and K = {k}.");
        RegimeInput.RequireFinite("HmmOnlineFilter.Update", observation, d, nameof(observation));
        Span<double> logp = _scratch;
        Span<double> tmp = k <= 64 ? stackalloc double[k] : new double[k];
        for (var s = 0; s < k; s++)
        {
            double prior;
            if (Steps == 0) prior = _model.LogStart(s);
            else
            {
                for (var p = 0; p < k; p++) tmp[p] = _logPrevious[p] + _model.LogTransition(p, s);
                prior = LogMath.LogSumExp(tmp);
            }
            logp[s] = prior + _model.LogEmission(observation, s);
        }
        var c = LogMath.LogSumExp(logp);
        if (!double.IsFinite(c))
            throw new ArgumentException($"HmmOnlineFilter.Update: observation at step {Steps} has zero likelihood under every state (log normaliser {c}).", nameof(observation));
        for (var s = 0; s < k; s++)
        {
            _logPrevious[s] = logp[s] - c;
            probabilities[s] = Math.Exp(_logPrevious[s]);
        }
        Steps++;
    }
}
