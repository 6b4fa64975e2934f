namespace CollectorCluster.Wire;

/// <summary>
/// The bytes on the wire are not a line of the protocol (too long, not UTF-8, a byte-order mark): the reader stops
/// there, since nothing after such a line can be trusted to be framed as the sender meant.
/// </summary>
public sealed class WireFormatException : Exception
{
    /// <summary>Creates the exception; <paramref name="message"/> says what the line was.</summary>
    public WireFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with no message.</summary>
    public WireFormatException()
    {
    }

    /// <summary>Creates the exception with an inner one.</summary>
    public WireFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
