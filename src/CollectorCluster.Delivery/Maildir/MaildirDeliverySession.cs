using System.Buffers;
using System.IO.Enumeration;
using System.Security.Cryptography;
using CollectorCluster.Core.Delivery;

namespace CollectorCluster.Delivery.Maildir;

/// <summary>
/// One mailbox scope's deliveries into a Maildir. The names already present are read once at open, so each delivery
/// knows at no I/O cost whether its name is taken: by the same message (delivered before a crash, not yet journalled:
/// recognised, not written twice) or by another one under a UIDL the server reused (compared by content, and then
/// delivered under a name of its own, never taken for delivered). Group commit: a delivery writes its file to tmp/
/// and returns; <see cref="FlushAsync"/> fsyncs the batch's files concurrently, links them into new/ and fsyncs new/
/// once, so a file is never visible in new/ before it is durable. Meant for one collection at a time: not safe for
/// concurrent calls.
/// </summary>
internal sealed class MaildirDeliverySession : IDeliverySession
{
    /// <summary>Copy buffer size: large enough for few syscalls, small enough that a 200 MB message costs O(buffer).</summary>
    internal const int BufferSize = 128 * 1024;

    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _description;
    private readonly string _accountId;
    private readonly string _seed;
    private readonly string _tmp;
    private readonly string _new;
    private readonly string _cur;
    private readonly HashSet<string> _present;

    /// <summary>Written to tmp/, not yet durable nor in new/: published by the next flush (or dispose), in order.</summary>
    private readonly List<Pending> _pending = [];
    private readonly Dictionary<string, string> _pendingTmp = new(StringComparer.Ordinal);
    private bool _unflushed;
    private bool _disposed;

    private MaildirDeliverySession(MaildirDestination destination, MailboxScope scope, HashSet<string> present)
    {
        _description = destination.Description;
        _accountId = scope.AccountId;
        _seed = scope.NameSeed;
        _tmp = Path.Combine(destination.Root, "tmp");
        _new = Path.Combine(destination.Root, "new");
        _cur = Path.Combine(destination.Root, "cur");
        _present = present;
    }

    /// <summary>Prepares the Maildir and reads the names present (one enumeration each of new/ and cur/).</summary>
    internal static MaildirDeliverySession Open(
        MaildirDestination destination, MailboxScope scope, DateTime nowUtc, CancellationToken cancellationToken)
    {
        var root = destination.Root;
        try
        {
            foreach (var dir in new[] { root, Path.Combine(root, "tmp"), Path.Combine(root, "new"), Path.Combine(root, "cur") })
            {
                EnsureDirectory(dir);
            }

            RemoveStaleTemp(Path.Combine(root, "tmp"), nowUtc - MaildirDestination.StaleTempAge);

            var present = new HashSet<string>(StringComparer.Ordinal);
            ReadNames(Path.Combine(root, "new"), present, cancellationToken);
            ReadNames(Path.Combine(root, "cur"), present, cancellationToken);
            return new MaildirDeliverySession(destination, scope, present);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DeliveryException(destination.Description, scope.AccountId, "Opening", e);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Writes tmp/&lt;name&gt;.&lt;random&gt;.tmp through a 128 KiB buffer; the next <see cref="FlushAsync"/> fsyncs it
    /// and links it into new/&lt;name&gt; without overwriting (link(2), as the Maildir spec does); a message is never
    /// partly visible in new/. A name another writer already put in new/ counts as present. When the
    /// UIDL's name is taken already, the message is hashed on the way in and compared with the file holding the name:
    /// the same content is the same message (already present, nothing kept); another content is another message under a
    /// reused UIDL and goes under <see cref="MaildirNames.ReusedKey"/> (a file that cannot be read counts as another
    /// content: at worst a copy too many, never a message lost). Errors of the Maildir become a
    /// <see cref="DeliveryException"/> (an <see cref="IOException"/>) naming it and the account; errors reading
    /// <paramref name="content"/> pass through unchanged.
    /// </remarks>
    public async Task<DeliveryReceipt> DeliverAsync(string? uidl, Stream content, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(content);
        string? taken = null;
        string? uidlName = null; // the name the UIDL gives, computed once (a SHA-256 each time)
        if (uidl is not null)
        {
            ArgumentException.ThrowIfNullOrEmpty(uidl);
            uidlName = MaildirNames.BaseName(_seed, uidl);
            taken = _present.Contains(uidlName) ? uidlName : null;
        }

        var tmpName = uidlName ?? MaildirNames.Prefix + "content";
        var tmpPath = Path.Combine(_tmp, $"{tmpName}.{RandomNumberGenerator.GetHexString(16, lowercase: true)}{MaildirNames.TempSuffix}");
        try
        {
            // The content decides the name without a UIDL, and whether a taken name holds this message.
            var (bytes, digest) = await WriteTempAsync(tmpPath, content, hashContent: uidl is null || taken is not null, cancellationToken).ConfigureAwait(false);
            string key;
            string baseName;
            if (taken is not null)
            {
                var holder = _pendingTmp.TryGetValue(taken, out var pendingHolder) ? pendingHolder : Locate(taken);
                if (HoldsContent(holder, digest))
                {
                    TryDelete(tmpPath);
                    return new DeliveryReceipt(uidl!, bytes, true, pendingHolder is null ? holder : Path.Combine(_new, taken));
                }

                key = MaildirNames.ReusedKey(uidl!, digest);
                baseName = MaildirNames.BaseName(_seed, key);
            }
            else if (uidl is not null)
            {
                key = uidl;
                baseName = uidlName!;
            }
            else
            {
                key = MaildirNames.ContentKey(digest);
                baseName = MaildirNames.BaseName(_seed, key);
            }

            var target = Path.Combine(_new, baseName);
            if (_present.Contains(baseName))
            {
                TryDelete(tmpPath);
                return new DeliveryReceipt(key, bytes, true, _pendingTmp.ContainsKey(baseName) ? target : Locate(baseName));
            }

            if (File.Exists(target))
            {
                // Another writer put it there since open: the message is present once (link(2) would refuse to replace it).
                TryDelete(tmpPath);
                _present.Add(baseName);
                return new DeliveryReceipt(key, bytes, true, target);
            }

            _pending.Add(new Pending(tmpPath, target));
            _pendingTmp.Add(baseName, tmpPath);
            _present.Add(baseName);
            return new DeliveryReceipt(key, bytes, false, target);
        }
        catch
        {
            TryDelete(tmpPath);
            throw;
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Group commit: fsyncs the files delivered since the last flush concurrently (<see cref="ConcurrentFileSync"/>),
    /// links each into new/, then fsyncs new/ once (Linux; a no-op elsewhere). Nothing is linked unless every file of
    /// the batch was fsynced.
    /// </remarks>
    public Task FlushAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (_pending.Count == 0 && !_unflushed)
        {
            return Task.CompletedTask;
        }

        try
        {
            PublishPending();
            DirectorySync.Sync(_new);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DeliveryException(_description, _accountId, "Flushing", e);
        }

        _unflushed = false;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Does not fsync new/: the caller flushes before it records deliveries in the journal. Files delivered but not
    /// flushed are still made durable and linked (as a delivery that ends before its journal write always left them,
    /// recognised by the next session); if that fails they are removed from tmp/ and collected again next time.
    /// </remarks>
    public ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return ValueTask.CompletedTask;
        }

        _disposed = true;
        try
        {
            PublishPending();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            foreach (var pending in _pending)
            {
                TryDelete(pending.TmpPath);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>fsyncs every pending file (concurrently), then links them into new/ in delivery order.</summary>
    private void PublishPending()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        ConcurrentFileSync.FlushAll(_pending.Select(p => p.TmpPath).ToList());
        while (_pending.Count > 0)
        {
            var pending = _pending[0];
            if (!Publish(pending.TmpPath, pending.Target))
            {
                // Another writer got there first and link(2) refused to replace it: the message is present once.
                TryDelete(pending.TmpPath);
            }

            _pending.RemoveAt(0);
            _pendingTmp.Remove(Path.GetFileName(pending.Target));
            _unflushed = true;
        }
    }

    private static void EnsureDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, DirectoryMode);
        }
    }

    private static EnumerationOptions ListOptions() =>
        new() { AttributesToSkip = 0, IgnoreInaccessible = false, RecurseSubdirectories = false, ReturnSpecialDirectories = false };

    private static void ReadNames(string directory, HashSet<string> into, CancellationToken cancellationToken)
    {
        var names = new FileSystemEnumerable<string?>(
            directory,
            static (ref FileSystemEntry entry) => MaildirNames.BaseOf(entry.FileName.ToString()),
            ListOptions())
        {
            ShouldIncludePredicate = static (ref FileSystemEntry entry) =>
                !entry.IsDirectory && entry.FileName.StartsWith(MaildirNames.Prefix, StringComparison.Ordinal),
        };

        var seen = 0;
        foreach (var name in names)
        {
            if (++seen % 4096 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (name is not null)
            {
                into.Add(name);
            }
        }
    }

    private static void RemoveStaleTemp(string tmp, DateTime cutoffUtc)
    {
        var stale = new FileSystemEnumerable<string>(
            tmp,
            static (ref FileSystemEntry entry) => entry.ToFullPath(),
            ListOptions())
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) =>
                !entry.IsDirectory
                && entry.FileName.StartsWith(MaildirNames.Prefix, StringComparison.Ordinal)
                && entry.FileName.EndsWith(MaildirNames.TempSuffix, StringComparison.Ordinal)
                && entry.LastWriteTimeUtc.UtcDateTime < cutoffUtc,
        };

        foreach (var path in stale.ToList())
        {
            TryDelete(path);
        }
    }

    /// <summary>
    /// Gives the finished tmp/ file its name in new/ without ever replacing one: link(2) then unlink of the tmp/
    /// name (the Maildir convention); where hard links are unavailable, File.Move without overwrite (a check and a
    /// rename, safe as long as one collector writes an account at a time, which the account actor guarantees).
    /// </summary>
    /// <returns>False when <paramref name="target"/> already existed.</returns>
    private static bool Publish(string tmpPath, string target)
    {
        switch (HardLink.TryCreate(tmpPath, target))
        {
            case LinkOutcome.Linked:
                TryDelete(tmpPath); // a leftover second name is harmless and cleaned up once stale
                return true;
            case LinkOutcome.Exists:
                return false;
            default:
                try
                {
                    File.Move(tmpPath, target, overwrite: false);
                    return true;
                }
                catch (IOException) when (File.Exists(target))
                {
                    return false;
                }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover tmp/ file is removed by a later open once it is stale.
        }
    }

    /// <summary>True when the file at <paramref name="path"/> has the SHA-256 <paramref name="digest"/>; false when it differs or cannot be read.</summary>
    private static bool HoldsContent(string path, byte[] digest)
    {
        try
        {
            using var file = new FileStream(path, System.IO.FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, BufferSize, FileOptions.SequentialScan);
            return SHA256.HashData(file).AsSpan().SequenceEqual(digest);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Writes the content to tmp/ (hashing it when asked); the flush fsyncs it, if it is kept.</summary>
    private async Task<(long Bytes, byte[] Digest)> WriteTempAsync(
        string tmpPath, Stream content, bool hashContent, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions
        {
            Mode = System.IO.FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 0, // our own 128 KiB buffer; no second copy inside FileStream
            // Synchronous: a write into the page cache takes microseconds, while an asynchronous file write on Linux is a
            // thread-pool hop per buffer (the kernel has no async buffered writes); the fsync is the flush's, batched.
            Options = FileOptions.SequentialScan,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        using var hash = hashContent ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            FileStream file;
            try
            {
                file = new FileStream(tmpPath, options);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Failure(e);
            }

            long total = 0;
            using (file)
            {
                int read;

                // Errors reading the source pass through as they are; only the Maildir's own become DeliveryException.
                while ((read = await content.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash?.AppendData(buffer, 0, read);
                    try
                    {
                        file.Write(buffer, 0, read);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        throw Failure(e);
                    }

                    total += read;
                }

            }

            return (total, hash?.GetHashAndReset() ?? []);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private string Locate(string baseName)
    {
        var inNew = Path.Combine(_new, baseName);
        if (File.Exists(inNew))
        {
            return inNew;
        }

        try
        {
            foreach (var path in Directory.EnumerateFiles(_cur, baseName + "*"))
            {
                if (MaildirNames.BaseOf(Path.GetFileName(path)) == baseName)
                {
                    return path;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only for the receipt: fall through to the name it was delivered under.
        }

        return inNew;
    }

    private DeliveryException Failure(Exception e) => new(_description, _accountId, "Delivery to", e);

    /// <summary>A delivered file waiting in tmp/ for the flush, and its name in new/.</summary>
    private sealed record Pending(string TmpPath, string Target);
}
