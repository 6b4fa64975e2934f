namespace CollectorCluster.Delivery.Maildir;

/// <summary>
/// Makes a directory's entries durable (fsync of the directory itself), so a message renamed into new/ survives a
/// power cut before the journal records it. .NET has no API for this (it refuses to open a directory as a file),
/// hence libc. Linux only; elsewhere it is a no-op and durability rests on the file's own fsync.
/// </summary>
public static class DirectorySync
{
    private const int EINTR = 4;
    private const int ORdOnly = 0;
    private const int OCloExec = 0x80000; // Linux value on every architecture .NET supports.

    /// <summary>Whether <see cref="Sync"/> really syncs on this OS.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>fsyncs <paramref name="directory"/>; returns false (doing nothing) where unsupported.</summary>
    /// <exception cref="IOException">open or fsync failed; the message carries the path and errno.</exception>
    public static bool Sync(string directory)
    {
        if (!IsSupported)
        {
            return false;
        }

        int fd;
        do
        {
            fd = NativeMethods.Open(directory, ORdOnly | OCloExec);
        }
        while (fd < 0 && NativeMethods.LastError == EINTR);

        if (fd < 0)
        {
            throw Failure("open", directory, NativeMethods.LastError);
        }

        try
        {
            int rc;
            do
            {
                rc = NativeMethods.FSync(fd);
            }
            while (rc != 0 && NativeMethods.LastError == EINTR);

            if (rc != 0)
            {
                throw Failure("fsync", directory, NativeMethods.LastError);
            }
        }
        finally
        {
            _ = NativeMethods.Close(fd);
        }

        return true;
    }

    private static IOException Failure(string call, string directory, int errno) =>
        new($"{call}({directory}) failed with errno {errno}.");
}
