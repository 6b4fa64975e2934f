using Akka.Actor;
using CollectorCluster.Actors.Accounts;
using Microsoft.Extensions.Logging;

namespace CollectorCluster.Node.Observability;

/// <summary>
/// Listens on the event stream for what accounts publish (<see cref="CollectionObserved"/>,
/// <see cref="JournalWriteObserved"/>) and records it: the metrics always, and with <c>collector.log.format = json</c>
/// one structured log entry per session, whose fields (account, server, outcome, cause, stage, counts) the JSON
/// formatter writes as they are. Text logs keep the account's own line only. Also takes the sampled account counts
/// (<see cref="AccountsCounted"/>) for the accounts gauge.
/// </summary>
public sealed class ObservationListener : ReceiveActor
{
    /// <summary>Creates the listener.</summary>
    public ObservationListener(CollectorMetrics metrics, ILogger? sessionLog)
    {
        Receive<CollectionObserved>(session =>
        {
            metrics.Record(session);
            if (sessionLog is not null)
            {
                var level = session.Outcome == "failed" ? LogLevel.Warning : LogLevel.Information;
                sessionLog.Log(
                    level,
                    "Session of account {account} on {server}: {outcome} (cause {cause}, stage {stage}): listed {listed}, collected {collected}, {bytes} bytes, deleted {deleted}, in {durationSeconds} s",
                    session.AccountId,
                    session.Server,
                    session.Outcome,
                    session.Cause,
                    session.Stage,
                    session.Listed,
                    session.Collected,
                    session.Bytes,
                    session.Deleted,
                    Math.Round(session.Duration.TotalSeconds, 3));
            }
        });
        Receive<JournalWriteObserved>(metrics.Record);
        Receive<AccountsCounted>(counted => metrics.SetAccounts(counted.ByStatus));
    }

    /// <summary>Props; <paramref name="sessionLog"/> null: no session entries (text logs).</summary>
    public static Props Props(CollectorMetrics metrics, ILogger? sessionLog) => Akka.Actor.Props.Create(() => new ObservationListener(metrics, sessionLog));

    /// <inheritdoc />
    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(CollectionObserved));
        Context.System.EventStream.Subscribe(Self, typeof(JournalWriteObserved));
    }

    /// <inheritdoc />
    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);
}
