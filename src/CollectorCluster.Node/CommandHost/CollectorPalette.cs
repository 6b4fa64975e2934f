using System.Globalization;
using System.Text.Json.Nodes;
using Akka.Actor;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Actors.Sleep;
using CollectorCluster.Node.Hosting;
using CollectorCluster.Wire;

namespace CollectorCluster.Node.CommandHost;

/// <summary>
/// <c>collector ...</c>: the seed's per-account operations (listing, collect now, message lines, marks, reset),
/// each a question to the account through the shard region, so it works wherever the account lives.
/// </summary>
public sealed class CollectorPalette : ICommandPalette
{
    /// <inheritdoc />
    public string Name => "collector";

    /// <inheritdoc />
    public IReadOnlyList<string> Commands { get; } =
    [
        "collector list [--node] [--status ok|failed|never|disabled|paused|collecting|needs-operator]",
        "collector show <id>",
        "collector collect <id>|--all",
        "collector messages <id>",
        "collector history <id> [-n N]",
        "collector mark <id> <uidl> download|delete|clear [--yes]",
        "collector reset <id> [--since yyyy-mm-dd] [--yes]",
        "collector pause <id>",
        "collector resume <id>",
        "collector add <id> --server host[:port] --user U --password-stdin|--password-file F [--tls none|starttls|implicit] [--mailbox maildir:/path] [--every 5m]",
        "collector edit <id> --KEY VALUE... [--password-stdin|--password-file F] [--yes]",
        "collector disable <id>",
        "collector enable <id>",
        "collector remove <id> [--yes]",
        "collector reload",
    ];

    /// <inheritdoc />
    public async Task<CommandResponse> HandleAsync(IReadOnlyList<string> words, CommandContext context)
    {
        var verb = words.Count > 0 ? words[0] : throw new CommandException("collector: which command? (help lists them)");
        var args = words.Skip(1).ToList();
        return verb switch
        {
            "list" => await ListAsync(args, context).ConfigureAwait(false),
            "show" => await ShowAsync(Expect(args, 1, "collector show <id>"), context).ConfigureAwait(false),
            "collect" when args is ["--all"] => await CollectAllAsync(context).ConfigureAwait(false),
            "collect" => await CollectAsync(Expect(args, 1, "collector collect <id>|--all"), context).ConfigureAwait(false),
            "messages" => await MessagesAsync(Expect(args, 1, "collector messages <id>"), context).ConfigureAwait(false),
            "history" => await HistoryAsync(args, context).ConfigureAwait(false),
            "mark" => await MarkAsync(args, context).ConfigureAwait(false),
            "reset" => await ResetAsync(args, context).ConfigureAwait(false),
            "pause" => await PauseAsync(Expect(args, 1, "collector pause <id>")[0], paused: true, context).ConfigureAwait(false),
            "resume" => await ResumeAsync(Expect(args, 1, "collector resume <id>")[0], context).ConfigureAwait(false),
            "add" => await AddAsync(args, context).ConfigureAwait(false),
            "remove" => await RemoveAsync(args, context).ConfigureAwait(false),
            "edit" when args.Count > 0 => await EditAsync(args[0], args.Skip(1).ToList(), context).ConfigureAwait(false),
            "edit" => throw new CommandException("usage: collector edit <id> --KEY VALUE... [--password-stdin|--password-file F] [--yes]"),
            "disable" => await EditAsync(Expect(args, 1, "collector disable <id>")[0], ["--enabled", "off"], context, verb).ConfigureAwait(false),
            "enable" => await EditAsync(Expect(args, 1, "collector enable <id>")[0], ["--enabled", "on"], context, verb).ConfigureAwait(false),
            "reload" => await ReloadAsync(Expect(args, 0, "collector reload"), context).ConfigureAwait(false),
            _ => throw new CommandException($"unknown command 'collector {verb}' (help lists the commands)"),
        };
    }

    private static List<string> Expect(List<string> args, int count, string usage) =>
        args.Count == count ? args : throw new CommandException($"usage: {usage}");

    private static string Time(DateTimeOffset? t) => t?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";

    private static string Outcome(AccountStatus s) =>
        s.LastCollection is not { } last ? "never" : last.Succeeded ? $"ok, {last.Collected} collected" : $"failed: {last.Detail}";

    private const Core.Policy.AccountHealth NeedsOperator = Core.Policy.AccountHealth.NeedsOperator;

    private static JsonObject StatusJson(AccountStatus s) => new()
    {
        ["id"] = s.AccountId,
        ["address"] = s.Address,
        ["mailbox"] = s.Mailbox,
        ["configured"] = s.Configured,
        ["enabled"] = s.Enabled,
        ["paused"] = s.Paused,
        ["status"] = StatusWord(s),
        ["health"] = s.Health.ToString(),
        ["healthReason"] = s.HealthReason,
        ["lastLoginAt"] = s.LastLoginAt,
        ["loginDelaySeconds"] = s.LoginDelaySeconds,
        ["expire"] = s.Expire,
        ["expireWarning"] = s.ExpireWarning,
        ["collecting"] = s.Collecting,
        ["nextDue"] = s.NextDue,
        ["sleeping"] = s.Sleeping,
        ["lastCollection"] = s.LastCollection is not { } last ? null : new JsonObject
        {
            ["startedAt"] = last.StartedAt,
            ["finishedAt"] = last.FinishedAt,
            ["succeeded"] = last.Succeeded,
            ["collected"] = last.Collected,
            ["bytes"] = last.Bytes,
            ["detail"] = last.Detail,
        },
        ["collectedOnServer"] = s.CollectedOnServer,
        ["totalCollected"] = s.TotalCollected,
        ["totalBytes"] = s.TotalBytes,
        ["consecutiveFailures"] = s.ConsecutiveFailures,
        ["multidrop"] = s.Routing is not { } routing ? null : new JsonObject
        {
            ["messages"] = routing.Messages,
            ["copies"] = routing.Copies,
            ["toDefault"] = routing.ToDefault,
            ["duplicatesSuppressed"] = routing.Duplicates,
            ["refused"] = routing.Refused,
        },
    };

    // With sleeping accounts the shard's alarm answers for one that sleeps (without waking it) and forwards the rest.
    private static Task<AccountStatus> StatusAsync(string id, CommandContext context) =>
        context.Accounts.Ask<AccountStatus>(context.Options.Tuning.Sleep.Enabled ? new GetSleeperStatus(id) : new GetAccountStatus(id), CommandContext.AskTimeout);

    private static readonly string[] ListStatuses = ["ok", "failed", "never", "disabled", "paused", "collecting", "needs-operator"];

    /// <summary>One word for where an account stands, for <c>list --status</c>.</summary>
    private static string StatusWord(AccountStatus s) =>
        s.Collecting ? "collecting" : !s.Enabled ? "disabled" : s.Paused ? "paused" : s.Health == NeedsOperator ? "needs-operator" : s.LastCollection is not { } last ? "never" : last.Succeeded ? "ok" : "failed";

    /// <summary>
    /// How many of this node's accounts stand at each status word (every word, zeros too), as <c>collector list --node</c>
    /// would show them, without building the listing: the <c>collector.accounts</c> gauge asks this every 15 s, and at
    /// 10,000 accounts the listing's JSON was megabytes of large-object garbage each time.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, int>> CountByStatusAsync(CommandContext context)
    {
        var counts = ListStatuses.ToDictionary(s => s, _ => 0, StringComparer.Ordinal);
        foreach (var status in (await StatusesAsync(context, onlyThisNode: true).ConfigureAwait(false)).Statuses)
        {
            counts[StatusWord(status)]++;
        }

        return counts;
    }

    // Every account the directory knows (or only this node's), with where it runs, and each one's status.
    private static async Task<(IReadOnlyDictionary<string, string?> Located, AccountStatus[] Statuses)> StatusesAsync(CommandContext context, bool onlyThisNode)
    {
        var located = await AccountDirectoryQuery.AccountLocationsAsync(context, onlyThisNode).ConfigureAwait(false);
        return (located, await Task.WhenAll(located.Keys.Select(id => StatusAsync(id, context))).ConfigureAwait(false));
    }

    private static async Task<CommandResponse> ListAsync(List<string> args, CommandContext context)
    {
        var onlyThisNode = false;
        string? status = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--node":
                    onlyThisNode = true;
                    break;
                case "--status" when i + 1 < args.Count:
                    status = ListStatuses.Contains(args[++i], StringComparer.Ordinal)
                        ? args[i]
                        : throw new CommandException($"collector list: --status '{args[i]}' is not one of {string.Join(", ", ListStatuses)}");
                    break;
                default:
                    throw new CommandException($"collector list: unexpected '{args[i]}' (usage: collector list [--node] [--status {string.Join("|", ListStatuses)}])");
            }
        }

        var (located, all) = await StatusesAsync(context, onlyThisNode).ConfigureAwait(false);
        var statuses = all.Where(s => status is null || StatusWord(s) == status).ToList();
        var lines = new List<string> { "id | address | last collection | outcome | next due" };
        lines.AddRange(statuses.Select(s => $"{s.AccountId} | {s.Address ?? "-"} | {Time(s.LastCollection?.FinishedAt)} | {(!s.Enabled ? "disabled" : s.Paused ? "paused; " + Outcome(s) : Outcome(s))} | {Time(s.NextDue)}"));
        var scope = onlyThisNode ? " on this node" : "";
        lines.Add($"{statuses.Count} account(s){scope}{(status is null ? "" : $" with status {status}")}");
        // The data also says where each account runs (the node whose region hosts it), for the web console.
        return CommandResponse.Success(lines, new JsonArray([.. statuses.Select(s =>
        {
            var json = StatusJson(s);
            json["node"] = located.GetValueOrDefault(s.AccountId);
            return (JsonNode)json;
        })]));
    }

    private static async Task<CommandResponse> ShowAsync(List<string> args, CommandContext context)
    {
        var s = await StatusAsync(context.RequireAccount(args[0]), context).ConfigureAwait(false);
        string[] lines =
        [
            $"account: {s.AccountId}",
            $"address: {s.Address ?? "-"}",
            $"mailbox: {s.Mailbox ?? "-"}",
            $"enabled: {(s.Enabled ? "yes" : "no")}{(s.Collecting ? " (collecting now)" : "")}",
            $"paused: {(s.Paused ? "yes (collector resume " + s.AccountId + ")" : "no")}",
            $"last collection: {Time(s.LastCollection?.FinishedAt)} ({Outcome(s)})",
            $"next due: {Time(s.NextDue)}{(s.Sleeping ? " (the account sleeps until then; collector.sleep)" : "")}",
            $"collected, still on server: {s.CollectedOnServer}",
            $"collected in total: {s.TotalCollected} message(s), {s.TotalBytes} bytes",
            $"consecutive failures: {s.ConsecutiveFailures}",
            $"health: {s.Health}{(s.HealthReason.Length == 0 ? "" : " (" + s.HealthReason + ")")}{(s.Health == NeedsOperator ? "; after fixing it: collector resume " + s.AccountId : "")}",
            $"server policy: last login {Time(s.LastLoginAt)}, LOGIN-DELAY {(s.LoginDelaySeconds is { } d ? d + " s" : "none")}, EXPIRE {s.Expire ?? "not advertised"}",
            .. s.ExpireWarning is { } warning ? new[] { $"warning: {warning}" } : [],
            .. s.Routing is { } r ? new[] { $"multidrop: {r.Messages} message(s) routed, {r.Copies} cop(ies) delivered ({r.ToDefault} to the default), {r.Duplicates} duplicate cop(ies) suppressed, {r.Refused} address(es) refused" } : [],
        ];
        // The data also carries the settings as the accounts file's keys (never a secret) and where they come from,
        // for the web console's Properties form; null settings: not an account this node has settings for.
        var data = StatusJson(s);
        var (settings, source) = await SettingsAsync(s.AccountId, context).ConfigureAwait(false);
        data["source"] = source;
        data["settings"] = settings is null ? null : new JsonObject([.. Configuration.AccountKeyText.Of(settings).Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))]);
        return CommandResponse.Success(lines, data);
    }

    /// <summary>This node's settings of an account: the file's (<c>file</c>), or the runtime registry's (<c>runtime</c>).</summary>
    private static async Task<(Core.Accounts.AccountSettings? Settings, string? Source)> SettingsAsync(string id, CommandContext context)
    {
        if (context.FileAccounts.FirstOrDefault(a => a.Id == id) is { } file)
        {
            return (file, "file");
        }

        return context.Runtime is { } runtime && runtime.Contains(id)
            ? (await runtime.SettingsAsync(id, CommandContext.AskTimeout).ConfigureAwait(false), "runtime")
            : (null, null);
    }

    /// <summary><c>history &lt;id&gt; [-n N]</c>: the last sessions (default 20, at most 50), messages and bytes each.</summary>
    private static async Task<CommandResponse> HistoryAsync(List<string> args, CommandContext context)
    {
        const string usage = "usage: collector history <id> [-n N]";
        var count = 20;
        if (args.Count == 3 && args[1] == "-n")
        {
            count = int.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= Core.State.AccountState.HistoryLength
                ? n
                : throw new CommandException($"collector history: -n '{args[2]}' is not a number from 1 to {Core.State.AccountState.HistoryLength}");
        }
        else if (args.Count != 1)
        {
            throw new CommandException(usage);
        }

        var id = context.RequireAccount(args[0]);
        var h = await context.Accounts.Ask<CollectionHistory>(new GetCollectionHistory(id, count), CommandContext.AskTimeout).ConfigureAwait(false);
        var lines = new List<string> { "started | finished | outcome | messages | bytes" };
        lines.AddRange(h.Sessions.Select(o => $"{Time(o.StartedAt)} | {Time(o.FinishedAt)} | {(o.Succeeded ? "ok" : "failed: " + o.Detail)} | {o.Collected} | {o.Bytes}"));
        lines.Add($"{h.Sessions.Count} collection(s)");
        var data = new JsonArray([.. h.Sessions.Select(o => (JsonNode)new JsonObject
        {
            ["startedAt"] = o.StartedAt,
            ["finishedAt"] = o.FinishedAt,
            ["succeeded"] = o.Succeeded,
            ["collected"] = o.Collected,
            ["bytes"] = o.Bytes,
            ["detail"] = o.Detail,
        })]);
        return CommandResponse.Success(lines, data);
    }

    private static async Task<CommandResponse> CollectAsync(List<string> args, CommandContext context)
    {
        var id = context.RequireAccount(args[0]);
        var r = await context.Accounts.Ask<CollectionResult>(new CollectNow(id), CommandContext.CollectTimeout).ConfigureAwait(false);
        var lines = r.Detail.Length == 0 ? [ResultLine(r)] : new[] { ResultLine(r), r.Detail };
        return r.Succeeded ? CommandResponse.Success(lines, ResultJson(r)) : new CommandResponse(false, lines, ResultJson(r), string.Join(Environment.NewLine, lines));
    }

    private static string ResultLine(CollectionResult r) =>
        $"{r.AccountId} ({r.Address}): {(r.Succeeded ? "ok" : "failed")}, listed {r.Listed}, collected {r.Collected}, deleted {r.Deleted}, {r.Bytes} bytes in {r.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s";

    private static string DetailedLine(CollectionResult r) => r.Detail.Length == 0 ? ResultLine(r) : $"{ResultLine(r)}; {r.Detail}";

    private static JsonObject ResultJson(CollectionResult r) => new()
    {
        ["id"] = r.AccountId,
        ["address"] = r.Address,
        ["succeeded"] = r.Succeeded,
        ["listed"] = r.Listed,
        ["collected"] = r.Collected,
        ["deleted"] = r.Deleted,
        ["bytes"] = r.Bytes,
        ["durationSeconds"] = r.Duration.TotalSeconds,
        ["detail"] = r.Detail,
    };

    /// <summary>
    /// <c>collect --all</c>: every account at once (the token pool still limits connections), one progress frame as
    /// each finishes, then a summary; fails (exit 1) when any account failed.
    /// </summary>
    private static async Task<CommandResponse> CollectAllAsync(CommandContext context)
    {
        // The configured accounts: an entity remembered from an older configuration has nothing to collect with.
        var ids = context.FileAccounts.Select(a => a.Id).Concat(context.Runtime?.Ids ?? []).ToList();
        var total = ids.Count;
        var done = 0;
        using var frames = new SemaphoreSlim(1, 1);
        await context.Progress(ProgressFrame.Step(0, total, $"collecting {total} account(s)")).ConfigureAwait(false);
        var results = await Task.WhenAll(ids.Select(async id =>
        {
            var r = await context.Accounts.Ask<CollectionResult>(new CollectNow(id), CommandContext.CollectTimeout).ConfigureAwait(false);
            await frames.WaitAsync().ConfigureAwait(false);
            try
            {
                done++;
                await context.Progress(ProgressFrame.Step(done, total, DetailedLine(r), ResultJson(r))).ConfigureAwait(false);
            }
            finally
            {
                frames.Release();
            }

            return r;
        })).ConfigureAwait(false);
        var failed = results.Where(r => !r.Succeeded).ToList();
        var lines = results.OrderBy(r => r.AccountId, StringComparer.Ordinal).Select(DetailedLine).ToList();
        lines.Add($"{total} account(s): {total - failed.Count} ok, {failed.Count} failed, {results.Sum(r => r.Collected)} message(s) collected");
        var data = new JsonArray([.. results.OrderBy(r => r.AccountId, StringComparer.Ordinal).Select(r => (JsonNode)ResultJson(r))]);
        return failed.Count == 0 ? CommandResponse.Success(lines, data) : new CommandResponse(false, lines, data, string.Join(Environment.NewLine, lines));
    }

    private static async Task<CommandResponse> MessagesAsync(List<string> args, CommandContext context)
    {
        var id = context.RequireAccount(args[0]);
        var m = await context.Accounts.Ask<MessageLines>(new GetMessageLines(id), CommandContext.AskTimeout).ConfigureAwait(false);
        var lines = new List<string> { "uidl | size | first seen | collected | state" };
        lines.AddRange(m.Lines.Select(l => $"{l.Uidl} | {l.Size} | {Time(l.FirstSeen)} | {Time(l.CollectedAt)} | {l.State}"));
        lines.Add($"{m.Lines.Count} message(s)");
        var data = new JsonArray([.. m.Lines.Select(l => (JsonNode)new JsonObject
        {
            ["uidl"] = l.Uidl,
            ["size"] = l.Size,
            ["firstSeen"] = l.FirstSeen,
            ["collectedAt"] = l.CollectedAt,
            ["state"] = l.State,
        })]);
        return CommandResponse.Success(lines, data);
    }

    /// <summary>
    /// <c>mark &lt;id&gt; &lt;uidl&gt; download|delete|clear [--yes]</c>. Deleting a message that was never collected
    /// destroys the only copy: without <c>--yes</c> that is only previewed.
    /// </summary>
    private static async Task<CommandResponse> MarkAsync(List<string> args, CommandContext context)
    {
        var yes = args.Remove("--yes");
        args = Expect(args, 3, "collector mark <id> <uidl> download|delete|clear [--yes]");
        var id = context.RequireAccount(args[0]);
        var action = args[2] switch
        {
            "download" => MarkAction.Download,
            "delete" => MarkAction.Delete,
            "clear" => MarkAction.Clear,
            _ => throw new CommandException($"collector mark: '{args[2]}' is not one of download, delete, clear"),
        };
        if (action == MarkAction.Delete && !yes)
        {
            var known = await context.Accounts.Ask<MessageLines>(new GetMessageLines(id), CommandContext.AskTimeout).ConfigureAwait(false);
            if (known.Lines.FirstOrDefault(l => l.Uidl == args[1])?.CollectedAt is null)
            {
                var preview = $"{id} {args[1]}: mark delete would delete a message that was never collected: the server's copy is the only one, and it would be lost; add --yes to mark it";
                return CommandResponse.Success([preview], new JsonObject { ["id"] = id, ["uidl"] = args[1], ["applied"] = false, ["detail"] = preview });
            }
        }

        var r = await context.Accounts.Ask<MarkResult>(new MarkMessage(id, args[1], action), CommandContext.AskTimeout).ConfigureAwait(false);
        var data = new JsonObject { ["id"] = r.AccountId, ["uidl"] = r.Uidl, ["applied"] = r.Applied, ["detail"] = r.Detail };
        var line = $"{r.AccountId} {r.Uidl}: {r.Detail}";
        return r.Applied ? CommandResponse.Success([line], data) : new CommandResponse(false, [line], data, line);
    }

    // "resume" undoes both ways an account stops collecting: an operator's pause and the server policy's NeedsOperator.
    private static async Task<CommandResponse> ResumeAsync(string account, CommandContext context)
    {
        var unpaused = await PauseAsync(account, paused: false, context).ConfigureAwait(false);
        var r = await context.Accounts.Ask<ResumeResult>(new ResumeAccount(context.RequireAccount(account)), CommandContext.AskTimeout).ConfigureAwait(false);
        var lines = unpaused.Lines.ToList();
        if (r.PreviousHealth != Core.Policy.AccountHealth.Healthy)
        {
            lines.Add($"{r.AccountId}: was {r.PreviousHealth}; {r.Detail}");
        }

        var data = unpaused.Data?.DeepClone() as JsonObject ?? new JsonObject { ["id"] = r.AccountId };
        data["previousHealth"] = r.PreviousHealth.ToString();
        return CommandResponse.Success(lines, data);
    }

    private static async Task<CommandResponse> PauseAsync(string account, bool paused, CommandContext context)
    {
        var id = context.RequireAccount(account);
        var r = await context.Accounts.Ask<PauseResult>(new PauseAccount(id, paused), CommandContext.AskTimeout).ConfigureAwait(false);
        var line = (r.Paused, r.Changed) switch
        {
            (true, true) => $"{id}: paused; no session starts until 'collector resume {id}' (a session already running finishes)",
            (true, false) => $"{id}: already paused",
            (false, true) => $"{id}: resumed; its schedule runs again",
            (false, false) => $"{id}: was not paused",
        };
        return CommandResponse.Success([line], new JsonObject { ["id"] = id, ["paused"] = r.Paused, ["changed"] = r.Changed });
    }

    private static RuntimeAccountManager Runtime(CommandContext context) =>
        context.Runtime ?? throw new CommandException("this node does not manage accounts at run time");

    private static async Task<CommandResponse> AddAsync(List<string> args, CommandContext context)
    {
        var settings = await Runtime(context).AddAsync(args, context.Password, context.FileAccounts.Select(a => a.Id), CommandContext.AskTimeout).ConfigureAwait(false);
        var line = $"{settings.Id}: added ({settings.Address}, every {settings.CheckEvery}, into {settings.Mailbox}); password sealed with the cluster key";
        return CommandResponse.Success([line], new JsonObject { ["id"] = settings.Id, ["address"] = settings.Address, ["mailbox"] = settings.Mailbox });
    }

    private static async Task<CommandResponse> EditAsync(string id, List<string> options, CommandContext context, string verb = "edit")
    {
        var yes = options.Remove("--yes");
        if (!yes && await DeletesMoreAsync(id, options, context).ConfigureAwait(false) is { } more)
        {
            return CommandResponse.Success([$"{id}: edit would {more}; add --yes to change it"], new JsonObject { ["id"] = id, ["applied"] = false });
        }

        var s = await Runtime(context).EditAsync(id, options, context.Password, context.FileAccounts.Select(a => a.Id), CommandContext.AskTimeout, verb).ConfigureAwait(false);
        var line = $"{s.Id}: updated ({s.Address}, every {s.CheckEvery}, into {s.Mailbox}, {(s.Enabled ? "enabled" : "disabled")})";
        return CommandResponse.Success([line], new JsonObject { ["id"] = s.Id, ["address"] = s.Address, ["enabled"] = s.Enabled });
    }

    /// <summary>
    /// What an edit of a runtime account would newly delete (leave-mail-on-server turned off, mirror-mailbox turned
    /// on, delete-after-days set or shortened); null when it deletes nothing more, or when the options do not read
    /// (the edit itself then says what is wrong).
    /// </summary>
    private static async Task<string?> DeletesMoreAsync(string id, List<string> options, CommandContext context)
    {
        string[] deleting = ["leave-mail-on-server", "mirror-mailbox", "delete-after-days"];
        var pairs = new List<(string Key, string Value)>();
        for (var i = 0; i + 1 < options.Count; i++)
        {
            if (options[i].StartsWith("--", StringComparison.Ordinal) && deleting.Contains(options[i][2..], StringComparer.Ordinal))
            {
                pairs.Add((options[i][2..], options[++i]));
            }
        }

        if (pairs.Count == 0 || context.Runtime is not { } runtime || !runtime.Contains(id)
            || await runtime.SettingsAsync(id, CommandContext.AskTimeout).ConfigureAwait(false) is not { } current)
        {
            return null;
        }

        Core.Accounts.AccountOptions given;
        try
        {
            given = Configuration.AccountConfigParser.ReadOptions(id, pairs, partial: true);
        }
        catch (Configuration.ConfigurationException)
        {
            return null;
        }

        var onServer = (await StatusAsync(id, context).ConfigureAwait(false)).CollectedOnServer;
        if (given.LeaveMailOnServer == false && current.LeaveMailOnServer)
        {
            return $"turn leave-mail-on-server off: the next session deletes on the server every collected message still there ({onServer})";
        }

        if (given.MirrorMailbox == true && !current.MirrorMailbox)
        {
            return "turn mirror-mailbox on: messages deleted locally get deleted on the server, and local copies of messages the server no longer lists get removed";
        }

        if (given.DeleteAfterDays is { } days && (current.DeleteAfterDays is not { } before || days < before))
        {
            return $"delete on the server collected messages first seen more than {days} day(s) ago (of {onServer} collected still there)";
        }

        return null;
    }

    private static async Task<CommandResponse> RemoveAsync(List<string> args, CommandContext context)
    {
        const string usage = "usage: collector remove <id> [--yes]";
        var yes = args.Remove("--yes");
        var id = args.Count == 1 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : throw new CommandException(usage);
        var runtime = Runtime(context);
        if (context.FileAccounts.Any(a => a.Id == id))
        {
            throw new CommandException($"collector remove: '{id}' is defined in the accounts file; remove it there (and reload)");
        }

        if (!runtime.Contains(id))
        {
            throw new CommandException($"unknown account '{id}' (collector list shows the accounts)");
        }

        if (!yes)
        {
            return CommandResponse.Success([$"{id}: remove would stop collecting it and forget its settings and password; add --yes to remove"], new JsonObject { ["id"] = id, ["applied"] = false });
        }

        await runtime.RemoveAsync(id, CommandContext.AskTimeout).ConfigureAwait(false);
        return CommandResponse.Success([$"{id}: removed; it collects no more (its collection history stays in the journal)"], new JsonObject { ["id"] = id, ["applied"] = true });
    }

    /// <summary><c>collector reload</c>: this node's accounts file applied to the whole cluster (as SIGHUP), what changed per account.</summary>
    private static async Task<CommandResponse> ReloadAsync(List<string> args, CommandContext context)
    {
        _ = args;
        var file = context.File ?? throw new CommandException("collector reload: this node has no accounts file to reload");
        FileApplication applied;
        try
        {
            applied = await file.ReloadAsync(CommandContext.AskTimeout).ConfigureAwait(false);
        }
        catch (Configuration.ConfigurationException e)
        {
            throw new CommandException($"collector reload refused, the running accounts stay: {e.Message}");
        }

        var data = new JsonObject
        {
            ["file"] = applied.Path,
            ["accounts"] = new JsonArray([.. applied.Accounts.Select(a => (JsonNode)new JsonObject
            {
                ["id"] = a.Id,
                ["change"] = a.Change.ToString().ToLowerInvariant(),
                ["keys"] = new JsonArray([.. a.Keys.Select(k => (JsonNode)JsonValue.Create(k)!)]),
                ["detail"] = a.Detail,
            })]),
        };
        var refused = applied.With(SettingsChange.Refused).Count;
        var lines = applied.Lines();
        return refused == 0 ? CommandResponse.Success(lines, data) : new CommandResponse(false, lines, data, string.Join(Environment.NewLine, lines));
    }

    private static async Task<CommandResponse> ResetAsync(List<string> args, CommandContext context)
    {
        string? id = null;
        DateTimeOffset? since = null;
        var yes = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--yes":
                    yes = true;
                    break;
                case "--since" when i + 1 < args.Count:
                    since = DateTimeOffset.TryParseExact(args[++i], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var day)
                        ? day
                        : throw new CommandException($"collector reset: --since '{args[i]}' is not a date (yyyy-mm-dd)");
                    break;
                case var a when a.StartsWith("--", StringComparison.Ordinal):
                    throw new CommandException($"collector reset: unknown option '{a}' (usage: collector reset <id> [--since yyyy-mm-dd] [--yes])");
                case var a when id is null:
                    id = a;
                    break;
                default:
                    throw new CommandException("usage: collector reset <id> [--since yyyy-mm-dd] [--yes]");
            }
        }

        id = context.RequireAccount(id ?? throw new CommandException("usage: collector reset <id> [--since yyyy-mm-dd] [--yes]"));
        IAccountCommand request = yes ? new ResetCollector(id, since) : new PreviewReset(id, since);
        var r = await context.Accounts.Ask<ResetPreviewResult>(request, CommandContext.AskTimeout).ConfigureAwait(false);
        var scope = since is { } s ? $" first seen since {s:yyyy-MM-dd}" : "";
        var line = yes
            ? $"{r.AccountId}: forgot {r.Messages} collected message(s){scope} ({r.Bytes} bytes); the next session collects them again"
            : $"{r.AccountId}: reset would forget {r.Messages} collected message(s){scope} ({r.Bytes} bytes); add --yes to reset";
        var data = new JsonObject { ["id"] = r.AccountId, ["messages"] = r.Messages, ["bytes"] = r.Bytes, ["applied"] = yes };
        return CommandResponse.Success([line], data);
    }
}
