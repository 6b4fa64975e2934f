namespace CollectorCluster.Testing.Processes;

/// <summary>The outcome of one process run to its end.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Both outputs, for error messages that quote exactly what the tool said.</summary>
    public string Combined => (StandardOutput + Environment.NewLine + StandardError).Trim();
}
