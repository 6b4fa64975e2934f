namespace CollectorCluster.Testing;

/// <summary>
/// Dovecot could not bind a port that was free when allocated (another process took it in between):
/// the one startup failure worth retrying with new ports.
/// </summary>
public sealed class PortInUseException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PortInUseException()
    {
    }

    /// <summary>Creates the exception with the Dovecot output that shows the bind failure.</summary>
    public PortInUseException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with an inner cause.</summary>
    public PortInUseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
