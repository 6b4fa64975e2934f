using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace CollectorCluster.Delivery.Maildir;

/// <summary>
/// fsyncs a batch of files at once, from several threads: the filesystem's journal (ext4's jbd2, XFS's log) then
/// commits them together, so a batch costs about one journal commit instead of one per file. Every file is still
/// fsynced on its own; only the waiting overlaps. The helpers are a few dedicated threads shared by every batch of the
/// process, started on first need and kept (idle, they block on the queue): not the thread pool, because fsync blocks
/// and blocked pool threads would starve the sessions' socket reads; not threads per batch, because starting and
/// ending them cost more CPU than a small batch's fsyncs.
/// </summary>
internal static class ConcurrentFileSync
{
    /// <summary>Threads per batch at most (the caller's included): enough to fill a disk's queue, few enough to start cheaply.</summary>
    internal const int Width = 8;

    private static readonly BlockingCollection<Batch> Work = new(new ConcurrentQueue<Batch>());
    private static int _helpers;

    /// <summary>Helper threads started so far in this process (never more than <see cref="Width"/> - 1).</summary>
    internal static int HelpersStarted => Volatile.Read(ref _helpers);

    /// <summary>fsyncs every file of <paramref name="paths"/>; throws the first failure after all were tried.</summary>
    /// <exception cref="IOException">a file could not be opened or fsynced.</exception>
    public static void FlushAll(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count <= 1)
        {
            foreach (var path in paths)
            {
                FlushOne(path);
            }

            return;
        }

        var batch = new Batch(paths);
        var helpers = Math.Min(Width, paths.Count) - 1;
        StartHelpers(helpers);
        for (var h = 0; h < helpers; h++)
        {
            Work.Add(batch); // a helper that takes it after the caller finished the batch finds nothing left to claim
        }

        batch.Run();
        batch.Done.Wait(); // the files helpers claimed are fsynced too
        switch (batch.First)
        {
            case null:
                return;
            case UnauthorizedAccessException denied:
                throw new IOException(denied.Message, denied);
            default:
                ExceptionDispatchInfo.Throw(batch.First);
                return;
        }
    }

    private static void StartHelpers(int wanted)
    {
        int started;
        while ((started = Volatile.Read(ref _helpers)) < wanted)
        {
            if (Interlocked.CompareExchange(ref _helpers, started + 1, started) == started)
            {
                new Thread(Help) { IsBackground = true, Name = "maildir-fsync" }.Start();
            }
        }
    }

    private static void Help()
    {
        foreach (var batch in Work.GetConsumingEnumerable())
        {
            batch.Run();
        }
    }

    private static void FlushOne(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write);
        RandomAccess.FlushToDisk(handle);
    }

    /// <summary>One caller's files: each claimed once, by the caller or a helper; done when every file was tried.</summary>
    private sealed class Batch(IReadOnlyList<string> paths)
    {
        private int _next = -1;
        private int _left = paths.Count;
        private Exception? _first;

        public ManualResetEventSlim Done { get; } = new(false);

        public Exception? First => Volatile.Read(ref _first);

        public void Run()
        {
            int i;
            while ((i = Interlocked.Increment(ref _next)) < paths.Count)
            {
                try
                {
                    FlushOne(paths[i]);
                }
                catch (Exception e)
                {
                    // Any failure (not only I/O) goes back to the caller: a helper thread must never die of it.
                    Interlocked.CompareExchange(ref _first, e, null);
                }
                finally
                {
                    if (Interlocked.Decrement(ref _left) == 0)
                    {
                        Done.Set();
                    }
                }
            }
        }
    }
}
