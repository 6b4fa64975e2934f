using System.Buffers;
using System.IO.Enumeration;
using System.Security.Cryptography;
using CollectorCluster.Core.Delivery;

namespace CollectorCluster.Delivery.Maildir;

/// <summary>
/// One account's deliveries into a Maildir. The names already present are read once at open, so the collector can
/// ask <see cref="Contains"/> before every RETR at no I/O cost and skip messages delivered before a crash.
/// Meant for one collection at a time: not safe for concurrent calls.
/// </summary>
internal sealed class MaildirDeliverySession : IDeliverySession
{
    /// <summary>Copy buffer size: large enough for few syscalls, small enough that a 200 MB message costs O(buffer).</summary>
    internal const int BufferSize = 128 * 1024;

    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _description;
    private readonly string _accountId;
    private readonly string _tmp;
    private readonly string _new;
    private readonly string _cur;
    private readonly HashSet<string> _present;
    private bool _unflushed;
    private bool _disposed;

    private MaildirDeliverySession(MaildirDestination destination, string accountId, HashSet<string> present)
    {
        _description = destination.Description;
        _accountId = accountId;
        _tmp = Path.Combine(destination.Root, "tmp");
        _new = Path.Combine(destination.Root, "new");
        _cur = Path.Combine(destination.Root, "cur");
        _present = present;
    }

    /// <summary>Prepares the Maildir and reads the names present (one enumeration each of new/ and cur/).</summary>
    internal static MaildirDeliverySession Open(
        MaildirDestination destination, string accountId, DateTime nowUtc, CancellationToken cancellationToken)
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
            return new MaildirDeliverySession(destination, accountId, present);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DeliveryException(destination.Description, accountId, "Opening", e);
        }
    }

    /// <inheritdoc />
    public bool Contains(string uidl)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentException.ThrowIfNullOrEmpty(uidl);
        return _present.Contains(MaildirNames.BaseName(_accountId, uidl));
    }

    /// <inheritdoc />
    /// <remarks>
    /// Writes tmp/&lt;name&gt;.&lt;random&gt;.tmp through a 128 KiB buffer, fsyncs it, then links it into new/&lt;name&gt;
    /// without overwriting (link(2), as the Maildir spec does); a message is never partly visible in new/.
    /// Errors of the Maildir become a <see cref="DeliveryException"/> (an <see cref="IOException"/>) naming it and
    /// the account; errors reading <paramref name="content"/> pass through unchanged.
    /// </remarks>
    public async Task<DeliveryReceipt> DeliverAsync(string? uidl, Stream content, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(content);
        if (uidl is not null)
        {
            ArgumentException.ThrowIfNullOrEmpty(uidl);
            var known = MaildirNames.BaseName(_accountId, uidl);
            if (_present.Contains(known))
            {
                var drained = await DrainAsync(content, cancellationToken).ConfigureAwait(false);
                return new DeliveryReceipt(uidl, drained, true, Locate(known));
            }
        }

        var tmpName = uidl is null ? MaildirNames.Prefix + "content" : MaildirNames.BaseName(_accountId, uidl);
        var tmpPath = Path.Combine(_tmp, $"{tmpName}.{RandomNumberGenerator.GetHexString(16, lowercase: true)}{MaildirNames.TempSuffix}");
        try
        {
            var (bytes, digest) = await WriteTempAsync(tmpPath, content, uidl is null, cancellationToken).ConfigureAwait(false);
            var key = uidl ?? MaildirNames.ContentKey(digest);
            var baseName = MaildirNames.BaseName(_accountId, key);
            if (_present.Contains(baseName))
            {
                TryDelete(tmpPath);
                return new DeliveryReceipt(key, bytes, true, Locate(baseName));
            }

            var target = Path.Combine(_new, baseName);
            bool published;
            try
            {
                published = Publish(tmpPath, target);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Failure(e);
            }

            if (!published)
            {
                // Another writer got there first and link(2) refused to replace it: the message is present once.
                TryDelete(tmpPath);
                _present.Add(baseName);
                return new DeliveryReceipt(key, bytes, true, target);
            }

            _present.Add(baseName);
            _unflushed = true;
            return new DeliveryReceipt(key, bytes, false, target);
        }
        catch
        {
            TryDelete(tmpPath);
            throw;
        }
    }

    /// <inheritdoc />
    /// <remarks>fsyncs new/ once if anything was delivered since the last flush (Linux; a no-op elsewhere).</remarks>
    public Task FlushAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_unflushed)
        {
            return Task.CompletedTask;
        }

        try
        {
            DirectorySync.Sync(_new);
        }
        catch (IOException e)
        {
            throw new DeliveryException(_description, _accountId, "Flushing", e);
        }

        _unflushed = false;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>Does not flush: the caller flushes before it records deliveries in the journal.</remarks>
    public ValueTask DisposeAsync()
    {
        _disposed = true;
        return ValueTask.CompletedTask;
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

    private static async Task<long> DrainAsync(Stream content, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long total = 0;
            int read;
            while ((read = await content.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<(long Bytes, byte[] Digest)> WriteTempAsync(
        string tmpPath, Stream content, bool hashContent, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions
        {
            Mode = System.IO.FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 0, // our own 128 KiB buffer; no second copy inside FileStream
            Options = FileOptions.SequentialScan | FileOptions.Asynchronous,
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
            await using (file.ConfigureAwait(false))
            {
                int read;

                // Errors reading the source pass through as they are; only the Maildir's own become DeliveryException.
                while ((read = await content.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash?.AppendData(buffer, 0, read);
                    try
                    {
                        await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        throw Failure(e);
                    }

                    total += read;
                }

                try
                {
                    file.Flush(flushToDisk: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw Failure(e);
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
}
