using System.Globalization;

namespace CollectorCluster.Testing.Faults;

/// <summary>
/// A small ext4 file system on a loop device, mounted with <c>errors=remount-ro</c> (needs root): a journal's disk that
/// <see cref="BreakAsync"/> turns read-only under the running collector (ext4's own error path, as a failing disk
/// would; open files included), and <see cref="RepairAsync"/> mounts read-write again, with what was synced kept.
/// </summary>
public sealed class LoopDisk : IAsyncDisposable
{
    private readonly string image;
    private string? device;
    private bool mounted;

    private LoopDisk(string image, string path)
    {
        this.image = image;
        Path = path;
    }

    /// <summary>The mount point.</summary>
    public string Path { get; }

    /// <summary>Creates a 32 MB image next to <paramref name="path"/>, attaches and formats it, and mounts it there.</summary>
    public static async Task<LoopDisk> CreateAsync(string path)
    {
        Directory.CreateDirectory(path);
        var disk = new LoopDisk(path + ".img", path);
        try
        {
            await using (var file = new FileStream(disk.image, FileMode.CreateNew))
            {
                file.SetLength(32L * 1024 * 1024);
            }

            disk.device = (await SystemCommand.RunAsync("losetup", "--find", "--show", disk.image).ConfigureAwait(false)).Trim();
            await SystemCommand.RunAsync("mkfs.ext4", "-q", "-F", disk.device).ConfigureAwait(false);
            await disk.MountAsync().ConfigureAwait(false);
            return disk;
        }
        catch
        {
            await disk.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Makes the file system read-only now, through ext4's error handling (<c>trigger_fs_error</c>).</summary>
    public async Task BreakAsync()
    {
        var name = System.IO.Path.GetFileName(device!);
        await File.WriteAllTextAsync(string.Create(CultureInfo.InvariantCulture, $"/sys/fs/ext4/{name}/trigger_fs_error"), "1").ConfigureAwait(false);
    }

    /// <summary>Unmounts, checks and mounts read-write again (every process using it must have ended).</summary>
    public async Task RepairAsync()
    {
        await UnmountAsync(lazily: false).ConfigureAwait(false);
        await SystemCommand.TryAsync("e2fsck", "-f", "-y", device!).ConfigureAwait(false); // exit 1 = errors corrected
        await MountAsync().ConfigureAwait(false);
    }

    /// <summary>Unmounts, detaches the loop device, deletes the image.</summary>
    public async ValueTask DisposeAsync()
    {
        await UnmountAsync(lazily: true).ConfigureAwait(false);
        if (device is not null)
        {
            await SystemCommand.TryAsync("losetup", "-d", device).ConfigureAwait(false);
            device = null;
        }

        File.Delete(image);
    }

    private async Task MountAsync()
    {
        await SystemCommand.RunAsync("mount", "-t", "ext4", "-o", "errors=remount-ro", device!, Path).ConfigureAwait(false);
        mounted = true;
    }

    // Lazily only when giving it up: a file system still in use must not be checked or mounted again.
    private async Task UnmountAsync(bool lazily)
    {
        if (!mounted)
        {
            return;
        }

        if (!await SystemCommand.TryAsync("umount", Path).ConfigureAwait(false))
        {
            if (!lazily)
            {
                throw new InvalidOperationException($"{Path} is still in use; it cannot be repaired");
            }

            await SystemCommand.RunAsync("umount", "-l", Path).ConfigureAwait(false);
        }

        mounted = false;
    }
}
