using System.Globalization;

namespace CollectorCluster.Testing.Faults;

/// <summary>
/// A small tmpfs mounted on a directory (needs root): a destination that fills up. Its size can be changed while it
/// is mounted (down to what it holds), so a test fills it at the chosen moment and makes room for the recovery run.
/// </summary>
internal sealed class TmpfsMount : IAsyncDisposable
{
    private const long Page = 4096;
    private bool mounted;

    private TmpfsMount(string path)
    {
        Path = path;
    }

    /// <summary>The mount point.</summary>
    public string Path { get; }

    /// <summary>Bytes in use (whole pages).</summary>
    public long Used
    {
        get
        {
            var drive = new DriveInfo(Path);
            return drive.TotalSize - drive.AvailableFreeSpace;
        }
    }

    /// <summary>Creates <paramref name="path"/> and mounts a tmpfs of <paramref name="bytes"/> there.</summary>
    public static async Task<TmpfsMount> MountAsync(string path, long bytes)
    {
        Directory.CreateDirectory(path);
        var mount = new TmpfsMount(path);
        await SystemCommand.RunAsync("mount", "-t", "tmpfs", "-o", Size(bytes) + ",mode=0755", "tmpfs", path).ConfigureAwait(false);
        mount.mounted = true;
        return mount;
    }

    /// <summary>Changes the size (not below what it holds).</summary>
    public Task ResizeAsync(long bytes) => SystemCommand.RunAsync("mount", "-o", "remount," + Size(bytes), Path);

    /// <summary>Unmounts (what it held is gone).</summary>
    public async ValueTask DisposeAsync()
    {
        if (mounted)
        {
            mounted = false;
            if (!await SystemCommand.TryAsync("umount", Path).ConfigureAwait(false))
            {
                await SystemCommand.TryAsync("umount", "-l", Path).ConfigureAwait(false);
            }
        }
    }

    private static string Size(long bytes) =>
        string.Create(CultureInfo.InvariantCulture, $"size={Math.Max(Page, (bytes + Page - 1) / Page * Page)}");
}
