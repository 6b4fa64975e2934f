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

    /// <summary>
    /// What the session noticed that the operator should know, though it did not stop the session (UIDLs outside
    /// RFC 1939, keyed by digest). Bounded: one line per kind of finding, never one per message.
    /// </summary>
    IReadOnlyList<string> Warnings { get; }

    /// <summary>UIDL and LIST merged by message number. Uidl is null for every message when the server lacks UIDL.</summary>
    /// <exception cref="Pop3Exception">The server refused, replied malformed lines (the line is quoted), or listed more than max-listed-messages.</exception>
    Task<IReadOnlyList<ListedMessage>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// RETR of the given messages in order, pipelined (bounded window) when the server advertises PIPELINING.
    /// For each message <paramref name="consume"/> gets a stream of the message's octets (dot-unstuffed,
    /// CRLF as on the wire, terminator removed); it must be read within the callback. Memory stays bounded
    /// whatever the message size. A body that runs past its listed size plus slack (or max-message-size) is cut off
    /// with a <see cref="Pop3ErrorKind.LimitExceeded"/> error before the consumer reads the excess, so a consumer
    /// that fails on the stream's exception never keeps the message.
    /// </summary>
    /// <exception cref="Pop3Exception">A RETR failed (the message number, UIDL, bytes read and server reply are in the error).</exception>
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
