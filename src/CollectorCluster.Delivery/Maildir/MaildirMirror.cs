using CollectorCluster.Core.Delivery;

namespace CollectorCluster.Delivery.Maildir;

/// <summary>
/// Mirror Mailbox over a Maildir: a collected message is held while a file named after the hash of its scope + stored
/// key (see <see cref="MaildirNames"/>) is in new/ or cur/, whatever flags a mail client appended; the user deleting or
/// moving it out is a local deletion. Removal deletes every such file and syncs the directory.
/// </summary>
public sealed class MaildirMirror(string root) : IMirrorableDestination
{
    /// <inheritdoc />
    public IReadOnlySet<string> Holding(MailboxScope scope, IReadOnlyCollection<string> keys)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
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

        var seed = scope.NameSeed;
        return keys.Where(k => present.Contains(MaildirNames.BaseName(seed, k))).ToHashSet(StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public bool Remove(MailboxScope scope, string key)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var baseName = MaildirNames.BaseName(scope.NameSeed, key);
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
