using CollectorCluster.Wire;

namespace CollectorCluster.Ctl;

/// <summary>
/// <c>collectorctl [host:port] &lt;command words...&gt; [--json]</c>: sends one command to a node's command host and
/// prints the answer, or, with no command, reads commands from stdin until <c>exit</c>. Our own pbm, since
/// Petabridge.Cmd is not available here. Every request carries the command host's token (<see cref="CtlToken"/>);
/// everything printed from the node is made terminal-safe (<see cref="TerminalText"/>).
/// </summary>
public static class CtlProgram
{
    /// <summary>The address prefix that makes collectorctl speak TLS to the command host.</summary>
    public const string TlsScheme = "tls://";

    /// <summary>The command host's default address (<c>collector.command-host</c> defaults).</summary>
    public static readonly string DefaultAddress = $"{CommandWire.DefaultHostname}:{CommandWire.DefaultPort}";

    private static readonly string Usage = $"""
        usage: collectorctl [[tls://]host:port] <command words...> [--json] [--password-stdin|--password-file F]
               collectorctl [[tls://]host:port]                 interactive; 'exit' to quit
        token: --token-file F or COLLECTORCTL_TOKEN_FILE (the node's <state-directory>/{CommandWire.TokenFileName}),
               --token T or COLLECTORCTL_TOKEN (remote use); default: the file a node with the default state directory
               writes on this machine (~/.local/state/collector-cluster/{CommandWire.TokenFileName}).
        TLS:   tls://host:port (required off this machine; the certificate checked against the system's trust store),
               --tls-pin SHA256 (implies TLS; the certificate fingerprint the node logs at start; COLLECTORCTL_TLS_PIN).
        interactive on a terminal: up/down for history (~/.local/state/collector-cluster/ctl_history, 0600, lines with
        secrets never kept), TAB completes.
        default address {DefaultAddress}; 'help' lists the node's commands.
        exit codes: 0 ok, 1 command failed, 2 usage error, 3 node unreachable
        """;

    /// <summary>Entry point. Exit codes: 0 ok, 1 command failed, 2 usage error, 3 node unreachable.</summary>
    public static async Task<int> Main(string[] args)
    {
        try
        {
            return await RunAsync(args).ConfigureAwait(false);
        }
        catch (CtlException e)
        {
            Console.Error.WriteLine("collectorctl: " + e.Message);
            if (e.ExitCode == 2)
            {
                Console.Error.WriteLine(Usage);
            }

            return e.ExitCode;
        }
    }

    private static async Task<int> RunAsync(string[] args)
    {
        if (args is ["-h"] or ["--help"])
        {
            Console.Out.WriteLine(Usage);
            return 0;
        }

        var arguments = CtlArguments.Parse(args);
        if (arguments.TokenOption is not null)
        {
            Console.Error.WriteLine("collectorctl: note: --token shows in the process list; prefer --token-file F or COLLECTORCTL_TOKEN");
        }

        var session = new CtlSession(arguments.Address, arguments.Host, arguments.Port, arguments.Tls, arguments.Pin);
        await using var _ = session;
        // Reachability first (exit 3 while a node starts), then the token, which a starting node may only now have written.
        await session.ConnectAsync().ConfigureAwait(false);
        try
        {
            session.Token = CtlToken.Find(arguments.TokenOption, arguments.TokenFileOption, Environment.GetEnvironmentVariable);
        }
        catch (IOException e)
        {
            throw new CtlException(2, e.Message);
        }

        if (arguments.Words.Count > 0)
        {
            return await session.SendAsync(arguments.Words, arguments.Json, arguments.Password).ConfigureAwait(false);
        }

        return await InteractiveAsync(session, arguments.Address, arguments.Json).ConfigureAwait(false);
    }

    // One connection per session (opened at the first command, renewed when the node closed an idle one), one command
    // per line; a line editor with history and TAB on a terminal only.
    private static async Task<int> InteractiveAsync(CtlSession session, string address, bool json)
    {
        await session.CloseAsync().ConfigureAwait(false);
        Func<string, string?> readLine = _ => Console.In.ReadLine();
        CtlHistory? history = null;
        if (!Console.IsInputRedirected)
        {
            history = CtlHistory.Load(CtlHistory.DefaultPath());
            CommandCompleter? completer = null;
            var editor = new LineEditor(history, () => completer ??= session.LoadCompleter());
            readLine = editor.ReadLine;
        }

        var last = 0;
        while (true)
        {
            var line = readLine($"{address}> ");
            if (line is null || line.Trim() is "exit" or "quit")
            {
                return last;
            }

            var lineWords = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            if (lineWords.Count == 0)
            {
                continue;
            }

            history?.Add(string.Join(' ', lineWords));
            var lineJson = lineWords.Remove("--json") || json;
            last = await session.SendAsync(lineWords, lineJson).ConfigureAwait(false);
            if (last == 3)
            {
                return last;
            }
        }
    }
}
