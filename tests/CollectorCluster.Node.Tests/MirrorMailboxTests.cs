using CollectorCluster.Actors.Accounts;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Node.Hosting;
using CollectorCluster.Testing;
using CollectorCluster.Testing.Nodes;

namespace CollectorCluster.Node.Tests;

/// <summary>
/// Mirror Mailbox on a real node, a real Maildir and a real Dovecot: deletions both ways, the absence rule (two committed
/// listings, an hour apart: the sessions' clock is stepped), guard.
/// </summary>
public sealed class MirrorMailboxTests(DovecotFixture fixture) : IDisposable
{
    private readonly NodeScenario _scenario = new("cc-mirror-");
    private readonly SteppedClock _clock = new(DateTimeOffset.UtcNow);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string LocalNew => Path.Combine(_scenario.Maildir, "new");

    [Fact]
    public async Task Deletions_propagate_both_ways_after_two_listings_and_an_empty_server_never_wipes_the_mailbox()
    {
        var user = await fixture.Server.CreateUserAsync("mirror", Ct);
        var messages = Enumerable.Range(0, 4).Select(i => MessageFactory.Create(1500 + (i * 50), 1500 + i)).ToList();
        var serverFiles = messages.Select(m => fixture.Server.DropMessage(user.Name, m)).ToList();
        var options = Options(user);
        await using var node = await NodeScenario.StartAsync(options, Ct, environment => environment with { Clock = _clock });

        var first = await CollectAsync(node, options);
        Assert.True(first.Succeeded, first.Detail);
        Assert.Equal(4, first.Collected);

        // Local → server: the user deletes messages[0] from the local mailbox; the next session deletes it on the server.
        File.Delete(LocalFileOf(messages[0]));
        var second = await CollectAsync(node, options);
        Assert.True(second.Succeeded, second.Detail);
        Assert.Equal((0, 1), (second.Collected, second.Deleted));
        Assert.Equal(3, fixture.Server.CountMessages(user.Name));
        Assert.Single(await JournalAsync(user.Name, "LocalDeletionObserved.v1"));
        Assert.Contains("MirroredLocalDeletion", Assert.Single(await JournalAsync(user.Name, "MessagesDeletedOnServer.v1")), StringComparison.Ordinal);

        // Server → local: messages[1] is deleted on the server. One listing without it only notes it ...
        DeleteOnServer(user, serverFiles[1]);
        var third = await CollectAsync(node, options);
        Assert.True(third.Succeeded, third.Detail);
        Assert.Equal(3, Directory.GetFiles(LocalNew).Length);
        Assert.Single(await JournalAsync(user.Name, "AbsenceNoted.v1"));

        // ... a second one within the hour too ...
        _clock.Advance(TimeSpan.FromMinutes(30));
        var quick = await CollectAsync(node, options);
        Assert.True(quick.Succeeded, quick.Detail);
        Assert.Equal(3, Directory.GetFiles(LocalNew).Length);

        // ... one an hour after the first removes the local copy.
        _clock.Advance(TimeSpan.FromMinutes(31));
        var fourth = await CollectAsync(node, options);
        Assert.True(fourth.Succeeded, fourth.Detail);
        Assert.Equal(2, Directory.GetFiles(LocalNew).Length);
        Assert.Null(LocalFileOrNull(messages[1]));
        Assert.NotNull(LocalFileOrNull(messages[2]));
        Assert.NotNull(LocalFileOrNull(messages[3]));
        Assert.Single(await JournalAsync(user.Name, "LocalCopiesRemoved.v1"));
        Assert.Equal(0, second.Collected + third.Collected + quick.Collected + fourth.Collected); // nothing was collected twice

        // The server suddenly lists nothing: noted once, then held back as needing the operator; the local mailbox stays.
        DeleteOnServer(user, serverFiles[2]);
        DeleteOnServer(user, serverFiles[3]);
        var fifth = await CollectAsync(node, options);
        Assert.True(fifth.Succeeded, fifth.Detail);
        _clock.Advance(TimeSpan.FromHours(2));
        var sixth = await CollectAsync(node, options);
        Assert.True(sixth.Succeeded, sixth.Detail);
        Assert.Contains("the server listed no message at all", sixth.Detail, StringComparison.Ordinal);
        Assert.Contains("operator", sixth.Detail, StringComparison.Ordinal);
        Assert.Equal(2, Directory.GetFiles(LocalNew).Length);
        Assert.Single(await JournalAsync(user.Name, "LocalCopiesRemoved.v1"));
    }

    [Fact]
    public async Task A_user_deleting_more_than_the_share_locally_deletes_nothing_on_the_server()
    {
        var user = await fixture.Server.CreateUserAsync("mirrorshare", Ct);
        var messages = Enumerable.Range(0, 4).Select(i => MessageFactory.Create(1500 + (i * 50), 1600 + i)).ToList();
        messages.ForEach(m => fixture.Server.DropMessage(user.Name, m));
        var options = Options(user);
        await using var node = await NodeScenario.StartAsync(options, Ct);
        Assert.Equal(4, (await CollectAsync(node, options)).Collected);

        messages.Take(3).ToList().ForEach(m => File.Delete(LocalFileOf(m))); // 3 of 4: above mirror-max-share 0.5
        var result = await CollectAsync(node, options);
        Assert.True(result.Succeeded, result.Detail);
        Assert.Equal(0, result.Deleted);
        Assert.Contains("3 of 4 collected message(s) are gone from the local mailbox", result.Detail, StringComparison.Ordinal);
        Assert.Equal(4, fixture.Server.CountMessages(user.Name));
    }

    public void Dispose() => _scenario.Dispose();

    private void DeleteOnServer(TestMailUser user, string droppedPath)
    {
        // Dovecot may have moved the file to cur/ (with flags) since it was dropped in new/.
        var name = Path.GetFileName(droppedPath);
        var maildir = fixture.Server.MaildirPath(user.Name);
        var file = Directory.GetFiles(Path.Combine(maildir, "new")).Concat(Directory.GetFiles(Path.Combine(maildir, "cur")))
            .Single(f => Path.GetFileName(f).StartsWith(name, StringComparison.Ordinal));
        File.Delete(file);
    }

    private string LocalFileOf(TestMessage message) => LocalFileOrNull(message) ?? throw new Xunit.Sdk.XunitException($"{message.MessageId} is not in the local mailbox");

    private string? LocalFileOrNull(TestMessage message) =>
        Directory.GetFiles(LocalNew).SingleOrDefault(f => File.ReadAllBytes(f).AsSpan().SequenceEqual(message.Content));

    private CollectorOptions Options(TestMailUser user)
    {
        _scenario.WriteNodeFile(_scenario.Account(fixture.Server, user, "leave-mail-on-server = on, mirror-mailbox = on, mirror-max-share = 0.5"));
        return _scenario.Load();
    }

    private static Task<CollectionResult> CollectAsync(CollectorNode node, CollectorOptions options) => NodeScenario.CollectAsync(node, options.Accounts[0], Ct);

    private Task<List<string>> JournalAsync(string accountId, string manifest) => _scenario.JournalAsync(accountId, manifest, Ct);
}
