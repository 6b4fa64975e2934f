using CollectorCluster.Core.Delivery;
using System.Text;
using CollectorCluster.Delivery.Maildir;

namespace CollectorCluster.Delivery.Tests;

/// <summary>Mirror Mailbox over a real Maildir: what is held (new/ or cur/ with flags), what a user deleted, removal.</summary>
public sealed class MaildirMirrorTests : IDisposable
{
    private const string Account = "fred";
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Holding_sees_new_and_cur_with_flags_and_misses_what_the_user_deleted_or_other_accounts_hold()
    {
        var destination = new MaildirDestination(_dir.Path);
        await DeliverAsync(destination, Account, "u1", "u2", "u3", "u4");
        await DeliverAsync(destination, "other", "u5");

        // A mail client reads u2 (moved to cur/ with flags) and deletes u3.
        var u2 = MaildirNames.BaseName(Account, "u2");
        File.Move(_dir.Combine("new", u2), _dir.Combine("cur", u2 + ":2,S"));
        File.Delete(_dir.Combine("new", MaildirNames.BaseName(Account, "u3")));

        var held = destination.Holding(MailboxScope.AccountOnly(Account), ["u1", "u2", "u3", "u4", "u5", "never"]);
        Assert.Equal(["u1", "u2", "u4"], held.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Remove_deletes_the_copy_wherever_it_is_and_is_idempotent()
    {
        var destination = new MaildirDestination(_dir.Path);
        await DeliverAsync(destination, Account, "u1", "u2");
        var u2 = MaildirNames.BaseName(Account, "u2");
        File.Move(_dir.Combine("new", u2), _dir.Combine("cur", u2 + ":2,RS"));

        Assert.True(destination.Remove(MailboxScope.AccountOnly(Account), "u2"));
        Assert.False(destination.Remove(MailboxScope.AccountOnly(Account), "u2"));
        Assert.True(destination.Remove(MailboxScope.AccountOnly(Account), "u1"));
        Assert.Empty(Directory.GetFiles(_dir.Combine("new")));
        Assert.Empty(Directory.GetFiles(_dir.Combine("cur")));
        Assert.Empty(destination.Holding(MailboxScope.AccountOnly(Account), ["u1", "u2"]));
    }

    [Fact]
    public void An_unreadable_maildir_throws_rather_than_looking_empty() =>
        Assert.ThrowsAny<IOException>(() => new MaildirMirror(_dir.Combine("missing")).Holding(MailboxScope.AccountOnly(Account), ["u1"]));

    [Fact]
    public void Nothing_asked_nothing_read_even_before_the_maildir_exists() =>
        Assert.Empty(new MaildirMirror(_dir.Combine("missing")).Holding(MailboxScope.AccountOnly(Account), []));

    public void Dispose() => _dir.Dispose();

    private static async Task DeliverAsync(MaildirDestination destination, string account, params string[] uidls)
    {
        await using var session = await destination.OpenAsync(MailboxScope.AccountOnly(account), Ct);
        foreach (var uidl in uidls)
        {
            await session.DeliverAsync(uidl, new MemoryStream(Encoding.ASCII.GetBytes($"Subject: {uidl}\r\n\r\nbody\r\n")), Ct);
        }

        await session.FlushAsync(Ct);
    }
}
