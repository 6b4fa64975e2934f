using System.Text.Json.Serialization;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Actors.Registry;
using CollectorCluster.Actors.Tokens;
using CollectorCluster.Core.Tokens;

namespace CollectorCluster.Actors.Persistence;

/// <summary>Source-generated JSON metadata of the messages that cross nodes: no reflection, no type names on the wire.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never, UseStringEnumConverter = true)]
[JsonSerializable(typeof(CollectNow))]
[JsonSerializable(typeof(GetAccountStatus))]
[JsonSerializable(typeof(GetMessageLines))]
[JsonSerializable(typeof(MarkMessage))]
[JsonSerializable(typeof(PreviewReset))]
[JsonSerializable(typeof(ResetCollector))]
[JsonSerializable(typeof(PauseAccount))]
[JsonSerializable(typeof(ResumeAccount))]
[JsonSerializable(typeof(AccountAck))]
[JsonSerializable(typeof(CollectionResult))]
[JsonSerializable(typeof(AccountStatus))]
[JsonSerializable(typeof(MessageLines))]
[JsonSerializable(typeof(MarkResult))]
[JsonSerializable(typeof(ResetPreviewResult))]
[JsonSerializable(typeof(PauseResult))]
[JsonSerializable(typeof(ResumeResult))]
[JsonSerializable(typeof(ApplyAccountSettings))]
[JsonSerializable(typeof(RemoveAccountSettings))]
[JsonSerializable(typeof(AccountSettingsApplied))]
[JsonSerializable(typeof(AddRuntimeAccount))]
[JsonSerializable(typeof(ReplaceRuntimeAccount))]
[JsonSerializable(typeof(RemoveRuntimeAccount))]
[JsonSerializable(typeof(GetRegistryEntry))]
[JsonSerializable(typeof(RegistryEntry))]
[JsonSerializable(typeof(GetRuntimeAccounts))]
[JsonSerializable(typeof(RuntimeAccountsPage))]
[JsonSerializable(typeof(ListFileAccounts))]
[JsonSerializable(typeof(UnlistFileAccounts))]
[JsonSerializable(typeof(RecordAccountsFile))]
[JsonSerializable(typeof(RegistryUpdated))]
[JsonSerializable(typeof(RegistryRefused))]
[JsonSerializable(typeof(RegistryVersion))]
[JsonSerializable(typeof(GetAccountDirectory))]
[JsonSerializable(typeof(AccountDirectoryPage))]
[JsonSerializable(typeof(RequestLease))]
[JsonSerializable(typeof(LeaseGranted))]
[JsonSerializable(typeof(LeaseConnected))]
[JsonSerializable(typeof(LeaseProgress))]
[JsonSerializable(typeof(LeaseRevoked))]
[JsonSerializable(typeof(ReleaseLease))]
[JsonSerializable(typeof(AcquireServerLease))]
[JsonSerializable(typeof(ServerLeaseGranted))]
[JsonSerializable(typeof(ReleaseServerLease))]
[JsonSerializable(typeof(RollCall))]
[JsonSerializable(typeof(RollCallAnswer))]
[JsonSerializable(typeof(GetServerFigures))]
[JsonSerializable(typeof(ServerFigures))]
[JsonSerializable(typeof(TokenFigures))]
[JsonSerializable(typeof(LocateAccount))]
[JsonSerializable(typeof(GetCollectionHistory))]
[JsonSerializable(typeof(CollectionHistory))]
internal sealed partial class ClusterJsonContext : JsonSerializerContext
{
}
