using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Akka.Actor;
using Akka.Serialization;
using CollectorCluster.Actors.Recipients;
using CollectorCluster.Actors.Sleep;
using CollectorCluster.Core.Events;

namespace CollectorCluster.Actors.Persistence;

/// <summary>
/// The journal's own serializer: JSON with an explicit, versioned manifest per type. Renaming or moving a C#
/// type never breaks a stored journal; a new shape gets a new manifest (".v2") and a reader for the old one.
/// </summary>
public sealed class AccountEventSerializer : SerializerWithStringManifest
{
    /// <summary>Our serializer id (Akka reserves 0–40).</summary>
    public const int SerializerId = 4711;

    private static readonly Dictionary<Type, (string Manifest, JsonTypeInfo Info)> ByType = new()
    {
        [typeof(AccountConfigured)] = ("AccountConfigured.v1", AccountJsonContext.Default.AccountConfigured),
        [typeof(MessageCollected)] = ("MessageCollected.v3", AccountJsonContext.Default.MessageCollected),
        [typeof(MessagesVanished)] = ("MessagesVanished.v1", AccountJsonContext.Default.MessagesVanished),
        [typeof(MessagesDeletedOnServer)] = ("MessagesDeletedOnServer.v1", AccountJsonContext.Default.MessagesDeletedOnServer),
        [typeof(CollectionCompleted)] = ("CollectionCompleted.v1", AccountJsonContext.Default.CollectionCompleted),
        [typeof(CollectionFailed)] = ("CollectionFailed.v1", AccountJsonContext.Default.CollectionFailed),
        [typeof(MessageMarked)] = ("MessageMarked.v1", AccountJsonContext.Default.MessageMarked),
        [typeof(MarkCleared)] = ("MarkCleared.v1", AccountJsonContext.Default.MarkCleared),
        [typeof(CollectorReset)] = ("CollectorReset.v1", AccountJsonContext.Default.CollectorReset),
        [typeof(AccountPaused)] = ("AccountPaused.v1", AccountJsonContext.Default.AccountPaused),
        [typeof(AccountResumed)] = ("AccountResumed.v1", AccountJsonContext.Default.AccountResumed),
        [typeof(RuntimeAccountAdded)] = ("RuntimeAccountAdded.v2", AccountJsonContext.Default.RuntimeAccountAdded),
        [typeof(RuntimeAccountRemoved)] = ("RuntimeAccountRemoved.v1", AccountJsonContext.Default.RuntimeAccountRemoved),
        [typeof(AccountHealthChanged)] = ("AccountHealthChanged.v2", AccountJsonContext.Default.AccountHealthChanged),
        [typeof(ServerPolicyObserved)] = ("ServerPolicyObserved.v1", AccountJsonContext.Default.ServerPolicyObserved),
        [typeof(UidlsRekeyed)] = ("UidlsRekeyed.v1", AccountJsonContext.Default.UidlsRekeyed),
        [typeof(SessionStarted)] = ("SessionStarted.v1", AccountJsonContext.Default.SessionStarted),
        [typeof(AccountSnapshot)] = ("AccountSnapshot.v1", AccountJsonContext.Default.AccountSnapshot),
        [typeof(OversizeMessagesReported)] = ("OversizeMessagesReported.v1", AccountJsonContext.Default.OversizeMessagesReported),
        [typeof(LocalDeletionObserved)] = ("LocalDeletionObserved.v1", AccountJsonContext.Default.LocalDeletionObserved),
        [typeof(MirrorAbsenceNoted)] = ("MirrorAbsenceNoted.v1", AccountJsonContext.Default.MirrorAbsenceNoted),
        [typeof(LocalCopiesRemoved)] = ("LocalCopiesRemoved.v1", AccountJsonContext.Default.LocalCopiesRemoved),
        [typeof(MailboxIdentified)] = ("MailboxIdentified.v1", AccountJsonContext.Default.MailboxIdentified),
        [typeof(DeletionsIntended)] = ("DeletionsIntended.v1", AccountJsonContext.Default.DeletionsIntended),
        [typeof(AbsenceNoted)] = ("AbsenceNoted.v1", AccountJsonContext.Default.AbsenceNoted),
        [typeof(RefreshTokenRotated)] = ("RefreshTokenRotated.v1", AccountJsonContext.Default.RefreshTokenRotated),
        [typeof(RekeysVerified)] = ("RekeysVerified.v1", AccountJsonContext.Default.RekeysVerified),
        [typeof(MessageRouted)] = ("MessageRouted.v1", AccountJsonContext.Default.MessageRouted),
        [typeof(UidlsImported)] = ("UidlsImported.v1", AccountJsonContext.Default.UidlsImported),
        [typeof(CopyDelivered)] = ("CopyDelivered.v1", AccountJsonContext.Default.CopyDelivered),
        [typeof(RecipientSnapshot)] = ("RecipientSnapshot.v1", AccountJsonContext.Default.RecipientSnapshot),
        [typeof(ClaimCopy)] = ("ClaimCopy.v1", AccountJsonContext.Default.ClaimCopy),
        [typeof(ConfirmCopy)] = ("ConfirmCopy.v1", AccountJsonContext.Default.ConfirmCopy),
        [typeof(ReleaseCopy)] = ("ReleaseCopy.v1", AccountJsonContext.Default.ReleaseCopy),
        [typeof(CopyClaimAnswer)] = ("CopyClaimAnswer.v1", AccountJsonContext.Default.CopyClaimAnswer),
        [typeof(CopyConfirmed)] = ("CopyConfirmed.v1", AccountJsonContext.Default.CopyConfirmed),
        [typeof(AccountSettingsChanged)] = ("AccountSettingsChanged.v1", AccountJsonContext.Default.AccountSettingsChanged),
        [typeof(AccountSettingsRemoved)] = ("AccountSettingsRemoved.v1", AccountJsonContext.Default.AccountSettingsRemoved),
        [typeof(FileAccountsListed)] = ("FileAccountsListed.v1", AccountJsonContext.Default.FileAccountsListed),
        [typeof(FileAccountsUnlisted)] = ("FileAccountsUnlisted.v1", AccountJsonContext.Default.FileAccountsUnlisted),
        [typeof(AccountsFileApplied)] = ("AccountsFileApplied.v1", AccountJsonContext.Default.AccountsFileApplied),
        [typeof(AccountRegistrySnapshot)] = ("AccountRegistrySnapshot.v1", AccountJsonContext.Default.AccountRegistrySnapshot),
        [typeof(AccountSlept)] = ("AccountSlept.v1", AccountJsonContext.Default.AccountSlept),
        [typeof(AlarmSnapshot)] = ("AlarmSnapshot.v1", AccountJsonContext.Default.AlarmSnapshot),
    };

    /// <summary>Shapes only read: journals hold them, nothing writes them any more.</summary>
    private static readonly Dictionary<string, JsonTypeInfo> ReadOnly = new(StringComparer.Ordinal)
    {
        ["RuntimeAccountAdded.v1"] = AccountJsonContext.Default.RuntimeAccountAddedV1,

        // v1 lacked the trailing optional fields (StoredAs, SettingsDigest), v2 the digest: they read as null.
        ["MessageCollected.v1"] = AccountJsonContext.Default.MessageCollected,
        ["MessageCollected.v2"] = AccountJsonContext.Default.MessageCollected,
        ["AccountHealthChanged.v1"] = AccountJsonContext.Default.AccountHealthChanged,
    };

    private static readonly Dictionary<string, JsonTypeInfo> ByManifest =
        new(ByType.Values.Select(v => KeyValuePair.Create(v.Manifest, v.Info)).Concat(ReadOnly), StringComparer.Ordinal);

    /// <summary>Created by Akka from configuration.</summary>
    public AccountEventSerializer(ExtendedActorSystem system)
        : base(system)
    {
    }

    /// <inheritdoc />
    public override int Identifier => SerializerId;

    /// <summary>Every type this serializer writes; a test round-trips each.</summary>
    public static IReadOnlyCollection<Type> SupportedTypes => ByType.Keys;

    /// <inheritdoc />
    public override string Manifest(object o) => Lookup(o).Manifest;

    /// <inheritdoc />
    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, Lookup(obj).Info);

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!ByManifest.TryGetValue(manifest, out var info))
        {
            throw new SerializationException($"Unknown account event manifest '{manifest}': this journal was written by a newer or foreign version.");
        }

        try
        {
            return JsonSerializer.Deserialize(bytes, info)
                ?? throw new SerializationException($"Journal entry with manifest '{manifest}' is null.");
        }
        catch (JsonException e)
        {
            throw new SerializationException($"Journal entry with manifest '{manifest}' is corrupt: {e.Message}", e);
        }
    }

    private static (string Manifest, JsonTypeInfo Info) Lookup(object o) =>
        ByType.TryGetValue(o.GetType(), out var entry)
            ? entry
            : throw new SerializationException($"{o.GetType().FullName} has no manifest in {nameof(AccountEventSerializer)}; add one before persisting it.");
}
