using System.Numerics;
using LeanModels.Models.Engine;
using LeanModels.Models.Engine.Layers;
using LeanModels.Models.Numerics;
using LeanModels.Models.Stockformer;

namespace LeanModels.Models.TwoStage;

/// <summary>
/// The seed's "traditional approach" (seed "Quant-Stock-Transformer"), the baseline of <see cref="TwoStageModel{T}"/>: one
/// temporal model over the whole universe at once. Input x [B, T, N, F] with availability [B, T, N]; each day's input is every
/// asset's features (absent bars zeroed) and its availability flag, asset-major: [x₀ (F), flag₀, x₁, flag₁, …], N·(F + 1)
/// inputs a day. An LSTM, GRU or TCN (<see cref="TemporalEncoder{T}"/>) over the T days → the last step's state [B, H] →
/// Linear(H → N): the N return forecasts [B, N]. Assets absent on the last date get no prediction.
/// <b>Fixed universe:</b> input position a is always the same asset (a ticker list fixed at training), the output layer has one
/// row per position, so an asset outside the training universe cannot be served and the asset order must never change; its
/// input width, parameters and cost grow with N (≈ 4H·N·(F + 1) input weights for the LSTM: 1.5 M at N = 500, F = 11, H = 64;
/// <see cref="TwoStageFlops"/>).
/// Initialisation is seeded: one <see cref="Xoshiro256StarStar"/> initialises the temporal model, then the head.
/// </summary>
/// <typeparam name="T">Element type: <c>float</c> for training, <c>double</c> for gradchecks.</typeparam>
public sealed class DirectModel<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TemporalEncoder<T> _temporal;
    private readonly Linear<T> _head;

    /// <summary>Builds and initialises the model.</summary>
    /// <param name="options">Hyperparameters; validated here.</param>
    /// <param name="seed">Seed of the initial weights (same seed → same weights, bit for bit).</param>
    /// <exception cref="ArgumentException">An option is invalid (see <see cref="DirectOptions.Validate"/>).</exception>
    public DirectModel(DirectOptions options, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        Seed = seed;
        var rng = new Xoshiro256StarStar(seed);
        _temporal = AddModule("temporal", new TemporalEncoder<T>(options.Family, options.InputsPerDay, options.Hidden, options.TcnLevels,
            options.TcnKernel, options.Dropout, rng));
        _head = AddModule("head", new Linear<T>(options.Hidden, options.Assets, rng));
    }

    /// <summary>The options the model was built with.</summary>
    public DirectOptions Options { get; }

    /// <summary>The initialisation seed.</summary>
    public ulong Seed { get; }

    /// <summary>Forward pass on a tape (training or inference).</summary>
    /// <param name="tape">The step's tape (a generator is needed for TCN dropout in training).</param>
    /// <param name="x">[B, T, N, F] features of the fixed universe in its fixed order; T, N and F must equal the options'.
    /// Values of absent bars are ignored (may be NaN); present bars must be finite.</param>
    /// <param name="available">[B, T, N] flags, true where the bar exists.</param>
    /// <returns>The forecast [B, N] and the prediction mask (<see cref="TwoStageOutput{T}.Embedding"/> is null).</returns>
    /// <exception cref="ArgumentException">A shape disagrees with the options (an A other than N: the universe is fixed), or a
    /// present bar holds a non-finite value (the message gives b, t, a, f).</exception>
    public TwoStageOutput<T> Forward(Tape<T> tape, Tensor<T> x, ReadOnlySpan<bool> available)
    {
        ArgumentNullException.ThrowIfNull(tape);
        ArgumentNullException.ThrowIfNull(x);
        var o = Options;
        if (x.Rank == 4 && x.Dims[2] != o.Assets)
            throw new ArgumentException($"Direct.Forward: model built for a fixed universe of N = {o.Assets} assets, got x {ShapeUtil.Format(x.Dims)} with A = {x.Dims[2]}; an asset outside the training universe cannot be served.", nameof(x));
        var input = PanelInput<T>.Check("Direct", x, available, o.Lookback, o.Features);
        int b = input.B, t = input.Steps;
        var days = tape.Concat([input.Zeroed(tape, x), input.ChannelTensor()], 3);                          // [B, T, N, F+1]
        var last = _temporal.Forward(tape, tape.Reshape(days, b, t, o.InputsPerDay));                      // [B, H]
        return new TwoStageOutput<T> { Return = _head.Forward(tape, last), PredictionMask = input.LastDate };  // [B, N]
    }

    /// <summary>Inference on an evaluation tape that records nothing: the forecast with NaN for every asset absent on the last
    /// date.</summary>
    /// <param name="x">[B, T, N, F], as <see cref="Forward"/>.</param>
    /// <param name="available">[B, T, N] flags.</param>
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

    /// <summary>The parameters as an ordered list of copies (<c>temporal.lstm.weight_ih</c> [N·(F+1), 4H], …,
    /// <c>head.weight</c> [H, N], <c>head.bias</c> [N]).</summary>
    /// <returns>A new list of copies.</returns>
    public IReadOnlyList<NamedTensor<T>> NamedParameters() => NamedParameterIo.Copy(this);

    /// <summary>Overwrites every parameter from a list written by <see cref="NamedParameters"/> for a model with the same options.</summary>
    /// <param name="values">One entry per parameter, same names, order and shapes; values finite.</param>
    /// <exception cref="ArgumentException">The count, a name, a shape or a length differs, or a value is not finite. Nothing is
    /// changed then.</exception>
    public void LoadNamedParameters(IReadOnlyList<NamedTensor<T>> values) => NamedParameterIo.Load(this, "Direct", values);
}
