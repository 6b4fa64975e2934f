using System.Globalization;
using System.Text;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Node.Configuration;

namespace CollectorCluster.Testing.Faults;

/// <summary>
/// One scenario's world: its directory, its mailbox on the private Dovecot with seeded messages, its destination
/// (a Maildir, a tmpfs Maildir, Dovecot LMTP into another user, a full LMTP server), the fault proxy in front of
/// Dovecot, its node file, and the invariant that is checked against the server's own Maildir and the destination.
/// </summary>
internal sealed class ScenarioContext : IAsyncDisposable
{
    private readonly List<string> notes = [];
    private int dropped;

    private ScenarioContext(FaultLab lab, FaultScenario scenario, string root)
    {
        Lab = lab;
        Scenario = scenario;
        Root = root;
        Random = new Random(scenario.Seed);
        Invariant = new MailboxInvariant(scenario.Mode);
        Proxy = new Pop3FaultProxy(lab.Dovecot.PlainPort);
    }

    public FaultLab Lab { get; }

    public FaultScenario Scenario { get; }

    /// <summary>Every random choice of the scenario comes from here, in a fixed order.</summary>
    public Random Random { get; }

    public string Root { get; }

    public MailboxInvariant Invariant { get; }

    public Pop3FaultProxy Proxy { get; }

    public TestMailUser Source { get; private set; } = null!;

    /// <summary>The destination as the account's <c>mailbox</c> key.</summary>
    public string Mailbox { get; private set; } = "";

    /// <summary>Where delivered messages are read back (a Maildir on disk).</summary>
    public string DestinationMaildir { get; private set; } = "";

    /// <summary>The small tmpfs under a full Maildir destination.</summary>
    public TmpfsMount? Tmpfs { get; private set; }

    /// <summary>The LMTP server of a full LMTP destination.</summary>
    public FullLmtpServer? FullLmtp { get; private set; }

    /// <summary>Messages the fault session is expected to retrieve (all of a fresh mailbox; mirror: the new ones).</summary>
    public List<TestMessage> ToFetch { get; } = [];

    /// <summary>DELE commands the fault session is expected to send (delete mode: every message; mirror: the local deletions).</summary>
    public int ExpectedDeletes { get; private set; }

    /// <summary>Runs that did not end within the bound.</summary>
    public int Hung { get; set; }

    /// <summary>Sessions the fault ended between an LMTP 250 and the journal write (the documented window's allowance).</summary>
    public int WindowAllowance { get; set; }

    /// <summary>The node file (the scenario's own journal under <c>state</c>, one account through the proxy).</summary>
    public string NodeFile => Path.Combine(Root, "node.hocon");

    /// <summary>The state directory (journal, node key).</summary>
    public string StateDirectory => Path.Combine(Root, "state");

    /// <summary>Creates the scenario's mailbox, messages and destination.</summary>
    public static async Task<ScenarioContext> CreateAsync(FaultLab lab, FaultScenario scenario, CancellationToken cancellationToken)
    {
        var root = Path.Combine(lab.Root, scenario.Id);
        Directory.CreateDirectory(root);
        var context = new ScenarioContext(lab, scenario, root);
        try
        {
            await context.PrepareAsync(cancellationToken).ConfigureAwait(false);
            return context;
        }
        catch
        {
            await context.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A note for the outcome (what a run said).</summary>
    public void Note(string note) => notes.Add(note);

    /// <summary>
    /// Seeded messages, not yet on the server: sizes log-uniform 1–48 KB (one in eight up to 160 KB), bodies from the
    /// scenario's seed, Message-IDs naming the scenario.
    /// </summary>
    public List<TestMessage> NewMessages(int count)
    {
        var messages = new List<TestMessage>(count);
        for (var i = 0; i < count; i++)
        {
            var max = Random.Next(8) == 0 ? 160 * 1024 : 48 * 1024;
            var size = (int)Math.Round(Math.Exp(Math.Log(1024) + (Random.NextDouble() * (Math.Log(max) - Math.Log(1024)))));
            var number = dropped++;
            var id = string.Create(CultureInfo.InvariantCulture, $"<{Scenario.Id}.{number}.{Scenario.Seed}@faults.test>");
            messages.Add(MessageFactory.Create(size, unchecked((Scenario.Seed * 31) + number), id));
        }

        return messages;
    }

    /// <summary>Puts messages on the server (the invariant expects each delivered once).</summary>
    public void Drop(IEnumerable<TestMessage> messages)
    {
        foreach (var message in messages)
        {
            Lab.Dovecot.DropMessage(Source.Name, message);
            Invariant.Dropped([message]);
        }
    }

    /// <summary>What the destination holds.</summary>
    public IReadOnlyList<MailFile> Destination() => MailFile.ReadMaildir(DestinationMaildir);

    /// <summary>The Message-IDs the server holds: its own Maildir, read directly.</summary>
    public IReadOnlyList<string?> OnServer() => [.. MailFile.ReadMaildir(Lab.Dovecot.MaildirPath(Source.Name)).Select(m => m.MessageId)];

    /// <summary>Checks "nothing deleted before it was delivered" now.</summary>
    public void CheckPoint() => Invariant.CheckPoint(Destination(), OnServer());

    /// <summary>
    /// The scenario's node file: its own SQLite journal (or <paramref name="journal"/>), the command host off (or on
    /// <paramref name="commandPort"/>), one account through the proxy in the scenario's mode.
    /// </summary>
    public string WriteNodeFile(string? journal = null, int commandPort = 0)
    {
        var leave = Scenario.Mode == CollectionMode.Delete ? "off" : "on";
        var mirror = Scenario.Mode == CollectionMode.Mirror ? "on" : "off";
        var text = new StringBuilder()
            .AppendLine("collector {")
            .AppendLine(CultureInfo.InvariantCulture, $"  state-directory = \"{StateDirectory}\"")
            .AppendLine(CultureInfo.InvariantCulture, $"  command-host.port = {commandPort}")
            .AppendLine(journal ?? "")
            .AppendLine("  accounts = [ {")
            .AppendLine(CultureInfo.InvariantCulture, $"    id = \"{Scenario.Id}\", pop3-server = \"127.0.0.1\", port = {Proxy.Port}")
            .AppendLine(CultureInfo.InvariantCulture, $"    pop3-account = \"{Source.Name}\", password = \"{Source.Password}\"")
            .AppendLine(CultureInfo.InvariantCulture, $"    leave-mail-on-server = {leave}, mirror-mailbox = {mirror}")
            .AppendLine(CultureInfo.InvariantCulture, $"    mailbox = \"{Mailbox}\"")
            // A long interval: `collector run` collects when told to, not on a slot of its own in the middle of a test.
            .AppendLine("    check-every = 1h, connect-timeout = 20s, command-timeout = 30s")
            .AppendLine("  } ]")
            .AppendLine("}");
        Directory.CreateDirectory(StateDirectory);
        File.WriteAllText(NodeFile, text.ToString());
        return NodeFile;
    }

    /// <summary>The account's settings as the collector parses them from the node file.</summary>
    public AccountSettings Settings() => CollectorConfigLoader.Load(NodeFile).Accounts[0];

    /// <summary>
    /// Mirror only, before the fault: a clean first collection, then the user deletes some local copies, another client
    /// deletes some server copies, and new mail arrives, so the fault session has DELEs to send and messages to fetch.
    /// </summary>
    public async Task PrepareMirrorAsync(Func<Task<RunResult>> cleanSession)
    {
        ArgumentNullException.ThrowIfNull(cleanSession);
        var first = await cleanSession().ConfigureAwait(false);
        if (!first.Succeeded)
        {
            throw new InvalidOperationException("the clean first collection before the fault failed: " + first);
        }

        var collected = ToFetch.ToList();
        var order = collected.Select(m => m.MessageId).OrderBy(_ => Random.Next()).ToList();
        var locally = order.Take(1 + Random.Next(Math.Max(1, collected.Count / 5))).ToList();
        var onServer = order.Skip(locally.Count).Take(Random.Next(1 + (collected.Count / 5))).ToList();

        foreach (var file in Destination().Where(f => f.MessageId is { } id && locally.Contains(id)))
        {
            File.Delete(file.Path);
        }

        Invariant.UserDeletedLocally(locally);
        var serverMaildir = Lab.Dovecot.MaildirPath(Source.Name);
        foreach (var file in MailFile.ReadMaildir(serverMaildir).Where(f => f.MessageId is { } id && onServer.Contains(id)))
        {
            File.Delete(file.Path);
        }

        Invariant.DeletedOnServer(onServer);
        ToFetch.Clear();
        ToFetch.AddRange(NewMessages(2 + Random.Next(10)));
        Drop(ToFetch);
        ExpectedDeletes = locally.Count;
        Note(string.Create(CultureInfo.InvariantCulture, $"mirror: {collected.Count} collected first, {locally.Count} deleted locally, {onServer.Count} deleted on the server, {ToFetch.Count} new"));
    }

    /// <summary>Recovery: runs until one succeeds (two for mirror, whose removals need two listings), at most four; a hung run ends it.</summary>
    public async Task RecoverAsync(Func<Task<RunResult>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var needed = Scenario.Mode == CollectionMode.Mirror ? 2 : 1;
        var succeeded = 0;
        for (var attempt = 1; attempt <= 4 && succeeded < needed; attempt++)
        {
            var result = await run().ConfigureAwait(false);
            Note($"recovery {attempt}: {result}");
            if (!result.Finished)
            {
                Hung++;
                return;
            }

            if (result.Succeeded)
            {
                succeeded++;
            }
        }

        if (succeeded < needed)
        {
            Note("recovery did not succeed");
        }
    }

    /// <summary>
    /// The outcome: the invariant after recovery, with what struck and what the runs said. Without a recovery (the
    /// faulted session hung where nothing can take over) what is not delivered yet is not counted as lost: the hang is
    /// the failure.
    /// </summary>
    public FaultOutcome Finish(bool injected, string fault, bool recovered = true)
    {
        var allowance = Scenario.Destination == DestinationKind.Lmtp ? WindowAllowance : 0;
        var counts = Invariant.Final(Destination(), OnServer(), allowance);
        if (!recovered)
        {
            counts = counts with { Lost = 0 };
        }

        return new FaultOutcome(Scenario, injected, fault, counts, Hung, string.Join("; ", notes));
    }

    /// <summary>Stops the proxy and LMTP server, unmounts, removes the user's directory.</summary>
    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync().ConfigureAwait(false);
        if (FullLmtp is not null)
        {
            await FullLmtp.DisposeAsync().ConfigureAwait(false);
        }

        if (Tmpfs is not null)
        {
            await Tmpfs.DisposeAsync().ConfigureAwait(false);
        }

        TestArtifacts.KeepFrom(Root); // the journals, for the suite's secrets scan
        if (!Lab.KeepDirectories)
        {
            TryDelete(Root);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover directory of a failed scenario is harmless (and useful).
        }
    }

    private async Task PrepareAsync(CancellationToken cancellationToken)
    {
        Source = await Lab.Dovecot.CreateUserAsync(Scenario.Id, cancellationToken).ConfigureAwait(false);
        switch (Scenario.Destination)
        {
            case DestinationKind.Maildir when Scenario.Kind == FaultKind.DestinationFull:
                DestinationMaildir = Path.Combine(Root, "maildir");
                Tmpfs = await TmpfsMount.MountAsync(DestinationMaildir, 64L * 1024 * 1024).ConfigureAwait(false);
                Mailbox = "maildir:" + DestinationMaildir;
                break;
            case DestinationKind.Maildir:
                DestinationMaildir = Path.Combine(Root, "maildir");
                Mailbox = "maildir:" + DestinationMaildir;
                break;
            case DestinationKind.Lmtp when Scenario.Kind == FaultKind.DestinationFull:
                FullLmtp = new FullLmtpServer(Path.Combine(Root, "lmtp-maildir"));
                DestinationMaildir = FullLmtp.Maildir;
                Mailbox = string.Create(CultureInfo.InvariantCulture, $"lmtp:127.0.0.1:{FullLmtp.Port}?rcpt={Scenario.Id}@faults.test");
                break;
            default:
                var target = await Lab.Dovecot.CreateUserAsync(Scenario.Id + "-to", cancellationToken).ConfigureAwait(false);
                DestinationMaildir = Lab.Dovecot.MaildirPath(target.Name);
                Mailbox = string.Create(CultureInfo.InvariantCulture, $"lmtp:127.0.0.1:{Lab.Dovecot.LmtpPort}?rcpt={target.Name}@faults.test");
                break;
        }

        ToFetch.AddRange(NewMessages(6 + Random.Next(19)));
        Drop(ToFetch);
        ExpectedDeletes = Scenario.Mode == CollectionMode.Delete ? ToFetch.Count : 0;
    }
}
