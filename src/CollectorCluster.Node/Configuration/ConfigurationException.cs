namespace CollectorCluster.Node.Configuration;

/// <summary>A configuration problem, with where it is (file, account, key) and what is wrong. Never carries a secret.</summary>
public sealed class ConfigurationException : Exception
{
    /// <summary>Creates the error.</summary>
    public ConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with its cause.</summary>
    public ConfigurationException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
