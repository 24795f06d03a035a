using System.Numerics;
using LeanModels.Models.Numerics;

namespace LeanModels.Models.Engine;

/// <summary>
/// Reverse-mode autodiff tape: every op is a method on the tape, computes its forward result at once, and records a
/// backward closure beside it (micrograd's <c>_backward</c>, llm.c's forward/backward pairs). <see cref="Backward(Tensor{T})"/>
/// replays the closures in reverse recording order, which is a valid reverse topological order because an op can only
/// consume tensors that already exist. Gradients accumulate with <c>+=</c>, so a tensor used twice gets both contributions.
/// </summary>
/// <remarks>
/// No global state: the training/evaluation mode (<see cref="IsTraining"/>, read by dropout) and the random generator
/// (<see cref="Rng"/>) belong to the tape, and a new tape is made per step. A tape built with <c>recording: false</c> (inference)
/// records nothing and allocates no gradients. With a <see cref="BufferPool{T}"/> the tape rents its arrays and returns them
/// on <see cref="Dispose"/>. The ops live in partial files by family: Tape.Elementwise.cs, Tape.Conv.cs, Tape.Recurrent.cs,
/// Tape.Reduce.cs, Tape.MatMul.cs, Tape.Shape.cs, Tape.Fused.cs, Tape.Losses.cs.
/// NaN and ±∞ propagate through every op as IEEE 754 says; finiteness is checked where it is cheap and decisive: labels of
/// <see cref="NegativePearsonICLoss"/>, <see cref="Optimizers.Optimizer{T}.Step(double)"/> and
/// <see cref="Optimizers.GradientClipping.ClipGlobalNorm{T}"/>.
/// </remarks>
/// <typeparam name="T"><c>float</c> for training, <c>double</c> for gradchecks.</typeparam>
public sealed partial class Tape<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly List<Action> _backward = new();
    private readonly BufferPool<T>? _pool;
    private readonly List<T[]> _rented = new();
    private bool _disposed;
    private bool _backwardDone;

    /// <summary>Creates a tape for one forward/backward pass.</summary>
    /// <param name="training">True in training (dropout active), false in evaluation (dropout is the identity).</param>
    /// <param name="rng">Generator for dropout masks; required only when dropout runs with p &gt; 0 in training.</param>
    /// <param name="recording">False for inference: no closures are recorded and results never require gradients.</param>
    /// <param name="threads">Threads the large float GEMMs may use (≥ 1). Results are bit-identical for any value.</param>
    /// <param name="pool">Optional buffer pool: activations, gradients and caches are rented from it and returned on
    /// <see cref="Dispose"/> (then every tensor this tape produced is invalid). Null allocates normally.</param>
    /// <param name="team">Optional caller-owned persistent workers (<see cref="Kernels.ThreadTeam"/>, reused across steps and
    /// disposed by the caller): the parallel GEMMs and attention run on it, and <see cref="Threads"/> becomes its size.
    /// Without it, <paramref name="threads"/> &gt; 1 starts a <see cref="Task"/> per extra chunk on every parallel call (slower).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> &lt; 1.</exception>
    /// <exception cref="ArgumentException">Both <paramref name="threads"/> &gt; 1 and a team of a different size are given.</exception>
    public Tape(bool training = true, Xoshiro256StarStar? rng = null, bool recording = true, int threads = 1, BufferPool<T>? pool = null,
        Kernels.ThreadTeam? team = null)
    {
        _pool = pool;
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        if (team is not null && threads != 1 && threads != team.Threads)
            throw new ArgumentException($"Tape: threads = {threads} but the team has {team.Threads}; pass one or the other.", nameof(threads));
        Team = team;
        Threads = team?.Threads ?? threads;
        IsTraining = training;
        Rng = rng;
        IsRecording = recording;
    }

    /// <summary>True in training mode: dropout draws masks. False in evaluation: dropout returns its input.</summary>
    public bool IsTraining { get; }

    /// <summary>Threads the large GEMMs may use.</summary>
    public int Threads { get; }

    /// <summary>The persistent workers parallel ops run on, or null (then <see cref="Threads"/> &gt; 1 uses tasks).</summary>
    public Kernels.ThreadTeam? Team { get; }

    /// <summary>True when ops record backward closures.</summary>
    public bool IsRecording { get; }

    /// <summary>The generator dropout draws from, or null.</summary>
    public Xoshiro256StarStar? Rng { get; }

    /// <summary>Number of backward closures recorded so far.</summary>
    public int RecordedOps => _backward.Count;

    /// <summary>Backpropagates from a one-element loss: adds 1 to its gradient, then runs every recorded closure in reverse.</summary>
    /// <param name="loss">A one-element tensor produced on this tape that requires a gradient.</param>
    /// <exception cref="ArgumentException"><paramref name="loss"/> has more than one element or no gradient.</exception>
    /// <exception cref="InvalidOperationException">Backward already ran on this tape (the closures are released after one pass).</exception>
    public void Backward(Tensor<T> loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        if (loss.Length != 1)
            throw new ArgumentException($"Backward: loss is {ShapeUtil.Format(loss.Dims)}; pass a one-element loss or use Backward(y, seed).", nameof(loss));
        Span<T> one = [T.One];
        Backward(loss, one);
    }

    /// <summary>Backpropagates from any output with an explicit upstream gradient dL/dy.</summary>
    /// <param name="output">A tensor produced on this tape that requires a gradient.</param>
    /// <param name="seed">dL/d<paramref name="output"/>, same length as it; added to its gradient.</param>
    /// <exception cref="ArgumentException">Lengths differ, or the output does not require a gradient.</exception>
    /// <exception cref="InvalidOperationException">Backward already ran on this tape.</exception>
    public void Backward(Tensor<T> output, ReadOnlySpan<T> seed)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_backwardDone) throw new InvalidOperationException("Backward: this tape has already been backpropagated; record a new tape per step.");
        if (output.Grad is null)
            throw new ArgumentException($"Backward: output {ShapeUtil.Format(output.Dims)} does not require a gradient (no input required one, or the tape is not recording).", nameof(output));
        if (seed.Length != output.Length)
            throw new ArgumentException($"Backward: output has {output.Length} elements, seed {seed.Length}.", nameof(seed));
        for (var i = 0; i < seed.Length; i++) output.Grad[i] += seed[i];
        for (var i = _backward.Count - 1; i >= 0; i--) _backward[i]();
        _backward.Clear();
        _backwardDone = true;
    }

    /// <summary>Returns every array this tape rented to its pool (no-op without a pool). All tensors the tape produced become
    /// invalid; parameters are unaffected.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _backward.Clear();
        if (_pool is null) return;
        foreach (var a in _rented) _pool.Return(a);
        _rented.Clear();
    }

    /// <summary>A zeroed array for an op's output, gradient or cache: from the pool when there is one.</summary>
    internal T[] Alloc(int length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_pool is null) return new T[length];
        var a = _pool.Rent(length);
        _rented.Add(a);
        return a;
    }

    /// <summary>Allocates an op's result; it requires a gradient when the tape records and <paramref name="requiresGrad"/>.</summary>
    private Tensor<T> NewResult(int[] shape, bool requiresGrad)
    {
        var n = ShapeUtil.Product(shape, "Result");
        var grad = IsRecording && requiresGrad;
        return new Tensor<T>(Alloc(n), grad ? Alloc(n) : null, shape);
    }

    internal Tensor<T> Result(int[] shape, Tensor<T> a) => NewResult(shape, a.RequiresGrad);

    internal Tensor<T> Result(int[] shape, Tensor<T> a, Tensor<T> b) => NewResult(shape, a.RequiresGrad || b.RequiresGrad);

    internal Tensor<T> Result(int[] shape, Tensor<T> a, Tensor<T> b, Tensor<T> c) => NewResult(shape, a.RequiresGrad || b.RequiresGrad || c.RequiresGrad);

    internal Tensor<T> Result(int[] shape, IReadOnlyList<Tensor<T>> inputs)
    {
        var any = false;
        foreach (var t in inputs) any |= t.RequiresGrad;
        return NewResult(shape, any);
    }

    /// <summary>Records <paramref name="backward"/> when <paramref name="y"/> takes part in differentiation.</summary>
    internal void Record(Tensor<T> y, Action backward)
    {
        if (y.RequiresGrad) _backward.Add(backward);
    }

    internal static T C(double v) => T.CreateTruncating(v);

    /// <summary>Runs body(start, end) over [0, count) split into <see cref="Threads"/> fixed contiguous chunks (chunk 0 on the
    /// calling thread). Only for work whose items are independent, so the result does not depend on the split.</summary>
    internal void RunChunks(int count, Action<int, int> body)
    {
        if (Team is not null)
        {
            Team.Run(count, body);
            return;
        }
        var chunks = Math.Min(Threads, count);
        if (chunks <= 1)
        {
            body(0, count);
            return;
        }
        var per = (count + chunks - 1) / chunks;
        var tasks = new Task[chunks - 1];
        for (var c = 1; c < chunks; c++)
        {
            int start = Math.Min(count, c * per), end = Math.Min(count, (c + 1) * per);
            tasks[c - 1] = Task.Run(() => body(start, end));
        }
        body(0, Math.Min(count, per));
        Task.WaitAll(tasks);
    }
}
