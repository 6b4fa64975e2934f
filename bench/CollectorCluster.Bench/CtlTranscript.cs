using System.Text;
using CollectorCluster.Testing.Processes;

namespace CollectorCluster.Bench;

/// <summary>
/// Runs the built collectorctl against one node as an operator at a shell would (stdout piped, so no prompt and no
/// progress bar) and keeps a transcript: <c>$ collectorctl WORDS</c>, then what it printed on stdout and stderr.
/// <paramref name="environment"/> gives it the node's token file (<c>COLLECTORCTL_TOKEN_FILE</c>).
/// </summary>
public sealed class CtlTranscript(string collectorCtlDll, string address, IReadOnlyDictionary<string, string>? environment = null)
{
    private readonly StringBuilder transcript = new();

    /// <summary>The transcript so far.</summary>
    public string Text => transcript.ToString();

    /// <summary>Starts a new transcript (the previous one stays with its caller).</summary>
    public void Clear() => transcript.Clear();

    /// <summary>
    /// Runs <c>dotnet collectorctl.dll ADDRESS WORDS</c>, writing <paramref name="stdin"/> to its standard input
    /// (shown as <c>&lt; stdinName</c>), and records it. A different exit code than <paramref name="expectedExit"/>
    /// throws with everything it printed: a capture of a broken run is worse than none.
    /// </summary>
    public async Task<string> RunAsync(string[] words, int expectedExit = 0, string? stdin = null, string? stdinName = null)
    {
        var (exit, output, error) = await RunQuietAsync(words, stdin).ConfigureAwait(false);
        transcript.Append("$ collectorctl ").Append(string.Join(' ', words));
        if (stdinName is not null)
        {
            transcript.Append(" < ").Append(stdinName);
        }

        transcript.Append('\n').Append(output).Append(error);
        if (exit != expectedExit)
        {
            throw new InvalidOperationException($"collectorctl {string.Join(' ', words)}: exit {exit}, expected {expectedExit}\n{output}{error}");
        }

        return output + error;
    }

    /// <summary>Runs collectorctl without recording it (readiness probes): exit code, stdout, stderr.</summary>
    public async Task<(int Exit, string Output, string Error)> RunQuietAsync(string[] words, string? stdin = null)
    {
        var result = await ProcessRunner.RunAsync(ProcessRunner.Dotnet(collectorCtlDll, [address, .. words], environment: environment), TimeSpan.FromMinutes(2), CancellationToken.None, stdin).ConfigureAwait(false);
        return (result.ExitCode, result.StandardOutput, result.StandardError);
    }
}
