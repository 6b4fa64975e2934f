using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Akka.Actor;
using Akka.Serialization;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Actors.Registry;
using CollectorCluster.Actors.Sleep;
using CollectorCluster.Actors.Tokens;
using CollectorCluster.Core.Tokens;

namespace CollectorCluster.Actors.Persistence;

/// <summary>
/// The serializer of every message that crosses nodes (account commands and answers, the registry's, the connection
/// tokens'): JSON with an explicit, versioned manifest per type (<c>Name.vN</c>), never Akka's default serializer with
/// CLR type names. Apart from the journal's <see cref="AccountEventSerializer"/> (its own id), so the two evolve apart.
/// <see cref="ConfigureAccount"/> is bound here only to be refused: it carries a plain password and never crosses a
/// node (<see cref="ApplyAccountSettings"/> carries settings sealed).
/// </summary>
public sealed class ClusterMessageSerializer : SerializerWithStringManifest
{
    /// <summary>Our serializer id (Akka reserves 0–40; the journal's is 4711).</summary>
    public const int SerializerId = 4712;

    private static readonly Dictionary<Type, (string Manifest, JsonTypeInfo Info)> ByType = new()
    {
        [typeof(CollectNow)] = ("CollectNow.v1", ClusterJsonContext.Default.CollectNow),
        [typeof(GetAccountStatus)] = ("GetAccountStatus.v1", ClusterJsonContext.Default.GetAccountStatus),
        [typeof(GetMessageLines)] = ("GetMessageLines.v1", ClusterJsonContext.Default.GetMessageLines),
        [typeof(MarkMessage)] = ("MarkMessage.v1", ClusterJsonContext.Default.MarkMessage),
        [typeof(PreviewReset)] = ("PreviewReset.v1", ClusterJsonContext.Default.PreviewReset),
        [typeof(ResetCollector)] = ("ResetCollector.v1", ClusterJsonContext.Default.ResetCollector),
        [typeof(PauseAccount)] = ("PauseAccount.v1", ClusterJsonContext.Default.PauseAccount),
        [typeof(ResumeAccount)] = ("ResumeAccount.v1", ClusterJsonContext.Default.ResumeAccount),
        [typeof(AccountAck)] = ("AccountAck.v1", ClusterJsonContext.Default.AccountAck),
        [typeof(CollectionResult)] = ("CollectionResult.v1", ClusterJsonContext.Default.CollectionResult),
        [typeof(AccountStatus)] = ("AccountStatus.v1", ClusterJsonContext.Default.AccountStatus),
        [typeof(MessageLines)] = ("MessageLines.v1", ClusterJsonContext.Default.MessageLines),
        [typeof(MarkResult)] = ("MarkResult.v1", ClusterJsonContext.Default.MarkResult),
        [typeof(ResetPreviewResult)] = ("ResetPreviewResult.v1", ClusterJsonContext.Default.ResetPreviewResult),
        [typeof(PauseResult)] = ("PauseResult.v1", ClusterJsonContext.Default.PauseResult),
        [typeof(ResumeResult)] = ("ResumeResult.v1", ClusterJsonContext.Default.ResumeResult),
        [typeof(ApplyAccountSettings)] = ("ApplyAccountSettings.v1", ClusterJsonContext.Default.ApplyAccountSettings),
        [typeof(RemoveAccountSettings)] = ("RemoveAccountSettings.v1", ClusterJsonContext.Default.RemoveAccountSettings),
        [typeof(AccountSettingsApplied)] = ("AccountSettingsApplied.v1", ClusterJsonContext.Default.AccountSettingsApplied),
        [typeof(AddRuntimeAccount)] = ("AddRuntimeAccount.v1", ClusterJsonContext.Default.AddRuntimeAccount),
        [typeof(ReplaceRuntimeAccount)] = ("ReplaceRuntimeAccount.v1", ClusterJsonContext.Default.ReplaceRuntimeAccount),
        [typeof(RemoveRuntimeAccount)] = ("RemoveRuntimeAccount.v1", ClusterJsonContext.Default.RemoveRuntimeAccount),
        [typeof(GetRegistryEntry)] = ("GetRegistryEntry.v1", ClusterJsonContext.Default.GetRegistryEntry),
        [typeof(RegistryEntry)] = ("RegistryEntry.v1", ClusterJsonContext.Default.RegistryEntry),
        [typeof(GetRuntimeAccounts)] = ("GetRuntimeAccounts.v1", ClusterJsonContext.Default.GetRuntimeAccounts),
        [typeof(RuntimeAccountsPage)] = ("RuntimeAccountsPage.v1", ClusterJsonContext.Default.RuntimeAccountsPage),
        [typeof(ListFileAccounts)] = ("ListFileAccounts.v1", ClusterJsonContext.Default.ListFileAccounts),
        [typeof(UnlistFileAccounts)] = ("UnlistFileAccounts.v1", ClusterJsonContext.Default.UnlistFileAccounts),
        [typeof(RecordAccountsFile)] = ("RecordAccountsFile.v1", ClusterJsonContext.Default.RecordAccountsFile),
        [typeof(RegistryUpdated)] = ("RegistryUpdated.v1", ClusterJsonContext.Default.RegistryUpdated),
        [typeof(RegistryRefused)] = ("RegistryRefused.v1", ClusterJsonContext.Default.RegistryRefused),
        [typeof(RegistryVersion)] = ("RegistryVersion.v1", ClusterJsonContext.Default.RegistryVersion),
        [typeof(GetAccountDirectory)] = ("GetAccountDirectory.v1", ClusterJsonContext.Default.GetAccountDirectory),
        [typeof(AccountDirectoryPage)] = ("AccountDirectoryPage.v1", ClusterJsonContext.Default.AccountDirectoryPage),
        [typeof(SleepUntil)] = ("SleepUntil.v1", ClusterJsonContext.Default.SleepUntil),
        [typeof(SleepGranted)] = ("SleepGranted.v1", ClusterJsonContext.Default.SleepGranted),
        [typeof(AccountAwake)] = ("AccountAwake.v1", ClusterJsonContext.Default.AccountAwake),
        [typeof(GetSleeperStatus)] = ("GetSleeperStatus.v1", ClusterJsonContext.Default.GetSleeperStatus),
        [typeof(WakeAccount)] = ("WakeAccount.v1", ClusterJsonContext.Default.WakeAccount),
        [typeof(ListSleepers)] = ("ListSleepers.v1", ClusterJsonContext.Default.ListSleepers),
        [typeof(Sleepers)] = ("Sleepers.v1", ClusterJsonContext.Default.Sleepers),
        [typeof(RequestLease)] = ("RequestLease.v1", ClusterJsonContext.Default.RequestLease),
        [typeof(LeaseGranted)] = ("LeaseGranted.v1", ClusterJsonContext.Default.LeaseGranted),
        [typeof(LeaseConnected)] = ("LeaseConnected.v1", ClusterJsonContext.Default.LeaseConnected),
        [typeof(LeaseProgress)] = ("LeaseProgress.v1", ClusterJsonContext.Default.LeaseProgress),
        [typeof(LeaseRevoked)] = ("LeaseRevoked.v1", ClusterJsonContext.Default.LeaseRevoked),
        [typeof(ReleaseLease)] = ("ReleaseLease.v1", ClusterJsonContext.Default.ReleaseLease),
        [typeof(AcquireServerLease)] = ("AcquireServerLease.v1", ClusterJsonContext.Default.AcquireServerLease),
        [typeof(ServerLeaseGranted)] = ("ServerLeaseGranted.v1", ClusterJsonContext.Default.ServerLeaseGranted),
        [typeof(ReleaseServerLease)] = ("ReleaseServerLease.v1", ClusterJsonContext.Default.ReleaseServerLease),
        [typeof(RollCall)] = ("RollCall.v1", ClusterJsonContext.Default.RollCall),
        [typeof(RollCallAnswer)] = ("RollCallAnswer.v1", ClusterJsonContext.Default.RollCallAnswer),
        [typeof(GetServerFigures)] = ("GetServerFigures.v1", ClusterJsonContext.Default.GetServerFigures),
        [typeof(ServerFigures)] = ("ServerFigures.v1", ClusterJsonContext.Default.ServerFigures),
        [typeof(TokenFigures)] = ("TokenFigures.v1", ClusterJsonContext.Default.TokenFigures),
        [typeof(LocateAccount)] = ("LocateAccount.v1", ClusterJsonContext.Default.LocateAccount),
        [typeof(GetCollectionHistory)] = ("GetCollectionHistory.v1", ClusterJsonContext.Default.GetCollectionHistory),
        [typeof(CollectionHistory)] = ("CollectionHistory.v1", ClusterJsonContext.Default.CollectionHistory),
    };

    /// <summary>Messages without content: their manifest alone stands for the one instance.</summary>
    private static readonly Dictionary<Type, (string Manifest, object Instance)> Singletons = new()
    {
        [typeof(StopAccount)] = ("StopAccount.v1", StopAccount.Instance),
        [typeof(GetRegistryVersion)] = ("GetRegistryVersion.v1", GetRegistryVersion.Instance),
        [typeof(StopRegistry)] = ("StopRegistry.v1", StopRegistry.Instance),
        [typeof(StopServerGovernor)] = ("StopServerGovernor.v1", StopServerGovernor.Instance),
        [typeof(GetTokenFigures)] = ("GetTokenFigures.v1", GetTokenFigures.Instance),
    };

    /// <summary>Bound so that a send across nodes fails loudly instead of falling back to the default serializer.</summary>
    private static readonly HashSet<Type> Refused = [typeof(ConfigureAccount)];

    private static readonly Dictionary<string, JsonTypeInfo> ByManifest =
        new(ByType.Values.Select(v => KeyValuePair.Create(v.Manifest, v.Info)), StringComparer.Ordinal);

    private static readonly Dictionary<string, object> SingletonByManifest =
        new(Singletons.Values.Select(v => KeyValuePair.Create(v.Manifest, v.Instance)), StringComparer.Ordinal);

    /// <summary>Created by Akka from configuration.</summary>
    public ClusterMessageSerializer(ExtendedActorSystem system)
        : base(system)
    {
    }

    /// <inheritdoc />
    public override int Identifier => SerializerId;

    /// <summary>Every type bound to this serializer (Akka's bindings list them; the audit test checks the protocols against it).</summary>
    public static IReadOnlyCollection<Type> BoundTypes => [.. ByType.Keys, .. Singletons.Keys, .. Refused];

    /// <summary>The types written and read (a test round-trips each).</summary>
    public static IReadOnlyCollection<Type> SupportedTypes => [.. ByType.Keys, .. Singletons.Keys];

    /// <inheritdoc />
    public override string Manifest(object o) =>
        Singletons.TryGetValue(o.GetType(), out var singleton) ? singleton.Manifest : Lookup(o).Manifest;

    /// <inheritdoc />
    public override byte[] ToBinary(object obj) =>
        Singletons.ContainsKey(obj.GetType()) ? [] : JsonSerializer.SerializeToUtf8Bytes(obj, Lookup(obj).Info);

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (SingletonByManifest.TryGetValue(manifest, out var instance))
        {
            return instance;
        }

        if (!ByManifest.TryGetValue(manifest, out var info))
        {
            throw new SerializationException($"Unknown cluster message manifest '{manifest}': sent by a newer or foreign node.");
        }

        try
        {
            return JsonSerializer.Deserialize(bytes, info) ?? throw new SerializationException($"Cluster message with manifest '{manifest}' is null.");
        }
        catch (JsonException e)
        {
            throw new SerializationException($"Cluster message with manifest '{manifest}' is malformed: {e.Message}", e);
        }
    }

    private static (string Manifest, JsonTypeInfo Info) Lookup(object o)
    {
        if (ByType.TryGetValue(o.GetType(), out var entry))
        {
            return entry;
        }

        throw new SerializationException(Refused.Contains(o.GetType())
            ? $"{o.GetType().Name} carries a plain password and never crosses nodes; send {nameof(ApplyAccountSettings)} (settings sealed under the cluster key)."
            : $"{o.GetType().FullName} has no manifest in {nameof(ClusterMessageSerializer)}; add one before sending it across nodes.");
    }
}
