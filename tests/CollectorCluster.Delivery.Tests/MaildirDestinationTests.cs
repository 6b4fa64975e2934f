using System.Security.Cryptography;
using System.Text;
using CollectorCluster.Core.Delivery;
using CollectorCluster.Delivery.Maildir;

namespace CollectorCluster.Delivery.Tests;

public sealed class MaildirDestinationTests : IDisposable
{
    private const string Account = "fred@pop.example.com";
    private static readonly MailboxScope Scope = MailboxScope.AccountOnly(Account);
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Root => _dir.Combine("Maildir");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Open_creates_tmp_new_and_cur()
    {
        var destination = new MaildirDestination(Root);

        await using var session = await destination.OpenAsync(Scope, Ct);

        Assert.True(Directory.Exists(Path.Combine(Root, "tmp")));
        Assert.True(Directory.Exists(Path.Combine(Root, "new")));
        Assert.True(Directory.Exists(Path.Combine(Root, "cur")));
        Assert.Equal("maildir:" + Root, destination.Description);
    }

    [Fact]
    public async Task Round_trip_is_byte_for_byte()
    {
        var content = Message();
        await using var session = await new MaildirDestination(Root).OpenAsync(Scope, Ct);

        var receipt = await session.DeliverAsync("UID-1", new MemoryStream(content), Ct);
        await session.FlushAsync(Ct);

        Assert.False(receipt.AlreadyPresent);
        Assert.Equal("UID-1", receipt.Key);
        Assert.Equal(content.Length, receipt.Bytes);
        Assert.Equal(Path.Combine(Root, "new", MaildirNames.BaseName(Account, "UID-1")), receipt.Location);
        Assert.Equal(content, await File.ReadAllBytesAsync(receipt.Location, Ct));
        Assert.Empty(Directory.GetFiles(Path.Combine(Root, "tmp")));
    }

    [Fact]
    public async Task Names_are_deterministic_across_instances()
    {
        var first = await DeliverOnceAsync(new MaildirDestination(Root), "UID-7");
        var other = _dir.Combine("Other");
        var second = await DeliverOnceAsync(new MaildirDestination(other), "UID-7");

        Assert.Equal(Path.GetFileName(first.Location), Path.GetFileName(second.Location));
        Assert.Equal(MaildirNames.BaseName(Account, "UID-7"), Path.GetFileName(first.Location));
    }

    [Fact]
    public async Task Two_accounts_with_the_same_uidl_get_different_files()
    {
        var destination = new MaildirDestination(Root);
        await using var fred = await destination.OpenAsync(MailboxScope.AccountOnly("fred@pop"), Ct);
        await using var jim = await destination.OpenAsync(MailboxScope.AccountOnly("jim@pop"), Ct);

        var a = await fred.DeliverAsync("1", new MemoryStream("fred"u8.ToArray()), Ct);
        var b = await jim.DeliverAsync("1", new MemoryStream("jim"u8.ToArray()), Ct);
        await fred.FlushAsync(Ct);
        await jim.FlushAsync(Ct);

        Assert.False(a.AlreadyPresent);
        Assert.False(b.AlreadyPresent);
        Assert.NotEqual(a.Location, b.Location);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(Root, "new")).Length);
    }

    [Fact]
    public async Task A_repeat_delivery_in_a_session_is_already_present()
    {
        await using var session = await new MaildirDestination(Root).OpenAsync(Scope, Ct);

        await session.DeliverAsync("UID-1", new MemoryStream(Message()), Ct);
        var again = await session.DeliverAsync("UID-1", new MemoryStream(Message()), Ct);
        await session.FlushAsync(Ct);

        Assert.True(again.AlreadyPresent);
        Assert.Equal("UID-1", again.Key);
        Assert.Equal(Message().Length, again.Bytes);
        Assert.Single(Directory.GetFiles(Path.Combine(Root, "new")));
    }

    [Fact]
    public async Task A_message_a_reader_moved_to_cur_with_flags_still_counts()
    {
        var receipt = await DeliverOnceAsync(new MaildirDestination(Root), "UID-1");
        var moved = Path.Combine(Root, "cur", Path.GetFileName(receipt.Location) + ":2,S");
        File.Move(receipt.Location, moved);

        await using var session = await new MaildirDestination(Root).OpenAsync(Scope, Ct);
        var stream = new MemoryStream(Message());
        var again = await session.DeliverAsync("UID-1", stream, Ct);

        Assert.True(again.AlreadyPresent);
        Assert.Equal(moved, again.Location);
        Assert.Equal(stream.Length, stream.Position); // the stream was read to its end
        Assert.Empty(Directory.GetFiles(Path.Combine(Root, "new")));
    }

    [Fact]
    public async Task After_a_crash_before_the_journal_write_a_new_session_recognises_the_message()
    {
        // Deliver, then "crash": no flush, no journal record; the session is simply dropped.
        var session = await new MaildirDestination(Root).OpenAsync(Scope, Ct);
        await session.DeliverAsync("UID-1", new MemoryStream(Message()), Ct);
        await session.DisposeAsync();
        var before = AllMessages();

        await using var rerun = await new MaildirDestination(Root).OpenAsync(Scope, Ct);
        var again = await rerun.DeliverAsync("UID-1", new MemoryStream(Message()), Ct);

        Assert.True(again.AlreadyPresent);
        Assert.Equal(before, AllMessages());
        Assert.Single(before);
        Assert.Empty(Directory.GetFiles(Path.Combine(Root, "tmp")));
    }

    [Fact]
    public async Task A_message_another_writer_put_in_new_after_open_is_not_replaced()
    {
        await using var session = await new MaildirDestination(Root).OpenAsync(Scope, Ct);
        var target = Path.Combine(Root, "new", MaildirNames.BaseName(Account, "UID-1"));
        await File.WriteAllTextAsync(target, "theirs", Ct);

        var receipt = await session.DeliverAsync("UID-1", new MemoryStream(Message()), Ct);

        Assert.True(receipt.AlreadyPresent);
        Assert.Equal(target, receipt.Location);
        Assert.Equal("theirs", await File.ReadAllTextAsync(target, Ct));
        Assert.Empty(Directory.GetFiles(Path.Combine(Root, "tmp")));
    }

    [Fact]
    public async Task A_reused_uidl_with_other_content_is_delivered_under_a_name_of_its_own_never_taken_for_delivered()
    {
        // A server that reuses UIDLs: "UID-1" named one message before and names another now. Taking the old file for
        // this message would let delete mode DELE it undelivered.
        await DeliverOnceAsync(new MaildirDestination(Root), "UID-1");
        var other = "From: b@example.com\r\nSubject: another\r\n\r\nanother message\r\n"u8.ToArray();

        await using var session = await new MaildirDestination(Root).OpenAsync(Scope, Ct);
        var receipt = await session.DeliverAsync("UID-1", new MemoryStream(other), Ct);
        await session.FlushAsync(Ct);

        Assert.False(receipt.AlreadyPresent);
        Assert.Equal(MaildirNames.ReusedKey("UID-1", SHA256.HashData(other)), receipt.Key);
        Assert.Equal(other, await File.ReadAllBytesAsync(receipt.Location, Ct));
        Assert.Equal(2, AllMessages().Count);
        Assert.Empty(Directory.GetFiles(Path.Combine(Root, "tmp")));

        // Delivered again (a crash before the journal write): recognised under its own name, not written a third time.
        await using var rerun = await new MaildirDestination(Root).OpenAsync(Scope, Ct);
        var again = await rerun.DeliverAsync("UID-1", new MemoryStream(other), Ct);
        Assert.True(again.AlreadyPresent);
        Assert.Equal(receipt.Key, again.Key);
        var same = await rerun.DeliverAsync("UID-1", new MemoryStream(Message()), Ct);
        Assert.True(same.AlreadyPresent);
        Assert.Equal("UID-1", same.Key);
        Assert.Equal(2, AllMessages().Count);
    }

    [Fact]
    public async Task A_file_under_the_name_that_cannot_be_read_counts_as_another_message()
    {
        // A name whose file cannot be read (a dangling link: unreadable even for root).
        var first = await DeliverOnceAsync(new MaildirDestination(Root), "UID-1");
        File.Delete(first.Location);
        File.CreateSymbolicLink(first.Location, _dir.Combine("nowhere"));

        await using var session = await new MaildirDestination(Root).OpenAsync(Scope, Ct);
        var receipt = await session.DeliverAsync("UID-1", new MemoryStream(Message()), Ct);
        await session.FlushAsync(Ct);

        Assert.False(receipt.AlreadyPresent); // at worst a copy too many, never a message lost
        Assert.Equal(2, AllMessages().Count);
    }

    [Fact]
    public async Task Names_of_one_account_differ_by_mailbox_and_account_only_names_are_those_earlier_versions_wrote()
    {
        var destination = new MaildirDestination(Root);
        var old = await DeliverOnceAsync(destination, "UID-1");
        Assert.Equal("cc." + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Account + "\nUID-1")))[..32], Path.GetFileName(old.Location));

        await using var pop = await destination.OpenAsync(new MailboxScope(Account, new Core.Accounts.MailboxIdentity("pop.example.com", "fred")), Ct);
        await using var pop2 = await destination.OpenAsync(new MailboxScope(Account, new Core.Accounts.MailboxIdentity("pop2.example.com", "fred")), Ct);
        var a = await pop.DeliverAsync("UID-1", new MemoryStream(Message()), Ct);
        var b = await pop2.DeliverAsync("UID-1", new MemoryStream(Message()), Ct);

        Assert.False(a.AlreadyPresent); // the old mailbox's file never counts as delivered for another mailbox's message
        Assert.False(b.AlreadyPresent);
        Assert.Equal(3, new[] { old.Location, a.Location, b.Location }.Distinct().Count());
    }

    [Fact]
    public async Task Without_uidl_the_key_is_the_content_hash_and_equal_content_is_stored_once()
    {
        var content = Message();
        var expectedKey = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
        await using var session = await new MaildirDestination(Root).OpenAsync(Scope, Ct);

        var first = await session.DeliverAsync(null, new MemoryStream(content), Ct);
        var second = await session.DeliverAsync(null, new MemoryStream(content), Ct);
        var different = await session.DeliverAsync(null, new MemoryStream("other"u8.ToArray()), Ct);
        await session.FlushAsync(Ct);

        Assert.Equal(expectedKey, first.Key);
        Assert.False(first.AlreadyPresent);
        Assert.Equal(expectedKey, second.Key);
        Assert.True(second.AlreadyPresent);
        Assert.False(different.AlreadyPresent);
        Assert.Equal(Path.Combine(Root, "new", MaildirNames.BaseName(Account, expectedKey)), first.Location);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(Root, "new")).Length);
        Assert.Empty(Directory.GetFiles(Path.Combine(Root, "tmp")));
    }

    [Fact]
    public async Task Without_uidl_a_new_session_also_recognises_the_content()
    {
        await DeliverOnceAsync(new MaildirDestination(Root), null);

        await using var session = await new MaildirDestination(Root).OpenAsync(Scope, Ct);
        var again = await session.DeliverAsync(null, new MemoryStream(Message()), Ct);

        Assert.True(again.AlreadyPresent);
        Assert.Single(AllMessages());
    }

    [Fact]
    public async Task Stale_tmp_files_of_ours_are_removed_on_open_others_and_fresh_ones_kept()
    {
        var tmp = Path.Combine(Root, "tmp");
        Directory.CreateDirectory(tmp);
        var now = DateTime.UtcNow;
        var staleOurs = Touch(Path.Combine(tmp, "cc.0123.abcd.tmp"), now.AddHours(-40));
        var freshOurs = Touch(Path.Combine(tmp, "cc.4567.ef01.tmp"), now.AddHours(-1));
        var staleForeign = Touch(Path.Combine(tmp, "1700000000.M1P2.host"), now.AddHours(-40));
        var staleForeignTmp = Touch(Path.Combine(tmp, "other.tmp"), now.AddHours(-40));

        await using var session = await new MaildirDestination(Root).OpenAsync(Scope, Ct);

        Assert.False(File.Exists(staleOurs));
        Assert.True(File.Exists(freshOurs));
        Assert.True(File.Exists(staleForeign));
        Assert.True(File.Exists(staleForeignTmp));
    }

    [Fact]
    public async Task Stale_age_follows_the_time_provider()
    {
        var tmp = Path.Combine(Root, "tmp");
        Directory.CreateDirectory(tmp);
        var file = Touch(Path.Combine(tmp, "cc.0123.abcd.tmp"), DateTime.UtcNow);
        var clock = new FixedTimeProvider(DateTimeOffset.UtcNow.AddHours(37));

        await using var session = await new MaildirDestination(Root, clock).OpenAsync(Scope, Ct);

        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task Flush_syncs_once_and_is_cheap_when_nothing_changed()
    {
        await using var session = await new MaildirDestination(Root).OpenAsync(Scope, Ct);
        await session.FlushAsync(Ct);
        await session.DeliverAsync("a", new MemoryStream(Message()), Ct);
        await session.DeliverAsync("b", new MemoryStream(Message()), Ct);
        await session.FlushAsync(Ct);
        await session.FlushAsync(Ct);

        Assert.Equal(2, AllMessages().Count);
    }

    [Fact]
    public async Task A_destination_failure_names_the_maildir_and_account_and_leaves_nothing_visible()
    {
        await using var session = await new MaildirDestination(Root).OpenAsync(Scope, Ct);
        Directory.Delete(Path.Combine(Root, "tmp")); // tmp/ vanishes under us, like a lost mount

        var e = await Assert.ThrowsAsync<DeliveryException>(
            () => session.DeliverAsync("UID-1", new MemoryStream(Message()), Ct));

        Assert.Contains(Root, e.Message, StringComparison.Ordinal);
        Assert.Contains(Account, e.Message, StringComparison.Ordinal);
        Assert.Equal(Account, e.AccountId);
        Assert.Empty(AllMessages());
    }

    [Fact]
    public async Task A_maildir_that_cannot_be_created_fails_open_naming_it()
    {
        File.WriteAllText(Root, "a file, not a directory");

        var e = await Assert.ThrowsAsync<DeliveryException>(() => new MaildirDestination(Root).OpenAsync(Scope, Ct));

        Assert.Contains(Root, e.Message, StringComparison.Ordinal);
        Assert.Contains(Account, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_source_failure_passes_through_and_leaves_no_file()
    {
        await using var session = await new MaildirDestination(Root).OpenAsync(Scope, Ct);
        var failure = new IOException("connection reset");

        var e = await Assert.ThrowsAsync<IOException>(
            () => session.DeliverAsync("UID-1", new FailingStream(300_000, failure), Ct));

        Assert.Same(failure, e);
        Assert.Empty(AllMessages());
        Assert.Empty(Directory.GetFiles(Path.Combine(Root, "tmp")));
    }

    [Fact]
    public async Task Cancellation_leaves_no_file()
    {
        await using var session = await new MaildirDestination(Root).OpenAsync(Scope, Ct);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => session.DeliverAsync("UID-1", new GeneratedStream(1_000_000), cts.Token));

        Assert.Empty(AllMessages());
        Assert.Empty(Directory.GetFiles(Path.Combine(Root, "tmp")));
    }

    [Fact]
    public async Task Messages_are_private_to_the_owner()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix modes");
        var receipt = await DeliverOnceAsync(new MaildirDestination(Root), "UID-1");

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(receipt.Location));
        }
    }

    [Fact]
    public void A_relative_path_is_refused() =>
        Assert.Throws<ArgumentException>(() => new MaildirDestination("relative/Maildir"));

    /// <summary>Headers, a dot-stuffing trap and 8-bit bytes: all must come back unchanged.</summary>
    private static byte[] Message()
    {
        var text = Encoding.ASCII.GetBytes(
            "From: a@example.com\r\nSubject: test\r\n\r\n.leading dot\r\n..two dots\r\n.\r\nnot the end\r\n");
        byte[] eightBit = [0x00, 0x80, 0xA0, 0xC3, 0xA9, 0xFF, 0x0D, 0x0A, 0x2E, 0x0D, 0x0A];
        return [.. text, .. eightBit];
    }

    private static string Touch(string path, DateTime lastWriteUtc)
    {
        File.WriteAllText(path, "partial");
        File.SetLastWriteTimeUtc(path, lastWriteUtc);
        return path;
    }

    [Fact]
    public async Task Group_commit_a_batch_is_in_new_only_after_the_flush_made_it_durable()
    {
        await using var session = await new MaildirDestination(Root).OpenAsync(Scope, Ct);
        var receipts = new List<DeliveryReceipt>();
        for (var i = 0; i < 20; i++)
        {
            receipts.Add(await session.DeliverAsync("UID-" + i, new MemoryStream(Message()), Ct));
        }

        // Written, not yet fsynced: nothing a reader (or a crash) could see as delivered.
        Assert.Empty(AllMessages());
        Assert.Equal(20, Directory.GetFiles(Path.Combine(Root, "tmp")).Length);

        await session.FlushAsync(Ct);

        Assert.Equal(receipts.Select(r => r.Location).Order(), AllMessages().Order());
        Assert.All(receipts, r => Assert.Equal(Message(), File.ReadAllBytes(r.Location)));
        Assert.Empty(Directory.GetFiles(Path.Combine(Root, "tmp")));
    }

    [Fact]
    public async Task A_uidl_repeated_before_the_flush_is_compared_with_the_pending_file()
    {
        await using var session = await new MaildirDestination(Root).OpenAsync(Scope, Ct);

        var first = await session.DeliverAsync("UID-1", new MemoryStream(Message()), Ct);
        var same = await session.DeliverAsync("UID-1", new MemoryStream(Message()), Ct);
        var other = await session.DeliverAsync("UID-1", new MemoryStream("another message"u8.ToArray()), Ct);
        await session.FlushAsync(Ct);

        Assert.True(same.AlreadyPresent);
        Assert.Equal(first.Location, same.Location);
        Assert.False(other.AlreadyPresent); // a reused UIDL: its own name, never taken for delivered
        Assert.Equal(2, AllMessages().Count);
    }

    private async Task<DeliveryReceipt> DeliverOnceAsync(MaildirDestination destination, string? uidl)
    {
        await using var session = await destination.OpenAsync(Scope, Ct);
        var receipt = await session.DeliverAsync(uidl, new MemoryStream(Message()), Ct);
        await session.FlushAsync(Ct);
        return receipt;
    }

    private List<string> AllMessages() =>
        [.. Directory.GetFiles(Path.Combine(Root, "new")).Concat(Directory.GetFiles(Path.Combine(Root, "cur"))).Order(StringComparer.Ordinal)];
}
