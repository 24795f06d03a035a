using System.Numerics;
using LeanModels.Models.Engine;
using LeanModels.Models.Engine.Layers;
using LeanModels.Models.Numerics;
using LeanModels.Models.Stockformer;

namespace LeanModels.Models.TwoStage;

/// <summary>
/// The two-stage predictor (issue 16, seed "Quant-Stock-Transformer": separate cross-stock and temporal modelling). Input x
/// [B, T, A, F] (B dates, lookback T bars oldest → newest, A assets, F features) with an availability mask [B, T, A].
/// <list type="number">
/// <item>Absent bars are zeroed, never invented (a NaN in an absent bar is fine; in a present bar it throws, naming b, t, a, f).</item>
/// <item>Stage 1 (<see cref="CrossSectionEncoder{T}"/>), per date (b, t) independently: a transformer over that day's A asset
/// tokens plus a market token (the equal-weight mean of the present assets' features) → an embedding e [B, T, A, E]
/// (E = 32 by default), 0 in absent bars. It depends only on that date's cross-section.</item>
/// <item>Stage 2, per asset: the sequence over the lookback of [own F features, e, availability flag] (F + E + 1 inputs a day;
/// the flag is our addition to the seed, so the temporal model can tell an absent day from a zero one) → an LSTM, GRU or TCN
/// (<see cref="TemporalEncoder{T}"/>) → the state of the last step [B·A, H] → Linear(H → 1): the return forecast over the label horizon
/// [B, A]. Assets absent on the last date get no prediction (<see cref="TwoStageOutput{T}.PredictionMask"/> false, NaN in
/// <see cref="Predict"/>).</item>
/// </list>
/// Every block is per asset or per date's set of assets with shared weights, so any universe in any order is served (no
/// per-position parameter; contrast <see cref="DirectModel{T}"/>). Training is end-to-end by default;
/// <see cref="TwoStageOptions.FreezeStageOne"/> freezes stage 1 (see <see cref="ForwardStageOne"/> to train it first).
/// Initialisation is seeded: one <see cref="Xoshiro256StarStar"/> from the constructor's seed initialises stage 1, stage 2 and
/// the head in that order, so the same options and seed give bit-identical weights.
/// </summary>
/// <typeparam name="T">Element type: <c>float</c> for training, <c>double</c> for gradchecks (the same code).</typeparam>
public sealed class TwoStageModel<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly CrossSectionEncoder<T> _stageOne;
    private readonly TemporalEncoder<T> _stageTwo;
    private readonly Linear<T> _head;

    /// <summary>Builds and initialises the model.</summary>
    /// <param name="options">Hyperparameters; validated here.</param>
    /// <param name="seed">Seed of the initial weights (same seed → same weights, bit for bit).</param>
    /// <exception cref="ArgumentException">An option is invalid (see <see cref="TwoStageOptions.Validate"/>).</exception>
    public TwoStageModel(TwoStageOptions options, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        Seed = seed;
        var rng = new Xoshiro256StarStar(seed);
        _stageOne = AddModule("stage1", new CrossSectionEncoder<T>(options, rng));
        _stageTwo = AddModule("stage2", new TemporalEncoder<T>(options.Family, options.StageTwoInputs, options.Hidden, options.TcnLevels,
            options.TcnKernel, options.Dropout, rng));
        _head = AddModule("head", new Linear<T>(options.Hidden, 1, rng));
    }

    /// <summary>The options the model was built with.</summary>
    public TwoStageOptions Options { get; }

    /// <summary>The initialisation seed.</summary>
    public ulong Seed { get; }

    /// <summary>The parameters a forecast-loss optimiser should update: all of them end to end; stage 2 and the head only when
    /// <see cref="TwoStageOptions.FreezeStageOne"/> (a weight-decaying optimiser given the frozen weights would shrink them).</summary>
    /// <returns>A new list in <see cref="Module{T}.Parameters"/> order.</returns>
    public IReadOnlyList<Parameter<T>> TrainableParameters() =>
        Options.FreezeStageOne ? Parameters().Where(p => !p.Name.StartsWith("stage1.", StringComparison.Ordinal)).ToList() : Parameters();

    /// <summary>Stage 1's parameters (<c>stage1.*</c>, including the pretraining head when it exists): what a stage-1
    /// pretraining optimiser updates.</summary>
    /// <returns>A new list.</returns>
    public IReadOnlyList<Parameter<T>> StageOneParameters() =>
        Parameters().Where(p => p.Name.StartsWith("stage1.", StringComparison.Ordinal)).ToList();

    /// <summary>Forward pass on a tape (training or inference).</summary>
    /// <param name="tape">The step's tape (a generator is needed for dropout in training).</param>
    /// <param name="x">[B, T, A, F] features, time oldest → newest; T and F must equal the options'. Values of absent bars are
    /// ignored (may be NaN); present bars must be finite.</param>
    /// <param name="available">[B, T, A] flags, true where the bar exists.</param>
    /// <returns>The forecast [B, A], the prediction mask and the embedding e [B, T, A, E]. With
    /// <see cref="TwoStageOptions.FreezeStageOne"/> stage 1 runs in evaluation mode on a non-recording tape (no gradient
    /// reaches it or, through it, x).</returns>
    /// <exception cref="ArgumentException">A shape or length disagrees with the options (the message gives both), or a present
    /// bar holds a non-finite value (the message gives b, t, a, f).</exception>
    public TwoStageOutput<T> Forward(Tape<T> tape, Tensor<T> x, ReadOnlySpan<bool> available)
    {
        ArgumentNullException.ThrowIfNull(tape);
        var o = Options;
        var input = PanelInput<T>.Check("TwoStage", x, available, o.Lookback, o.Features);
        int b = input.B, t = input.Steps, a = input.A;
        var zeroed = input.Zeroed(tape, x);                                                                   // [B, T, A, F]
        Tensor<T> e;
        if (o.FreezeStageOne)
        {
            using var frozen = new Tape<T>(training: false, recording: false, team: tape.Team);
            var ez = _stageOne.Forward(frozen, frozen.MaskedFill(x, input.Fill, 0), available);
            e = new Tensor<T>(ez.Data, ez.Shape.ToArray());                                                  // a constant for stage 2
        }
        else e = _stageOne.Forward(tape, zeroed, available);                                                  // [B, T, A, E]
        return StageTwo(tape, input, zeroed, e);
    }

    /// <summary>Stage 2 and the head on embeddings computed elsewhere: the frozen-stage-1 trainer embeds every date once
    /// (<see cref="EmbedDates"/>) and feeds each window the cached embeddings of its dates, so stage 1 does not run on every
    /// day of every window. Equal to <see cref="Forward"/> when <paramref name="embedding"/> is what stage 1 gives for those
    /// dates and assets.</summary>
    /// <param name="tape">The step's tape.</param>
    /// <param name="x">[B, T, A, F], as <see cref="Forward"/>.</param>
    /// <param name="available">[B, T, A] flags.</param>
    /// <param name="embedding">e [B, T, A, E], a constant (no gradient flows into it); values of absent bars are ignored.</param>
    /// <returns>The forecast [B, A], the prediction mask and <paramref name="embedding"/> with absent bars zeroed.</returns>
    /// <exception cref="ArgumentException">As <see cref="Forward"/>, or the embedding is not [B, T, A, E] or holds a
    /// non-finite value in a present bar.</exception>
    public TwoStageOutput<T> ForwardWithEmbedding(Tape<T> tape, Tensor<T> x, ReadOnlySpan<bool> available, Tensor<T> embedding)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(embedding);
        var o = Options;
        var input = PanelInput<T>.Check("TwoStage", x, available, o.Lookback, o.Features);
        if (embedding.Rank != 4 || embedding.Dims[0] != input.B || embedding.Dims[1] != input.Steps || embedding.Dims[2] != input.A
            || embedding.Dims[3] != o.Embedding)
            throw new ArgumentException($"TwoStage.ForwardWithEmbedding: embedding is {ShapeUtil.Format(embedding.Dims)}; expected [B={input.B}, T={input.Steps}, A={input.A}, E={o.Embedding}].", nameof(embedding));
        var checkedE = PanelInput<T>.Check("TwoStage.ForwardWithEmbedding (embedding)", embedding, available, o.Lookback, o.Embedding);
        var e = new Tensor<T>(tape.MaskedFill(embedding, checkedE.Fill, 0).Data, embedding.Dims.ToArray());  // a constant for stage 2
        return StageTwo(tape, input, input.Zeroed(tape, x), e);
    }

    /// <summary>Stage 1 on single dates, the unit the frozen-stage-1 trainer caches: x [B, A, F] (B dates, each its own
    /// cross-section) → e [B, A, E], 0 for absent assets. Equal bit for bit to the embedding <see cref="Forward"/> computes for
    /// the same date and assets (stage 1 is date-local).</summary>
    /// <param name="tape">A tape (evaluation mode and not recording for caching).</param>
    /// <param name="x">[B, A, F] features; absent assets' values ignored.</param>
    /// <param name="available">[B, A] flags.</param>
    /// <returns>e [B, A, E] and, when the pretraining head exists, its forecast [B, A] (<see cref="StageOneOutput{T}.Return"/>).</returns>
    /// <exception cref="ArgumentException">x is not [B, A, F] with the model's F, the mask length differs, or a present bar is
    /// not finite.</exception>
    public StageOneOutput<T> EmbedDates(Tape<T> tape, Tensor<T> x, ReadOnlySpan<bool> available)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 3 || x.Dims[2] != Options.Features)
            throw new ArgumentException($"TwoStage.EmbedDates: x is {ShapeUtil.Format(x.Dims)}; expected [B, A, F={Options.Features}].", nameof(x));
        int b = x.Dims[0], a = x.Dims[1];
        var x4 = new Tensor<T>(x.Data, [b, 1, a, Options.Features]);
        var input = PanelInput<T>.Check("TwoStage.EmbedDates", x4, available, 1, Options.Features);
        var e = _stageOne.Forward(tape, input.Zeroed(tape, tape.Reshape(x, b, 1, a, Options.Features)), available);   // [B, 1, A, E]
        var forecast = _stageOne.PretrainForecast(tape, e);
        return new StageOneOutput<T> { Embedding = tape.Reshape(e, b, a, Options.Embedding), Return = forecast, PredictionMask = input.LastDate };
    }

    private TwoStageOutput<T> StageTwo(Tape<T> tape, PanelInput<T> input, Tensor<T> zeroed, Tensor<T> e)
    {
        int b = input.B, t = input.Steps, a = input.A;
        var days = tape.Concat([zeroed, e, input.ChannelTensor()], 3);                                        // [B, T, A, F+E+1]
        var sequences = tape.Reshape(tape.Permute(days, 0, 2, 1, 3), b * a, t, Options.StageTwoInputs);      // [B·A, T, I]
        var last = _stageTwo.Forward(tape, sequences);                                                        // [B·A, H]
        return new TwoStageOutput<T>
        {
            Return = tape.Reshape(_head.Forward(tape, last), b, a),
            PredictionMask = input.LastDate,
            Embedding = e,
        };
    }

    /// <summary>Stage 1 alone: the embedding and, with <see cref="TwoStageOptions.FreezeStageOne"/>, the pretraining forecast
    /// (Linear(E → 1) on the last date's embedding, trained on the same label to "train stage 1 first"; optimise
    /// <see cref="StageOneParameters"/>). Records on <paramref name="tape"/> whatever the freeze option.</summary>
    /// <param name="tape">The step's tape.</param>
    /// <param name="x">[B, T, A, F], as <see cref="Forward"/> (only the last date feeds the pretraining forecast).</param>
    /// <param name="available">[B, T, A] flags.</param>
    /// <returns>e [B, T, A, E], the forecast [B, A] or null, the prediction mask.</returns>
    /// <exception cref="ArgumentException">As <see cref="Forward"/>.</exception>
    public StageOneOutput<T> ForwardStageOne(Tape<T> tape, Tensor<T> x, ReadOnlySpan<bool> available)
    {
        ArgumentNullException.ThrowIfNull(tape);
        var input = PanelInput<T>.Check("TwoStage", x, available, Options.Lookback, Options.Features);
        var e = _stageOne.Forward(tape, input.Zeroed(tape, x), available);
        return new StageOneOutput<T> { Embedding = e, Return = _stageOne.PretrainForecast(tape, e), PredictionMask = input.LastDate };
    }

    /// <summary>Inference on an evaluation tape that records nothing: the forecast with NaN for every asset absent on the last
    /// date (no prediction is made for it).</summary>
    /// <param name="x">[B, T, A, F], as <see cref="Forward"/>.</param>
    /// <param name="available">[B, T, A] flags.</param>
    /// <param name="team">Optional thread team (results are bit-identical for any thread count).</param>
    /// <returns>The forecasts.</returns>
    /// <exception cref="ArgumentException">As <see cref="Forward"/>.</exception>
    public ReturnPrediction<T> Predict(Tensor<T> x, ReadOnlySpan<bool> available, Engine.Kernels.ThreadTeam? team = null)
    {
        using var tape = new Tape<T>(training: false, rng: new Xoshiro256StarStar(Seed), recording: false, team: team);
        var y = Forward(tape, x, available);
        return new ReturnPrediction<T>
        {
            Batch = x.Dims[0],
            Assets = x.Dims[2],
            Return = PanelInput<T>.Masked(y.Return, y.PredictionMask),
            Available = y.PredictionMask,
        };
    }

    /// <summary>The parameters as a deterministic ordered list of copies (name, shape, values), in
    /// <see cref="Module{T}.Parameters"/> order (<c>stage1.asset_token.weight</c> [F+1, D₁], …, <c>stage2.lstm.weight_ih</c>
    /// [F+E+1, 4H], …, <c>head.bias</c> [1]): the input of an artifact writer.</summary>
    /// <returns>A new list of copies.</returns>
    public IReadOnlyList<NamedTensor<T>> NamedParameters() => NamedParameterIo.Copy(this);

    /// <summary>Overwrites every parameter from a list written by <see cref="NamedParameters"/> for a model with the same options.</summary>
    /// <param name="values">One entry per parameter, same names, order and shapes; values finite.</param>
    /// <exception cref="ArgumentException">The count, a name, a shape or a length differs (the message names the parameter and
    /// both shapes), or a value is not finite. Nothing is changed then.</exception>
    public void LoadNamedParameters(IReadOnlyList<NamedTensor<T>> values) => NamedParameterIo.Load(this, "TwoStage", values);
}
