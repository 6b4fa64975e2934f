namespace CollectorCluster.Node.CommandHost;

/// <summary>A request the node cannot serve (bad argument, unknown account); its message goes back to the operator as is.</summary>
public sealed class CommandException : Exception
{
    /// <summary>Creates the error.</summary>
    public CommandException(string message)
        : base(message)
    {
    }
}
