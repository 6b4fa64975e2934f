using System.Runtime.ExceptionServices;

namespace CollectorCluster.Delivery.Maildir;

/// <summary>
/// fsyncs a batch of files at once, from several threads: the filesystem's journal (ext4's jbd2, XFS's log) then
/// commits them together, so a batch costs about one journal commit instead of one per file. Every file is still
/// fsynced on its own; only the waiting overlaps. Dedicated short-lived threads, not the thread pool: fsync blocks,
/// and blocked pool threads would starve the sessions' socket reads.
/// </summary>
internal static class ConcurrentFileSync
{
    /// <summary>Threads per batch at most (the caller's included): enough to fill a disk's queue, few enough to start cheaply.</summary>
    internal const int Width = 8;

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

        var next = -1;
        Exception? first = null;
        void Work()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < paths.Count)
            {
                try
                {
                    FlushOne(paths[i]);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Interlocked.CompareExchange(ref first, e, null);
                }
            }
        }

        var helpers = new Thread[Math.Min(Width, paths.Count) - 1];
        for (var h = 0; h < helpers.Length; h++)
        {
            helpers[h] = new Thread(Work) { IsBackground = true, Name = "maildir-fsync" };
            helpers[h].Start();
        }

        Work();
        foreach (var helper in helpers)
        {
            helper.Join();
        }

        if (first is UnauthorizedAccessException denied)
        {
            throw new IOException(denied.Message, denied);
        }

        if (first is not null)
        {
            ExceptionDispatchInfo.Throw(first);
        }
    }

    private static void FlushOne(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write);
        RandomAccess.FlushToDisk(handle);
    }
}
