using Akka.Configuration;
using CollectorCluster.Actors.Collection;
using CollectorCluster.Core.Accounts;

namespace CollectorCluster.Node.Configuration;

/// <summary>Everything a node needs, validated: the accounts, the journal, the caps, and the raw HOCON for Akka.</summary>
public sealed record CollectorOptions(
    string ConfigFile,
    IReadOnlyList<AccountSettings> Accounts,
    JournalOptions Journal,
    int MaxPop3Clients,
    int Shards,
    CollectionTuning Tuning,
    IReadOnlyList<string> Warnings,
    Config Hocon);
