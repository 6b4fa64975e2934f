using System.Text;
using CollectorCluster.Core.Events;
using CollectorCluster.Core.Planning;
using CollectorCluster.Core.State;
using CollectorCluster.Core.Uidl;

namespace CollectorCluster.Core.Tests.Uidl;

public sealed class UidlMigrationTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static string Fp(int i) => HeaderFingerprint.Compute(Encoding.ASCII.GetBytes($"Message-ID: <m{i}@x>\r\nDate: Sat, 28 Nov 2026 12:00:{i % 60:D2} +0000\r\nFrom: a{i}@x\r\n\r\n"))!;

    // n collected messages "old-i", size 1000 + i, with fingerprints.
    private static AccountState Collected(int n)
    {
        var state = AccountState.Empty;
        for (var i = 0; i < n; i++)
        {
            state = state.Apply(new MessageCollected($"old-{i}", 1000 + i, At, At, false, Fp(i)));
        }

        return state;
    }

    private static List<ListedMessage> Listing(int n, Func<int, string> uidl, Func<int, long>? size = null) =>
        Enumerable.Range(0, n).Select(i => new ListedMessage(i + 1, uidl(i), size?.Invoke(i) ?? 1000 + i)).ToList();

    [Fact]
    public void Every_uidl_changed_with_the_same_sizes_is_suspected()
    {
        var suspects = UidlMigration.Suspects(Collected(10), Listing(10, i => $"new-{i}"));
        Assert.Equal(10, suspects.Count);
    }

    [Fact]
    public void Ordinary_churn_is_not_a_migration()
    {
        // 3 of 10 collected were deleted elsewhere, 3 new arrived with the same sizes: under half missing.
        var listing = Listing(10, i => i < 7 ? $"old-{i}" : $"new-{i}");
        Assert.Empty(UidlMigration.Suspects(Collected(10), listing));
    }

    [Fact]
    public void A_mailbox_emptied_and_refilled_with_other_mail_is_not_a_migration()
    {
        var listing = Listing(10, i => $"new-{i}", i => 50_000 + i);
        Assert.Empty(UidlMigration.Suspects(Collected(10), listing));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 3)]
    [InlineData(2, 2)]
    [InlineData(4, 7)]
    public void A_small_mailbox_renamed_whole_is_suspected_and_re_keyed(int collected, int listed)
    {
        // The fault campaign's case: a few messages collected, then the server renumbers everything (new UIDVALIDITY)
        // and new mail arrives; the collected ones must not be fetched and delivered again.
        var state = Collected(collected);
        var listing = Listing(listed, i => $"new-{i}");
        var suspects = UidlMigration.Suspects(state, listing);
        Assert.Equal(collected, suspects.Count);
        var rekeys = UidlMigration.Match(state, suspects.Select(m => (m, (string?)Fp(m.Number - 1))).ToList());
        Assert.Equal(Enumerable.Range(0, collected).Select(i => new UidlRekey($"old-{i}", $"new-{i}")), rekeys.OrderBy(r => r.Old, StringComparer.Ordinal));
    }

    [Fact]
    public void Nothing_collected_is_never_judged()
    {
        Assert.Empty(UidlMigration.Suspects(AccountState.Empty, Listing(3, i => $"new-{i}")));
    }

    [Fact]
    public void One_message_replaced_by_another_of_the_same_size_is_suspected_but_its_headers_keep_them_apart()
    {
        var state = Collected(1);
        var suspects = UidlMigration.Suspects(state, Listing(1, _ => "other"));
        var other = Assert.Single(suspects);
        Assert.Empty(UidlMigration.Match(state, [(other, Fp(42))]));
    }

    [Fact]
    public void Messages_without_a_message_id_are_never_paired()
    {
        // Same Date, From and size (a monitor's alerts): without a Message-ID there is no fingerprint at all.
        static string? Alert() => HeaderFingerprint.Compute(Encoding.ASCII.GetBytes("Date: Sat, 28 Nov 2026 12:00:00 +0000\r\nFrom: monitor@x\r\n\r\n"));
        var state = AccountState.Empty.Apply(new MessageCollected("old", 500, At, At, false, Alert()));
        Assert.Empty(UidlMigration.Match(state, [(new ListedMessage(1, "new", 500), Alert())]));
    }

    [Fact]
    public void A_server_without_uidl_is_never_judged()
    {
        Assert.Empty(UidlMigration.Suspects(Collected(10), Listing(10, _ => null!)));
    }

    [Fact]
    public void Match_pairs_unique_fingerprints_of_equal_size()
    {
        var state = Collected(6);
        var suspects = Listing(6, i => $"new-{i}").Select(m => (m, (string?)Fp(m.Number - 1))).ToList();
        var rekeys = UidlMigration.Match(state, suspects);
        Assert.Equal(6, rekeys.Count);
        Assert.All(rekeys, r => Assert.Equal(r.Old.Replace("old", "new", StringComparison.Ordinal), r.New));
    }

    [Fact]
    public void Match_leaves_ambiguous_unknown_and_resized_messages_to_be_collected_again()
    {
        var state = Collected(6).Apply(new MessageCollected("old-dup", 1000, At, At, false, Fp(0))); // Fp(0) now twice among old
        var suspects = new List<(ListedMessage, string?)>
        {
            (new ListedMessage(1, "new-0", 1000), Fp(0)),      // ambiguous among old: left alone
            (new ListedMessage(2, "new-1", 1001), null),       // no fingerprint (no headers)
            (new ListedMessage(3, "new-2", 9999), Fp(2)),      // size differs
            (new ListedMessage(4, "new-3", 1003), Fp(3)),      // unique and equal: re-keyed
            (new ListedMessage(5, "new-4", 1004), Fp(99)),     // unknown fingerprint
        };
        var rekey = Assert.Single(UidlMigration.Match(state, suspects));
        Assert.Equal(new UidlRekey("old-3", "new-3"), rekey);
    }

    [Fact]
    public void Rekeying_keeps_first_sighting_fingerprint_and_mark_under_the_new_uidl()
    {
        var first = At.AddDays(-30);
        var state = AccountState.Empty
            .Apply(new MessageCollected("old-1", 10, first, At, false, "sha256:aa"))
            .Apply(new MessageMarked("old-1", "Delete", At))
            .Apply(new UidlsRekeyed([new UidlRekey("old-1", "new-1")], At));

        Assert.False(state.HasCollected("old-1"));
        var moved = state.Collected["new-1"];
        Assert.Equal(first, moved.FirstSeen);
        Assert.Equal("sha256:aa", moved.Fingerprint);
        Assert.Equal(MessageMark.Delete, state.Marks["new-1"]);
        Assert.False(state.Marks.ContainsKey("old-1"));
    }

    [Fact]
    public void A_re_key_is_not_proof_until_the_content_is_compared()
    {
        var state = AccountState.Empty
            .Apply(new MessageCollected("a", 10, At, At, false, "sha256:fa", null, "sha256:da"))
            .Apply(new MessageCollected("b", 20, At, At, false, "sha256:fb", null, "sha256:db"))
            .Apply(new UidlsRekeyed([new UidlRekey("a", "a2"), new UidlRekey("b", "b2")], At))
            .Apply(new DeletionsIntended([new IntendedDeletion("b2", "NotLeftOnServer")], At));
        Assert.True(state.Collected["a2"].Rekeyed);
        Assert.Equal("sha256:da", state.Collected["a2"].Digest);

        state = state.Apply(new RekeysVerified(["a2"], ["b2"], At));
        Assert.False(state.Collected["a2"].Rekeyed);
        Assert.False(state.HasCollected("b2")); // another message: collected as new
        Assert.False(state.PendingDeletions.ContainsKey("b2"));
    }

    [Fact]
    public void Delivering_a_message_again_records_its_own_digest_and_needs_no_proof()
    {
        var state = AccountState.Empty
            .Apply(new MessageCollected("a", 10, At, At, false, "sha256:fa", null, "sha256:da"))
            .Apply(new UidlsRekeyed([new UidlRekey("a", "a2")], At))
            .Apply(new MessageCollected("a2", 10, At, At, true, "sha256:fa", "a", "sha256:d2"));
        Assert.Equal(("sha256:d2", false), (state.Collected["a2"].Digest, state.Collected["a2"].Rekeyed));
        Assert.Equal("sha256:d2", state.Apply(new MessageCollected("a2", 10, At, At, true)).Collected["a2"].Digest); // an old event keeps it
    }

    [Fact]
    public void Recollection_without_a_fingerprint_keeps_the_known_one()
    {
        var state = AccountState.Empty
            .Apply(new MessageCollected("u", 10, At, At, false, "sha256:aa"))
            .Apply(new MessageCollected("u", 10, At, At, true));
        Assert.Equal("sha256:aa", state.Collected["u"].Fingerprint);
    }
}
