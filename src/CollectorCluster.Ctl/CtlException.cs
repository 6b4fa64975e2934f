namespace CollectorCluster.Ctl;

/// <summary>collectorctl cannot go on: the message for stderr and the exit code (2 usage, 3 node unreachable).</summary>
public sealed class CtlException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CtlException(int exitCode, string message)
        : base(message) => ExitCode = exitCode;

    /// <summary>Creates the exception with exit code 1.</summary>
    public CtlException()
        : this(1, "collectorctl failed")
    {
    }

    /// <summary>Creates the exception with exit code 1.</summary>
    public CtlException(string message)
        : this(1, message)
    {
    }

    /// <summary>Creates the exception with exit code 1 and an inner one.</summary>
    public CtlException(string message, Exception innerException)
        : base(message, innerException) => ExitCode = 1;

    /// <summary>The process's exit code.</summary>
    public int ExitCode { get; }
}
