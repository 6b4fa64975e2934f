namespace CollectorCluster.ClusterTests;

/// <summary>What one collectorctl command printed and its exit code.</summary>
internal sealed record CtlAnswer(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n{Output}\n{Error}";
}
