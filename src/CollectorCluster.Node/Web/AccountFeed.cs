using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace CollectorCluster.Node.Web;

/// <summary>
/// The live account list behind the pages' server-sent events: while at least one page follows it, it reads
/// <c>collector list --json</c> every <c>collector.web.refresh</c> (one read shared by all pages) and hands each
/// follower the rows that changed among the accounts it shows. Nothing runs while no page follows.
/// </summary>
public sealed class AccountFeed : IAsyncDisposable
{
    private readonly ConsoleCommands _commands;
    private readonly TimeSpan _refresh;
    private readonly object _gate = new();
    private readonly List<Follower> _followers = [];
    private readonly CancellationTokenSource _stop = new();
    private Dictionary<string, string> _last = new(StringComparer.Ordinal);
    private Task? _loop;

    /// <summary>Creates the feed over the command layer.</summary>
    public AccountFeed(ConsoleCommands commands, TimeSpan refresh)
    {
        _commands = commands;
        _refresh = refresh;
    }

    /// <summary>
    /// Follows the accounts <paramref name="ids"/> (at most a page's worth): yields each one's row (as JSON text) once
    /// at the start and then whenever it changes, until <paramref name="cancellation"/> ends it.
    /// </summary>
    public async IAsyncEnumerable<string> FollowAsync(IReadOnlySet<string> ids, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellation)
    {
        var follower = new Follower(ids, Channel.CreateBounded<string>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest }));
        lock (_gate)
        {
            _followers.Add(follower);
            _loop ??= Task.Run(LoopAsync);
        }

        try
        {
            await foreach (var row in follower.Rows.Reader.ReadAllAsync(cancellation).ConfigureAwait(false))
            {
                yield return row;
            }
        }
        finally
        {
            lock (_gate)
            {
                _followers.Remove(follower);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is { } loop)
        {
            await loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(_refresh);
        try
        {
            do
            {
                List<Follower> followers;
                lock (_gate)
                {
                    followers = [.. _followers];
                    if (followers.Count == 0)
                    {
                        _loop = null; // the next follower starts it again
                        _last = new Dictionary<string, string>(StringComparer.Ordinal);
                        return;
                    }
                }

                await PublishAsync(followers).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // The node is stopping.
        }
    }

    private async Task PublishAsync(List<Follower> followers)
    {
        if (!_commands.Ready)
        {
            return;
        }

        var response = await _commands.RunAsync(["collector", "list"], _stop.Token).ConfigureAwait(false);
        if (!response.Ok || response.Data is not JsonArray accounts)
        {
            return;
        }

        var now = accounts.Where(a => a is not null).Select(a => AccountRow.From(a!)).ToDictionary(r => r.Id, r => r.ToJson().ToJsonString(), StringComparer.Ordinal);
        var before = _last;
        _last = now;
        foreach (var follower in followers)
        {
            foreach (var id in follower.Ids)
            {
                // A new follower has seen nothing yet: it gets its rows once; then only changes.
                if (now.TryGetValue(id, out var row) && (!follower.Started || before.GetValueOrDefault(id) != row))
                {
                    follower.Rows.Writer.TryWrite(row);
                }
            }

            follower.Started = true;
        }
    }

    private sealed class Follower(IReadOnlySet<string> ids, Channel<string> rows)
    {
        public IReadOnlySet<string> Ids { get; } = ids;

        public Channel<string> Rows { get; } = rows;

        public bool Started { get; set; }
    }
}
