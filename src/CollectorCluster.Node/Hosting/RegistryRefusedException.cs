namespace CollectorCluster.Node.Hosting;

/// <summary>The account registry refused a change (an id that exists, an account of the file changed at run time, ...); the message says why.</summary>
public sealed class RegistryRefusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RegistryRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public RegistryRefusedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public RegistryRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
