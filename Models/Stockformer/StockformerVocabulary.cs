namespace LeanModels.Models.Stockformer;

/// <summary>
/// Ticker → row of the Stockformer's asset identity table. Row 0 is the "unknown" ticker (any ticker not seen in training, so
/// a universe that changes after training is still served); training tickers get rows 1..n in ordinal order of their
/// upper-cased symbols, so the same set of tickers always gives the same rows whatever order it came in.
/// The unknown row is trained only if some training samples use it; a caller can map a random share of training assets to 0
/// (identity dropout) so that it learns the "average asset". Without that it keeps its N(0, 0.02²) initial value.
/// </summary>
public sealed class StockformerVocabulary
{
    private readonly Dictionary<string, int> _index;

    /// <summary>Builds the vocabulary.</summary>
    /// <param name="trainingTickers">Tickers seen in training; duplicates and case differences collapse.</param>
    /// <exception cref="ArgumentException">A ticker is null, empty or white space.</exception>
    public StockformerVocabulary(IEnumerable<string> trainingTickers)
    {
        ArgumentNullException.ThrowIfNull(trainingTickers);
        var list = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var t in trainingTickers)
        {
            if (string.IsNullOrWhiteSpace(t)) throw new ArgumentException("StockformerVocabulary: a training ticker is null or blank.", nameof(trainingTickers));
            list.Add(t.Trim().ToUpperInvariant());
        }
        Tickers = list.ToArray();
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Tickers.Count; i++) _index[Tickers[i]] = i + 1;
    }

    /// <summary>Training tickers, upper case, ordinal order; ticker i has row i + 1.</summary>
    public IReadOnlyList<string> Tickers { get; }

    /// <summary>Rows of the table: training tickers + 1 (the unknown row); pass as <see cref="StockformerOptions.VocabularySize"/>.</summary>
    public int Size => Tickers.Count + 1;

    /// <summary>Rows for one training sample with identity dropout: each ticker's row, replaced by the unknown row 0 with
    /// probability <paramref name="unknownRate"/>, so the unknown row learns the "average asset" that unseen tickers get at
    /// prediction time (an option of this model, not from the seed chapter).</summary>
    /// <param name="tickers">[A] tickers of the sample's assets.</param>
    /// <param name="unknownRate">Probability in [0, 1) of mapping a ticker to row 0 (e.g. 0.1).</param>
    /// <param name="rng">Generator (one draw per ticker, in order).</param>
    /// <returns>[A] rows.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The rate is outside [0, 1).</exception>
    public int[] RowsWithUnknown(IReadOnlyList<string> tickers, double unknownRate, Numerics.Xoshiro256StarStar rng)
    {
        ArgumentNullException.ThrowIfNull(tickers);
        ArgumentNullException.ThrowIfNull(rng);
        if (!(unknownRate >= 0 && unknownRate < 1))
            throw new ArgumentOutOfRangeException(nameof(unknownRate), unknownRate, "StockformerVocabulary: the unknown rate must be in [0, 1).");
        var rows = new int[tickers.Count];
        for (var i = 0; i < rows.Length; i++) rows[i] = rng.NextDouble() < unknownRate ? 0 : IndexOf(tickers[i]);
        return rows;
    }

    /// <summary>Row of a ticker: 1..n for a training ticker (case-insensitive), 0 for any other.</summary>
    /// <param name="ticker">A ticker symbol.</param>
    /// <returns>The row in [0, <see cref="Size"/>).</returns>
    public int IndexOf(string ticker) =>
        ticker is not null && _index.TryGetValue(ticker.Trim().ToUpperInvariant(), out var i) ? i : 0;
}
