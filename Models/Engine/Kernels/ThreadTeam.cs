namespace LeanModels.Models.Engine.Kernels;

/// <summary>
/// A caller-owned team of persistent worker threads for the engine's fixed-split parallel loops (SGEMM rows, attention
/// heads): <see cref="Threads"/> − 1 background workers wait on a spin barrier (then block, so an idle team costs no CPU),
/// and <see cref="Run"/> splits [0, count) into <see cref="Threads"/> fixed contiguous chunks, chunk 0 on the calling
/// thread. It replaces a <see cref="Task"/> per call, which on 2 vCPUs was slower than one thread
/// (../shared/docs/gemm-notes.md: "a dedicated worker thread with a spin barrier"). Pass it to a <see cref="Tape{T}"/>
/// (<c>team:</c>) or to <see cref="Sgemm.Multiply(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int, bool, bool, int, ThreadTeam?, bool)"/>,
/// and dispose it when done (the workers exit and are joined).
/// </summary>
/// <remarks>Not thread-safe: one <see cref="Run"/> at a time, and a body must not call <see cref="Run"/> on the same team.
/// The split depends only on count and <see cref="Threads"/>, so work whose chunks are independent gives the same bits for
/// any thread count.</remarks>
public sealed class ThreadTeam : IDisposable
{
    private const int SpinIterations = 500;                  // 500 × Thread.SpinWait(20) ≈ 0.3 ms (measured) before a worker blocks

    private readonly Thread[] _workers;
    private readonly object _gate = new();
    private Action<int, int>? _body;
    private int _count, _per;
    private int _generation;                                 // bumped once per Run; workers wait for a change
    private int _pending;                                    // workers still running the current job
    private Exception? _error;
    private volatile bool _stop;
    private bool _disposed;

    /// <summary>Starts <paramref name="threads"/> − 1 background worker threads.</summary>
    /// <param name="threads">Total threads including the caller's (≥ 1; 1 starts no worker).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> &lt; 1.</exception>
    public ThreadTeam(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Threads = threads;
        _workers = new Thread[threads - 1];
        for (var i = 0; i < _workers.Length; i++)
        {
            var index = i + 1;
            _workers[i] = new Thread(() => WorkerLoop(index)) { IsBackground = true, Name = $"LeanModels.ThreadTeam.{index}" };
            _workers[i].Start();
        }
    }

    /// <summary>Threads taking part in <see cref="Run"/>, the caller's included.</summary>
    public int Threads { get; }

    /// <summary>Number of worker threads still alive (0 after <see cref="Dispose"/>).</summary>
    internal int LiveWorkers => _workers.Count(w => w.IsAlive);

    /// <summary>Runs body(start, end) over [0, count) in min(<see cref="Threads"/>, count) fixed contiguous chunks of
    /// ⌈count / chunks⌉ items (chunk c on worker c, chunk 0 on the calling thread) and returns when all are done.</summary>
    /// <param name="count">Items (≥ 0).</param>
    /// <param name="body">Work on items [start, end); chunks must be independent.</param>
    /// <exception cref="ObjectDisposedException">The team was disposed.</exception>
    /// <exception cref="AggregateException">A worker's chunk threw (the calling thread's exception propagates as is).</exception>
    public void Run(int count, Action<int, int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var chunks = Math.Min(Threads, count);
        if (chunks <= 1)
        {
            if (count > 0) body(0, count);
            return;
        }
        var per = (count + chunks - 1) / chunks;
        _body = body;
        _count = count;
        _per = per;
        _error = null;
        Volatile.Write(ref _pending, _workers.Length);
        lock (_gate)
        {
            _generation++;                                   // publishes the job (lock release is a full fence)
            Monitor.PulseAll(_gate);
        }
        Exception? own = null;
        try { body(0, Math.Min(count, per)); }
        catch (Exception e) { own = e; }
        var spin = new SpinWait();
        while (Volatile.Read(ref _pending) != 0) spin.SpinOnce(sleep1Threshold: -1);
        _body = null;
        if (own is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(own);
        if (_error is not null) throw new AggregateException("ThreadTeam: a worker's chunk threw.", _error);
    }

    private void WorkerLoop(int index)
    {
        var seen = 0;
        while (true)
        {
            var spins = 0;
            while (Volatile.Read(ref _generation) == seen && !_stop)
            {
                if (++spins < SpinIterations) { Thread.SpinWait(20); continue; }
                lock (_gate)
                    while (_generation == seen && !_stop) Monitor.Wait(_gate);
            }
            if (_stop) return;
            seen = Volatile.Read(ref _generation);
            try
            {
                int start = Math.Min(_count, index * _per), end = Math.Min(_count, (index + 1) * _per);
                if (start < end) _body!(start, end);
            }
            catch (Exception e)
            {
                _error = e;
            }
            Interlocked.Decrement(ref _pending);
        }
    }

    /// <summary>Stops and joins the workers. Idempotent; must not be called while <see cref="Run"/> is in progress.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        lock (_gate)
        {
            _stop = true;
            Monitor.PulseAll(_gate);
        }
        foreach (var w in _workers) w.Join();
    }
}
