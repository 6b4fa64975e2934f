using Akka.Actor;
using CollectorCluster.Actors.Collection;
using CollectorCluster.Actors.Tokens;
using CollectorCluster.Core.Tokens;

namespace CollectorCluster.Actors.Tests.Tokens;

/// <summary>The tokens actor on a plain actor system: dead holders and expired leases give their slots back, cancelled waits withdraw.</summary>
public sealed class ConnectionTokensTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly ActorSystem _system = ActorSystem.Create("tokens-tests");
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _system.Dispose();

    private IActorRef Tokens(int sessions = 1, TimeSpan? sweep = null) =>
        _system.ActorOf(ConnectionTokens.Props(
            new TokenPoolSettings(sessions, 20, 4, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(1)), _clock, sweep ?? TimeSpan.FromMilliseconds(50)));

    private (IActorRef Probe, Task<long> Granted) Request(IActorRef tokens, string account, string server = "pop.example")
    {
        var granted = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        return (_system.ActorOf(GrantProbe.Props(tokens, new RequestLease(account, server, 0), granted)), granted.Task);
    }

    [Fact]
    public async Task A_stopped_holder_returns_its_lease_to_the_next_in_queue()
    {
        var tokens = Tokens(sessions: 1);
        var (first, firstGranted) = Request(tokens, "a");
        await firstGranted.WaitAsync(Wait, Ct);
        var (_, secondGranted) = Request(tokens, "b");
        await Task.Delay(200, Ct);
        Assert.False(secondGranted.IsCompleted);

        await first.GracefulStop(Wait);

        await secondGranted.WaitAsync(Wait, Ct);
        var figures = await tokens.Ask<TokenFigures>(GetTokenFigures.Instance, Wait, Ct);
        Assert.Equal(1, figures.Held);
        Assert.Equal(1, figures.ReclaimedTotal);
        Assert.Equal(0, figures.Queued);
    }

    [Fact]
    public async Task A_stopped_waiter_withdraws_its_request()
    {
        var tokens = Tokens(sessions: 1);
        var (_, firstGranted) = Request(tokens, "a");
        var id = await firstGranted.WaitAsync(Wait, Ct);
        var (waiter, _) = Request(tokens, "b");
        var (_, thirdGranted) = Request(tokens, "c");
        await waiter.GracefulStop(Wait);

        tokens.Tell(new ReleaseLease(id));
        await thirdGranted.WaitAsync(Wait, Ct);
        var figures = await tokens.Ask<TokenFigures>(GetTokenFigures.Instance, Wait, Ct);
        Assert.Equal(0, figures.Queued);
        Assert.Equal(1, figures.Held);
    }

    [Fact]
    public async Task Expired_leases_are_reclaimed_by_the_timer()
    {
        var tokens = Tokens(sessions: 1);
        var (_, firstGranted) = Request(tokens, "a");
        await firstGranted.WaitAsync(Wait, Ct);
        var (_, secondGranted) = Request(tokens, "b");

        _clock.Advance(TimeSpan.FromMinutes(31));

        await secondGranted.WaitAsync(Wait, Ct);
        var figures = await tokens.Ask<TokenFigures>(GetTokenFigures.Instance, Wait, Ct);
        Assert.Equal(1, figures.ReclaimedTotal);
    }

    [Fact]
    public async Task Leases_over_the_actor_cap_sessions_and_a_cancelled_wait_withdraws()
    {
        var tokens = Tokens(sessions: 1);
        var leases = new ActorConnectionLeases();
        var pending = leases.AcquireAsync("early", "pop.example", 0, Ct); // before attach: waits
        leases.Attach(_system, tokens);
        var first = await pending.WaitAsync(Wait, Ct);

        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leases.AcquireAsync("b", "pop.example", 0, cancel.Token));
        // The withdrawal travels by DeathWatch: wait until the pool has dropped it, then nothing else may get "b"'s turn.
        while ((await tokens.Ask<TokenFigures>(GetTokenFigures.Instance, Wait, Ct)).Queued != 0)
        {
            await Task.Delay(20, Ct);
        }

        var third = leases.AcquireAsync("c", "pop.example", 0, Ct);

        first.MarkConnected();
        first.Dispose();
        first.Dispose();
        using var thirdLease = await third.WaitAsync(Wait, Ct);

        var figures = await tokens.Ask<TokenFigures>(GetTokenFigures.Instance, Wait, Ct);
        Assert.Equal(0, figures.Queued);
        Assert.Equal(1, figures.Held);
        Assert.Equal(2, figures.GrantedTotal);
    }
}
