using System.ComponentModel;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using CollectorCluster.Core.Delivery;
using CollectorCluster.Delivery.Maildir;

namespace CollectorCluster.Delivery.Mda;

/// <summary>One collection session's deliveries through a program: one process per message.</summary>
internal sealed class MdaDeliverySession : IDeliverySession
{
    /// <summary>EX_TEMPFAIL from sysexits.h: the program could not deliver now but may later.</summary>
    internal const int ExTempFail = 75;

    /// <summary>How much of the program's stderr goes into an error message.</summary>
    private const int MaxStderrChars = 4096;

    private const int ChunkSize = 64 * 1024;

    private readonly MdaDestination _destination;
    private readonly string _accountId;
    private readonly string _nameSeed;
    private bool _disposed;

    internal MdaDeliverySession(MdaDestination destination, MailboxScope scope)
    {
        _destination = destination;
        _accountId = scope.AccountId;
        _nameSeed = scope.NameSeed;
    }

    /// <inheritdoc />
    /// <remarks>
    /// CRLF becomes LF on the way in. If reading <paramref name="content"/> fails, the program is killed before it
    /// sees end of input (so it delivers nothing) and the error passes through unchanged.
    /// </remarks>
    public async Task<DeliveryReceipt> DeliverAsync(string? uidl, Stream content, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(content);
        var command = _destination.Command;
        var info = new ProcessStartInfo(command.Program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var argument in command.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Not the node's environment (its password-env secrets): only what MdaEnvironment lists.
        info.Environment.Clear();
        foreach (var (name, value) in MdaEnvironment.For(_accountId, uidl, Environment.GetEnvironmentVariable("HOME")))
        {
            info.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new IOException("the program did not start");
        }
        catch (Win32Exception e)
        {
            throw new DeliveryException(_destination.Description, _accountId, "Starting", e);
        }

        using (process)
        {
            var stderr = ReadBoundedAsync(process.StandardError);
            var stdout = ReadBoundedAsync(process.StandardOutput);
            string key;
            long bytes;
            bool complete;
            try
            {
                (key, bytes, complete) = await PipeAsync(process.StandardInput.BaseStream, uidl, content, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // The source (or cancellation) failed mid-message: kill first, so the program never sees a complete input.
                Kill(process);
                throw;
            }

            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Kill(process);
                throw;
            }

            var errors = (await stderr.ConfigureAwait(false)).Trim();
            var output = (await stdout.ConfigureAwait(false)).Trim();
            if (process.ExitCode == 0 && !complete)
            {
                throw new DeliveryRefusedException(
                    _destination.Description, _accountId, "the message", "the program exited with status 0 before reading the whole message", transient: false);
            }

            if (process.ExitCode == 0)
            {
                return new DeliveryReceipt(key, bytes, AlreadyPresent: false, _destination.Description);
            }

            var text = errors.Length > 0 ? errors : output.Length > 0 ? output : "(no output)";
            throw new DeliveryRefusedException(
                _destination.Description, _accountId, "the message", $"exit status {process.ExitCode}: {text}", process.ExitCode == ExTempFail);
        }
    }

    /// <inheritdoc />
    /// <remarks>Nothing to do: each exit 0 already committed its message.</remarks>
    public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _disposed = true;
        return ValueTask.CompletedTask;
    }

    private static async Task<string> ReadBoundedAsync(StreamReader reader)
    {
        // Drain everything (a full pipe would block the program) but keep only the start.
        var kept = new StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            if (kept.Length < MaxStderrChars)
            {
                kept.Append(buffer, 0, Math.Min(read, MaxStderrChars - kept.Length));
            }
        }

        return kept.ToString();
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    /// <summary>Writes the message to the program; Complete is false when the program closed its input early.</summary>
    private async Task<(string Key, long Bytes, bool Complete)> PipeAsync(Stream stdin, string? uidl, Stream content, CancellationToken cancellationToken)
    {
        using var hash = uidl is null ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        var input = new byte[ChunkSize];
        var output = new byte[ChunkSize + 1];
        var pendingCr = false;
        long bytes = 0;
        if (!await WriteAsync(stdin, DeliveryTrace.HeaderLine(_nameSeed, uidl, "\n"), cancellationToken).ConfigureAwait(false))
        {
            return ("", 0, false);
        }

        int read;
        while ((read = await content.ReadAsync(input, cancellationToken).ConfigureAwait(false)) > 0)
        {
            bytes += read;
            hash?.AppendData(input, 0, read);
            var n = 0;
            foreach (var b in input.AsSpan(0, read))
            {
                if (pendingCr && b != (byte)'\n')
                {
                    output[n++] = (byte)'\r';
                }

                pendingCr = b == (byte)'\r';
                if (!pendingCr)
                {
                    output[n++] = b;
                }
            }

            if (!await WriteAsync(stdin, output.AsMemory(0, n), cancellationToken).ConfigureAwait(false))
            {
                return ("", bytes, false);
            }
        }

        if (pendingCr && !await WriteAsync(stdin, new[] { (byte)'\r' }, cancellationToken).ConfigureAwait(false))
        {
            return ("", bytes, false);
        }

        // End of input only after the whole message went in; on a failure above the caller kills the program first.
        try
        {
            await stdin.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            return ("", bytes, false);
        }

        return (uidl ?? MaildirNames.ContentKey(hash!.GetHashAndReset()), bytes, true);
    }

    private static async Task<bool> WriteAsync(Stream stdin, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        try
        {
            await stdin.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (IOException)
        {
            // Broken pipe: the program stopped reading (it failed, or ignores its input); its exit status says why.
            return false;
        }
    }
}
