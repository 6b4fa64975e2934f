using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CollectorCluster.Testing;

namespace CollectorCluster.WebTests;

/// <summary>
/// <c>/metrics</c>, <c>/readyz</c> and the JSON log of a real `collector run`: after one good and one refused
/// collection the Prometheus text has the collection counters with exactly those values; <c>/readyz</c> is 503
/// while the node cannot join its cluster and 200 once it has; with <c>collector.log.format = json</c> every line on
/// standard error is a JSON object and a session's entry names its account, server, stage and outcome.
/// </summary>
public sealed partial class MetricsAndHealthTests(DovecotFixture dovecot)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DovecotServer Server => dovecot.Server;

    [Fact]
    public async Task Metrics_count_collections_by_outcome_and_cause_and_the_json_log_names_the_session()
    {
        var good = await Server.CreateUserAsync("metok", Ct);
        var bad = await Server.CreateUserAsync("metbad", Ct);
        var messages = new[] { MessageFactory.Create(1800, 31), MessageFactory.Create(2600, 32) };
        foreach (var m in messages)
        {
            Server.DropMessage(good.Name, m);
        }

        var wrong = TestSecrets.Password("metrics");
        string Account(TestMailUser user, string password, string mailbox) =>
            $"{{ id = {user.Name}, pop3-server = \"{Server.Host}\", port = {Server.PlainPort}, pop3-account = \"{user.Name}\", password = \"{password}\", leave-mail-on-server = on, check-every = 24h, mailbox = \"maildir:{mailbox}\" }}";
        var root = Directory.CreateTempSubdirectory("cc-metrics-mail-").FullName;
        await using var node = WebNode.Create(
            accounts: Account(good, good.Password, Path.Combine(root, "good")) + ", " + Account(bad, wrong, Path.Combine(root, "bad")),
            extra: "log.format = json");
        await node.StartAsync(Ct);

        var collected = await CollectorCtl.RunAsync([node.CtlAddress, "collector", "collect", good.Name], Ct);
        Assert.True(collected.ExitCode == 0, collected.ToString());
        var refused = await CollectorCtl.RunAsync([node.CtlAddress, "collector", "collect", bad.Name], Ct);
        Assert.Equal(1, refused.ExitCode);

        var bytes = messages.Sum(m => (long)m.Size);
        string text = "";
        await node.WaitUntilAsync(
            async () =>
            {
                text = await node.GetHealthAsync("/metrics", Ct);
                return Value(text, "collector_collections_total", ("outcome", "failed")) == 1 && Value(text, "collector_accounts", ("status", "needs-operator")) == 1;
            },
            "the metrics to show both sessions",
            Ct);
        Assert.Equal(1, Value(text, "collector_collections_total", ("outcome", "ok"), ("cause", "none"), ("stage", "none"), ("server", Server.Host)));
        Assert.Equal(1, Value(text, "collector_collections_total", ("outcome", "failed"), ("cause", "authentication"), ("stage", "connect"), ("server", Server.Host)));
        Assert.Equal(2, Value(text, "collector_collected_messages_total", ("server", Server.Host)));
        Assert.Equal(bytes, Value(text, "collector_collected_bytes_total", ("server", Server.Host)));
        Assert.Equal(1, Value(text, "collector_session_duration_seconds_count", ("outcome", "ok")));
        Assert.Equal(1, Value(text, "collector_session_duration_seconds_count", ("outcome", "failed")));
        // One session after the other, each alone on the node: both have their CPU time recorded.
        Assert.Equal(1, Value(text, "collector_session_cpu_seconds_count", ("outcome", "ok")));
        Assert.Equal(1, Value(text, "collector_session_cpu_seconds_count", ("outcome", "failed")));
        Assert.True(Value(text, "collector_session_cpu_seconds_sum", ("outcome", "ok")) > 0, text);
        Assert.True(Value(text, "collector_journal_write_latency_seconds_count") >= 1, text);
        Assert.Equal(1, Value(text, "collector_accounts", ("status", "ok")));
        Assert.True(Value(text, "collector_tokens_granted_total", ("server", Server.Host)) >= 2, text); // the tokens' instruments on the same meter
        Assert.DoesNotContain(wrong, text, StringComparison.Ordinal);
        Assert.DoesNotContain(good.Password, text, StringComparison.Ordinal);

        // The JSON log: every line an object, the failed session's entry with its fields, no password anywhere.
        var log = node.Output;
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).ToList();
        Assert.NotEmpty(lines);
        var entries = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var session = entries.Single(e => e.GetProperty("category").GetString() == "CollectorCluster.Session" && e.GetProperty("account").GetString() == bad.Name);
        Assert.Equal(Server.Host, session.GetProperty("server").GetString());
        Assert.Equal("failed", session.GetProperty("outcome").GetString());
        Assert.Equal("connect", session.GetProperty("stage").GetString());
        Assert.Equal("authentication", session.GetProperty("cause").GetString());
        Assert.Equal("warning", session.GetProperty("level").GetString());
        var ok = entries.Single(e => e.GetProperty("category").GetString() == "CollectorCluster.Session" && e.GetProperty("account").GetString() == good.Name);
        Assert.Equal(2, ok.GetProperty("collected").GetInt64());
        Assert.Equal(bytes, ok.GetProperty("bytes").GetInt64());
        // The account's own lines carry its id too (from the actor path).
        Assert.Contains(entries, e => e.TryGetProperty("account", out var a) && a.GetString() == bad.Name && e.GetProperty("category").GetString() != "CollectorCluster.Session");
        Assert.DoesNotContain(wrong, log, StringComparison.Ordinal);
        Assert.DoesNotContain(good.Password, log, StringComparison.Ordinal);
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task Readyz_is_503_before_the_node_joins_its_cluster_and_200_after()
    {
        // A node that joins a cluster never makes a cluster key of its own: both get the same file, as an operator copies it.
        var keyDirectory = Directory.CreateTempSubdirectory("cc-web-key-").FullName;
        var key = Path.Combine(keyDirectory, "cluster.key");
        File.WriteAllText(key, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        await using var seed = WebNode.Create(extra: $"secrets.key-file = \"{key}\"");
        await using var joiner = WebNode.Create(extra: $"secrets.key-file = \"{key}\"", akka: $"akka.cluster.seed-nodes = [\"{seed.RemoteAddress}\"]");
        await joiner.StartAsync(Ct, ready: false);

        // Its seed is not running: the node listens (health first) but cannot join.
        (HttpStatusCode Status, string Text) before = default;
        await joiner.WaitUntilAsync(async () => (before = await joiner.ReadyAsync(Ct)).Status != 0, "the health listener to answer", Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, before.Status);
        Assert.Contains("not ready", before.Text);
        Assert.Contains("member: FAIL", before.Text);
        Assert.Equal("ok\n", await joiner.GetHealthAsync("/healthz", Ct));

        await seed.StartAsync(Ct);
        await joiner.WaitUntilAsync(async () => (await joiner.ReadyAsync(Ct)).Status == HttpStatusCode.OK, "the joined node's /readyz to answer 200", Ct);
        var after = await joiner.ReadyAsync(Ct);
        Assert.StartsWith("ready\n", after.Text);
        Assert.Contains("member: ok (Up)", after.Text);
        Assert.Contains("journal: ok (answering", after.Text);
        Assert.Contains($"command-host: ok (listening on {joiner.CtlAddress})", after.Text);
        Directory.Delete(keyDirectory, recursive: true);
    }

    /// <summary>The value of the Prometheus sample <paramref name="name"/> whose labels include <paramref name="labels"/>, summed over matches; 0 when none.</summary>
    private static double Value(string text, string name, params (string Key, string Value)[] labels)
    {
        double sum = 0;
        foreach (Match m in Sample().Matches(text))
        {
            if (m.Groups["name"].Value != name)
            {
                continue;
            }

            var given = m.Groups["labels"].Value;
            if (labels.All(l => given.Contains($"{l.Key}=\"{l.Value}\"", StringComparison.Ordinal)))
            {
                sum += double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>[^}]*)\})? (?<value>[-+0-9.eE]+|NaN)(?: \d+)?$", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
