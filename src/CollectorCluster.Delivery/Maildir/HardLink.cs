namespace CollectorCluster.Delivery.Maildir;

/// <summary>
/// link(2), the Maildir way to move a finished message from tmp/ into new/: atomic and never replacing an existing
/// name, so two writers of the same message cannot both succeed and a reader never sees a partial file.
/// </summary>
public static class HardLink
{
    private const int EPERM = 1;
    private const int EEXIST = 17;
    private const int EXDEV = 18;
    private const int EMLINK = 31;
    private const int ENOSYS = 38;
    private const int EOPNOTSUPP = 95;

    /// <summary>Creates <paramref name="created"/> as a second name of <paramref name="existing"/>.</summary>
    /// <exception cref="IOException">link failed for another reason; the message names both paths and errno.</exception>
    public static LinkOutcome TryCreate(string existing, string created)
    {
        if (!OperatingSystem.IsLinux())
        {
            return LinkOutcome.Unsupported;
        }

        if (NativeMethods.Link(existing, created) == 0)
        {
            return LinkOutcome.Linked;
        }

        var errno = NativeMethods.LastError;
        return errno switch
        {
            EEXIST => LinkOutcome.Exists,
            EPERM or EXDEV or EMLINK or ENOSYS or EOPNOTSUPP => LinkOutcome.Unsupported,
            _ => throw new IOException($"link({existing}, {created}) failed with errno {errno}."),
        };
    }
}
