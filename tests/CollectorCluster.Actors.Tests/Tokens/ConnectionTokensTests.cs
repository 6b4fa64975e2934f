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

    private IActorRef Tokens(int sessions = 1, TimeSpan? sweep = null, int perServer = 4, TokenMetrics? metrics = null) =>
        _system.ActorOf(ConnectionTokens.Props(
            new TokenPoolSettings(sessions, 20, perServer, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(1)), _clock, sweep ?? TimeSpan.FromMilliseconds(50), metrics: metrics));

    private (IActorRef Probe, Task<long> Granted) Request(IActorRef tokens, string account, string server = "pop.example", int priority = 0)
    {
        var granted = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        return (_system.ActorOf(GrantProbe.Props(tokens, new RequestLease(account, server, priority), granted)), granted.Task);
    }

    private Task<TokenFigures> Figures(IActorRef tokens) => tokens.Ask<TokenFigures>(GetTokenFigures.Instance, Wait, Ct);

    /// <summary>Waits (by polling the figures, never by sleeping a guessed time) until the tokens reach a state.</summary>
    private async Task<TokenFigures> FiguresWhen(IActorRef tokens, Func<TokenFigures, bool> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            var f = await Figures(tokens);
            if (condition(f) || DateTime.UtcNow > deadline)
            {
                return f;
            }

            await Task.Delay(10, Ct);
        }
    }

    [Fact]
    public async Task A_stopped_holder_returns_its_lease_to_the_next_in_queue()
    {
        var tokens = Tokens(sessions: 1);
        var (first, firstGranted) = Request(tokens, "a");
        await firstGranted.WaitAsync(Wait, Ct);
        var (_, secondGranted) = Request(tokens, "b");
        await FiguresWhen(tokens, f => f.Queued == 1);
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
        var (first, firstGranted) = Request(tokens, "a");
        var id = await firstGranted.WaitAsync(Wait, Ct);
        var (waiter, _) = Request(tokens, "b");
        var (_, thirdGranted) = Request(tokens, "c");
        await FiguresWhen(tokens, f => f.Queued == 2);
        await waiter.GracefulStop(Wait);
        await FiguresWhen(tokens, f => f.Queued == 1);

        first.Tell(new ReleaseLease(id));
        await thirdGranted.WaitAsync(Wait, Ct);
        var figures = await tokens.Ask<TokenFigures>(GetTokenFigures.Instance, Wait, Ct);
        Assert.Equal(0, figures.Queued);
        Assert.Equal(1, figures.Held);
    }

    [Fact]
    public async Task A_lease_without_progress_is_revoked_counted_until_given_back_and_reclaimed_if_never()
    {
        var tokens = Tokens(sessions: 1);
        var leases = new ActorConnectionLeases();
        leases.Attach(_system, tokens);
        using var first = await leases.AcquireAsync("a", "pop.example", 0, Ct);
        var stuckRevoked = new TaskCompletionSource();
        var stuckGranted = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stuck = _system.ActorOf(GrantProbe.Props(tokens, new RequestLease("b", "pop.example", 0), stuckGranted, stuckRevoked));
        await FiguresWhen(tokens, f => f.Queued == 1);
        var lost = new TaskCompletionSource();
        using var registration = first.Lost.Register(() => lost.TrySetResult());

        // Progress renews the lease (lease-timeout 30 minutes): without it the lease would be revoked at 12:30.
        _clock.Advance(TimeSpan.FromMinutes(20));
        first.Progress(); // throttled to one report per 5 s of real time; the first is sent at once
        _clock.Advance(TimeSpan.FromMinutes(20));
        await Task.Delay(200, Ct); // a negative: several sweeps (every 50 ms) must pass without revoking; nothing to probe for
        await FiguresWhen(tokens, _ => true);
        Assert.False(lost.Task.IsCompleted);

        // No progress for lease-timeout since (12:40 at the latest): the session is told to abort, and its lease still
        // counts until it gives it back, so the next session waits.
        _clock.Advance(TimeSpan.FromMinutes(31));
        await lost.Task.WaitAsync(Wait, Ct);
        Assert.Equal(1, (await Figures(tokens)).Held);
        Assert.False(stuckGranted.Task.IsCompleted);
        first.Dispose();
        await stuckGranted.Task.WaitAsync(Wait, Ct);
        Assert.Equal(0, (await Figures(tokens)).ReclaimedTotal);

        // A holder that never gives a revoked lease back is stopped and its lease reclaimed after the grace.
        _clock.Advance(TimeSpan.FromMinutes(31));
        await stuckRevoked.Task.WaitAsync(Wait, Ct);
        var stopped = stuck.WatchAsync(Ct);
        _clock.Advance(ConnectionTokens.RevokeGrace);
        var f = await FiguresWhen(tokens, f => f.ReclaimedTotal == 1);
        Assert.Equal(1, f.ReclaimedTotal);
        Assert.Equal(0, f.Held);
        Assert.True(await stopped.WaitAsync(Wait, Ct));
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
    [Fact]
    public async Task The_router_caps_each_server_and_a_full_server_does_not_block_another()
    {
        var tokens = Tokens(sessions: 10, perServer: 2);
        var a = Enumerable.Range(0, 5).Select(i => Request(tokens, "a" + i, "POP-A.example")).ToList();
        await FiguresWhen(tokens, f => f.Held == 2 && f.Queued == 3);
        var (_, bGranted) = Request(tokens, "b0", "pop-b.example");
        await bGranted.WaitAsync(Wait, Ct); // pop-a is full with three waiting; pop-b still gets its slot

        var f = await FiguresWhen(tokens, f => f.Held == 3);
        Assert.Equal(3, f.Held);
        Assert.Equal(3, f.Queued);
        var perServer = f.Servers.ToDictionary(s => s.Server);
        Assert.Equal(2, perServer["pop-a.example"].Held);
        Assert.Equal(3, perServer["pop-a.example"].Queued);
        Assert.Equal(1, perServer["pop-b.example"].Held);
        Assert.Equal(2, a.Count(r => r.Granted.IsCompleted));
    }

    [Fact]
    public async Task An_important_session_on_another_server_goes_first()
    {
        var tokens = Tokens(sessions: 1);
        var (first, firstGranted) = Request(tokens, "first", "pop-a.example");
        var firstId = await firstGranted.WaitAsync(Wait, Ct);
        var low = Enumerable.Range(0, 4).Select(i => Request(tokens, "low" + i, "pop-b.example")).ToList();
        await FiguresWhen(tokens, f => f.Queued == 4);
        var (_, importantGranted) = Request(tokens, "vip", "pop-c.example", priority: 5);
        await FiguresWhen(tokens, f => f.Queued == 5);

        first.Tell(new ReleaseLease(firstId));

        await importantGranted.WaitAsync(Wait, Ct);
        var f = await Figures(tokens);
        Assert.Equal(1, f.Held);
        Assert.All(low, r => Assert.False(r.Granted.IsCompleted));
    }

    [Fact]
    public async Task Many_concurrent_sessions_never_exceed_any_cap_and_every_lease_returns()
    {
        const int sessions = 4, perServer = 2;
        var tokens = Tokens(sessions: sessions, perServer: perServer);
        var leases = new ActorConnectionLeases();
        leases.Attach(_system, tokens);
        var servers = new[] { "pop0.example", "pop1.example", "pop2.example", "pop3.example", "pop4.example" };
        var live = 0;
        var maxLive = 0;
        var perServerLive = new int[servers.Length];
        var perServerMax = new int[servers.Length];
        var gate = new object();
        var random = new Random(42);
        var plans = Enumerable.Range(0, 300).Select(i => (Server: random.Next(servers.Length), Priority: random.Next(-1, 2), Cancel: random.Next(10) == 0)).ToList();

        async Task Session(int i)
        {
            var (server, priority, cancel) = plans[i];
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            if (cancel)
            {
                cts.CancelAfter(TimeSpan.FromMilliseconds(i % 7));
            }

            IConnectionLease lease;
            try
            {
                lease = await leases.AcquireAsync("acct" + i, servers[server], priority, cts.Token);
            }
            catch (OperationCanceledException) when (cancel)
            {
                return;
            }

            using (lease)
            {
                lock (gate)
                {
                    maxLive = Math.Max(maxLive, ++live);
                    perServerMax[server] = Math.Max(perServerMax[server], ++perServerLive[server]);
                }

                await Task.Yield();
                lease.MarkConnected();
                await Task.Yield();
                lock (gate)
                {
                    live--;
                    perServerLive[server]--;
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, plans.Count).Select(i => Task.Run(() => Session(i), Ct)));

        Assert.InRange(maxLive, 1, sessions);
        Assert.All(perServerMax, m => Assert.InRange(m, 0, perServer));
        var f = await FiguresWhen(tokens, f => f.Held == 0 && f.Queued == 0);
        Assert.Equal(0, f.Held);
        Assert.Equal(0, f.Queued);
        Assert.Equal(0, f.Connecting);
        // Only a cancel that overtakes its own grant in flight can leave a slot to DeathWatch (counted as reclaimed).
        Assert.InRange(f.ReclaimedTotal, 0, plans.Count(p => p.Cancel));
        Assert.True(f.GrantedTotal >= plans.Count(p => !p.Cancel), $"granted {f.GrantedTotal}");
        TestContext.Current.TestOutputHelper?.WriteLine($"max live {maxLive}, per server {string.Join(",", perServerMax)}, wait p50 {f.WaitP50.TotalMilliseconds} ms, max {f.WaitMax.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task The_meter_reports_grants_waits_held_queued_and_reclaims_per_server()
    {
        using var metrics = new TokenMetrics();
        var measurements = new System.Collections.Concurrent.ConcurrentBag<(string Instrument, double Value, string? Server)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record<T>(System.Diagnostics.Metrics.Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
            where T : struct
        {
            string? server = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "server")
                {
                    server = tag.Value as string;
                }
            }

            measurements.Add((instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), server));
        }

        listener.SetMeasurementEventCallback<int>(Record);
        listener.SetMeasurementEventCallback<long>(Record);
        listener.SetMeasurementEventCallback<double>(Record);
        listener.Start();
        Assert.Equal(TokenMetrics.MeterName, metrics.Meter.Name);

        var tokens = Tokens(sessions: 1, metrics: metrics);
        var (first, firstGranted) = Request(tokens, "a", "pop-m.example");
        await firstGranted.WaitAsync(Wait, Ct);
        var (_, secondGranted) = Request(tokens, "b", "pop-m.example");
        await FiguresWhen(tokens, f => f.Queued == 1);
        listener.RecordObservableInstruments();
        Assert.Contains(("collector.tokens.held", 1.0, "pop-m.example"), measurements);
        Assert.Contains(("collector.tokens.queued", 1.0, "pop-m.example"), measurements);

        await first.GracefulStop(Wait); // dies holding its lease: reclaimed
        await secondGranted.WaitAsync(Wait, Ct);
        await FiguresWhen(tokens, f => f.ReclaimedTotal == 1);

        Assert.Equal(2, measurements.Count(m => m.Instrument == "collector.tokens.granted" && m.Server == "pop-m.example"));
        Assert.Equal(2, measurements.Count(m => m.Instrument == "collector.tokens.wait" && m.Server == "pop-m.example" && m.Value >= 0));
        Assert.Contains(("collector.tokens.reclaimed", 1.0, "pop-m.example"), measurements);
    }
}
