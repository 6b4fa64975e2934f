using System.ComponentModel;
using System.Runtime.InteropServices;

namespace CollectorCluster.Testing;

/// <summary>
/// libc calls .NET has no managed API for: mailbox files must be owned by the unprivileged mail user,
/// because Dovecot refuses mail access as uid 0.
/// </summary>
internal static partial class NativeMethods
{
    /// <summary>Changes the owner of <paramref name="path"/>; throws <see cref="Win32Exception"/> on failure.</summary>
    public static void Chown(string path, int uid, int gid)
    {
        if (chown(path, (uint)uid, (uint)gid) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new Win32Exception(errno, $"chown({path}, {uid}, {gid}) failed with errno {errno}.");
        }
    }

    /// <summary>The effective user id of this process.</summary>
    public static int EffectiveUserId() => (int)geteuid();

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int chown(string path, uint owner, uint group);

    [LibraryImport("libc")]
    private static partial uint geteuid();
}
