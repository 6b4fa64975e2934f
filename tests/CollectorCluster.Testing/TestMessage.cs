namespace CollectorCluster.Testing;

/// <summary>
/// A generated RFC 5322 message and its Message-ID, so tests can find it again after delivery.
/// </summary>
/// <param name="MessageId">The Message-ID header value, with angle brackets.</param>
/// <param name="Content">The exact bytes, CRLF line endings.</param>
public sealed record TestMessage(string MessageId, byte[] Content)
{
    /// <summary>Size in bytes (what POP3 LIST reports for a CRLF message).</summary>
    public int Size => Content.Length;
}
