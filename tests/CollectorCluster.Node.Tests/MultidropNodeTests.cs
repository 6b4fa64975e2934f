using System.Text;
using Akka.Actor;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Core.Policy;
using CollectorCluster.Node.CommandHost;
using CollectorCluster.Testing;
using CollectorCluster.Testing.Nodes;

namespace CollectorCluster.Node.Tests;

/// <summary>A multidrop account on a node in this process: routed copies, duplicates counted, and <c>collector show</c> printing them.</summary>
public sealed class MultidropNodeTests(DovecotFixture fixture) : IDisposable
{
    private readonly NodeScenario _scenario = new("cc-multidrop-node-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _scenario.Dispose();

    [Fact]
    public async Task Collector_show_counts_the_copies_delivered_and_the_duplicates_suppressed()
    {
        var box = await fixture.Server.CreateUserAsync("mdshow", Ct);
        static byte[] Copy(string? envelope) => Encoding.ASCII.GetBytes(
            (envelope is null ? "" : $"Delivered-To: {envelope}\r\n")
            + "From: x@sender.example\r\nTo: ann@example.com, zed@example.com\r\nCc: bob@example.com\r\nMessage-ID: <show@sender.example>\r\n\r\nbody\r\n");
        fixture.Server.DropMessage(box.Name, Copy(null));
        fixture.Server.DropMessage(box.Name, Copy(null)); // the same message again: every copy a duplicate
        fixture.Server.DropMessage(box.Name, Copy("ann@example.com"));
        var account = $$"""
            {
                id = domain, pop3-server = "{{fixture.Server.Host}}", port = {{fixture.Server.PlainPort}}
                pop3-account = "{{box.Name}}", password = "{{box.Password}}", check-every = 1h
                multidrop {
                  local-domains = [ example.com ]
                  destinations {
                    ann = "maildir:{{_scenario.Maildir}}/ann"
                    bob = "maildir:{{_scenario.Maildir}}/bob"
                  }
                }
              }
            """;
        _scenario.WriteNodeFile(account);
        var options = _scenario.Load();
        await using var node = await NodeScenario.StartAsync(options, Ct);

        var result = await NodeScenario.CollectAsync(node, options.Accounts[0], Ct);
        Assert.True(result.Succeeded, result.Detail);
        Assert.Equal(3, result.Collected);
        Assert.Single(Directory.GetFiles(Path.Combine(_scenario.Maildir, "ann", "new")));
        Assert.Single(Directory.GetFiles(Path.Combine(_scenario.Maildir, "bob", "new")));

        var show = await new CollectorPalette().HandleAsync(["show", "domain"], new CommandContext(node.System, node.Accounts, Akka.Actor.ActorRefs.Nobody, options));
        Assert.True(show.Ok);
        Assert.Contains("mailbox: multidrop:example.com (2 user(s))", show.Lines!);
        // zed is refused in each of the two messages that named it and delivered something (the default is not set).
        Assert.Equal("multidrop: 3 message(s) routed, 2 cop(ies) delivered (0 to the default), 3 duplicate cop(ies) suppressed, 2 address(es) refused", Assert.Single(show.Lines!, l => l.StartsWith("multidrop:", StringComparison.Ordinal)));
        Assert.Equal(3, show.Data!["multidrop"]!["duplicatesSuppressed"]!.GetValue<long>());
        Assert.Equal(3, (await _scenario.JournalAsync("domain", "MessageRouted.v1", Ct)).Count);
    }

    [Fact]
    public async Task A_message_no_user_takes_without_a_default_stays_on_the_server_and_the_account_waits_for_an_operator()
    {
        var box = await fixture.Server.CreateUserAsync("mdnobody", Ct);
        fixture.Server.DropMessage(box.Name, Encoding.ASCII.GetBytes(
            "From: x@sender.example\r\nTo: zed@example.com, someone@elsewhere.example\r\nMessage-ID: <nobody@sender.example>\r\n\r\nbody\r\n"));
        _scenario.WriteNodeFile($$"""
            {
                id = nobody, pop3-server = "{{fixture.Server.Host}}", port = {{fixture.Server.PlainPort}}
                pop3-account = "{{box.Name}}", password = "{{box.Password}}", check-every = 1h, leave-mail-on-server = off
                multidrop {
                  local-domains = [ example.com ]
                  destinations { ann = "maildir:{{_scenario.Maildir}}/ann" }
                }
              }
            """);
        var options = _scenario.Load();
        await using var node = await NodeScenario.StartAsync(options, Ct);

        var result = await NodeScenario.CollectAsync(node, options.Accounts[0], Ct);
        Assert.False(result.Succeeded);
        Assert.Contains("zed@example.com", result.Detail, StringComparison.Ordinal);
        Assert.Equal(1, fixture.Server.CountMessages(box.Name)); // refused: never deleted
        Assert.False(Directory.Exists(Path.Combine(_scenario.Maildir, "ann", "new")));
        var status = await node.Accounts.Ask<AccountStatus>(new GetAccountStatus("nobody"), TimeSpan.FromMinutes(1), Ct);
        Assert.Equal(AccountHealth.NeedsOperator, status.Health);
        Assert.Empty(await _scenario.JournalAsync("nobody", "MessageRouted.v1", Ct));
    }
}
