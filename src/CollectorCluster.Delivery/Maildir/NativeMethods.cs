using System.Runtime.InteropServices;

namespace CollectorCluster.Delivery.Maildir;

/// <summary>
/// The libc calls behind <see cref="DirectorySync"/> and <see cref="HardLink"/>: .NET cannot open a directory to
/// fsync it, and its File.Move without overwrite is a check followed by rename(2), not an atomic no-clobber link.
/// </summary>
internal static partial class NativeMethods
{
    /// <summary>errno of the last failed call on this thread.</summary>
    public static int LastError => Marshal.GetLastPInvokeError();

    /// <summary>open(2); returns a descriptor or -1.</summary>
    public static int Open(string path, int flags) => open(path, flags);

    /// <summary>fsync(2); returns 0 or -1.</summary>
    public static int FSync(int fd) => fsync(fd);

    /// <summary>close(2); returns 0 or -1.</summary>
    public static int Close(int fd) => close(fd);

    /// <summary>link(2); returns 0 or -1.</summary>
    public static int Link(string existing, string created) => link(existing, created);

    /// <summary>unlink(2); returns 0 or -1.</summary>
    public static int Unlink(string path) => unlink(path);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int link(string existing, string created);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int unlink(string path);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
