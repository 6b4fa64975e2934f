using Akka.Actor;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Wire;

namespace CollectorCluster.Node.CommandHost;

/// <summary>What the palettes ask: the node's actors and configuration, gathered once so handlers stay small.</summary>
/// <param name="System">The actor system (cluster state).</param>
/// <param name="Accounts">The account shard region.</param>
/// <param name="Tokens">The node's connection-tokens actor.</param>
/// <param name="Options">The node's configuration (its account ids).</param>
public sealed record CommandContext(ActorSystem System, IActorRef Accounts, IActorRef Tokens, CollectorOptions Options)
{
    /// <summary>How long a quick question (status, marks) may take.</summary>
    public static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long <c>collector collect</c> waits for the session to end.</summary>
    public static readonly TimeSpan CollectTimeout = TimeSpan.FromMinutes(30);

    /// <summary>The accounts file as last (re)loaded; null: the accounts loaded at start (<see cref="Options"/>).</summary>
    public AccountsFile? File { get; init; }

    /// <summary>The accounts of the file now.</summary>
    public IReadOnlyList<CollectorCluster.Core.Accounts.AccountSettings> FileAccounts => File?.Current ?? Options.Accounts;

    /// <summary>Accounts added at run time; null where the node offers no runtime management.</summary>
    public RuntimeAccountManager? Runtime { get; init; }

    /// <summary>The password a request carried (collectorctl's --password-stdin/--password-file); per request, never logged.</summary>
    public CollectorCluster.Core.Accounts.Secret? Password { get; init; }

    /// <summary>The node's recent log lines (<c>log tail</c>); null when the node keeps none.</summary>
    public LogRing? Log { get; init; }

    /// <summary>
    /// Sends one progress frame to the client before the final answer (<c>collect --all</c>, <c>log tail --follow</c>);
    /// set per request by the server, a no-op otherwise.
    /// </summary>
    public Func<ProgressFrame, Task> Progress { get; init; } = _ => Task.CompletedTask;

    /// <summary>Cancelled when the client goes away or the node stops; per request.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Fails with a clear message unless the id is one of this node's configured accounts (asking the region would wake an empty entity).</summary>
    public string RequireAccount(string id) =>
        FileAccounts.Any(a => a.Id == id) || Runtime?.Contains(id) == true ? id : throw new CommandException($"unknown account '{id}' (collector list shows the accounts)");
}
