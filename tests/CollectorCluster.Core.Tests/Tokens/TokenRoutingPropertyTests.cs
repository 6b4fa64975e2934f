using CollectorCluster.Core.Tokens;

namespace CollectorCluster.Core.Tests.Tokens;

/// <summary>
/// The routed design (one <see cref="ServerQueue"/> per server asking a node-wide <see cref="TokenPool"/> for slots)
/// simulated with the messages between them in flight and delivered in random order (FIFO per direction, as Akka
/// guarantees per sender–receiver pair). Fixed seeds. Checked at every step: the caps hold for the real sessions;
/// whenever nothing is in flight, nothing grantable waits and the pool's held slots are exactly the servers' leases
/// (no server holds a node slot it has nobody for); at the end every request was granted.
/// </summary>
public class TokenRoutingPropertyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<int> Seeds() => [1, 7, 42, 1234, 99_991, 31_337];

    private abstract record ToPool(long Ticket);

    private sealed record Ask(long Ticket, SlotAsk What) : ToPool(Ticket);

    private sealed record Give(long Ticket) : ToPool(Ticket);

    private sealed record Connect(long Ticket) : ToPool(Ticket);

    private sealed record Rerank(long Ticket, SlotAsk What) : ToPool(Ticket);

    private sealed class Simulation
    {
        private readonly Random _random;
        private readonly Dictionary<string, ServerQueue> _servers = [];
        private readonly Dictionary<string, Queue<ToPool>> _up = [];
        private readonly Dictionary<string, Queue<long>> _down = [];
        private readonly Dictionary<(string, long), long> _poolIds = [];
        private readonly Dictionary<long, (string Server, long Ticket)> _tickets = [];
        private long _nextTicket;
        private long _nextRequest;

        public Simulation(Random random, TokenPoolSettings settings, int servers)
        {
            _random = random;
            Settings = settings;
            Pool = new TokenPool(settings);
            foreach (var name in Enumerable.Range(0, servers).Select(i => "pop" + i + ".example"))
            {
                _servers[name] = new ServerQueue(name, settings.MaxPerServer, settings.LeaseTimeout, settings.AgingStep);
                _up[name] = new Queue<ToPool>();
                _down[name] = new Queue<long>();
            }
        }

        public TokenPoolSettings Settings { get; }

        public TokenPool Pool { get; }

        public DateTimeOffset Now { get; set; } = T0;

        public Dictionary<long, (string Server, bool Connecting)> Sessions { get; } = [];

        public Dictionary<long, string> Waiting { get; } = [];

        public HashSet<long> Requested { get; } = [];

        public HashSet<long> Granted { get; } = [];

        public List<TimeSpan> Waits { get; } = [];

        public bool InFlight => _up.Values.Any(q => q.Count > 0) || _down.Values.Any(q => q.Count > 0);

        public IEnumerable<string> Servers => _servers.Keys;

        public long Request(string server, int priority)
        {
            var id = ++_nextRequest;
            _servers[server].Request(id, "acct" + id, priority, Now);
            Waiting[id] = server;
            Requested.Add(id);
            Pump(server);
            return id;
        }

        public void Withdraw(long id)
        {
            var server = Waiting[id];
            Waiting.Remove(id);
            foreach (var ticket in _servers[server].Release(id))
            {
                _up[server].Enqueue(new Give(ticket));
            }

            Pump(server);
        }

        public void Connected(long id)
        {
            var server = Sessions[id].Server;
            var ticket = _servers[server].Connected(id, Now);
            Assert.NotNull(ticket);
            Sessions[id] = (server, false);
            _up[server].Enqueue(new Connect(ticket.Value));
        }

        public void End(long id, bool died)
        {
            var server = Sessions[id].Server;
            Sessions.Remove(id);
            var queue = _servers[server];
            foreach (var ticket in died ? queue.Reclaim(id) : queue.Release(id))
            {
                _up[server].Enqueue(new Give(ticket));
            }

            Assert.Empty(queue.Release(id)); // idempotent
            Pump(server);
        }

        /// <summary>Delivers the head of one random non-empty channel.</summary>
        public void DeliverOne()
        {
            var busy = _up.Where(p => p.Value.Count > 0).Select(p => (p.Key, Up: true))
                .Concat(_down.Where(p => p.Value.Count > 0).Select(p => (p.Key, Up: false))).ToList();
            if (busy.Count == 0)
            {
                return;
            }

            var (server, up) = busy[_random.Next(busy.Count)];
            if (up)
            {
                switch (_up[server].Dequeue())
                {
                    case Ask a:
                        var id = Pool.Request("server:" + server, server, a.What.Priority, a.What.Since);
                        _poolIds[(server, a.Ticket)] = id;
                        _tickets[id] = (server, a.Ticket);
                        break;
                    case Give g:
                        Assert.True(_poolIds.Remove((server, g.Ticket), out var given), "a ticket given back that the pool never saw");
                        _tickets.Remove(given);
                        Assert.True(Pool.Release(given));
                        break;
                    case Rerank r:
                        Pool.Reprioritize(_poolIds[(server, r.Ticket)], r.What.Priority, r.What.Since);
                        break;
                    case Connect c:
                        // The lease may have ended and its ticket been given back already (messages in order: no).
                        Assert.True(Pool.Connected(_poolIds[(server, c.Ticket)], Now));
                        break;
                }

                foreach (var g in Pool.Dispatch(Now))
                {
                    var (owner, ticket) = _tickets[g.LeaseId];
                    _down[owner].Enqueue(ticket);
                }
            }
            else
            {
                var ticket = _down[server].Dequeue();
                var grant = _servers[server].Granted(ticket, Now);
                if (grant is { } g)
                {
                    Assert.True(Waiting.Remove(g.LeaseId), "granted a session that was not waiting");
                    Assert.True(Granted.Add(g.LeaseId), "granted twice");
                    Sessions[g.LeaseId] = (server, true);
                    Waits.Add(g.Waited);
                }

                Pump(server);
            }
        }

        public void CheckCaps()
        {
            Assert.True(Sessions.Count <= Settings.MaxSessions, $"{Sessions.Count} sessions over the cap {Settings.MaxSessions}");
            Assert.True(Sessions.Values.Count(s => s.Connecting) <= Settings.MaxConnecting, "connecting over the cap");
            foreach (var group in Sessions.Values.GroupBy(s => s.Server))
            {
                Assert.True(group.Count() <= Settings.MaxPerServer, $"{group.Key}: {group.Count()} sessions over the per-server cap");
            }

            var pool = Pool.Figures();
            Assert.True(pool.Held <= Settings.MaxSessions && pool.Connecting <= Settings.MaxConnecting);
            foreach (var (name, queue) in _servers)
            {
                Assert.True(queue.Held + queue.Asked <= queue.MaxPerServer, $"{name} asked beyond its cap");
                Assert.True(queue.Asked <= queue.Queued, $"{name} asked for more slots than it has sessions waiting");
                Assert.Equal(Sessions.Values.Count(s => s.Server == name), queue.Held);
                Assert.Equal(Waiting.Values.Count(s => s == name), queue.Queued);
            }
        }

        /// <summary>Nothing in flight: the state must be settled, with no slot idle while a session could use it.</summary>
        public void CheckSettled()
        {
            Assert.False(InFlight);
            var pool = Pool.Figures();
            Assert.Equal(Sessions.Count, pool.Held); // every node slot held is a session's lease
            Assert.Equal(Sessions.Values.Count(s => s.Connecting), pool.Connecting);
            Assert.Equal(_servers.Values.Sum(q => q.Asked), pool.Queued);
            foreach (var (name, queue) in _servers)
            {
                if (queue.Queued > 0)
                {
                    Assert.True(
                        queue.Held == queue.MaxPerServer || pool.Held == Settings.MaxSessions || pool.Connecting == Settings.MaxConnecting,
                        $"{name}: {queue.Queued} waiting with room everywhere (held {queue.Held}, node {pool.Held}, connecting {pool.Connecting})");
                }
            }
        }

        private void Pump(string server)
        {
            var queue = _servers[server];
            foreach (var (ticket, ask) in queue.Reranks(Now))
            {
                _up[server].Enqueue(new Rerank(ticket, ask));
            }

            foreach (var ask in queue.Asks(Now))
            {
                var ticket = ++_nextTicket;
                queue.TicketAsked(ticket, ask);
                _up[server].Enqueue(new Ask(ticket, ask));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Caps_hold_nothing_stalls_and_every_request_is_granted_under_any_message_order(int seed)
    {
        var random = new Random(seed);
        var settings = new TokenPoolSettings(random.Next(1, 11), random.Next(1, 8), random.Next(1, 5), TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(30));
        var sim = new Simulation(random, settings, random.Next(1, 7));
        var servers = sim.Servers.ToArray();

        for (var step = 0; step < 6000; step++)
        {
            sim.Now = sim.Now.AddSeconds(random.Next(0, 5));
            var action = random.Next(20);
            if (action < 4 && step < 5000)
            {
                sim.Request(servers[random.Next(servers.Length)], random.Next(-2, 3));
            }
            else if (action < 5 && sim.Waiting.Count > 0)
            {
                sim.Withdraw(sim.Waiting.Keys.ElementAt(random.Next(sim.Waiting.Count)));
            }
            else if (action < 7 && sim.Sessions.Values.Any(s => s.Connecting))
            {
                sim.Connected(sim.Sessions.Where(s => s.Value.Connecting).Select(s => s.Key).ElementAt(random.Next(sim.Sessions.Values.Count(s => s.Connecting))));
            }
            else if (action < 10 && sim.Sessions.Count > 0)
            {
                sim.End(sim.Sessions.Keys.ElementAt(random.Next(sim.Sessions.Count)), died: random.Next(4) == 0);
            }
            else
            {
                sim.DeliverOne();
            }

            sim.CheckCaps();
            if (!sim.InFlight)
            {
                sim.CheckSettled();
            }
        }

        // Drain: deliver everything, end every session; whatever still waits must get its turn.
        for (var guard = 0; guard < 1_000_000 && (sim.InFlight || sim.Sessions.Count > 0 || sim.Waiting.Count > 0); guard++)
        {
            sim.Now = sim.Now.AddSeconds(1);
            if (sim.InFlight)
            {
                sim.DeliverOne();
            }
            else
            {
                sim.CheckSettled();
                Assert.NotEmpty(sim.Sessions); // settled with sessions waiting and none held would be a stall
                sim.End(sim.Sessions.Keys.First(), died: false);
            }

            sim.CheckCaps();
        }

        Assert.Empty(sim.Waiting);
        Assert.Empty(sim.Sessions);
        var withdrawn = sim.Requested.Except(sim.Granted).Count();
        Assert.Equal(sim.Requested.Count - withdrawn, sim.Granted.Count);
        Assert.Equal(0, sim.Pool.Figures().Held);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Across_servers_an_important_session_goes_first_and_aging_bounds_every_wait(int seed)
    {
        var random = new Random(seed);
        // One node slot, many servers, messages in random order: a priority-5 request made while the slot is busy
        // must be the next granted, whatever the low-priority backlog on other servers; and with a steady flow of
        // new priority-2 work, an old priority-0 request still gets its turn (aging), within a bounded wait.
        var settings = new TokenPoolSettings(1, 1, 1, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(1));
        var sim = new Simulation(random, settings, 4);
        var servers = sim.Servers.ToArray();
        var first = sim.Request(servers[0], 0);
        Settle(sim);
        Assert.Contains(first, sim.Sessions.Keys);
        foreach (var i in Enumerable.Range(0, 20))
        {
            sim.Request(servers[1 + (i % 3)], 0);
        }

        var important = sim.Request(servers[2], 5);
        Settle(sim);
        sim.End(first, died: false);
        Settle(sim);
        Assert.Equal(important, Assert.Single(sim.Sessions.Keys));

        // Starvation bound: keep feeding priority-2 work; each session lasts 10 s.
        var oldest = sim.Waiting.Keys.Min();
        var since = sim.Now;
        while (sim.Waiting.ContainsKey(oldest))
        {
            sim.Request(servers[random.Next(servers.Length)], 2);
            sim.Now = sim.Now.AddSeconds(10);
            sim.End(sim.Sessions.Keys.Single(), died: false);
            Settle(sim);
            Assert.True(sim.Now - since < TimeSpan.FromHours(1), "the oldest priority-0 request starved");
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"seed {seed}: oldest priority-0 request waited {(sim.Now - since).TotalSeconds:0} s behind priority-2 work; longest wait {sim.Waits.Max().TotalSeconds:0} s");
    }

    private static void Settle(Simulation sim)
    {
        while (sim.InFlight)
        {
            sim.DeliverOne();
            sim.CheckCaps();
        }

        sim.CheckSettled();
    }
}
