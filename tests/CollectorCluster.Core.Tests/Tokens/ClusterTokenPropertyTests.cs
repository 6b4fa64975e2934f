using CollectorCluster.Core.Tokens;

namespace CollectorCluster.Core.Tests.Tokens;

/// <summary>
/// The cluster's connection tokens simulated as the actors run them: several nodes, each with its own
/// <see cref="TokenPool"/> (max-pop3-clients, max-connecting), and one <see cref="ServerBudget"/> per server for the
/// whole cluster (max-per-server). A session asks its server's governor first, then its node's pool. Messages between
/// nodes and governors are in flight and delivered in random order (FIFO per channel); governors restart (their node
/// died or their shard moved: a fresh budget that calls the roll and grants nothing until every live node answered)
/// and nodes die (their sessions vanish, the governors reclaim their leases). A replaced governor's messages may arrive
/// after its successor's (FIFO per sender only): a node hands a grant from any governor but the one that last called
/// its roll back to that sender and asks again, until DeathWatch says the old one is gone. Fixed seeds. Checked at every step: no
/// server ever has more live sessions than its cap, no node more than its own; at the end every surviving request
/// was granted (nothing stalls).
/// </summary>
public class ClusterTokenPropertyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(0, 40)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Server_caps_hold_cluster_wide_through_restarts_and_node_deaths_and_nothing_stalls(int seed)
    {
        var random = new Random(seed);
        var sim = new Simulation(random, nodes: random.Next(2, 5), servers: random.Next(1, 4), maxPerServer: random.Next(1, 4), maxSessions: random.Next(1, 5));
        for (var step = 0; step < 3000; step++)
        {
            sim.Now = sim.Now.AddSeconds(random.Next(0, 3));
            switch (random.Next(100))
            {
                case < 30:
                    sim.Request();
                    break;
                case < 40:
                    sim.WithdrawSome();
                    break;
                case < 48:
                    sim.ConnectSome();
                    break;
                case < 62:
                    sim.EndSome();
                    break;
                case < 64:
                    sim.RestartGovernor();
                    break;
                case < 65 when sim.LiveNodes > 1:
                    sim.KillNode();
                    break;
                default:
                    sim.DeliverOne();
                    break;
            }

            sim.CheckCaps();
        }

        // Drain: sessions end, messages arrive, until every surviving request has had its turn.
        for (var round = 0; round < 100_000 && (sim.InFlight || sim.Sessions.Count > 0 || sim.WaitingCount > 0); round++)
        {
            if (sim.InFlight)
            {
                sim.DeliverOne();
            }
            else
            {
                sim.EndSome(all: true);
            }

            sim.CheckCaps();
        }

        Assert.Equal(0, sim.WaitingCount);
        Assert.True(sim.Granted > 0);
    }

    private sealed class Simulation(Random random, int nodes, int servers, int maxPerServer, int maxSessions)
    {
        private readonly List<Node> _nodes = [.. Enumerable.Range(0, nodes).Select(i => new Node("node" + i, new TokenPool(new TokenPoolSettings(maxSessions, Math.Max(1, maxSessions - 1), maxSessions, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(1)))))];
        private readonly List<Governor> _governors = [.. Enumerable.Range(0, servers).Select(i => new Governor("pop" + i + ".example", maxPerServer))];
        private long _next;

        public DateTimeOffset Now { get; set; } = T0;

        public long Granted { get; private set; }

        public int LiveNodes => _nodes.Count(n => n.Alive);

        public List<(Node Node, Request Request)> Sessions => [.. _nodes.Where(n => n.Alive).SelectMany(n => n.Requests.Values.Where(r => r.Granted).Select(r => (n, r)))];

        public int WaitingCount => _nodes.Where(n => n.Alive).Sum(n => n.Requests.Values.Count(r => !r.Granted));

        public bool InFlight => _nodes.Any(n => n.Alive && (n.ToGovernors.Count > 0 || n.FromGovernors.Count > 0));

        public void Request()
        {
            var node = Pick(_nodes.Where(n => n.Alive));
            var governor = Pick(_governors);
            var id = $"{node.Name}-{++_next}";
            var r = new Request(id, governor.Server, random.Next(0, 3), Now);
            node.Requests[id] = r;
            node.ToGovernors.Enqueue(new Msg(governor.Server, id, Kind.Acquire));
        }

        public void WithdrawSome()
        {
            var waiting = _nodes.Where(n => n.Alive).SelectMany(n => n.Requests.Values.Where(r => !r.Granted).Select(r => (n, r))).ToList();
            if (waiting.Count > 0)
            {
                var (node, r) = waiting[random.Next(waiting.Count)];
                Free(node, r);
            }
        }

        public void ConnectSome()
        {
            var connecting = Sessions.Where(s => s.Request.Connecting).ToList();
            if (connecting.Count > 0)
            {
                var (node, r) = connecting[random.Next(connecting.Count)];
                r.Connecting = false;
                Assert.True(node.Pool.Connected(r.PoolId!.Value, Now));
                Dispatch(node);
            }
        }

        public void EndSome(bool all = false)
        {
            var sessions = Sessions;
            foreach (var (node, r) in all ? sessions : sessions.Count == 0 ? [] : [sessions[random.Next(sessions.Count)]])
            {
                Free(node, r);
            }
        }

        /// <summary>The governor's node died or its shard moved: a fresh one calls the roll of every live node.</summary>
        public void RestartGovernor()
        {
            var g = Pick(_governors);
            foreach (var node in _nodes.Where(n => n.Alive))
            {
                node.FromGovernors.Add(new Msg(g.Server, "", Kind.Terminated, g.Incarnation)); // DeathWatch: after its last message
            }

            g.Budget = new ServerBudget(g.Server, g.Max, TimeSpan.FromMinutes(1));
            g.Incarnation++;
            g.Pending = [.. _nodes.Where(n => n.Alive).Select(n => n.Name)];
            foreach (var node in _nodes.Where(n => n.Alive))
            {
                node.FromGovernors.Add(new Msg(g.Server, "", Kind.RollCall, g.Incarnation));
            }
        }

        /// <summary>A node dies: its sessions end with it (the kernel closes them), governors reclaim by DeathWatch.</summary>
        public void KillNode()
        {
            var node = Pick(_nodes.Where(n => n.Alive));
            node.Alive = false;
            node.ToGovernors.Clear();
            node.FromGovernors.Clear();
            foreach (var g in _governors)
            {
                g.Budget.ReclaimOwner(node.Name);
                g.Pending.Remove(node.Name);
                Grant(g);
            }
        }

        public void DeliverOne()
        {
            var busy = _nodes.Where(n => n.Alive).SelectMany(n => new[] { (n, Up: true, n.ToGovernors.Count), (n, Up: false, n.FromGovernors.Count) }).Where(c => c.Count > 0).ToList();
            if (busy.Count == 0)
            {
                return;
            }

            var (node, up, _) = busy[random.Next(busy.Count)];
            if (up)
            {
                var m = node.ToGovernors.Dequeue();
                var g = _governors.Single(x => x.Server == m.Server); // the region routes to whichever incarnation is live
                switch (m.Kind)
                {
                    case Kind.Acquire:
                        if (node.Requests.TryGetValue(m.LeaseId, out var r))
                        {
                            g.Budget.Request(m.LeaseId, node.Name, m.LeaseId, r.Priority, r.Since);
                        }

                        break;
                    case Kind.Release:
                    case Kind.ReleaseTo when m.Incarnation == g.Incarnation:
                        g.Budget.Release(m.LeaseId);
                        break;
                    case Kind.Answer when m.Incarnation == g.Incarnation:
                        g.Budget.Adopt(node.Name, m.Reports!);
                        g.Pending.Remove(node.Name);
                        break;
                }

                Grant(g);
            }
            else
            {
                // FIFO per sender only: a replaced governor's grant may arrive after its successor's roll call.
                var senders = node.FromGovernors.Select(x => (x.Server, x.Incarnation)).Distinct().ToList();
                var sender = senders[random.Next(senders.Count)];
                var m = node.FromGovernors.First(x => (x.Server, x.Incarnation) == sender);
                node.FromGovernors.Remove(m);
                if (m.Kind == Kind.Terminated)
                {
                    if (node.Current.TryGetValue(m.Server, out var watched) && watched == m.Incarnation)
                    {
                        node.Current.Remove(m.Server);
                    }

                    return;
                }

                if (m.Kind == Kind.RollCall)
                {
                    node.Current[m.Server] = m.Incarnation;
                    var reports = node.Requests.Values.Where(r => r.Server == m.Server).Select(r => new LeaseReport(r.Id, r.Id, r.Priority, r.Since, r.ServerHeld)).ToList();
                    node.ToGovernors.Enqueue(new Msg(m.Server, "", Kind.Answer, m.Incarnation, reports));
                    return;
                }

                // A grant from a governor other than the one that last called the roll: maybe a replaced one's. Handed
                // back and asked again through the region, so the live governor's count stays right and nothing stalls.
                if (node.Current.TryGetValue(m.Server, out var current) && current != m.Incarnation)
                {
                    if (node.Requests.ContainsKey(m.LeaseId))
                    {
                        node.ToGovernors.Enqueue(new Msg(m.Server, m.LeaseId, Kind.ReleaseTo, m.Incarnation)); // to that sender: dropped if it is gone
                        node.ToGovernors.Enqueue(new Msg(m.Server, m.LeaseId, Kind.Acquire));
                    }

                    return;
                }

                node.Current[m.Server] = m.Incarnation;
                if (!node.Requests.TryGetValue(m.LeaseId, out var r))
                {
                    node.ToGovernors.Enqueue(new Msg(m.Server, m.LeaseId, Kind.Release));
                    return;
                }

                if (r.ServerHeld)
                {
                    return;
                }

                r.ServerHeld = true;
                r.PoolId = node.Pool.Request(r.Id, r.Server, r.Priority, r.Since);
                Dispatch(node);
            }
        }

        public void CheckCaps()
        {
            var sessions = Sessions;
            foreach (var perServer in sessions.GroupBy(s => s.Request.Server))
            {
                Assert.True(perServer.Count() <= maxPerServer, $"{perServer.Key}: {perServer.Count()} live sessions over the cluster cap {maxPerServer}");
            }

            foreach (var perNode in sessions.GroupBy(s => s.Node.Name))
            {
                Assert.True(perNode.Count() <= maxSessions, $"{perNode.Key}: {perNode.Count()} sessions over its cap {maxSessions}");
            }
        }

        private void Grant(Governor g)
        {
            if (g.Pending.Count > 0)
            {
                return; // the roll call is not complete: nothing is granted
            }

            foreach (var grant in g.Budget.Grant(Now))
            {
                var owner = _nodes.Single(n => n.Name == grant.Owner);
                owner.FromGovernors.Add(new Msg(g.Server, grant.LeaseId, Kind.Granted, g.Incarnation));
            }
        }

        private void Dispatch(Node node)
        {
            foreach (var grant in node.Pool.Dispatch(Now))
            {
                var r = node.Requests.Values.Single(x => x.PoolId == grant.LeaseId);
                r.Granted = true;
                r.Connecting = true;
                Granted++;
            }
        }

        private void Free(Node node, Request r)
        {
            node.Requests.Remove(r.Id);
            if (r.PoolId is { } poolId)
            {
                node.Pool.Release(poolId);
            }

            node.ToGovernors.Enqueue(new Msg(r.Server, r.Id, Kind.Release));
            Dispatch(node);
        }

        private T Pick<T>(IEnumerable<T> items)
        {
            var list = items.ToList();
            return list[random.Next(list.Count)];
        }
    }

    private enum Kind
    {
        Acquire,
        Release,
        Answer,
        RollCall,
        Granted,
        Terminated,
        ReleaseTo,
    }

    private sealed record Msg(string Server, string LeaseId, Kind Kind, int Incarnation = 0, IReadOnlyList<LeaseReport>? Reports = null);

    private sealed class Node(string name, TokenPool pool)
    {
        public string Name { get; } = name;

        public TokenPool Pool { get; } = pool;

        public bool Alive { get; set; } = true;

        public Dictionary<string, Request> Requests { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, int> Current { get; } = new(StringComparer.Ordinal);

        public Queue<Msg> ToGovernors { get; } = new();

        public List<Msg> FromGovernors { get; } = [];
    }

    private sealed class Request(string id, string server, int priority, DateTimeOffset since)
    {
        public string Id { get; } = id;

        public string Server { get; } = server;

        public int Priority { get; } = priority;

        public DateTimeOffset Since { get; } = since;

        public bool ServerHeld { get; set; }

        public long? PoolId { get; set; }

        public bool Granted { get; set; }

        public bool Connecting { get; set; }
    }

    private sealed class Governor(string server, int max)
    {
        public string Server { get; } = server;

        public int Max { get; } = max;

        public ServerBudget Budget { get; set; } = new(server, max, TimeSpan.FromMinutes(1));

        public int Incarnation { get; set; }

        public HashSet<string> Pending { get; set; } = [];
    }
}
