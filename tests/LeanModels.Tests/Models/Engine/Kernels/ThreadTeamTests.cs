using System.Collections.Concurrent;
using LeanModels.Models.Engine;
using LeanModels.Models.Engine.Kernels;

namespace LeanModels.Tests.Models.Engine.Kernels;

/// <summary>The persistent worker team: fixed chunks, reuse across many calls, errors, disposal.</summary>
public class ThreadTeamTests
{
    [Test]
    public void Run_TenItemsTwoThreads_FixedContiguousChunks()
    {
        // ⌈10 / 2⌉ = 5 items per chunk: [0, 5) on the caller, [5, 10) on the worker.
        using var team = new ThreadTeam(2);
        var calls = new ConcurrentBag<(int, int, bool)>();
        var caller = Environment.CurrentManagedThreadId;
        team.Run(10, (s, e) => calls.Add((s, e, Environment.CurrentManagedThreadId == caller)));
        Assert.That(calls.OrderBy(c => c.Item1), Is.EqualTo(new[] { (0, 5, true), (5, 10, false) }));
    }

    [Test]
    public void Run_ManyCallsWithSpinningAndBlockedWorker_EveryItemOnce()
    {
        // 2000 back-to-back calls (the worker spins between them), then one after a pause long enough for it to block.
        using var team = new ThreadTeam(2);
        var hits = new int[7];
        for (var r = 0; r < 2000; r++) team.Run(7, (s, e) => { for (var i = s; i < e; i++) Interlocked.Increment(ref hits[i]); });
        Thread.Sleep(50);
        team.Run(7, (s, e) => { for (var i = s; i < e; i++) Interlocked.Increment(ref hits[i]); });
        Assert.That(hits, Is.All.EqualTo(2001));
    }

    [Test]
    public void Run_WorkerChunkThrows_AggregateExceptionAndTeamStillWorks()
    {
        using var team = new ThreadTeam(2);
        Assert.That(() => team.Run(4, (s, _) => { if (s == 2) throw new InvalidOperationException("chunk 1"); }),
            Throws.TypeOf<AggregateException>().With.InnerException.Message.EqualTo("chunk 1"));
        var sum = 0;
        team.Run(4, (s, e) => Interlocked.Add(ref sum, e - s));
        Assert.That(sum, Is.EqualTo(4));
    }

    [Test]
    public void Dispose_JoinsWorkers_ThenRunThrows()
    {
        var team = new ThreadTeam(2);
        Assert.That(team.LiveWorkers, Is.EqualTo(1));
        team.Dispose();
        Assert.That(team.LiveWorkers, Is.EqualTo(0));
        Assert.That(() => team.Run(4, (_, _) => { }), Throws.TypeOf<ObjectDisposedException>());
        team.Dispose();                                                                  // idempotent
    }

    [Test]
    public void Tape_TeamAndDifferentThreadCount_Throws()
    {
        using var team = new ThreadTeam(2);
        Assert.That(() => new Tape<float>(threads: 3, team: team), Throws.ArgumentException.With.Message.Contains("threads = 3"));
        Assert.That(new Tape<float>(team: team).Threads, Is.EqualTo(2));
    }
}
