using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using CollectorCluster.Actors.Persistence;
using CollectorCluster.Actors.Recipients;
using CollectorCluster.Actors.Sleep;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Events;
using CollectorCluster.Core.Routing;
using CollectorCluster.Core.State;

namespace CollectorCluster.Actors.Tests;

public sealed class AccountEventSerializerTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private readonly ActorSystem _system = ActorSystem.Create("serializer-tests");
    private readonly AccountEventSerializer _serializer;

    public AccountEventSerializerTests() => _serializer = new AccountEventSerializer((ExtendedActorSystem)_system);

    /// <summary>Every option given, none at its default, so a field the JSON shape dropped would show.</summary>
    private static readonly AccountOptions EveryOption = new()
    {
        Pop3Server = "pop.example", Port = 995, Pop3Account = "fred", Ssl = TlsMode.Implicit, VerifyCertificate = false,
        CertificateSha256 = new string('A', 64), Auth = AuthMethod.CramMd5, LeaveMailOnServer = true, DeleteAfterDays = 30,
        MirrorMailbox = true, MirrorMaxShare = 0.25, LocalAreaNetwork = false, DownloadSmallestFirst = false,
        CheckEvery = TimeSpan.FromMinutes(7), Mailbox = "maildir:/srv/mail/fred", Priority = -3, Enabled = false,
        ConnectTimeout = TimeSpan.FromSeconds(12), CommandTimeout = TimeSpan.FromSeconds(34), MaxMessageSize = 10_485_760,
        CommitEveryMessages = 5, CommitEveryBytes = 1024, Oversize = CollectorCluster.Core.Planning.OversizeHandling.Postpone,
    };

    public static TheoryData<object> Samples() =>
    [
        new AccountConfigured("fred@pop.example.com", "maildir:/srv/mail/fred", true, At),
        new MessageCollected("0000000100000001", 1234, At, At.AddSeconds(1), false),
        new MessageCollected("sha256:abc", 5, At, At, true),
        new MessagesVanished(["a", "b"], At),
        new MessagesDeletedOnServer(["a"], "NotLeftOnServer", At),
        new CollectionCompleted(At, At.AddSeconds(3), 10, 9, 8, 12345, ["server lacks UIDL"]),
        new CollectionFailed(At, At.AddSeconds(1), "auth", "-ERR [AUTH] Authentication failed.", 0, 0),
        new MessageMarked("0000000100000001", "Download", At),
        new MessageMarked("u2", "Delete", At),
        new MarkCleared("u2", At),
        new CollectorReset(null, 12, 34567, At),
        new CollectorReset(At.AddDays(-1), 1, 5, At),
        new AccountPaused(At),
        new AccountResumed(At.AddMinutes(5)),
        new RuntimeAccountAdded("extra", new AccountOptions { Pop3Server = "pop.example", Pop3Account = "u", Mailbox = "maildir:m" }, new SealedPassword("bm9uY2Vub25jZTEy", "Y2lwaGVydGV4dA=="), At),
        new RuntimeAccountAdded("every-key", EveryOption, new SealedPassword("bm9uY2Vub25jZTEy", "Y2lwaGVydGV4dA=="), At),
        new RuntimeAccountRemoved("extra", At.AddHours(1)),
        new AccountHealthChanged("NeedsOperator", "the server refused the credentials ([AUTH])", null, At),
        new AccountHealthChanged("BackingOff", "[SYS/TEMP]", At.AddMinutes(2), At),
        new ServerPolicyObserved(At, 300, "0"),
        new ServerPolicyObserved(At, null, null),
        new MessageCollected("u7", 77, At, At, false, "sha256:0123456789abcdef0123456789abcdef"),
        AccountSnapshot.From(AccountState.Empty.Apply(new MessageCollected("u7", 77, At, At, false, "sha256:0123"))),
        new UidlsRekeyed([new CollectorCluster.Core.Uidl.UidlRekey("old", "new"), new CollectorCluster.Core.Uidl.UidlRekey("o2", "n2")], At),
        AccountSnapshot.From(AccountState.Empty
            .Apply(new ServerPolicyObserved(At, 300, "30 USER"))
            .Apply(new AccountHealthChanged("NeedsOperator", "bad password", null, At))),
        new SessionStarted(At),
        new OversizeMessagesReported([new OversizeEntry("u7", 3, 12_000_000), new OversizeEntry(null, 4, 20_000_000)], 10_485_760, "Skip", At),
        new OversizeMessagesReported([], 1024, "Postpone", At),
        new LocalDeletionObserved(["u1", "u2"], At),
        new MirrorAbsenceNoted(["u3"], ["u4", "u5"], At),
        new LocalCopiesRemoved(["u6"], At),
        AccountSnapshot.From(AccountState.Empty
            .Apply(new AccountConfigured("fred@pop", "maildir:/m", false, At))
            .Apply(new MessageCollected("u1", 10, At, At, false))
            .Apply(new CollectionCompleted(At, At, 1, 1, 0, 10, []))),
        AccountSnapshot.From(AccountState.Empty
            .Apply(new MessageCollected("u1", 10, At, At, false))
            .Apply(new MessageMarked("u1", "Download", At))
            .Apply(new MessageMarked("u9", "Delete", At))),
        AccountSnapshot.From(AccountState.Empty
            .Apply(new MessageCollected("u1", 10, At, At, false))
            .Apply(new AccountPaused(At))),
        new MessageCollected("u8", 88, At, At, false, "sha256:0123", "u8\nsha256:abcd"),
        new AccountHealthChanged("NeedsOperator", "the server refused the credentials ([AUTH])", null, At, "hmac-sha256:0a1b"),
        new MailboxIdentified("pop.example", "fred", true, false, 0, At),
        new MailboxIdentified("pop2.example", "fred@home", true, true, 12, At),
        new MailboxIdentified("pop.example", "fred", false, false, 0, At),
        new DeletionsIntended([new IntendedDeletion("u1", "Expired"), new IntendedDeletion("u2", "OperatorMark")], At),
        new AbsenceNoted(["u3", "u4"], ["u5"], At),
        new RefreshTokenRotated(new SealedPassword("bm9uY2Vub25jZTEy", "Y2lwaGVydGV4dA=="), "hmac-sha256:0a1b", At),
        AccountSnapshot.From(Everything()),
        new MessageCollected("u9", 99, At, At, false, "sha256:0123", null, "sha256:" + new string('a', 64)),
        new RekeysVerified(["n1", "n2"], ["n3"], At),
        new RekeysVerified([], [], At),
        new MessageRouted(
            "u1", "dup:0123", "Delivered-To",
            [new RoutedCopy("ann", RouteVia.User, CopyOutcome.Delivered), new RoutedCopy("pm", RouteVia.Default, CopyOutcome.Duplicate, "other/u9"), new RoutedCopy("bob", RouteVia.Alias, CopyOutcome.AlreadyDelivered)],
            [new RefusedRecipient("zed@example.com", "no such user")], At),
        new MessageRouted("sha256:ab", null, "To/Cc", [], [new RefusedRecipient("-", "nothing local")], At),
        new UidlsImported("/srv/c/uidls/fred.uidls", "fetchmail /home/fred/.fetchids", ["u1", "u2"], At),
        AccountSnapshot.From(AccountState.Empty
            .Apply(new UidlsImported("/srv/c/uidls/fred.uidls", "mpop", ["u1"], At))
            .Apply(new MessageRouted("u2", "dup:1", "To/Cc", [new RoutedCopy("ann", RouteVia.User, CopyOutcome.Delivered)], [], At))),
        new CopyDelivered("dup:0123", "domain/u1", At, At.AddDays(7)),
        RecipientSnapshot.From(DuplicateWindow.Empty.Apply(new CopyDelivered("dup:1", "a/u1", At, At.AddDays(7))).Apply(new CopyDelivered("src:2", "b/u2", At.AddHours(1), At.AddDays(1)))),
        new ClaimCopy("rcpt-0123", "dup:1", "domain/u1"),
        new ConfirmCopy("rcpt-0123", "dup:1", "domain/u1", At, TimeSpan.FromDays(7)),
        new ReleaseCopy("rcpt-0123", "dup:1", "domain/u1"),
        new CopyClaimAnswer("dup:1", ClaimAnswer.Duplicate, "other/u9"),
        new CopyClaimAnswer("dup:1", ClaimAnswer.Granted, null),
        new CopyConfirmed("dup:1"),
        Changed,
        new AccountSettingsChanged(Changed.Settings with { OAuth2 = null }, AccountOrigin.File, At),
        new AccountSettingsRemoved(At),
        new FileAccountsListed(["a", "b"], At),
        new FileAccountsUnlisted(["c"], At),
        new AccountsFileApplied("0123abcd", "4f2a9e01c7d3", "akka.tcp://collector@10.0.0.1:4053", At),
        AccountSnapshot.From(AccountState.Empty.Apply(Changed)),
        AccountRegistrySnapshot.From(AccountRegistryState.Empty
            .Apply(new RuntimeAccountAdded("every-key", EveryOption, new SealedPassword("bm9uY2Vub25jZTEy", "Y2lwaGVydGV4dA=="), At))
            .Apply(new FileAccountsListed(["f1", "f2"], At))
            .Apply(new AccountsFileApplied("d1", "k", "node1", At))),
        new AccountSlept("a", At.AddMinutes(9), At.AddMinutes(10)),
        new AlarmSnapshot([new AccountSlept("a", At.AddMinutes(9), At.AddMinutes(10)), new AccountSlept("b", At.AddMinutes(1), At.AddMinutes(2))]),
    ];

    /// <summary>Settings as an account journals them: every key, the password and OAuth2 secrets sealed.</summary>
    private static readonly AccountSettingsChanged Changed = new(
        new SealedAccountSettings("every-key", EveryOption, new SealedPassword("bm9uY2Vub25jZTEy", "Y2lwaGVydGV4dA=="),
            new SealedOAuth2Settings(new Uri("https://idp.example/token"), "client", new SealedPassword("bm9uY2Vub25jZTEy", "c2VjcmV0"), new SealedPassword("bm9uY2Vub25jZTEy", "cmVmcmVzaA=="), "mail")),
        AccountOrigin.Runtime,
        At);

    /// <summary>A state with every part a snapshot carries.</summary>
    private static AccountState Everything() => AccountState.Empty
        .Apply(new AccountConfigured("fred@pop.example", "maildir:/m", true, At))
        .Apply(new MailboxIdentified("pop.example", "fred", true, false, 0, At))
        .Apply(new MessageCollected("u1", 10, At, At, false, "sha256:01"))
        .Apply(new MessageCollected("u2", 20, At, At, false, null, "u2\nsha256:ab"))
        .Apply(new MessageCollected("u3", 30, At, At, false, null, null, "sha256:" + new string('3', 64)))
        .Apply(new MessageCollected("u4", 40, At, At, false, null, null, "sha256:" + new string('4', 64)))
        .Apply(new CollectorCluster.Core.Events.UidlsRekeyed([new CollectorCluster.Core.Uidl.UidlRekey("u3", "u3b"), new CollectorCluster.Core.Uidl.UidlRekey("u4", "u4b")], At))
        .Apply(new RekeysVerified(["u4b"], [], At))
        .Apply(new AbsenceNoted(["u1"], [], At))
        .Apply(new DeletionsIntended([new IntendedDeletion("u2", "OperatorMark")], At))
        .Apply(new OversizeMessagesReported([new OversizeEntry("big", 4, 99)], 50, "Skip", At))
        .Apply(new RefreshTokenRotated(new SealedPassword("n", "c"), "d", At))
        .Apply(new AccountHealthChanged("NeedsOperator", "refused", null, At, "hmac-sha256:0a1b"))
        .Apply(new UidlsImported("/s/seed.uidls", "mpop", ["s1"], At))
        .Apply(new MessageRouted("u1", "dup:1", "Delivered-To", [new RoutedCopy("ann", RouteVia.Default, CopyOutcome.Delivered)], [], At));

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_persisted_type_round_trips_with_a_versioned_manifest(object value)
    {
        var manifest = _serializer.Manifest(value);
        Assert.Matches(@"^[A-Za-z]+\.v[0-9]+$", manifest);
        var back = _serializer.FromBinary(_serializer.ToBinary(value), manifest);
        Assert.Equal(Describe(value), Describe(back));
    }

    [Fact]
    public void A_multidrop_accounts_settings_and_its_imported_uidls_round_trip_with_its_settings_change()
    {
        var multidrop = new MultidropSettings
        {
            LocalDomains = ["example.com"],
            Aliases = new Dictionary<string, IReadOnlyList<string>> { ["postmaster"] = ["ann", "bob"] },
            Default = "ann",
            Destinations = new Dictionary<string, string> { ["ann"] = "maildir:/srv/ann", ["bob"] = "lmtp:127.0.0.1:24" },
            DuplicateWindow = TimeSpan.FromDays(2),
        };
        var changed = Changed with { Settings = Changed.Settings with { Multidrop = multidrop, ImportedUidls = "/srv/c/uidls/fred.uidls" } };
        var back = (AccountSettingsChanged)_serializer.FromBinary(_serializer.ToBinary(changed), _serializer.Manifest(changed));
        Assert.Equal(multidrop, back.Settings.Multidrop);
        Assert.Equal("/srv/c/uidls/fred.uidls", back.Settings.ImportedUidls);
        var before = (AccountSettingsChanged)_serializer.FromBinary(_serializer.ToBinary(Changed), _serializer.Manifest(Changed));
        Assert.Null(before.Settings.Multidrop); // an entry without them (as written before they existed) reads as none
    }

    [Fact]
    public void Every_supported_type_has_a_sample()
    {
        var sampled = Samples().Select(row => row.Data.GetType()).ToHashSet();
        Assert.All(AccountEventSerializer.SupportedTypes, t => Assert.Contains(t, sampled));
    }

    [Fact]
    public void Every_recipient_event_and_message_type_is_supported()
    {
        var types = typeof(IRecipientMessage).Assembly.GetTypes().Concat(typeof(IRecipientEvent).Assembly.GetTypes())
            .Where(t => (typeof(IRecipientMessage).IsAssignableFrom(t) || typeof(IRecipientEvent).IsAssignableFrom(t)) && !t.IsInterface);
        Assert.All(types, t => Assert.Contains(t, AccountEventSerializer.SupportedTypes));
    }

    [Fact]
    public void Snapshot_keeps_routing_counts_and_taken_over_seeds_and_an_older_snapshot_reads_as_none()
    {
        var state = AccountState.Empty
            .Apply(new UidlsImported("/s/a.uidls", "mpop", ["u1"], At))
            .Apply(new MessageRouted("u2", "dup:1", "To/Cc", [new RoutedCopy("ann", RouteVia.Default, CopyOutcome.Delivered), new RoutedCopy("bob", RouteVia.User, CopyOutcome.Duplicate)], [], At));
        var snapshot = AccountSnapshot.From(state);
        var back = ((AccountSnapshot)_serializer.FromBinary(_serializer.ToBinary(snapshot), _serializer.Manifest(snapshot))).ToState();
        Assert.Equal(state.Routing, back.Routing);
        Assert.Equal(["/s/a.uidls"], back.ImportedSeeds);

        var old = """{"collected":[],"configuration":null,"lastCollection":null,"lastSuccessAt":null,"consecutiveFailures":0,"totalCollected":0,"totalBytes":0}"""u8.ToArray();
        var read = ((AccountSnapshot)_serializer.FromBinary(old, "AccountSnapshot.v1")).ToState();
        Assert.Equal(RoutingCounts.None, read.Routing);
        Assert.Empty(read.ImportedSeeds);
    }

    [Fact]
    public void Every_account_event_type_is_supported()
    {
        var eventTypes = typeof(IAccountEvent).Assembly.GetTypes().Where(t => typeof(IAccountEvent).IsAssignableFrom(t) && !t.IsInterface);
        Assert.All(eventTypes, t => Assert.Contains(t, AccountEventSerializer.SupportedTypes));
    }

    [Fact]
    public void Unknown_manifest_is_a_clear_serialization_error()
    {
        var e = Assert.Throws<SerializationException>(() => _serializer.FromBinary("{}"u8.ToArray(), "MessageCollected.v9"));
        Assert.Contains("MessageCollected.v9", e.Message);
    }

    [Fact]
    public void Corrupt_entry_names_its_manifest()
    {
        var e = Assert.Throws<SerializationException>(() => _serializer.FromBinary("{not json"u8.ToArray(), "MessageCollected.v1"));
        Assert.Contains("MessageCollected.v1", e.Message);
    }

    [Fact]
    public void Unregistered_type_is_refused()
    {
        Assert.Throws<SerializationException>(() => _serializer.ToBinary("a string"));
    }

    [Fact]
    public void Snapshot_restores_the_state()
    {
        var state = AccountState.Empty
            .Apply(new MessageCollected("u1", 10, At, At, false))
            .Apply(new MessageCollected("u2", 20, At, At.AddSeconds(1), false))
            .Apply(new CollectionFailed(At, At, "list", "boom", 2, 30));
        var snapshot = AccountSnapshot.From(state);
        var back = ((AccountSnapshot)_serializer.FromBinary(_serializer.ToBinary(snapshot), _serializer.Manifest(snapshot))).ToState();
        Assert.Equal(state.Collected.Keys.Order(), back.Collected.Keys.Order());
        Assert.Equal(state.Collected["u2"], back.Collected["u2"]);
        Assert.Equal(state.LastCollection, back.LastCollection);
        Assert.Equal(state.ConsecutiveFailures, back.ConsecutiveFailures);
        Assert.Equal(state.TotalBytes, back.TotalBytes);
    }

    [Fact]
    public void Snapshot_keeps_absences_pending_deletions_identity_stored_names_rotated_token_oversize_and_the_settings_digest()
    {
        var state = Everything();
        var snapshot = AccountSnapshot.From(state);
        var back = ((AccountSnapshot)_serializer.FromBinary(_serializer.ToBinary(snapshot), _serializer.Manifest(snapshot))).ToState();
        Assert.Equal(state.Absent.OrderBy(a => a.Key, StringComparer.Ordinal), back.Absent.OrderBy(a => a.Key, StringComparer.Ordinal));
        Assert.Equal(state.PendingDeletions.OrderBy(a => a.Key, StringComparer.Ordinal), back.PendingDeletions.OrderBy(a => a.Key, StringComparer.Ordinal));
        Assert.Equal(state.Identity, back.Identity);
        Assert.True(back.NamesIncludeMailbox);
        Assert.Equal(state.RefreshToken, back.RefreshToken);
        Assert.Equal(state.Oversize.OrderBy(a => a.Key, StringComparer.Ordinal), back.Oversize.OrderBy(a => a.Key, StringComparer.Ordinal));
        Assert.Equal("u2\nsha256:ab", back.Collected["u2"].StoredAs);
        Assert.Equal("u3", back.Collected["u3b"].StoredKey);
        Assert.Equal("hmac-sha256:0a1b", back.Policy.SettingsDigest);
        Assert.Equal(state.Policy, back.Policy);
    }

    [Fact]
    public void Account_health_and_message_collected_written_as_v1_read_without_the_later_fields()
    {
        var health = """{"health":"NeedsOperator","reason":"bad password","notBefore":null,"at":"2026-11-28T12:00:00+00:00"}"""u8.ToArray();
        var h = (AccountHealthChanged)_serializer.FromBinary(health, "AccountHealthChanged.v1");
        Assert.Equal(("NeedsOperator", (string?)null), (h.Health, h.SettingsDigest));
        Assert.Equal("AccountHealthChanged.v2", _serializer.Manifest(h));

        var collected = """{"uidl":"u1","size":10,"firstSeen":"2026-11-28T12:00:00+00:00","collectedAt":"2026-11-28T12:00:00+00:00","alreadyPresent":false,"fingerprint":"sha256:01"}"""u8.ToArray();
        var c = (MessageCollected)_serializer.FromBinary(collected, "MessageCollected.v1");
        Assert.Null(c.StoredAs);
        Assert.Equal("u1", AccountState.Empty.Apply(c).Collected["u1"].StoredKey);
        Assert.Equal("MessageCollected.v3", _serializer.Manifest(c));

        var v2 = """{"uidl":"u2","size":10,"firstSeen":"2026-11-28T12:00:00+00:00","collectedAt":"2026-11-28T12:00:00+00:00","alreadyPresent":false,"fingerprint":"sha256:01","storedAs":"u2x"}"""u8.ToArray();
        var c2 = (MessageCollected)_serializer.FromBinary(v2, "MessageCollected.v2");
        Assert.Equal(("u2x", (string?)null), (c2.StoredAs, c2.Digest));
        Assert.Null(AccountState.Empty.Apply(c2).Collected["u2"].Digest);
    }

    [Fact]
    public void A_snapshot_keeps_digests_and_which_re_keys_are_not_proved_yet()
    {
        var state = ((AccountSnapshot)_serializer.FromBinary(_serializer.ToBinary(AccountSnapshot.From(Everything())), "AccountSnapshot.v1")).ToState();
        Assert.True(state.Collected["u3b"].Rekeyed);
        Assert.False(state.Collected["u4b"].Rekeyed);
        Assert.Equal("sha256:" + new string('3', 64), state.Collected["u3b"].Digest);
    }

    [Fact]
    public void A_rotated_refresh_token_is_journalled_sealed_never_in_clear()
    {
        var json = System.Text.Encoding.UTF8.GetString(_serializer.ToBinary(new RefreshTokenRotated(new SealedPassword("bm9uY2U=", "c2VhbGVk"), "hmac-sha256:0a1b", At)));
        Assert.Contains("\"sealed\":{\"nonce\":\"bm9uY2U=\",\"ciphertext\":\"c2VhbGVk\"}", json);
    }

    [Fact]
    public void Snapshot_keeps_marks()
    {
        var state = AccountState.Empty
            .Apply(new MessageCollected("u1", 10, At, At, false))
            .Apply(new MessageMarked("u1", "Download", At))
            .Apply(new MessageMarked("u9", "Delete", At));
        var snapshot = AccountSnapshot.From(state);
        var back = ((AccountSnapshot)_serializer.FromBinary(_serializer.ToBinary(snapshot), _serializer.Manifest(snapshot))).ToState();
        Assert.Equal(state.Marks.OrderBy(m => m.Key, StringComparer.Ordinal), back.Marks.OrderBy(m => m.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Snapshot_written_before_marks_existed_reads_as_no_marks()
    {
        // The AccountSnapshot.v1 shape as stored before marks were added: no "marks" property.
        var old = """
            {"collected":[{"uidl":"u1","size":10,"firstSeen":"2026-11-28T12:00:00+00:00","collectedAt":"2026-11-28T12:00:00+00:00"}],
             "configuration":null,"lastCollection":null,"lastSuccessAt":null,"consecutiveFailures":0,"totalCollected":1,"totalBytes":10}
            """u8.ToArray();
        var state = ((AccountSnapshot)_serializer.FromBinary(old, "AccountSnapshot.v1")).ToState();
        Assert.True(state.HasCollected("u1"));
        Assert.Empty(state.Marks);
        Assert.False(state.Paused);
    }

    [Fact]
    public void Snapshot_keeps_a_pause()
    {
        var state = AccountState.Empty.Apply(new AccountPaused(At));
        var snapshot = AccountSnapshot.From(state);
        var back = ((AccountSnapshot)_serializer.FromBinary(_serializer.ToBinary(snapshot), _serializer.Manifest(snapshot))).ToState();
        Assert.True(back.Paused);
        var resumed = AccountSnapshot.From(back.Apply(new AccountResumed(At)));
        Assert.False(((AccountSnapshot)_serializer.FromBinary(_serializer.ToBinary(resumed), _serializer.Manifest(resumed))).ToState().Paused);
    }

    [Fact]
    public void Snapshot_keeps_the_server_policy_and_an_older_snapshot_reads_as_healthy()
    {
        var state = AccountState.Empty
            .Apply(new ServerPolicyObserved(At, 300, "0"))
            .Apply(new AccountHealthChanged("NeedsOperator", "bad password", null, At));
        var snapshot = AccountSnapshot.From(state);
        var back = ((AccountSnapshot)_serializer.FromBinary(_serializer.ToBinary(snapshot), _serializer.Manifest(snapshot))).ToState();
        Assert.Equal(state.Policy, back.Policy);

        var old = """{"collected":[],"configuration":null,"lastCollection":null,"lastSuccessAt":null,"consecutiveFailures":0,"totalCollected":0,"totalBytes":0}"""u8.ToArray();
        Assert.Equal(CollectorCluster.Core.Policy.ServerPolicyState.Initial, ((AccountSnapshot)_serializer.FromBinary(old, "AccountSnapshot.v1")).ToState().Policy);
    }

    [Fact]
    public void Message_collected_written_before_fingerprints_loads_without_one()
    {
        var old = """{"uidl":"u1","size":10,"firstSeen":"2026-11-28T12:00:00+00:00","collectedAt":"2026-11-28T12:00:00+00:00","alreadyPresent":false}"""u8.ToArray();
        var e = (MessageCollected)_serializer.FromBinary(old, "MessageCollected.v1");
        Assert.Equal("u1", e.Uidl);
        Assert.Null(e.Fingerprint);
        Assert.Null(AccountState.Empty.Apply(e).Collected["u1"].Fingerprint);
    }

    [Fact]
    public void Runtime_account_settings_are_typed_json_with_enums_by_name()
    {
        var json = System.Text.Encoding.UTF8.GetString(_serializer.ToBinary(new RuntimeAccountAdded("x", EveryOption, new SealedPassword("n", "c"), At)));
        Assert.Equal("RuntimeAccountAdded.v2", _serializer.Manifest(new RuntimeAccountAdded("x", EveryOption, new SealedPassword("n", "c"), At)));
        Assert.Contains("\"ssl\":\"Implicit\"", json);
        Assert.Contains("\"auth\":\"CramMd5\"", json);
        Assert.Contains("\"checkEvery\":\"00:07:00\"", json);
    }

    [Fact]
    public void Runtime_account_v1_reads_as_its_stored_shape_for_the_read_adapter()
    {
        // RuntimeAccountAdded.v1 as collector add journaled it: the settings as a HOCON object.
        var v1 = """
            {"id":"extra","settings":"{ id = \"extra\", pop3-server = \"127.0.0.1\", port = 9312, check-every = \"24h\", }",
             "password":{"nonce":"bm9uY2Vub25jZTEy","ciphertext":"Y2lwaGVydGV4dA=="},"at":"2026-11-28T12:00:00+00:00"}
            """u8.ToArray();
        var read = Assert.IsType<RuntimeAccountAddedV1>(_serializer.FromBinary(v1, "RuntimeAccountAdded.v1"));
        Assert.Equal("extra", read.Id);
        Assert.Contains("check-every = \"24h\"", read.Settings);
        Assert.Equal(new SealedPassword("bm9uY2Vub25jZTEy", "Y2lwaGVydGV4dA=="), read.Password);
        Assert.Equal(At, read.At);
    }

    [Fact]
    public void Journaled_settings_hold_every_key_and_no_secret_in_the_clear()
    {
        var json = System.Text.Encoding.UTF8.GetString(_serializer.ToBinary(Changed));
        Assert.Equal("AccountSettingsChanged.v1", _serializer.Manifest(Changed));
        Assert.Contains("\"checkEvery\":\"00:07:00\"", json);
        Assert.Contains("\"origin\":\"Runtime\"", json);
        Assert.DoesNotContain("$type", json);
        var back = (AccountSettingsChanged)_serializer.FromBinary(_serializer.ToBinary(Changed), "AccountSettingsChanged.v1");
        Assert.Equal(Changed.Settings.Settings, back.Settings.Settings);
        Assert.Equal(Changed.Settings.OAuth2, back.Settings.OAuth2);
    }

    [Fact]
    public void A_snapshot_keeps_the_settings_and_one_written_before_them_reads_as_none()
    {
        var snapshot = AccountSnapshot.From(AccountState.Empty.Apply(Changed));
        var back = ((AccountSnapshot)_serializer.FromBinary(_serializer.ToBinary(snapshot), "AccountSnapshot.v1")).ToState();
        Assert.Equal(Changed.Settings.Settings, back.Settings!.Settings.Settings);
        Assert.Equal(AccountOrigin.Runtime, back.Settings.Origin);
        var old = """{"collected":[],"configuration":null,"lastCollection":null,"lastSuccessAt":null,"consecutiveFailures":0,"totalCollected":0,"totalBytes":0}"""u8.ToArray();
        Assert.Null(((AccountSnapshot)_serializer.FromBinary(old, "AccountSnapshot.v1")).ToState().Settings);
    }

    [Fact]
    public void The_registry_snapshot_restores_its_state()
    {
        var state = AccountRegistryState.Empty
            .Apply(new RuntimeAccountAdded("r", EveryOption, new SealedPassword("n", "c"), At))
            .Apply(new FileAccountsListed(["f1", "f2"], At))
            .Apply(new AccountsFileApplied("d1", "k", "node1", At))
            .Apply(new AccountsFileApplied("d2", "k", "node2", At.AddMinutes(1)));
        var snapshot = AccountRegistrySnapshot.From(state);
        var back = ((AccountRegistrySnapshot)_serializer.FromBinary(_serializer.ToBinary(snapshot), "AccountRegistrySnapshot.v1")).ToState();
        Assert.Equal(state.Accounts, back.Accounts);
        Assert.Equal(state.FileAccounts, back.FileAccounts);
        Assert.Equal(state.FileVersions, back.FileVersions);
        Assert.Equal("d2", back.FileVersions[0].Digest);
    }

    [Fact]
    public void Journal_bytes_are_plain_json_without_type_names()
    {
        var json = System.Text.Encoding.UTF8.GetString(_serializer.ToBinary(new MessageCollected("u", 1, At, At, false)));
        Assert.StartsWith("{\"uidl\":\"u\"", json);
        Assert.DoesNotContain("$type", json);
    }

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    // Records holding lists compare by reference; their printed form compares by content.
    private static string Describe(object value) => value switch
    {
        MessagesVanished v => $"{string.Join(",", v.Uidls)}|{v.At:O}",
        MessagesDeletedOnServer d => $"{string.Join(",", d.Uidls)}|{d.Reason}|{d.At:O}",
        CollectionCompleted c => $"{c with { Warnings = [] }}|{string.Join(",", c.Warnings)}",
        LocalDeletionObserved l => $"{string.Join(",", l.Uidls)}|{l.At:O}",
        MirrorAbsenceNoted n => $"{string.Join(",", n.Absent)}|{string.Join(",", n.Reappeared)}|{n.At:O}",
        LocalCopiesRemoved r => $"{string.Join(",", r.Uidls)}|{r.At:O}",
        OversizeMessagesReported o => $"{string.Join(",", o.Messages)}|{o.Limit}|{o.Handling}|{o.At:O}",
        UidlsRekeyed r => $"{string.Join(",", r.Rekeys)}|{r.At:O}",
        FileAccountsListed l => $"{string.Join(",", l.Ids)}|{l.At:O}",
        FileAccountsUnlisted u => $"{string.Join(",", u.Ids)}|{u.At:O}",
        AccountRegistrySnapshot r => $"{string.Join(",", r.Runtime)}|{string.Join(",", r.FileAccounts)}|{string.Join(",", r.FileVersions)}",
        AccountSnapshot s => $"{string.Join(",", s.Collected)}|{s.Configuration}|{s.LastCollection}|{s.LastSuccessAt}|{s.ConsecutiveFailures}|{s.TotalCollected}|{s.TotalBytes}|{string.Join(",", s.Marks ?? [])}|{s.Policy}|{s.Paused}"
            + $"|{string.Join(",", s.Absent ?? [])}|{string.Join(",", s.PendingDeletions ?? [])}|{s.Identity}|{s.NamesIncludeMailbox}|{s.RefreshToken}|{string.Join(",", s.Oversize ?? [])}|{s.Routing}|{string.Join(",", s.ImportedSeeds ?? [])}|{s.Settings}",
        DeletionsIntended d => $"{string.Join(",", d.Deletions)}|{d.At:O}",
        AbsenceNoted n => $"{string.Join(",", n.Absent)}|{string.Join(",", n.Reappeared)}|{n.At:O}",
        RekeysVerified v => $"{string.Join(",", v.Confirmed)}|{string.Join(",", v.Refuted)}|{v.At:O}",
        MessageRouted r => $"{r.Uidl}|{r.DuplicateKey}|{r.Source}|{string.Join(",", r.Copies)}|{string.Join(",", r.Refused)}|{r.At:O}",
        UidlsImported i => $"{i.File}|{i.Origin}|{string.Join(",", i.Uidls)}|{i.At:O}",
        RecipientSnapshot r => string.Join(",", r.Delivered),
        AlarmSnapshot a => string.Join(",", a.Sleeping),
        _ => value.ToString()!,
    };
}
