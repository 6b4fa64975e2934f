using CollectorCluster.Core.Delivery;

namespace CollectorCluster.Delivery.Maildir;

/// <summary>
/// Mirror Mailbox over a Maildir: a collected message is held while a file named after the hash of account + UIDL
/// (see <see cref="MaildirNames"/>) is in new/ or cur/, whatever flags a mail client appended; the user deleting or
/// moving it out is a local deletion. Removal deletes every such file and syncs the directory.
/// </summary>
public sealed class MaildirMirror(string root) : IMirrorableDestination
{
    /// <inheritdoc />
    public IReadOnlySet<string> Holding(string accountId, IReadOnlyCollection<string> uidls)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentNullException.ThrowIfNull(uidls);
        if (uidls.Count == 0)
        {
            return new HashSet<string>(StringComparer.Ordinal); // nothing collected yet: the Maildir may not exist yet
        }

        // A missing new/ or cur/ throws (DirectoryNotFoundException is an IOException): an unreadable mailbox must
        // never look like "the user deleted everything".
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sub in new[] { "new", "cur" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, sub)))
            {
                if (MaildirNames.BaseOf(Path.GetFileName(file)) is { } baseName)
                {
                    present.Add(baseName);
                }
            }
        }

        return uidls.Where(u => present.Contains(MaildirNames.BaseName(accountId, u))).ToHashSet(StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public bool Remove(string accountId, string uidl)
    {
        var baseName = MaildirNames.BaseName(accountId, uidl);
        var removed = false;
        foreach (var sub in new[] { "new", "cur" })
        {
            var dir = Path.Combine(root, sub);
            var removedHere = false;
            foreach (var file in Directory.EnumerateFiles(dir, baseName + "*"))
            {
                if (MaildirNames.BaseOf(Path.GetFileName(file)) == baseName)
                {
                    File.Delete(file);
                    removedHere = true;
                }
            }

            removed |= removedHere;
            if (removedHere)
            {
                DirectorySync.Sync(dir);
            }
        }

        return removed;
    }
}
