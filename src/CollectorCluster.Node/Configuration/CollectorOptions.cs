using Akka.Cluster.Hosting;
using Akka.Configuration;
using Akka.Remote.Hosting;
using CollectorCluster.Actors.Collection;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Tokens;
using CollectorCluster.Node.CommandHost;

namespace CollectorCluster.Node.Configuration;

/// <summary>
/// Everything a node needs, parsed once and validated: the accounts, the journal, the caps, each section's typed
/// options, and Akka's own settings (<see cref="Hocon"/>): only the <c>akka</c> section of the node file over the
/// defaults' — the <c>collector</c> section (the accounts and their secrets above all) is read here and never handed to
/// Akka, so no Akka setting (<c>log-config-on-start</c>) can print it and an actor system does not keep a copy per node.
/// </summary>
public sealed record CollectorOptions(
    string ConfigFile,
    IReadOnlyList<AccountSettings> Accounts,
    JournalOptions Journal,
    TokenPoolSettings Tokens,
    int Shards,
    CollectionTuning Tuning,
    IReadOnlyList<string> Warnings,
    Config Hocon)
{
    /// <summary>Live POP3 sessions on this node at once (<c>collector.max-pop3-clients</c>).</summary>
    public int MaxPop3Clients => Tokens.MaxSessions;

    /// <summary>Where the node file's accounts take their secrets from (for the warnings about who may read them).</summary>
    public AccountSecretSources SecretSources { get; init; } = AccountSecretSources.None;

    /// <summary><c>collector.online</c>: the start condition and the optional probe.</summary>
    public required OnlineOptions Online { get; init; }

    /// <summary><c>collector.command-host</c>: where collectorctl's endpoint listens.</summary>
    public required CommandHostOptions CommandHost { get; init; }

    /// <summary><c>collector.secrets.key-file</c>, resolved (default <c>&lt;state-directory&gt;/node.key</c>): the cluster key.</summary>
    public required string KeyFile { get; init; }

    /// <summary><c>collector.cluster.tls</c>: mutual TLS between members.</summary>
    public ClusterTlsOptions Tls { get; init; } = ClusterTlsOptions.Off;

    /// <summary>True when the node is one of several (seed nodes listed): its cluster key must come from the shared file, never be made up.</summary>
    public bool JoinsCluster => Cluster.SeedNodes is { Length: > 0 };
    /// <summary><c>collector.runtime-accounts</c>: what accounts added at run time may deliver to (no mda:, Maildir only under its roots).</summary>
    public RuntimeAccountPolicy RuntimeAccounts { get; init; } = RuntimeAccountPolicy.None;

    /// <summary><c>collector.web</c>: the web console (off unless a port is set).</summary>
    public CollectorCluster.Node.Web.WebConsoleOptions Web { get; init; } = CollectorCluster.Node.Web.WebConsoleOptions.Off;

    /// <summary><c>collector.health</c>: the health and metrics listener (off unless a port is set).</summary>
    public CollectorCluster.Node.Observability.HealthOptions Health { get; init; } = CollectorCluster.Node.Observability.HealthOptions.Off;

    /// <summary><c>collector.log.format</c>: text or JSON lines on standard error.</summary>
    public CollectorCluster.Node.Observability.LogFormat LogFormat { get; init; } = CollectorCluster.Node.Observability.LogFormat.Text;

    /// <summary>Where this node listens for the other members (<c>akka.remote.dot-netty.tcp</c>).</summary>
    public required RemoteOptions Remote { get; init; }

    /// <summary>The cluster this node joins (<c>akka.cluster.seed-nodes</c>, roles, min-nr-of-members).</summary>
    public required ClusterOptions Cluster { get; init; }
}
