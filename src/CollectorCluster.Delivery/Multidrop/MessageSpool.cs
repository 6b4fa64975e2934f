using System.Buffers;
using System.Security.Cryptography;

namespace CollectorCluster.Delivery.Multidrop;

/// <summary>
/// One message written once to a private temporary file (mode 0600, removed when disposed), so a multidrop delivery can
/// read its header before routing and hand the same bytes to each user's destination without holding the message in
/// memory or fetching it twice. While it streams in, the header block and the digests are taken on the way.
/// </summary>
internal sealed class MessageSpool : IAsyncDisposable
{
    /// <summary>The most header bytes kept for routing; a header longer than this is routed by what it held up to there.</summary>
    public const int HeadLimit = 256 * 1024;

    private const int BufferSize = 128 * 1024;

    private readonly string _path;
    private readonly FileStream _file;

    private MessageSpool(string path, FileStream file, byte[] head, long length, byte[] bodySha256, byte[] sha256)
    {
        _path = path;
        _file = file;
        Head = head;
        Length = length;
        BodySha256 = bodySha256;
        Sha256 = sha256;
    }

    /// <summary>The message's first bytes (up to <see cref="HeadLimit"/>): at least its header block when that is shorter.</summary>
    public byte[] Head { get; }

    /// <summary>Octets spooled.</summary>
    public long Length { get; }

    /// <summary>SHA-256 of the body (after the empty line ending the header; the whole message when there is none).</summary>
    public byte[] BodySha256 { get; }

    /// <summary>SHA-256 of the whole message (the content key of a message without a UIDL).</summary>
    public byte[] Sha256 { get; }

    /// <summary>Streams <paramref name="content"/> to a new file in <paramref name="directory"/>, reading it to its end.</summary>
    /// <exception cref="DeliveryException">The spool file cannot be written (naming it and <paramref name="accountId"/>); errors reading <paramref name="content"/> pass through as they are.</exception>
    public static async Task<MessageSpool> WriteAsync(Stream content, string directory, string accountId, CancellationToken cancellationToken)
    {
        try
        {
            return await WriteAsync(content, directory, cancellationToken).ConfigureAwait(false);
        }
        catch (SpoolFailure e)
        {
            throw new DeliveryException($"spool {directory}", accountId, "Spooling a message in", e.InnerException);
        }
    }

    private static async Task<MessageSpool> WriteAsync(Stream content, string directory, CancellationToken cancellationToken)
    {
        FileStream file;
        string path;
        try
        {
            (file, path) = Create(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SpoolFailure(e);
        }

        try
        {
            using var whole = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var body = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var head = new MemoryStream();
            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            var inBody = false;
            var lineContent = 0;
            long length = 0;
            try
            {
                int read;
                while ((read = await content.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    var chunk = buffer.AsSpan(0, read);
                    whole.AppendData(chunk);
                    if (head.Length < HeadLimit)
                    {
                        head.Write(chunk[..(int)Math.Min(read, HeadLimit - head.Length)]);
                    }

                    // The body starts after the first empty line (CRLF or bare LF); bytes before it are the header.
                    var from = inBody ? 0 : -1;
                    for (var i = 0; i < chunk.Length && !inBody; i++)
                    {
                        if (chunk[i] == '\n')
                        {
                            if (lineContent == 0)
                            {
                                inBody = true;
                                from = i + 1;
                            }

                            lineContent = 0;
                        }
                        else if (chunk[i] != '\r')
                        {
                            lineContent++;
                        }
                    }

                    if (from >= 0)
                    {
                        body.AppendData(chunk[from..]);
                    }

                    await Io(file.WriteAsync(buffer.AsMemory(0, read), cancellationToken)).ConfigureAwait(false);
                    length += read;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            await Io(file.FlushAsync(cancellationToken)).ConfigureAwait(false);
            var wholeDigest = whole.GetHashAndReset();
            return new MessageSpool(path, file, head.ToArray(), length, inBody ? body.GetHashAndReset() : wholeDigest, wholeDigest);
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async ValueTask Io(ValueTask write)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SpoolFailure(e);
        }
    }

    private static async ValueTask Io(Task write) => await Io(new ValueTask(write)).ConfigureAwait(false);

    private static (FileStream File, string Path) Create(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var path = Path.Combine(directory, $"cc-spool-{RandomNumberGenerator.GetHexString(16, lowercase: true)}.eml");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.Read | FileShare.Delete,
            BufferSize = 0,
            Options = FileOptions.Asynchronous | FileOptions.DeleteOnClose,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return (new FileStream(path, options), path);
    }

    /// <summary>A new reader over the whole message (dispose it after the copy).</summary>
    public Stream OpenRead() => new FileStream(_path, new FileStreamOptions
    {
        Mode = FileMode.Open,
        Access = FileAccess.Read,
        Share = FileShare.ReadWrite | FileShare.Delete,
        BufferSize = 0,
        Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
    });

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _file.DisposeAsync();

    // Marks the spool's own I/O errors, so they are told apart from errors reading the message.
    private sealed class SpoolFailure(Exception inner) : Exception(inner.Message, inner);
}
