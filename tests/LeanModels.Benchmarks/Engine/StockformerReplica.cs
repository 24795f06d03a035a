using LeanModels.Models.Engine;
using LeanModels.Models.Engine.Layers;
using LeanModels.Models.Numerics;

namespace LeanModels.Benchmarks.Engine;

/// <summary>
/// The PyTorch peer's Stockformer-like model (../shared/bench/stockformer_peer.py), rebuilt on the engine with the same
/// architecture and parameter count (140,417 at the default shapes): per-asset Conv1d token embedding, learned time and
/// asset embeddings, pre-LN encoder layers of temporal attention, cross-asset attention and a GELU feed-forward, final LN,
/// last step, tanh(Linear(D, 1)). A benchmark fixture, not a predictor.
/// </summary>
public sealed class StockformerReplica : Module<float>
{
    private readonly Conv1d<float> _embed;
    private readonly PositionalEmbedding<float> _time;
    private readonly AssetEmbedding<float> _asset;
    private readonly List<(LayerNorm<float> LnT, MultiHeadAttention<float> AttnT, LayerNorm<float> LnA, MultiHeadAttention<float> AttnA, LayerNorm<float> LnF, FeedForward<float> Ff)> _layers = new();
    private readonly LayerNorm<float> _lnOut;
    private readonly Linear<float> _head;
    private readonly double _dropout;

    public StockformerReplica(int lookback, int assets, int features, int model, int heads, int layers, double dropout, Xoshiro256StarStar rng)
    {
        _dropout = dropout;
        _embed = AddModule("embed", new Conv1d<float>(features, model, 3, rng));
        _time = AddModule("time", new PositionalEmbedding<float>(lookback, model, rng));
        _asset = AddModule("asset", new AssetEmbedding<float>(assets, model, rng));
        for (var l = 0; l < layers; l++)
            _layers.Add((AddModule($"l{l}.ln_t", new LayerNorm<float>(model)), AddModule($"l{l}.attn_t", new MultiHeadAttention<float>(model, heads, dropout, rng)),
                AddModule($"l{l}.ln_a", new LayerNorm<float>(model)), AddModule($"l{l}.attn_a", new MultiHeadAttention<float>(model, heads, dropout, rng)),
                AddModule($"l{l}.ln_f", new LayerNorm<float>(model)), AddModule($"l{l}.ff", new FeedForward<float>(model, 4 * model, dropout, rng))));
        _lnOut = AddModule("ln_out", new LayerNorm<float>(model));
        _head = AddModule("head", new Linear<float>(model, 1, rng));
    }

    /// <summary>x [B, T, A, F] → allocation w [B, A] in (−1, 1).</summary>
    public Tensor<float> Forward(Tape<float> tape, Tensor<float> x)
    {
        int b = x.Shape[0], t = x.Shape[1], a = x.Shape[2], f = x.Shape[3];
        var tokens = tape.Reshape(tape.Permute(x, 0, 2, 1, 3), b * a, t, f);                     // [B·A, T, F]
        var h = tape.Reshape(_embed.Forward(tape, tokens), b, a, t, -1);                          // [B, A, T, D]
        h = _asset.Forward(tape, _time.Forward(tape, h));
        var d = h.Shape[3];
        foreach (var layer in _layers)
        {
            var seq = tape.Reshape(layer.LnT.Forward(tape, h), b * a, t, d);                      // temporal attention per asset
            h = tape.AddDropout(h, tape.Reshape(layer.AttnT.Forward(tape, seq), b, a, t, d), _dropout);
            // cross-asset attention at each time step: across axis 1 (A) of [B, A, T, D], no transposes
            h = tape.AddDropout(h, layer.AttnA.ForwardAcross(tape, layer.LnA.Forward(tape, h)), _dropout);
            h = tape.AddDropout(h, layer.Ff.Forward(tape, layer.LnF.Forward(tape, h)), _dropout);
        }
        var last = _lnOut.Forward(tape, tape.Reshape(tape.Slice(h, 2, t - 1, 1), b, a, d));       // [B, A, D]; LN is per row, so slicing first is the same
        return tape.Reshape(tape.Tanh(_head.Forward(tape, last)), b, a);
    }

    /// <summary>The peer's loss: −mean(w·r) + 0.01·mean(|w|).</summary>
    public static Tensor<float> Loss(Tape<float> tape, Tensor<float> w, Tensor<float> r) =>
        tape.Add(tape.PortfolioUtilityLoss(w, r), tape.Scale(tape.Mean(tape.Abs(w)), 0.01));
}
