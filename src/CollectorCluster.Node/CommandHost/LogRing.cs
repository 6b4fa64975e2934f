using System.Threading.Channels;

namespace CollectorCluster.Node.CommandHost;

/// <summary>
/// The node's most recent log lines, kept in memory for <c>log tail</c> so an operator can see what a node did
/// without access to its stderr; followers get each new line as it is written. Lines are already formatted and
/// pass through the same loggers as the console, so they carry no more than the console shows (never secrets).
/// </summary>
public sealed class LogRing
{
    private readonly object _gate = new();
    private readonly string[] _lines;
    private readonly List<ChannelWriter<string>> _followers = [];
    private long _written;

    /// <summary>Creates a ring holding the last <paramref name="capacity"/> lines.</summary>
    public LogRing(int capacity = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _lines = new string[capacity];
    }

    /// <summary>How many lines it keeps.</summary>
    public int Capacity => _lines.Length;

    /// <summary>Adds one line, dropping the oldest when full, and hands it to every follower.</summary>
    public void Add(string line)
    {
        lock (_gate)
        {
            _lines[_written % _lines.Length] = line;
            _written++;
            foreach (var follower in _followers)
            {
                follower.TryWrite(line);
            }
        }
    }

    /// <summary>The last <paramref name="count"/> lines, oldest first.</summary>
    public IReadOnlyList<string> Tail(int count)
    {
        lock (_gate)
        {
            var available = (int)Math.Min(_written, _lines.Length);
            var take = Math.Clamp(count, 0, available);
            var result = new List<string>(take);
            for (var i = _written - take; i < _written; i++)
            {
                result.Add(_lines[i % _lines.Length]);
            }

            return result;
        }
    }

    /// <summary>
    /// The last <paramref name="count"/> lines and, atomically with them, a reader of every later line (so none is
    /// missed or repeated between the two); disposing the subscription stops the feed.
    /// </summary>
    public (IReadOnlyList<string> Tail, ChannelReader<string> Next, IDisposable Subscription) Follow(int count)
    {
        // Bounded and dropping: a slow follower must never hold up the node's logging.
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            var tail = Tail(count);
            _followers.Add(channel.Writer);
            return (tail, channel.Reader, new Unsubscribe(this, channel.Writer));
        }
    }

    private sealed class Unsubscribe(LogRing ring, ChannelWriter<string> writer) : IDisposable
    {
        public void Dispose()
        {
            lock (ring._gate)
            {
                ring._followers.Remove(writer);
            }

            writer.TryComplete();
        }
    }
}
