using System.Globalization;
using System.Text;
using CollectorCluster.Testing;
using Microsoft.Data.Sqlite;

namespace CollectorCluster.IntegrationTests;

/// <summary>
/// Multidrop end to end against a real Dovecot: a domain mailbox holding mail To/Cc/Bcc three local users and an
/// unknown one, routed by <c>collector once</c> to Maildirs and, over LMTP, to Dovecot users; each user gets every
/// message exactly once, the unknown one goes to the default; a <c>kill -9</c> in the middle of a fan-out and a rerun
/// give the same; the same message collected from two accounts reaches each user once.
/// </summary>
public sealed class MultidropTests : IAsyncLifetime
{
    private readonly CollectorWorkspace node = new();
    private DovecotServer? server;
    private TestMailUser carl = null!;
    private TestMailUser postmaster = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DovecotServer Server => server ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync()
    {
        server = await DovecotServer.StartAsync(new DovecotServerOptions { EnableLmtp = true }, Ct);
        carl = await Server.CreateUserAsync("carl", Ct);
        postmaster = await Server.CreateUserAsync("pm", Ct);
    }

    public async ValueTask DisposeAsync()
    {
        node.Dispose();
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_domain_mailbox_reaches_maildir_and_lmtp_users_once_each_and_the_unknown_recipient_the_default()
    {
        var domain = await Server.CreateUserAsync("domain", Ct);
        // m1: To ann, Cc bob and zed (unknown), Bcc carl: the ISP keeps one copy per envelope recipient.
        foreach (var envelope in new[] { "ann", "bob", "carl", "zed" })
        {
            Server.DropMessage(domain.Name, Message("m1", to: "ann", cc: "bob, zed@example.com", envelope: envelope));
        }

        // m2: no envelope header: routed by To/Cc (ann, carl, and zed to the default).
        Server.DropMessage(domain.Name, Message("m2", to: "ann, carl", cc: "zed@example.com"));
        // m3: an envelope copy for bob of mail addressed to an outside list; plus a second copy of it (same Message-ID and body).
        Server.DropMessage(domain.Name, Message("m3", to: "list@lists.example", cc: null, envelope: "bob"));
        Server.DropMessage(domain.Name, Message("m3", to: "list@lists.example", cc: null, envelope: "bob"));
        WriteNodeFile(Account("domain", domain, Server.PlainPort, LmtpPort: Server.LmtpPort));

        var first = await node.RunOnceAsync(Ct);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(7, first.Collected("domain"));
        AssertUsersHold(new()
        {
            ["ann"] = ["m1", "m2"],
            ["bob"] = ["m1", "m3"],
            ["carl"] = ["m1", "m2"],
            ["postmaster"] = ["m1", "m2"],
        });

        var routed = await JournalAsync("account-domain", "MessageRouted.v1");
        Assert.Equal(7, routed.Count);
        Assert.Single(routed, r => r.Contains("\"outcome\":\"Duplicate\"", StringComparison.Ordinal) && r.Contains("\"user\":\"bob\"", StringComparison.Ordinal));
        Assert.Equal(8, await CountAsync("recipient-", "CopyDelivered.v1")); // m1: 4, m2: 3, m3: 1 (its second copy suppressed)

        var second = await node.RunOnceAsync(Ct);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(0, second.Collected("domain"));
        AssertUsersHold(new()
        {
            ["ann"] = ["m1", "m2"],
            ["bob"] = ["m1", "m3"],
            ["carl"] = ["m1", "m2"],
            ["postmaster"] = ["m1", "m2"],
        });
    }

    [Fact]
    public async Task A_kill_9_in_the_middle_of_a_fan_out_then_a_rerun_with_a_second_account_gives_each_user_one_copy()
    {
        var domain = await Server.CreateUserAsync("killfan", Ct);
        var other = await Server.CreateUserAsync("killfan2", Ct);
        Server.DropMessage(domain.Name, Message("k1", to: "ann, bob, carl", cc: null));
        Server.DropMessage(domain.Name, Message("k2", to: "bob", cc: "carl, zed@example.com"));
        Server.DropMessage(other.Name, Message("k1", to: "ann, bob, carl", cc: null)); // the same message, in a second domain mailbox

        // carl's LMTP goes through a relay that holds the server's greeting: the fan-out of k1 stops at carl, after
        // ann's and bob's copies were delivered and recorded (users are served in order).
        await using var relay = new Pop3Proxy(Server.LmtpPort);
        relay.PauseAfter(0);
        WriteNodeFile(Account("domain", domain, Server.PlainPort, LmtpPort: Server.LmtpPort, carlPort: relay.Port));

        using (var collector = node.StartProcess())
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            limit.CancelAfter(TimeSpan.FromSeconds(90));
            while (relay.ConnectionsAccepted == 0)
            {
                Assert.False(collector.HasExited, "collector ended before reaching carl:\n" + collector.Output);
                await Task.Delay(10, limit.Token);
            }

            await collector.KillHardAsync();
        }

        AssertUsersHold(new() { ["ann"] = ["k1"], ["bob"] = ["k1"], ["carl"] = [], ["postmaster"] = [] });
        Assert.Equal(2, Server.CountMessages(domain.Name)); // no QUIT: nothing deleted
        Assert.Empty(await JournalAsync("account-domain", "MessageRouted.v1"));

        // The rerun also collects the second mailbox: its copy of k1 races the first account's for carl, and finds
        // ann's and bob's copies recorded by the killed run.
        relay.Resume();
        WriteNodeFile(
            Account("domain", domain, Server.PlainPort, LmtpPort: Server.LmtpPort, carlPort: relay.Port),
            Account("other", other, Server.PlainPort, LmtpPort: Server.LmtpPort, carlPort: relay.Port)); // a user's memory is its destination's: the same spec
        var rerun = await node.RunProcessAsync(Ct);
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        AssertUsersHold(new() { ["ann"] = ["k1"], ["bob"] = ["k1", "k2"], ["carl"] = ["k1", "k2"], ["postmaster"] = ["k2"] });
        var k1 = (await JournalAsync("account-domain", "MessageRouted.v1")).Single(r => r.Contains("\"user\":\"ann\"", StringComparison.Ordinal)) // k2 is not for ann
            + Assert.Single(await JournalAsync("account-other", "MessageRouted.v1"));
        Assert.Equal(2, Occurrences(k1, "\"outcome\":\"AlreadyDelivered\"")); // ann's and bob's copies, from the killed run
        Assert.Equal(1, Occurrences(k1, "\"outcome\":\"Delivered\"")); // carl's, by whichever account claimed it first
        Assert.Equal(3, Occurrences(k1, "\"outcome\":\"Duplicate\""));
        Assert.Equal(0, Server.CountMessages(domain.Name) + Server.CountMessages(other.Name));
    }

    [Fact]
    public async Task The_same_message_collected_from_two_accounts_reaches_each_user_once()
    {
        var first = await Server.CreateUserAsync("isp1", Ct);
        var second = await Server.CreateUserAsync("isp2", Ct);
        foreach (var box in new[] { first, second })
        {
            Server.DropMessage(box.Name, Message("t1", to: "ann, carl", cc: "bob"));
            Server.DropMessage(box.Name, Message("t2", to: "zed@example.com", cc: null, envelope: "carl"));
        }

        WriteNodeFile(Account("isp-one", first, Server.PlainPort, LmtpPort: Server.LmtpPort), Account("isp-two", second, Server.PlainPort, LmtpPort: Server.LmtpPort));
        var run = await node.RunOnceAsync(Ct);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(2, run.Collected("isp-one"));
        Assert.Equal(2, run.Collected("isp-two"));
        AssertUsersHold(new() { ["ann"] = ["t1"], ["bob"] = ["t1"], ["carl"] = ["t1", "t2"], ["postmaster"] = [] });
        var routed = (await JournalAsync("account-isp-one", "MessageRouted.v1")).Concat(await JournalAsync("account-isp-two", "MessageRouted.v1")).ToList();
        Assert.Equal(4, routed.Sum(r => Occurrences(r, "\"outcome\":\"Duplicate\"")));
        Assert.Equal(4, routed.Sum(r => Occurrences(r, "\"outcome\":\"Delivered\"")));
    }

    [Fact]
    public async Task The_daemon_routes_through_the_sharded_recipients_and_suppresses_the_second_accounts_copies()
    {
        var first = await Server.CreateUserAsync("dmn1", Ct);
        var second = await Server.CreateUserAsync("dmn2", Ct);
        Server.DropMessage(first.Name, Message("d1", to: "ann, bob", cc: null));
        Server.DropMessage(second.Name, Message("d1", to: "ann, bob", cc: null));
        WriteNodeFile(
            Account("daemon-one", first, Server.PlainPort, LmtpPort: Server.LmtpPort).Replace("leave-mail-on-server = off", "leave-mail-on-server = off\n  check-every = 10s", StringComparison.Ordinal),
            Account("daemon-two", second, Server.PlainPort, LmtpPort: Server.LmtpPort).Replace("leave-mail-on-server = off", "leave-mail-on-server = off\n  check-every = 10s", StringComparison.Ordinal));

        using var daemon = node.StartProcess("run", "--config", node.NodeFile);
        using (var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            limit.CancelAfter(TimeSpan.FromSeconds(120));
            while (Server.CountMessages(first.Name) + Server.CountMessages(second.Name) > 0)
            {
                Assert.False(daemon.HasExited, $"collector run ended early:\n{daemon.Output}");
                await Task.Delay(50, limit.Token);
            }
        }

        daemon.Terminate();
        var stopped = await daemon.WaitAsync(TimeSpan.FromSeconds(90), Ct);
        Assert.True(stopped.ExitCode == 0, stopped.ToString());
        AssertUsersHold(new() { ["ann"] = ["d1"], ["bob"] = ["d1"], ["carl"] = [], ["postmaster"] = [] });
        var routed = (await JournalAsync("account-daemon-one", "MessageRouted.v1")).Concat(await JournalAsync("account-daemon-two", "MessageRouted.v1")).ToList();
        Assert.Equal(2, routed.Sum(r => Occurrences(r, "\"outcome\":\"Duplicate\"")));
    }

    private static int Occurrences(string text, string what) => (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;

    private int LmtpPortOf(string user, int lmtpPort, int? carlPort) => user == "carl" && carlPort is { } port ? port : lmtpPort;

    /// <summary>ann and bob into Maildirs under the workspace, carl and the default (postmaster) over LMTP to Dovecot users.</summary>
    private string Account(string id, TestMailUser box, int port, int LmtpPort, int? carlPort = null) => $$"""
            {
              id = "{{id}}"
              pop3-server = "127.0.0.1"
              port = {{port.ToString(CultureInfo.InvariantCulture)}}
              pop3-account = "{{box.Name}}"
              password = "{{box.Password}}"
              leave-mail-on-server = off
              download-smallest-first = off
              multidrop {
                local-domains = [ "example.com" ]
                aliases { team = [ ann, bob ] }
                default = postmaster
                destinations {
                  ann = "maildir:{{UserMaildir("ann")}}"
                  bob = "maildir:{{UserMaildir("bob")}}"
                  carl = "lmtp:127.0.0.1:{{LmtpPortOf("carl", LmtpPort, carlPort).ToString(CultureInfo.InvariantCulture)}}?rcpt={{carl.Name}}@example.com"
                  postmaster = "lmtp:127.0.0.1:{{LmtpPort.ToString(CultureInfo.InvariantCulture)}}?rcpt={{postmaster.Name}}@example.com"
                }
              }
            }
        """;

    private void WriteNodeFile(params string[] accounts) => File.WriteAllText(node.NodeFile, $$"""
        collector {
          state-directory = "{{Path.Combine(node.Root, "state")}}"
          command-host.port = 0
          accounts = [ {{string.Join(",\n", accounts)}} ]
        }
        """);

    private string UserMaildir(string user) => Path.Combine(node.Root, "mail", user);

    private static byte[] Message(string id, string to, string? cc, string? envelope = null)
    {
        static string Addresses(string list) => string.Join(", ", list.Split(',', StringSplitOptions.TrimEntries).Select(a => a.Contains('@', StringComparison.Ordinal) ? a : $"{a}@example.com"));
        var text = new StringBuilder("Return-Path: <sender@sender.example>\r\n");
        if (envelope is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"Delivered-To: {Addresses(envelope)}\r\n");
        }

        text.Append("From: Sender <sender@sender.example>\r\n")
            .Append(CultureInfo.InvariantCulture, $"To: {Addresses(to)}\r\n");
        if (cc is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"Cc: {Addresses(cc)}\r\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"Subject: {id}\r\nMessage-ID: <{id}@sender.example>\r\n\r\nThe body of {id}.\r\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>Each user holds exactly these messages (by Message-ID local part), each once.</summary>
    private void AssertUsersHold(Dictionary<string, string[]> expected)
    {
        foreach (var (user, ids) in expected)
        {
            var maildir = user switch
            {
                "carl" => Server.MaildirPath(carl.Name),
                "postmaster" => Server.MaildirPath(postmaster.Name),
                _ => UserMaildir(user),
            };
            var held = new[] { "new", "cur" }.Select(d => Path.Combine(maildir, d)).Where(Directory.Exists)
                .SelectMany(Directory.EnumerateFiles).Select(f => MessageIdOf(File.ReadAllText(f))).Order(StringComparer.Ordinal).ToList();
            Assert.True(ids.Order(StringComparer.Ordinal).SequenceEqual(held), $"{user} holds [{string.Join(", ", held)}], expected [{string.Join(", ", ids)}]");
        }
    }

    private static string MessageIdOf(string message)
    {
        foreach (var line in message.Split('\n'))
        {
            if (line.StartsWith("Message-ID: <", StringComparison.OrdinalIgnoreCase))
            {
                return line["Message-ID: <".Length..].Split('@')[0];
            }
        }

        return "(none)";
    }

    private async Task<List<string>> JournalAsync(string persistenceId, string manifest)
    {
        await using var db = new SqliteConnection($"Data Source={node.JournalFile}");
        await db.OpenAsync(Ct);
        await using var query = db.CreateCommand();
        query.CommandText = "SELECT payload FROM event_journal WHERE persistence_id = $id AND manifest = $m ORDER BY sequence_nr";
        query.Parameters.AddWithValue("$id", persistenceId);
        query.Parameters.AddWithValue("$m", manifest);
        var found = new List<string>();
        await using var reader = await query.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            found.Add(Encoding.UTF8.GetString((byte[])reader[0]));
        }

        return found;
    }

    private async Task<long> CountAsync(string persistenceIdPrefix, string manifest)
    {
        await using var db = new SqliteConnection($"Data Source={node.JournalFile}");
        await db.OpenAsync(Ct);
        await using var query = db.CreateCommand();
        query.CommandText = "SELECT COUNT(*) FROM event_journal WHERE persistence_id LIKE $p AND manifest = $m";
        query.Parameters.AddWithValue("$p", persistenceIdPrefix + "%");
        query.Parameters.AddWithValue("$m", manifest);
        return (long)(await query.ExecuteScalarAsync(Ct))!;
    }
}
