using LeanModels.Models.Cli;
using LeanModels.Models.IO;
using LeanModels.Models.Research;

namespace LeanModels.Tests.Models.Cli;

public class CommandsTests
{
    private static (int Code, string Err) Guard(Func<int> body, CancellationToken token = default)
    {
        var stderr = new StringWriter();
        return (Commands.Guard(stderr, token, body), stderr.ToString());
    }

    [Test]
    public void Guard_ArgumentExceptionFromOurCode_IsABugExitOneWithTrace()
    {
        var (code, err) = Guard(() => throw new ArgumentOutOfRangeException("count", 3, "internal invariant"));
        Assert.That(code, Is.EqualTo(ExitCodes.Unexpected));
        Assert.That(err, Does.StartWith("unexpected error (a bug): System.ArgumentOutOfRangeException").And.Contain(" at "));
    }

    [Test]
    public void Guard_ValidationErrors_ExitTwoWithoutDotNetInternals()
    {
        foreach (var e in new Exception[] { new UsageException("--x: bad."), new InvalidOptionException("horizon 9 is longer than the data.") })
        {
            var (code, err) = Guard(() => throw e);
            Assert.That(code, Is.EqualTo(ExitCodes.Usage), e.GetType().Name);
            Assert.That(err, Is.EqualTo($"error: {e.Message}{Environment.NewLine}"));
            Assert.That(err, Does.Not.Contain("(Parameter"));
        }
    }

    [Test]
    public void Guard_BadDataExitsThree_RefusedOutputExitsFour()
    {
        Assert.That(Guard(() => throw new InvalidDataException("f.zip: damaged")).Code, Is.EqualTo(ExitCodes.BadData));
        var (code, err) = Guard(() => throw new OutputRefusedException("refusing to replace /x: not ours."));
        Assert.That(code, Is.EqualTo(ExitCodes.OutputFailed));
        Assert.That(err, Is.EqualTo($"error: refusing to replace /x: not ours.{Environment.NewLine}"));
    }

    [Test]
    public void Guard_Cancellation_ExitsOneThirtyOnlyWhenOurTokenWasCancelled()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var (code, err) = Guard(() => throw new OperationCanceledException(cts.Token), cts.Token);
        Assert.That((code, err), Is.EqualTo((ExitCodes.Cancelled, "cancelled" + Environment.NewLine)));
        var (stray, _) = Guard(() => throw new OperationCanceledException());   // nobody asked to cancel: a bug
        Assert.That(stray, Is.EqualTo(ExitCodes.Unexpected));
    }
}
