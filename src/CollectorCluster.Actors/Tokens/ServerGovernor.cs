using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using CollectorCluster.Core.Tokens;

namespace CollectorCluster.Actors.Tokens;

/// <summary>
/// One POP3 server's budget for the whole cluster (<see cref="ServerBudget"/>): every node's sessions for that server
/// queue here and at most max-per-server leases are held at once, however many nodes there are. In a cluster it is a
/// sharded entity keyed by the lower-cased host, so exactly one exists; a node that asks is death-watched, and when it
/// leaves (down, or its tokens stop) its leases come back. A governor that starts (first use, hand-off, or its node
/// died) calls the roll of every member's tokens and grants nothing until all have answered, so leases held by
/// sessions still connected elsewhere are counted before any new one is given out.
/// </summary>
public sealed class ServerGovernor : ReceiveActor, IWithTimers
{
    /// <summary>How long a governor waits for a member that does not answer its roll call before it opens anyway (logged).</summary>
    public static readonly TimeSpan RollCallLimit = TimeSpan.FromSeconds(30);

    /// <summary>A governor with nothing held or waiting for this long stops (sharding starts it again on the next request).</summary>
    public static readonly TimeSpan IdleAfter = TimeSpan.FromMinutes(2);

    private readonly ServerBudget _budget;
    private readonly TimeProvider _clock;
    private readonly bool _sharded;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, IActorRef> _owners = new(StringComparer.Ordinal);
    private readonly HashSet<Address> _pending = [];
    private bool _open;

    /// <summary>Creates the governor of <paramref name="server"/>.</summary>
    /// <param name="server">The host name (lower-cased here).</param>
    /// <param name="maxPerServer">The cluster-wide cap.</param>
    /// <param name="agingStep">One more priority per step waited.</param>
    /// <param name="clock">The clock.</param>
    /// <param name="sharded">A sharded entity (calls the roll of the cluster, passivates when idle); false: one node, no roll call.</param>
    public ServerGovernor(string server, int maxPerServer, TimeSpan agingStep, TimeProvider clock, bool sharded)
    {
        _budget = new ServerBudget(server, maxPerServer, agingStep);
        _clock = clock;
        _sharded = sharded;

        Receive<AcquireServerLease>(m =>
        {
            Own(Sender);
            _budget.Request(m.LeaseId, Key(Sender), m.AccountId, m.Priority, m.Since);
            Dispatch();
        });
        Receive<ReleaseServerLease>(m =>
        {
            if (_budget.Release(m.LeaseId))
            {
                Dispatch();
            }
        });
        Receive<RollCallAnswer>(m =>
        {
            Own(Sender);
            _budget.Adopt(Key(Sender), m.Leases);
            _pending.Remove(AddressOf(Sender));
            OpenIfAllAnswered();
        });
        Receive<ClusterEvent.MemberRemoved>(m =>
        {
            _pending.Remove(m.Member.Address);
            OpenIfAllAnswered();
        });
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<RollCallOverdue>(_ =>
        {
            if (!_open)
            {
                _log.Warning("Server {0}: no roll-call answer from {1} within {2}; granting from what the others reported", _budget.Server, string.Join(", ", _pending), RollCallLimit);
                _pending.Clear();
                OpenIfAllAnswered();
            }
        });
        Receive<Terminated>(t =>
        {
            var key = Key(t.ActorRef);
            _owners.Remove(key);
            var reclaimed = _budget.ReclaimOwner(key);
            if (reclaimed > 0)
            {
                _log.Warning("Server {0}: {1} lease(s) of {2} reclaimed (its node left or its tokens stopped)", _budget.Server, reclaimed, t.ActorRef.Path.Address);
            }

            Dispatch();
        });
        Receive<GetServerFigures>(_ => Sender.Tell(new ServerFigures([_budget.Figures()])));
        Receive<ReceiveTimeout>(_ =>
        {
            if (_sharded && _budget.IsIdle)
            {
                Context.Parent.Tell(new Akka.Cluster.Sharding.Passivate(StopServerGovernor.Instance));
            }
        });
        Receive<StopServerGovernor>(_ => Context.Stop(Self));
    }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for the governor of one server.</summary>
    public static Props Props(string server, int maxPerServer, TimeSpan agingStep, TimeProvider clock, bool sharded) =>
        Akka.Actor.Props.Create(() => new ServerGovernor(server, maxPerServer, agingStep, clock, sharded));

    /// <inheritdoc />
    protected override void PreStart()
    {
        if (!_sharded)
        {
            _open = true;
            return;
        }

        Context.SetReceiveTimeout(IdleAfter);
        var cluster = Cluster.Get(Context.System);
        cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberRemoved));
        foreach (var member in cluster.State.Members.Where(m => m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Leaving or MemberStatus.Exiting or MemberStatus.Joining))
        {
            _pending.Add(member.Address);
            Context.ActorSelection(new RootActorPath(member.Address) / "user" / ConnectionTokens.Name).Tell(new RollCall(_budget.Server));
        }

        Timers.StartSingleTimer("roll-call", RollCallOverdue.Instance, RollCallLimit);
        OpenIfAllAnswered();
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        if (_sharded)
        {
            Cluster.Get(Context.System).Unsubscribe(Self);
        }
    }

    private static string Key(IActorRef owner) => owner.Path.ToStringWithUid();

    private Address AddressOf(IActorRef actor) =>
        actor.Path.Address.HasLocalScope ? Cluster.Get(Context.System).SelfAddress : actor.Path.Address;

    private void Own(IActorRef owner)
    {
        if (_owners.TryAdd(Key(owner), owner))
        {
            Context.Watch(owner);
        }
    }

    private void OpenIfAllAnswered()
    {
        if (_open || _pending.Count > 0)
        {
            return;
        }

        _open = true;
        Timers.Cancel("roll-call");
        Dispatch();
    }

    private void Dispatch()
    {
        if (!_open)
        {
            return;
        }

        foreach (var grant in _budget.Grant(_clock.GetUtcNow()))
        {
            if (_owners.TryGetValue(grant.Owner, out var owner))
            {
                owner.Tell(new ServerLeaseGranted(_budget.Server, grant.LeaseId));
            }
            else
            {
                _budget.Release(grant.LeaseId); // its node is gone
            }
        }
    }

    private sealed class RollCallOverdue
    {
        public static readonly RollCallOverdue Instance = new();
    }
}
