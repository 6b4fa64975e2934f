namespace CollectorCluster.Testing;

/// <summary>What one collectorctl command printed and its exit code.</summary>
public sealed record CtlResult(int ExitCode, string Output, string Error)
{
    /// <inheritdoc />
    public override string ToString() => $"exit {ExitCode}\n{Output}\n{Error}";
}
