using System.Text.Json.Serialization;
using CollectorCluster.Actors.Recipients;
using CollectorCluster.Actors.Sleep;
using CollectorCluster.Core.Events;

namespace CollectorCluster.Actors.Persistence;

/// <summary>Source-generated JSON metadata: no reflection at run time, and the shapes are fixed at compile time.</summary>
// Enums by name (RuntimeAccountAdded.v2's settings), so renumbering one never changes what a journal entry means.
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never, UseStringEnumConverter = true)]
[JsonSerializable(typeof(AccountConfigured))]
[JsonSerializable(typeof(MessageCollected))]
[JsonSerializable(typeof(MessagesVanished))]
[JsonSerializable(typeof(MessagesDeletedOnServer))]
[JsonSerializable(typeof(CollectionCompleted))]
[JsonSerializable(typeof(CollectionFailed))]
[JsonSerializable(typeof(MessageMarked))]
[JsonSerializable(typeof(MarkCleared))]
[JsonSerializable(typeof(CollectorReset))]
[JsonSerializable(typeof(AccountPaused))]
[JsonSerializable(typeof(AccountResumed))]
[JsonSerializable(typeof(RuntimeAccountAdded))]
[JsonSerializable(typeof(RuntimeAccountAddedV1))]
[JsonSerializable(typeof(RuntimeAccountRemoved))]
[JsonSerializable(typeof(AccountHealthChanged))]
[JsonSerializable(typeof(ServerPolicyObserved))]
[JsonSerializable(typeof(UidlsRekeyed))]
[JsonSerializable(typeof(SessionStarted))]
[JsonSerializable(typeof(AccountSnapshot))]
[JsonSerializable(typeof(OversizeMessagesReported))]
[JsonSerializable(typeof(LocalDeletionObserved))]
[JsonSerializable(typeof(MirrorAbsenceNoted))]
[JsonSerializable(typeof(LocalCopiesRemoved))]
[JsonSerializable(typeof(MailboxIdentified))]
[JsonSerializable(typeof(DeletionsIntended))]
[JsonSerializable(typeof(AbsenceNoted))]
[JsonSerializable(typeof(RefreshTokenRotated))]
[JsonSerializable(typeof(RekeysVerified))]
[JsonSerializable(typeof(MessageRouted))]
[JsonSerializable(typeof(UidlsImported))]
[JsonSerializable(typeof(CopyDelivered))]
[JsonSerializable(typeof(RecipientSnapshot))]
[JsonSerializable(typeof(ClaimCopy))]
[JsonSerializable(typeof(ConfirmCopy))]
[JsonSerializable(typeof(ReleaseCopy))]
[JsonSerializable(typeof(CopyClaimAnswer))]
[JsonSerializable(typeof(CopyConfirmed))]
[JsonSerializable(typeof(AccountSettingsChanged))]
[JsonSerializable(typeof(AccountSettingsRemoved))]
[JsonSerializable(typeof(FileAccountsListed))]
[JsonSerializable(typeof(FileAccountsUnlisted))]
[JsonSerializable(typeof(AccountsFileApplied))]
[JsonSerializable(typeof(AccountRegistrySnapshot))]
[JsonSerializable(typeof(AccountSlept))]
[JsonSerializable(typeof(AlarmSnapshot))]
internal sealed partial class AccountJsonContext : JsonSerializerContext
{
}
