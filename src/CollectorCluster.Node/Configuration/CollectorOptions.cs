using Akka.Configuration;
using CollectorCluster.Actors.Collection;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Tokens;

namespace CollectorCluster.Node.Configuration;

/// <summary>Everything a node needs, validated: the accounts, the journal, the caps, and the raw HOCON for Akka.</summary>
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
}
