using System.Text;

namespace CollectorCluster.Pop3.Tests.Replay;

/// <summary>
/// A transport that plays the server's side of a <see cref="Pop3Transcript"/> from memory, so the engine's protocol
/// code runs against a vendor's exact bytes without a TCP listener. Every line the client writes must be the next
/// client line of the transcript; the server's lines become readable once the client lines before them were sent
/// (pipelining is allowed unless the transcript marks the line <c>@lockstep</c>). The first divergence is kept
/// and ends the connection (writes fail, reads see the server close), so <see cref="AssertFinished"/> can name it.
/// </summary>
public sealed class Pop3ReplayStream : Stream
{
    private readonly Pop3Transcript transcript;
    private readonly int maxReadSize;
    private readonly List<byte> partialLine = [];
    private int nextToWrite;
    private int nextToRead;
    private int servedOfStep;
    private bool disposed;

    /// <summary>Replays <paramref name="transcript"/>, handing out at most <paramref name="maxReadSize"/> bytes per read (1 splits every line).</summary>
    public Pop3ReplayStream(Pop3Transcript transcript, int maxReadSize = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxReadSize, 1);
        this.transcript = transcript;
        this.maxReadSize = maxReadSize;
    }

    /// <summary>What first went differently from the transcript, or null.</summary>
    public string? Divergence { get; private set; }

    /// <summary>True once the client closed the transport.</summary>
    public bool Closed => disposed;

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => true;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Loads an embedded transcript and replays it.</summary>
    public static Pop3ReplayStream Of(string fileName, int maxReadSize = int.MaxValue) => new(Pop3Transcript.Load(fileName), maxReadSize);

    /// <summary>Fails unless the client wrote and read every line of the transcript and nothing else.</summary>
    public void AssertFinished()
    {
        if (Divergence is not null)
        {
            throw new Xunit.Sdk.XunitException($"{transcript.Name}: {Divergence}");
        }

        var left = NextClientStep(nextToWrite) ?? NextServerStep(nextToRead);
        if (left is not null)
        {
            throw new Xunit.Sdk.XunitException($"{transcript.Name}: the session ended before line {left.LineNumber} ({Describe(left)}).");
        }
    }

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var limit = Math.Min(buffer.Length, maxReadSize);
        var count = 0;
        while (count < limit && Divergence is null && nextToRead < transcript.Steps.Count)
        {
            var step = transcript.Steps[nextToRead];
            if (step.FromClient)
            {
                if (nextToRead >= nextToWrite)
                {
                    // The server waits for this command: only an error if the client has nothing else to read.
                    if (count == 0)
                    {
                        Diverge($"the client waits for a reply, but the server waits for the command at line {step.LineNumber} ({Describe(step)})");
                    }

                    break;
                }

                nextToRead++;
                continue;
            }

            var bytes = Wire(step);
            var take = Math.Min(limit - count, bytes.Length - servedOfStep);
            bytes.AsSpan(servedOfStep, take).CopyTo(buffer[count..]);
            count += take;
            servedOfStep += take;
            if (servedOfStep == bytes.Length)
            {
                servedOfStep = 0;
                nextToRead++;
            }
        }

        return count; // 0: the server closed the connection (transcript over, or a divergence)
    }

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        foreach (var b in buffer)
        {
            if (Divergence is not null)
            {
                break;
            }

            if (b != (byte)'\n')
            {
                partialLine.Add(b);
                continue;
            }

            var line = Encoding.UTF8.GetString(partialLine.ToArray()).TrimEnd('\r');
            partialLine.Clear();
            Match(line);
        }

        if (Divergence is not null)
        {
            throw new IOException($"Replay of {transcript.Name} diverged: {Divergence}");
        }
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        disposed = true;
        base.Dispose(disposing);
    }

    private static byte[] Wire(TranscriptStep step) => Encoding.UTF8.GetBytes(step.Text + "\r\n");

    private static string Describe(TranscriptStep step) => $"{(step.FromClient ? "C" : "S")}: {step.Text}";

    private void Match(string line)
    {
        var expected = NextClientStep(nextToWrite);
        if (expected is null)
        {
            Diverge($"the client sent '{line}' after the transcript's last command");
            return;
        }

        var index = IndexOf(expected);
        if (line != expected.Text)
        {
            Diverge($"line {expected.LineNumber} expects the client to send '{expected.Text}', it sent '{line}'");
            return;
        }

        if (expected.Lockstep && !RepliesReadBefore(index))
        {
            Diverge($"'{line}' (line {expected.LineNumber}) arrived pipelined, before the reply to the previous command was read; this server refuses pipelined input here");
            return;
        }

        nextToWrite = index + 1;
    }

    /// <summary>True when every server line before step <paramref name="index"/> has been read in full.</summary>
    private bool RepliesReadBefore(int index)
    {
        for (var j = nextToRead; j < index; j++)
        {
            if (!transcript.Steps[j].FromClient)
            {
                return false;
            }
        }

        return true;
    }

    private TranscriptStep? NextClientStep(int from) => transcript.Steps.Skip(from).FirstOrDefault(s => s.FromClient);

    private TranscriptStep? NextServerStep(int from) => transcript.Steps.Skip(from).FirstOrDefault(s => !s.FromClient);

    private int IndexOf(TranscriptStep step)
    {
        for (var i = nextToWrite; i < transcript.Steps.Count; i++)
        {
            if (ReferenceEquals(transcript.Steps[i], step))
            {
                return i;
            }
        }

        throw new InvalidOperationException("Step not in the transcript.");
    }

    private void Diverge(string what) => Divergence ??= what;
}
