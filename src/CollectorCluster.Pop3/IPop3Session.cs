using CollectorCluster.Core.Planning;

namespace CollectorCluster.Pop3;

/// <summary>
/// An authenticated POP3 session in the TRANSACTION state. One per account at a time; not thread-safe.
/// Every failure is a <see cref="Pop3Exception"/> that carries the stage and the server's reply text.
/// </summary>
public interface IPop3Session : IAsyncDisposable
{
    /// <summary>What the server advertised (CAPA after login, or what could be inferred without CAPA).</summary>
    Pop3ServerCapabilities Capabilities { get; }

    /// <summary>UIDL and LIST merged by message number. Uidl is null for every message when the server lacks UIDL.</summary>
    /// <exception cref="Pop3Exception">The server refused or replied malformed lines (the line is quoted).</exception>
    Task<IReadOnlyList<ListedMessage>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// RETR of the given messages in order, pipelined (bounded window) when the server advertises PIPELINING.
    /// For each message <paramref name="consume"/> gets a stream of the message's octets (dot-unstuffed,
    /// CRLF as on the wire, terminator removed); it must be read within the callback. Memory stays bounded
    /// whatever the message size.
    /// </summary>
    /// <exception cref="Pop3Exception">A RETR failed (the message number and server reply are in the error).</exception>
    Task RetrieveAsync(IReadOnlyList<ListedMessage> messages, Func<ListedMessage, Stream, CancellationToken, Task> consume, CancellationToken cancellationToken);

    /// <summary>
    /// TOP n 0 of one message (RFC 1939 7): its header block, capped at <paramref name="maxBytes"/> (the rest is read
    /// and dropped). Used to confirm a UIDL migration by header fingerprint without retrieving bodies.
    /// </summary>
    /// <exception cref="Pop3Exception">TOP was refused or the reply broke off.</exception>
    Task<byte[]> TopHeaderAsync(ListedMessage message, int maxBytes, CancellationToken cancellationToken);

    /// <summary>DELE of the given messages (pipelined where allowed). Nothing is deleted until <see cref="QuitAsync"/> commits.</summary>
    Task DeleteAsync(IReadOnlyList<ListedMessage> messages, CancellationToken cancellationToken);

    /// <summary>QUIT. Returns true only when the server answered +OK, i.e. deletions are committed.</summary>
    Task<bool> QuitAsync(CancellationToken cancellationToken);
}
