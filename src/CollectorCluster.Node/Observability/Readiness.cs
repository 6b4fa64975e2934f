using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Cluster;
using Akka.Persistence;

namespace CollectorCluster.Node.Observability;

/// <summary>
/// What <c>/readyz</c> answers: ready when this node is an Up member of its cluster, its journal answers (a
/// sequence-number read of a probe persistence id through the node's own journal plugin, so the database and the
/// plugin are both asked), and the command host listens (or is configured off). Each check says what it saw.
/// </summary>
public sealed class Readiness
{
    /// <summary>The persistence id the journal check reads (never written).</summary>
    public const string ProbePersistenceId = "readiness-probe";

    private readonly ActorSystem _system;
    private readonly TimeSpan _journalTimeout;
    private volatile string? _commandHost;

    /// <summary>Creates the checks for <paramref name="system"/>'s node.</summary>
    public Readiness(ActorSystem system, TimeSpan? journalTimeout = null)
    {
        _system = system;
        _journalTimeout = journalTimeout ?? TimeSpan.FromSeconds(5);
    }

    /// <summary>Records that the command host listens (with where), or that it is configured off.</summary>
    public void CommandHostReady(string detail) => _commandHost = detail;

    /// <summary>Runs every check.</summary>
    public async Task<IReadOnlyList<ReadinessCheck>> CheckAsync(CancellationToken cancellationToken)
    {
        var status = Cluster.Get(_system).SelfMember.Status;
        var member = new ReadinessCheck("member", status == MemberStatus.Up, status.ToString());
        var journal = await JournalAsync(cancellationToken).ConfigureAwait(false);
        var host = _commandHost is { } listening ? new ReadinessCheck("command-host", true, listening) : new ReadinessCheck("command-host", false, "not listening yet (it starts once the node is Up and its accounts are configured)");
        return [member, journal, host];
    }

    private async Task<ReadinessCheck> JournalAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var journal = Persistence.Instance.Apply(_system).JournalFor(null);
            // Sequence numbers 1..0: the journal reads the highest one from its database and replays nothing.
            var answer = await journal.Ask<object>(replyTo => new ReplayMessages(1, 0, 0, ProbePersistenceId, replyTo), _journalTimeout, cancellationToken).ConfigureAwait(false);
            var took = watch.Elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";
            return answer switch
            {
                RecoverySuccess => new ReadinessCheck("journal", true, $"answering ({took})"),
                ReplayMessagesFailure failure => new ReadinessCheck("journal", false, $"failed ({failure.Cause.GetType().Name}; the node log has the error)"),
                var other => new ReadinessCheck("journal", false, $"unexpected answer {other.GetType().Name}"),
            };
        }
        catch (AskTimeoutException)
        {
            return new ReadinessCheck("journal", false, $"no answer within {_journalTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
        }
    }
}
