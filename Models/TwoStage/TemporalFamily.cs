namespace LeanModels.Models.TwoStage;

/// <summary>The temporal model of stage 2 of <see cref="TwoStageModel{T}"/> and of <see cref="DirectModel{T}"/> (seed
/// "Quant-Stock-Transformer": "LSTM, GRU or TCN over the lookback").</summary>
public enum TemporalFamily
{
    /// <summary>One-layer LSTM (engine <c>Lstm</c>; Hochreiter &amp; Schmidhuber 1997, forget gate of Gers et al. 2000).</summary>
    Lstm,

    /// <summary>One-layer GRU (engine <c>Gru</c>; Cho et al. 2014, PyTorch's form).</summary>
    Gru,

    /// <summary>A stack of causal dilated TCN residual blocks (engine <c>TcnBlock</c>; Bai, Kolter &amp; Koltun 2018), dilation
    /// 2^l in block l.</summary>
    Tcn,
}
