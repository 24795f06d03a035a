namespace LeanModels.Models.Data;

/// <summary>A requested ticker has no data in the LEAN data folder; the message lists the tickers that exist. The CLI exits with code 3 (bad input data).</summary>
public sealed class UnknownTickerException : Exception
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="ticker">The ticker asked for.</param>
    /// <param name="folder">The folder searched.</param>
    /// <param name="available">Tickers that do exist there.</param>
    public UnknownTickerException(string ticker, string folder, IReadOnlyList<string> available)
        : base($"unknown ticker '{ticker}': no data in {folder}. Tickers there: {(available.Count == 0 ? "(none)" : string.Join(", ", available))}.")
    {
        Ticker = ticker;
        Available = available;
    }

    /// <summary>The ticker asked for.</summary>
    public string Ticker { get; }

    /// <summary>Tickers that exist in the folder.</summary>
    public IReadOnlyList<string> Available { get; }
}
