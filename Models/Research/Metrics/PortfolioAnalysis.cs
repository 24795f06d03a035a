using System.Globalization;

namespace LeanModels.Models.Research.Metrics;

/// <summary>
/// Simple research backtests of a cross-sectional signal: Qlib's TopK-Dropout book, a long-short quantile book and an
/// equal-weight benchmark, each rebalanced once per date with weight drift, turnover and per-side costs.
/// </summary>
/// <remarks>
/// Conventions shared by every method. Shapes: scores and returns are [D, A] row-major (index d·A + a), dates oldest →
/// newest. <c>returns[d, a]</c> is the simple return (fraction) that a position decided after the close of date d earns
/// until the next rebalance (the caller supplies e.g. open(d+1) → open(d+2)); NaN means the asset is not tradable in that
/// period: a held position earns 0 and the asset cannot be bought (or shorted) that day; ±∞ is rejected. Weights are
/// fractions of equity; the rest is cash earning 0. At each date the book moves from its drifted weights to its target
/// weights: Turnover_d = Σ_a |w_target,a − w_drifted,a| (both sides counted, the first rebalance from cash included),
/// gross_d = Σ_a w_target,a · r_a, cost_d = Turnover_d · costBps · 1e-4, net_d = gross_d − cost_d. Between rebalances the
/// weights drift: w_drifted,a = w_a (1 + r_a) / (1 + Σ_b w_b r_b) (an untradable r counts as 0; should 1 + gross reach 0,
/// the book is treated as all cash). Summary figures are <see cref="RiskFigures"/> of the net returns. Simplification:
/// NaN blocks only opening a position; a held untradable name can still be sold, and is re-weighted like the others
/// (Qlib's exchange neither buys nor sells a suspended stock).
/// </remarks>
public static class PortfolioAnalysis
{
    /// <summary>
    /// Qlib's TopK-Dropout book (<c>TopkDropoutStrategy</c> in <c>qlib/contrib/strategy/signal_strategy.py</c>, with
    /// <c>hold_thresh=1</c>, <c>method_sell="bottom"</c>, <c>method_buy="top"</c>): holds at most <paramref name="topK"/>
    /// names at weight 1/topK each (the held names are re-weighted to 1/topK at every rebalance; empty slots are cash).
    /// Each date: <c>last</c> = held names sorted by today's score, best first (a held name with non-finite score counts
    /// as worst); <c>today</c> = the best-scored non-held names with a finite score that are tradable this period (finite
    /// return), max(nDrop, h) + topK − |last| of them, h the number of held names with a non-finite score (Qlib takes
    /// nDrop + topK − |last|; the two differ only when h &gt; nDrop, where Qlib could not refill the book);
    /// <c>comb</c> = last ∪ today sorted best first; <c>sell</c> = names of <c>last</c> among the bottom
    /// <paramref name="nDrop"/> of <c>comb</c>, plus every held name with a non-finite score; <c>buy</c> = the first
    /// |sell| + topK − |last| of <c>today</c>. Ties in score are broken by the lower asset index first. With
    /// <paramref name="nDrop"/> = 0 nothing is dropped for score (Qlib's <c>comb[-0:]</c> would select every name).
    /// </summary>
    /// <param name="scores">[D, A] forecast scores known after the close of date d, any monotone scale; non-finite = no
    /// forecast for that asset on that date.</param>
    /// <param name="returns">[D, A] simple return per period of a position decided at date d (see the class remarks); NaN
    /// = not tradable: a held name earns 0, a non-held name cannot be bought.</param>
    /// <param name="dates">D, number of rebalance dates, ≥ 1.</param>
    /// <param name="assets">A, number of assets, ≥ 1.</param>
    /// <param name="topK">Names held, ≥ 1; each held name gets weight 1/topK.</param>
    /// <param name="nDrop">Names swapped per rebalance, 0 ≤ nDrop ≤ topK.</param>
    /// <param name="costBps">Cost in basis points per side (1 bp = 1e-4), ≥ 0, charged on turnover.</param>
    /// <param name="periodsPerYear">Rebalance periods per year, ≥ 1 (252 for daily US data).</param>
    /// <returns>The report named <c>"TopkDropout(topK=…, nDrop=…)"</c>.</returns>
    /// <exception cref="ArgumentException">A span is not D·A long, or a return is ±∞; the message gives the numbers.</exception>
    /// <exception cref="ArgumentOutOfRangeException">dates, assets, topK or periodsPerYear &lt; 1; nDrop outside [0, topK];
    /// costBps negative or not finite.</exception>
    public static PortfolioReport TopkDropout(ReadOnlySpan<double> scores, ReadOnlySpan<double> returns, int dates, int assets,
        int topK, int nDrop, double costBps, int periodsPerYear)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(topK, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(nDrop);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nDrop, topK);
        ValidateCommon(scores, returns, dates, assets, costBps, periodsPerYear, nameof(TopkDropout));

        var targets = new double[dates * assets];                      // [D, A] weights after each rebalance
        var held = new bool[assets];
        var last = new List<int>(topK);
        var candidates = new List<int>(assets);
        var comb = new List<int>(assets);
        var sell = new List<int>(topK);
        for (var d = 0; d < dates; d++)
        {
            var s = scores.Slice(d * assets, assets);
            var r = returns.Slice(d * assets, assets);
            var comparer = new BestFirst(s.ToArray());

            last.Clear();
            candidates.Clear();
            var unscoredHeld = 0;
            for (var a = 0; a < assets; a++)
            {
                if (held[a])
                {
                    last.Add(a);
                    if (!double.IsFinite(s[a])) unscoredHeld++;
                }
                else if (double.IsFinite(s[a]) && !double.IsNaN(r[a])) candidates.Add(a);
            }
            last.Sort(comparer);
            candidates.Sort(comparer);
            var todayCount = Math.Max(0, Math.Max(nDrop, unscoredHeld) + topK - last.Count);
            var today = candidates.GetRange(0, Math.Min(todayCount, candidates.Count));

            comb.Clear();
            comb.AddRange(last);
            comb.AddRange(today);
            comb.Sort(comparer);
            sell.Clear();
            foreach (var a in last)
            {
                var position = comb.IndexOf(a);
                if (position >= comb.Count - nDrop || !double.IsFinite(s[a])) sell.Add(a);
            }
            var buyCount = Math.Min(sell.Count + topK - last.Count, today.Count);

            foreach (var a in sell) held[a] = false;
            for (var i = 0; i < buyCount; i++) held[today[i]] = true;
            var target = targets.AsSpan(d * assets, assets);
            for (var a = 0; a < assets; a++) target[a] = held[a] ? 1.0 / topK : 0.0;
        }
        return Simulate(string.Create(CultureInfo.InvariantCulture, $"TopkDropout(topK={topK}, nDrop={nDrop})"),
            targets, returns, dates, assets, costBps, periodsPerYear);
    }

    /// <summary>
    /// Long-short quantile book rebalanced every date. Among assets with a finite score and a tradable return (finite
    /// return) that date, m of them, n = max(1, ⌊quantile · m⌋) names (Qlib's <c>int(len(x) * quantile)</c>, floored at 1):
    /// the n best get +0.5/n each, the n worst −0.5/n each, so gross long is +0.5 and gross short −0.5 and the period
    /// return on a fresh book is (top mean − bottom mean) / 2, Qlib's <c>calc_long_short_return</c>
    /// (<c>qlib/contrib/eva/alpha.py</c>). Ties in score go to the lower asset index first. A date with m &lt; 2 holds
    /// only cash.
    /// </summary>
    /// <param name="scores">[D, A] forecast scores known after the close of date d; non-finite = no forecast.</param>
    /// <param name="returns">[D, A] simple return per period of a position decided at date d (see the class remarks); NaN
    /// = not tradable, so the asset is left out of that date's book.</param>
    /// <param name="dates">D, number of rebalance dates, ≥ 1.</param>
    /// <param name="assets">A, number of assets, ≥ 1.</param>
    /// <param name="quantile">Share of the eligible assets in each leg, in (0, 0.5].</param>
    /// <param name="costBps">Cost in basis points per side (1 bp = 1e-4), ≥ 0, charged on turnover of both legs.</param>
    /// <param name="periodsPerYear">Rebalance periods per year, ≥ 1 (252 for daily US data).</param>
    /// <returns>The report named <c>"LongShortQuantile(quantile=…)"</c>.</returns>
    /// <exception cref="ArgumentException">A span is not D·A long, or a return is ±∞; the message gives the numbers.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="quantile"/> outside (0, 0.5]; dates, assets or
    /// periodsPerYear &lt; 1; costBps negative or not finite.</exception>
    public static PortfolioReport LongShortQuantile(ReadOnlySpan<double> scores, ReadOnlySpan<double> returns, int dates,
        int assets, double quantile, double costBps, int periodsPerYear)
    {
        if (!(quantile > 0.0 && quantile <= 0.5))
            throw new ArgumentOutOfRangeException(nameof(quantile), quantile, $"LongShortQuantile: quantile is {quantile}; expected (0, 0.5].");
        ValidateCommon(scores, returns, dates, assets, costBps, periodsPerYear, nameof(LongShortQuantile));

        var targets = new double[dates * assets];                      // [D, A]
        var eligible = new List<int>(assets);
        for (var d = 0; d < dates; d++)
        {
            var s = scores.Slice(d * assets, assets);
            var r = returns.Slice(d * assets, assets);
            eligible.Clear();
            for (var a = 0; a < assets; a++)
                if (double.IsFinite(s[a]) && !double.IsNaN(r[a])) eligible.Add(a);
            if (eligible.Count < 2) continue;                          // all cash
            eligible.Sort(new BestFirst(s.ToArray()));
            var n = Math.Max(1, (int)(quantile * eligible.Count));
            var target = targets.AsSpan(d * assets, assets);
            for (var i = 0; i < n; i++)
            {
                target[eligible[i]] = 0.5 / n;
                target[eligible[eligible.Count - 1 - i]] = -0.5 / n;
            }
        }
        return Simulate(string.Create(CultureInfo.InvariantCulture, $"LongShortQuantile(quantile={quantile})"),
            targets, returns, dates, assets, costBps, periodsPerYear);
    }

    /// <summary>
    /// Equal-weight universe benchmark: every asset with a finite return that period gets weight 1/count, rebalanced
    /// every date, with costs. A date where no asset is tradable holds only cash.
    /// </summary>
    /// <param name="returns">[D, A] simple return per period of a position decided at date d (see the class remarks); NaN
    /// = not tradable, so the asset is left out of that date's book.</param>
    /// <param name="dates">D, number of rebalance dates, ≥ 1.</param>
    /// <param name="assets">A, number of assets, ≥ 1.</param>
    /// <param name="costBps">Cost in basis points per side (1 bp = 1e-4), ≥ 0, charged on turnover.</param>
    /// <param name="periodsPerYear">Rebalance periods per year, ≥ 1 (252 for daily US data).</param>
    /// <returns>The report named <c>"EqualWeight"</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="returns"/> is not D·A long, or a return is ±∞; the message gives
    /// the numbers.</exception>
    /// <exception cref="ArgumentOutOfRangeException">dates, assets or periodsPerYear &lt; 1; costBps negative or not finite.</exception>
    public static PortfolioReport EqualWeightBenchmark(ReadOnlySpan<double> returns, int dates, int assets, double costBps,
        int periodsPerYear)
    {
        ValidateCommon(returns, returns, dates, assets, costBps, periodsPerYear, nameof(EqualWeightBenchmark));
        var targets = new double[dates * assets];                      // [D, A]
        for (var d = 0; d < dates; d++)
        {
            var r = returns.Slice(d * assets, assets);
            var count = 0;
            foreach (var v in r)
                if (!double.IsNaN(v)) count++;
            if (count == 0) continue;
            var target = targets.AsSpan(d * assets, assets);
            for (var a = 0; a < assets; a++) target[a] = double.IsNaN(r[a]) ? 0.0 : 1.0 / count;
        }
        return Simulate("EqualWeight", targets, returns, dates, assets, costBps, periodsPerYear);
    }

    /// <summary>
    /// Allocation book: the model's own weights (e.g. the Stockformer allocation head, in [−1, 1] per asset), each date scaled
    /// so that the gross exposure Σ|w| equals <paramref name="grossCap"/> (a date whose weights are all 0 holds cash), rebalanced
    /// every date with costs and drift exactly as the other books. An asset with a NaN weight or a NaN return gets weight 0.
    /// </summary>
    /// <param name="weights">[D, A] raw weights; NaN = no weight.</param>
    /// <param name="returns">[D, A] simple return of a position decided at date d (see the class remarks); NaN = not tradable.</param>
    /// <param name="dates">D, ≥ 1.</param>
    /// <param name="assets">A, ≥ 1.</param>
    /// <param name="grossCap">G &gt; 0, the gross exposure of the book each date (1 = 100% of capital long plus short).</param>
    /// <param name="costBps">Cost in basis points per side, ≥ 0.</param>
    /// <param name="periodsPerYear">Rebalance periods per year, ≥ 1.</param>
    /// <returns>The report named <c>"Allocation(gross=…)"</c>.</returns>
    /// <exception cref="ArgumentException">A span is not D·A long, a return is ±∞, or a weight is ±∞.</exception>
    /// <exception cref="ArgumentOutOfRangeException">grossCap ≤ 0 or not finite; as the other books otherwise.</exception>
    public static PortfolioReport Allocation(ReadOnlySpan<double> weights, ReadOnlySpan<double> returns, int dates, int assets,
        double grossCap, double costBps, int periodsPerYear)
    {
        if (!(grossCap > 0 && double.IsFinite(grossCap)))
            throw new ArgumentOutOfRangeException(nameof(grossCap), grossCap, "Allocation: gross cap must be finite and > 0.");
        ValidateCommon(weights, returns, dates, assets, costBps, periodsPerYear, nameof(Allocation));
        var targets = new double[dates * assets];                      // [D, A]
        for (var d = 0; d < dates; d++)
        {
            var w = weights.Slice(d * assets, assets);
            var r = returns.Slice(d * assets, assets);
            var target = targets.AsSpan(d * assets, assets);
            double gross = 0;
            for (var a = 0; a < assets; a++)
            {
                if (double.IsInfinity(w[a])) throw new ArgumentException($"Allocation: weight [d={d}, a={a}] is {w[a]}.", nameof(weights));
                target[a] = double.IsNaN(w[a]) || double.IsNaN(r[a]) ? 0 : w[a];
                gross += Math.Abs(target[a]);
            }
            if (gross > 0) for (var a = 0; a < assets; a++) target[a] *= grossCap / gross;
        }
        return Simulate(string.Create(CultureInfo.InvariantCulture, $"Allocation(gross={grossCap})"), targets, returns, dates, assets, costBps, periodsPerYear);
    }

    // Moves from drifted to target weights each date, charges costs on turnover, earns the period return, then drifts.
    private static PortfolioReport Simulate(string name, double[] targets, ReadOnlySpan<double> returns, int dates, int assets,
        double costBps, int periodsPerYear)
    {
        var net = new double[dates];                                   // [D]
        var gross = new double[dates];                                 // [D]
        var turnover = new double[dates];                              // [D]
        var drifted = new double[assets];                              // [A] starts all cash
        var costPerUnit = costBps * 1e-4;                              // 1 bp = 1e-4 of the traded value, per side
        for (var d = 0; d < dates; d++)
        {
            var w = targets.AsSpan(d * assets, assets);
            var r = returns.Slice(d * assets, assets);
            double traded = 0.0, earned = 0.0;
            for (var a = 0; a < assets; a++)
            {
                traded += Math.Abs(w[a] - drifted[a]);
                if (!double.IsNaN(r[a])) earned += w[a] * r[a];        // untradable: the position earns 0
            }
            turnover[d] = traded;
            gross[d] = earned;
            net[d] = earned - traded * costPerUnit;

            var growth = 1.0 + earned;
            for (var a = 0; a < assets; a++)
                drifted[a] = growth > 0.0 ? w[a] * (1.0 + (double.IsNaN(r[a]) ? 0.0 : r[a])) / growth : 0.0;
        }
        return new PortfolioReport(name, net, gross, turnover,
            RiskFigures.AnnualisedReturn(net, periodsPerYear),
            RiskFigures.AnnualisedVolatility(net, periodsPerYear),
            RiskFigures.Sharpe(net, periodsPerYear),
            RiskFigures.MaxDrawdown(net),
            turnover.Average());
    }

    private static void ValidateCommon(ReadOnlySpan<double> scores, ReadOnlySpan<double> returns, int dates, int assets,
        double costBps, int periodsPerYear, string caller)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dates, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(assets, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(periodsPerYear, 1);
        if (!(costBps >= 0.0 && double.IsFinite(costBps)))
            throw new ArgumentOutOfRangeException(nameof(costBps), costBps, $"{caller}: costBps is {costBps}; expected a finite value ≥ 0 (bps per side).");
        var expected = (long)dates * assets;
        if (scores.Length != expected || returns.Length != expected)
            throw new ArgumentException(
                $"{caller}: scores has {scores.Length} elements, returns {returns.Length}; expected [D={dates}, A={assets}] = {expected} each.",
                scores.Length != expected ? nameof(scores) : nameof(returns));
        for (var i = 0; i < returns.Length; i++)
            if (double.IsInfinity(returns[i]))
                throw new ArgumentException(
                    $"{caller}: returns[d={i / assets}, a={i % assets}] is {returns[i]}; use NaN for an untradable period.", nameof(returns));
    }

    // Best first: finite scores descending, then non-finite ones; equal scores (and two non-finite ones) by lower index.
    private sealed class BestFirst(double[] scores) : IComparer<int>
    {
        public int Compare(int x, int y)
        {
            bool fx = double.IsFinite(scores[x]), fy = double.IsFinite(scores[y]);
            if (fx != fy) return fx ? -1 : 1;
            if (fx && scores[x] != scores[y]) return scores[x] > scores[y] ? -1 : 1;
            return x.CompareTo(y);
        }
    }
}
