using System.Globalization;
using CollectorCluster.Testing;
using Npgsql;

namespace CollectorCluster.ClusterTests;

/// <summary>
/// Issue 13 on a real cluster (<see cref="ControlPlaneCluster"/>: three processes, PostgreSQL, mutual TLS): one
/// per-server cap for the whole cluster, seen at the server; accounts added, edited,
/// disabled, enabled and removed at node1 taking effect on the node that hosts them, also after that node is killed;
/// a reload at one node applying to accounts hosted elsewhere; one writer per persistence id whatever node is asked;
/// and a process without the cluster's certificate kept out. Every scenario ends by checking that no message of ours
/// crossed nodes without its explicit serializer binding (the nodes' guard logs any). Timings are reported, never asserted.
/// </summary>
// One at a time: each runs several nodes, a PostgreSQL and a Dovecot, which fill a 2-core machine, and the
// per-server cap is measured at the server as a whole.
[Collection("cluster processes")]
public sealed class ControlPlaneTests(ControlPlaneCluster cluster, ITestOutputHelper output) : IClassFixture<ControlPlaneCluster>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    /// <summary>Long enough for two scheduled sessions of a 10 s account: if none reached the server, logins have stopped.</summary>
    private static readonly TimeSpan TwoIntervals = TimeSpan.FromSeconds(22);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sixty_accounts_on_one_server_never_have_more_than_max_per_server_sessions_across_the_cluster_and_every_message_arrives()
    {
        await WaitUntilAsync("every message of the 60 accounts delivered", () => cluster.Expected.All(m => cluster.Delivered().ContainsKey(m.MessageId)));
        var delivered = cluster.Delivered();
        var twice = cluster.Expected.Where(m => delivered[m.MessageId] > 1).ToList();
        // The third node may take its share by rebalancing once the first two are up (min-nr-of-members = 2): its accounts
        // show there at their next slot.
        await WaitUntilAsync("accounts collecting on all three nodes", () => cluster.Locator.Spread().Count == 3);
        var spread = cluster.Locator.Spread();
        Report($"{cluster.Expected.Count} messages of {ControlPlaneCluster.FileAccounts} accounts delivered; accounts per node {string.Join(", ", spread.Select(s => $"{s.Key} {s.Value}"))}; " +
               $"sessions at the server: {cluster.Gate.Logins.Count} logins, at most {cluster.Gate.Peak} at once (max-per-server {ControlPlaneCluster.MaxPerServer}, 3 nodes × max-pop3-clients 10)");
        Assert.Empty(twice);
        Assert.True(cluster.Gate.Peak <= ControlPlaneCluster.MaxPerServer, $"the server saw {cluster.Gate.Peak} sessions at once");
        Assert.True(spread.Count == 3, "the accounts are spread over the three nodes");
        var tokens = await cluster.CtlAsync("node2", "tokens", "show");
        Assert.True(tokens.ExitCode == 0, tokens.ToString());
        Report("tokens show at node2: " + string.Join(" / ", tokens.Output.Trim().Split('\n').Take(5)));
        AssertEveryMessageWasBound();
    }

    [Fact]
    public async Task A_runtime_account_added_at_node1_is_added_edited_disabled_enabled_and_removed_where_it_is_hosted_and_resumes_after_its_node_is_killed()
    {
        var user = await cluster.Dovecot.CreateUserAsync("rt", Ct);
        // Hosted, when it can be, where sharding's coordinators run (the oldest node): the kill -9 below then also moves them.
        var (id, host) = await AccountHostedAwayFromNode1Async("rt", prefer: CoordinatorNode());
        Report($"runtime account {id}: its shard is hosted by {host}");

        // add at node1: applied where it is hosted, it collects with the password given.
        var first = Drop(user);
        string[] add = ["collector", "add", id, "--server", $"127.0.0.1:{cluster.Gate.Port.ToString(CultureInfo.InvariantCulture)}", "--user", user.Name, "--tls", "none",
            "--mailbox", $"maildir:{cluster.Maildir}", "--every", "10s", "--password-stdin"];
        var added = await cluster.CtlWithInputAsync("node1", user.Password + "\n", add);
        Assert.True(added.ExitCode == 0, added.ToString());
        await WaitUntilAsync($"{id}'s first message delivered", () => cluster.Delivered().ContainsKey(first.MessageId));
        Assert.Contains(cluster.Gate.LoginsOf(user.Name), l => l.Password == user.Password);
        await WaitUntilAsync($"{host} logging {id}'s session", () => cluster.Locator.AccountsOn(host).Contains(id));

        // edit --password-stdin at node1: the hosting node's next login uses the new password, never the old one again.
        const string newPassword = "second-password-7f3a";
        await cluster.Dovecot.SetPasswordAsync(user.Name, newPassword, Ct);
        var edited = await cluster.CtlWithInputAsync("node1", newPassword + "\n", "collector", "edit", id, "--password-stdin");
        Assert.True(edited.ExitCode == 0, edited.ToString());
        var second = Drop(user);
        await WaitUntilAsync($"{id}'s second message delivered", () => cluster.Delivered().ContainsKey(second.MessageId));
        var logins = cluster.Gate.LoginsOf(user.Name);
        var firstNew = logins.ToList().FindIndex(l => l.Password == newPassword);
        Assert.True(firstNew >= 0, "no login with the new password reached the server");
        Assert.DoesNotContain(logins.Skip(firstNew), l => l.Password != newPassword);

        // disable at node1: logins stop at the server; enable: they come back.
        var disabled = await cluster.CtlAsync("node1", "collector", "disable", id);
        Assert.True(disabled.ExitCode == 0, disabled.ToString());
        var show = await cluster.CtlAsync("node1", "collector", "show", id);
        Assert.Contains("enabled: no", show.Output);
        var atDisable = cluster.Gate.LoginsOf(user.Name).Count;
        await Task.Delay(TwoIntervals, Ct); // a negative at the server: two scheduled slots pass with no login
        Assert.Equal(atDisable, cluster.Gate.LoginsOf(user.Name).Count);
        Assert.True((await cluster.CtlAsync("node1", "collector", "enable", id)).ExitCode == 0);
        await WaitUntilAsync($"{id} logging in again after enable", () => cluster.Gate.LoginsOf(user.Name).Count > atDisable);

        // kill -9 of the hosting node: the account resumes on a survivor, with the edited password.
        host = await cluster.HostOfAsync(id) ?? host;
        var victim = cluster.Node(host);
        // Sharding's coordinators run on the oldest node; killing it is the case that stalled with min-nr-of-members = 3.
        var coordinator = CoordinatorNode();
        Report($"kill -9 {host}; the registry's shard coordinator ran on {coordinator ?? "(not logged)"}");
        var killedAt = cluster.Locator.Clock.Elapsed;
        var beforeKill = cluster.Gate.LoginsOf(user.Name).Count;
        victim.KillHard();
        var third = Drop(user);
        await WaitUntilAsync($"{id} collecting on a survivor after kill -9 of {host}", () => cluster.Delivered().ContainsKey(third.MessageId), TimeSpan.FromSeconds(150));
        var resumed = cluster.Locator.FirstAfter(killedAt, [id], host, collectedOnly: true);
        Assert.True(resumed.ContainsKey(id), $"{id} was not seen collecting on a survivor");
        Assert.All(cluster.Gate.LoginsOf(user.Name).Skip(beforeKill), l => Assert.Equal(newPassword, l.Password));
        var newHost = await cluster.HostOfAsync(id);
        Report($"kill -9 {host}: {id} collected again on {newHost} {(resumed[id] - killedAt).TotalSeconds:F1} s later, with the edited password");

        // remove at node1: logins stop at the server, and it is unknown everywhere.
        var preview = await cluster.CtlAsync("node1", "collector", "remove", id);
        Assert.Contains("add --yes to remove", preview.Output);
        var removed = await cluster.CtlAsync("node1", "collector", "remove", id, "--yes");
        Assert.True(removed.ExitCode == 0, removed.ToString());
        var atRemove = cluster.Gate.LoginsOf(user.Name).Count;
        await Task.Delay(TwoIntervals, Ct); // a negative at the server, as above
        Assert.Equal(atRemove, cluster.Gate.LoginsOf(user.Name).Count);
        Assert.Contains($"unknown account '{id}'", (await cluster.CtlAsync(newHost ?? "node1", "collector", "show", id)).Error);
        // Gone from the cluster's list too: its entity stopped and is not remembered (not a disabled account with a next-due time).
        var list = await cluster.CtlAsync("node1", "collector", "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.DoesNotContain($"{id} | ", list.Output);

        // The killed node comes back (its accounts file is the cluster's version: nothing is re-applied) and the cap held throughout.
        cluster.Start(host);
        await cluster.Node(host).WaitForAsync("up with", Limit, Ct);
        Assert.True(cluster.Gate.Peak <= ControlPlaneCluster.MaxPerServer, $"the server saw {cluster.Gate.Peak} sessions at once");
        AssertEveryMessageWasBound();
    }

    [Fact]
    public async Task A_reload_at_one_node_applies_its_file_to_accounts_hosted_on_the_others_and_reports_per_account()
    {
        // An account of the file hosted on another node gets a new password, and a new account arrives; node1 reloads.
        var (changed, changedHost) = await FileAccountHostedAwayFromNode1Async();
        var user = cluster.Accounts.Single(a => a.Id == changed).User;
        const string newPassword = "reloaded-password-19c2";
        await cluster.Dovecot.SetPasswordAsync(user.Name, newPassword, Ct);
        var extraUser = await cluster.Dovecot.CreateUserAsync("new", Ct);
        var (extra, _) = await AccountHostedAwayFromNode1Async("file-new");
        var accounts = cluster.Accounts.Select(a => a.Id == changed ? (a.Id, user with { Password = newPassword }) : a).Append((extra, extraUser)).ToList();
        cluster.NodeFiles["node1"] = cluster.WriteNodeFile("node1", accounts);

        var before = cluster.Gate.LoginsOf(user.Name).Count;
        var reload = await cluster.CtlAsync("node1", "collector", "reload");
        Assert.True(reload.ExitCode == 0, reload.ToString());
        Report("collector reload at node1: " + string.Join(" / ", reload.Output.Trim().Split('\n')));
        Assert.Contains("1 added (" + extra + ")", reload.Output);
        Assert.Contains($"{changed}: changed (password)", reload.Output);

        var message = Drop(user);
        var extraMessage = Drop(extraUser);
        await WaitUntilAsync($"{changed} (on {changedHost}) and {extra} collecting after the reload", () => cluster.Delivered().ContainsKey(message.MessageId) && cluster.Delivered().ContainsKey(extraMessage.MessageId));
        var after = cluster.Gate.LoginsOf(user.Name).Skip(before).ToList();
        var firstNew = after.FindIndex(l => l.Password == newPassword);
        Assert.True(firstNew >= 0);
        Assert.DoesNotContain(after.Skip(firstNew), l => l.Password != newPassword);
        Assert.Contains($"account: {extra}", (await cluster.CtlAsync("node3", "collector", "show", extra)).Output);
        AssertEveryMessageWasBound();
    }

    [Fact]
    public async Task Adds_at_every_node_succeed_and_no_persistence_id_ever_had_two_live_writers()
    {
        // The registry is one writer for the cluster: adds at each node in turn all succeed (with one registry per node, the
        // second node's write collided with the first's sequence number and the command timed out).
        var user = await cluster.Dovecot.CreateUserAsync("w", Ct);
        string[] at = ["node1", "node2", "node3", "node1", "node2"];
        for (var i = 0; i < at.Length; i++)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"w-{i}");
            var added = await cluster.CtlWithInputAsync(at[i], user.Password + "\n", "collector", "add", id, "--server", $"127.0.0.1:{cluster.Gate.Port.ToString(CultureInfo.InvariantCulture)}",
                "--user", user.Name, "--tls", "none", "--mailbox", $"maildir:{cluster.Maildir}", "--every", "1h", "--enabled", "off", "--password-stdin");
            Assert.True(added.ExitCode == 0, $"add at {at[i]}: {added}");
        }

        // Every node sees every one of them (its copy of the directory follows the registry).
        await WaitUntilAsync("every node listing w-0..w-4", () => cluster.Names.All(n => Listed(n).Result));
        for (var i = 0; i < at.Length; i++)
        {
            Assert.True((await cluster.CtlAsync(at[(i + 1) % at.Length], "collector", "remove", $"w-{i}", "--yes")).ExitCode == 0);
        }

        // Two live writers of one persistence id on the shared journal both take the next sequence number, and the second
        // write fails on the journal's unique (persistence_id, sequence_nr): no node may ever have logged such a failure.
        var collisions = cluster.Live.SelectMany(n => n.Log.Split('\n').Where(IsCollision).Select(l => $"{n.Name}: {l.Trim()}")).ToList();
        var persistenceIds = await PersistenceIdsAsync();
        Report($"journal: {persistenceIds} persistence id(s) written; writes that collided with another writer's: {collisions.Count}");
        Assert.True(collisions.Count == 0, "Two live writers of one persistence id: " + string.Join("\n", collisions.Take(5)));
        Assert.True(persistenceIds > ControlPlaneCluster.FileAccounts);
        AssertEveryMessageWasBound();

        async Task<bool> Listed(string node)
        {
            var list = await cluster.CtlAsync(node, "collector", "show", "w-4");
            return list.ExitCode == 0;
        }
    }

    [Fact]
    public async Task A_process_without_the_cluster_certificate_cannot_join_and_its_refusal_is_logged()
    {
        var ports = PortAllocator.Reserve(2);
        var rogueCa = ClusterCertificates.CreateCa(Path.Combine(cluster.Root, "rogue-tls"), "rogue-ca");
        var (certificate, privateKey) = rogueCa.Issue("rogue");
        var spec = new ClusterNodeSpec("rogue", ports[0], ports[1], [cluster.AkkaPorts["node1"], cluster.AkkaPorts["node2"]], cluster.Postgres.ConnectionString, cluster.KeyFile)
        {
            Tls = (certificate, privateKey, rogueCa.CaPath), // its own CA: it trusts nobody of the cluster, and nobody trusts it
            MaxPerServer = ControlPlaneCluster.MaxPerServer,
            MinMembers = 1,
        };
        var file = ClusterNodeFile.Write(cluster.Root, spec, [], cluster.Gate.Port, cluster.Maildir);
        using var rogue = new ClusterNodeProcess("rogue", file, cluster.Root, cluster.Locator);
        var members = cluster.Live.ToList();
        await WaitUntilAsync("a member logging the refusal", () => members.Any(m => m.Count("Cluster TLS: refused") > 0) || rogue.Count("Cluster TLS: refused") > 0);
        var refusal = members.Select(m => m.Log).Append(rogue.Log).SelectMany(l => l.Split('\n')).First(l => l.Contains("Cluster TLS: refused", StringComparison.Ordinal));
        Report("refusal: " + refusal.Trim());

        var show = await cluster.CtlAsync("node1", "cluster", "show");
        Assert.Contains("3 member(s), 3 up", show.Output);
        Assert.DoesNotContain($":{ports[0].ToString(CultureInfo.InvariantCulture)}", show.Output);
        Assert.Equal(0, rogue.Count("up with"));
        AssertEveryMessageWasBound();
    }

    /// <summary>No message of ours crossed a node through Akka's default serializer (the node's guard logs each such type once).</summary>
    private void AssertEveryMessageWasBound()
    {
        var unbound = cluster.Live.SelectMany(n => n.Log.Split('\n')).Where(l => l.Contains(CollectorCluster.Actors.Persistence.UnboundMessageGuard.LogPrefix, StringComparison.Ordinal)).ToList();
        if (unbound.Count > 0)
        {
            Report("types the guard saw: " + string.Join(" | ", unbound.Select(l => l[l.IndexOf(CollectorCluster.Actors.Persistence.UnboundMessageGuard.LogPrefix, StringComparison.Ordinal)..]).Distinct()));
        }

        Assert.DoesNotContain(unbound, l => l.Contains(": CollectorCluster.", StringComparison.Ordinal));
    }

    private TestMessage Drop(TestMailUser user)
    {
        var message = MessageFactory.Create(1500, Random.Shared.Next(1_000_000, 2_000_000));
        cluster.Dovecot.DropMessage(user.Name, message);
        return message;
    }

    /// <summary>The live node that last started the account registry's shard coordinator (the oldest node), or null.</summary>
    private string? CoordinatorNode() =>
        cluster.Live.LastOrDefault(n => n.Count("started singleton actor [akka://collector/system/sharding/account-registryCoordinator") > 0)?.Name;

    /// <summary>
    /// An id of <paramref name="prefix"/>-N whose shard is hosted by node2 or node3 (so node1 is not its host); one hosted by
    /// <paramref name="prefer"/> when that is one of them and one of the first 200 ids lands there.
    /// </summary>
    private async Task<(string Id, string Host)> AccountHostedAwayFromNode1Async(string prefix, string? prefer = null)
    {
        (string Id, string Host)? other = null;
        for (var i = 0; i < 200; i++)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i}");
            if (await cluster.HostOfAsync(id) is { } host && host != "node1" && cluster.Node(host) is { HasExited: false })
            {
                if (prefer is null or "node1" || host == prefer)
                {
                    return (id, host);
                }

                other ??= (id, host);
                if (i >= 40)
                {
                    break; // enough tried: ids spread over the shards evenly
                }
            }
        }

        if (other is { } found)
        {
            return found;
        }

        throw new InvalidOperationException($"no {prefix}-N among 200 has its shard on node2 or node3");
    }

    private async Task<(string Id, string Host)> FileAccountHostedAwayFromNode1Async()
    {
        foreach (var (id, _) in cluster.Accounts)
        {
            if (await cluster.HostOfAsync(id) is { } host && host != "node1")
            {
                return (id, host);
            }
        }

        throw new InvalidOperationException("every file account is on node1");
    }

    /// <summary>A node's log line of a write refused because another writer took the same sequence number.</summary>
    private static bool IsCollision(string line) =>
        line.Contains("Failed to persist event", StringComparison.Ordinal) && (line.Contains("23505", StringComparison.Ordinal) || line.Contains("duplicate key", StringComparison.OrdinalIgnoreCase));

    private async Task<long> PersistenceIdsAsync()
    {
        await using var db = new NpgsqlConnection(cluster.Postgres.ConnectionString);
        await db.OpenAsync(Ct);
        await using var query = new NpgsqlCommand("SELECT COUNT(DISTINCT persistence_id) FROM event_journal", db);
        return (long)(await query.ExecuteScalarAsync(Ct))!;
    }

    private void Report(string line) => output.WriteLine($"[{cluster.Locator.Clock.Elapsed.TotalSeconds,6:F1} s] {line}");

    /// <summary>Polls <paramref name="condition"/>; fails with every live node's log tail if it stays false.</summary>
    private async Task WaitUntilAsync(string what, Func<bool> condition, TimeSpan? limit = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(limit ?? Limit);
        while (!condition())
        {
            try
            {
                await Task.Delay(200, cts.Token);
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
            {
                // The whole log of every node, killed ones included, goes to the test's output: the cause is visible there.
                foreach (var name in cluster.Names)
                {
                    var node = cluster.Node(name);
                    output.WriteLine($"===== {name} ({(node.HasExited ? "exited" : "running")}): its whole log\n{node.Log}");
                }

                var tails = string.Join("\n\n", cluster.Live.Select(n => $"--- {n.Name}\n{n.Tail(25)}"));
                throw new TimeoutException($"Gave up waiting for {what} (every node's whole log is in the test output):\n{tails}");
            }
        }
    }
}
