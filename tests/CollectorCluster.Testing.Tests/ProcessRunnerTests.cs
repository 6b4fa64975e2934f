using CollectorCluster.Testing.Processes;

namespace CollectorCluster.Testing.Tests;

/// <summary>The one process launcher: what a command printed, its exit code, its input, a kill at the time limit, and signals.</summary>
public sealed class ProcessRunnerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_command_run_to_its_end_gives_its_exit_code_and_both_outputs()
    {
        var result = await ProcessRunner.RunAsync("sh", ["-c", "echo out; echo err >&2; exit 3"], TimeSpan.FromMinutes(1), Ct);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("out\n", result.StandardOutput);
        Assert.Equal("err\n", result.StandardError);
        Assert.Equal("out\n\nerr", result.Combined.Replace(Environment.NewLine, "\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Standard_input_is_written_then_closed_as_a_pipe_would()
    {
        var result = await ProcessRunner.RunAsync(ProcessRunner.StartInfo("cat", []), TimeSpan.FromMinutes(1), Ct, standardInput: "typed\n");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("typed\n", result.StandardOutput);
    }

    [Fact]
    public async Task A_command_over_its_time_limit_is_killed_and_named()
    {
        var ex = await Assert.ThrowsAsync<TimeoutException>(() => ProcessRunner.RunAsync("sleep", ["600"], TimeSpan.FromMilliseconds(200), Ct));
        Assert.Contains("sleep 600 did not finish within", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_running_process_is_captured_line_by_line_and_stops_on_a_signal()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = ProcessRunner.Start(
            ProcessRunner.StartInfo("sh", ["-c", "echo started; trap 'echo terminated; exit 0' TERM; while :; do sleep 1; done"]),
            line =>
            {
                if (line == "started")
                {
                    started.TrySetResult();
                }
            });
        await started.Task.WaitAsync(TimeSpan.FromMinutes(1), Ct);

        process.Signal("TERM");
        Assert.Equal(0, await process.WaitForExitAsync(TimeSpan.FromMinutes(1), Ct));
        Assert.Equal("started\nterminated\n", process.Output.Replace(Environment.NewLine, "\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_daemon_writes_its_output_to_a_file()
    {
        var output = Path.Combine(Directory.CreateTempSubdirectory("cc-daemon-").FullName, "out");
        using var daemon = ProcessRunner.StartDaemon("sh", ["-c", "echo \"$0 $1\"", "one", "two words"], output);
        await daemon.WaitForExitAsync(Ct);
        Assert.Equal(0, daemon.ExitCode);
        Assert.Equal("one two words\n", await File.ReadAllTextAsync(output, Ct));
        Directory.Delete(Path.GetDirectoryName(output)!, true);
    }

    [Fact]
    public void A_program_missing_everywhere_says_how_to_install_it()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => ProcessRunner.ResolveExecutable("no-such-tool-cc"));
        Assert.Contains("install-test-deps.sh", ex.Message, StringComparison.Ordinal);
    }
}
