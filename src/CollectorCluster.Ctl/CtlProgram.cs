using System.Text.Json;
using System.Text.Json.Nodes;
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
        var words = args.ToList();
        if (words is ["-h"] or ["--help"])
        {
            Console.Out.WriteLine(Usage);
            return 0;
        }

        var json = words.Remove("--json");
        var tokenOption = TakeValue(words, "--token");
        var tokenFileOption = TakeValue(words, "--token-file");
        var pin = TakeValue(words, "--tls-pin") ?? NonEmpty(Environment.GetEnvironmentVariable("COLLECTORCTL_TLS_PIN"));
        if (tokenOption is not null && tokenFileOption is not null)
        {
            throw new CtlException(2, "give --token or --token-file, not both");
        }

        if (tokenOption is not null)
        {
            Console.Error.WriteLine("collectorctl: note: --token shows in the process list; prefer --token-file F or COLLECTORCTL_TOKEN");
        }

        // A password never travels as a command word (it would show in ps and history): read here, sent as its own field.
        string? password = null;
        if (words.Remove("--password-stdin"))
        {
            password = Console.In.ReadLine()?.TrimEnd('\r', '\n');
            if (string.IsNullOrEmpty(password))
            {
                throw new CtlException(2, "--password-stdin: no password on stdin");
            }
        }

        if (TakeValue(words, "--password-file") is { } passwordFile)
        {
            if (password is not null)
            {
                throw new CtlException(2, "--password-file excludes --password-stdin");
            }

            try
            {
                password = File.ReadAllText(passwordFile).TrimEnd('\r', '\n');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CtlException(2, $"--password-file {passwordFile}: {e.Message}");
            }
        }

        var address = DefaultAddress;
        if (words.Count > 0 && words[0].Contains(':', StringComparison.Ordinal))
        {
            address = words[0];
            words.RemoveAt(0);
        }

        // tls://host:port speaks TLS (checked against the system's trust store); --tls-pin implies it.
        var tls = address.StartsWith(TlsScheme, StringComparison.OrdinalIgnoreCase);
        if (!TryParseAddress(tls ? address[TlsScheme.Length..] : address, out var host, out var port))
        {
            throw new CtlException(2, $"'{address}' is not host:port or tls://host:port");
        }

        var session = new Session(address, host, port, tls || pin is not null, pin);
        await using var _ = session;
        // Reachability first (exit 3 while a node starts), then the token, which a starting node may only now have written.
        await session.ConnectAsync().ConfigureAwait(false);
        try
        {
            session.Token = CtlToken.Find(tokenOption, tokenFileOption, Environment.GetEnvironmentVariable);
        }
        catch (IOException e)
        {
            throw new CtlException(2, e.Message);
        }
        if (words.Count > 0)
        {
            return await session.SendAsync(words, json, password).ConfigureAwait(false);
        }

        // Interactive: one connection per session (opened at the first command, renewed when the node closed an idle
        // one), one command per line; a line editor with history and TAB on a terminal only.
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

    /// <summary>Removes <c>NAME VALUE</c> from the words and returns the value; null when absent; a usage error when the value is missing.</summary>
    private static string? TakeValue(List<string> words, string name)
    {
        var at = words.IndexOf(name);
        if (at < 0)
        {
            return null;
        }

        if (at + 1 >= words.Count)
        {
            throw new CtlException(2, $"{name} needs a value");
        }

        var value = words[at + 1];
        words.RemoveRange(at, 2);
        return value;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static bool TryParseAddress(string address, out string host, out int port)
    {
        var colon = address.LastIndexOf(':');
        host = colon > 0 ? address[..colon] : "";
        port = 0;
        return colon > 0 && int.TryParse(address[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;
    }

    /// <summary>The conversation with one node: its connection (renewed when spent), its token, and how answers are printed.</summary>
    private sealed class Session(string address, string host, int port, bool tls, string? pin) : IAsyncDisposable
    {
        private CtlConnection? _connection;

        /// <summary>The token every request carries.</summary>
        public CtlToken Token { get; set; } = new(null, "(not looked for yet)");

        public async Task ConnectAsync()
        {
            await CloseAsync().ConfigureAwait(false);
            _connection = await CtlConnection.OpenAsync(host, port, tls, pin).ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync() => await CloseAsync().ConfigureAwait(false);

        /// <summary>Closes the connection; the next command opens a new one.</summary>
        public async Task CloseAsync()
        {
            if (_connection is not null)
            {
                await _connection.DisposeAsync().ConfigureAwait(false);
                _connection = null;
            }
        }

        /// <summary>Asks the node for its palettes and accounts (quietly) to complete from; an empty completer if it can't.</summary>
        public CommandCompleter LoadCompleter()
        {
            JsonNode? Ask(string command)
            {
                var (response, _) = ExchangeAsync(new CommandRequest(command, null, Token.Token), null).GetAwaiter().GetResult();
                return response is { Ok: true } ? response.Data : null;
            }

            try
            {
                var help = CommandWire.ReadHelp(Ask("help"));
                var accounts = Ask("collector list")?.AsArray().Select(a => a?["id"]?.GetValue<string>()).OfType<string>() ?? [];
                return new CommandCompleter(help, accounts);
            }
            catch (Exception e) when (e is IOException or JsonException or InvalidOperationException or CtlException)
            {
                return new CommandCompleter(null, []);
            }
        }

        public async Task<int> SendAsync(List<string> words, bool json, string? password = null)
        {
            CommandResponse? response;
            string? unreadable;
            var progress = new ProgressDisplay(Console.Out, !Console.IsOutputRedirected, json);
            try
            {
                (response, unreadable) = await ExchangeAsync(CommandRequest.For(words, Token.Token, password), progress).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                Console.Error.WriteLine($"collectorctl: lost the connection to {address}: {TerminalText.Sanitize(e.Message)}");
                return 3;
            }
            catch (CtlException e)
            {
                Console.Error.WriteLine("collectorctl: " + e.Message);
                return e.ExitCode;
            }

            if (unreadable is not null)
            {
                Console.Error.WriteLine($"collectorctl: {address} answered something that is not a command-host response: {TerminalText.Sanitize(unreadable)}");
                return 1;
            }

            if (response is null)
            {
                Console.Error.WriteLine($"collectorctl: {address} closed the connection without answering");
                return 3;
            }

            if (!response.Ok)
            {
                var error = response.Error ?? "the command failed";
                // Line by line, each made safe: a failed collection's answer holds the server's reply on its own line.
                var prefix = "collectorctl: ";
                foreach (var part in error.Split('\n'))
                {
                    Console.Error.WriteLine(prefix + TerminalText.Sanitize(part.TrimEnd('\r')));
                    prefix = "";
                }

                if (Token.Token is null && error.Contains("missing token", StringComparison.Ordinal))
                {
                    Console.Error.WriteLine($"collectorctl: no token found at {Token.Source}; give the node's <state-directory>/{CommandWire.TokenFileName} with --token-file F or {CtlToken.TokenFileVariable}");
                }

                return 1;
            }

            if (json)
            {
                // JSON's own escaping keeps control characters out of the terminal.
                Console.Out.WriteLine(response.Data?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) ?? "null");
            }
            else
            {
                foreach (var line in response.Lines)
                {
                    Console.Out.WriteLine(TerminalText.Sanitize(line));
                }
            }

            return 0;
        }

        /// <summary>
        /// Sends one request (on a fresh connection when the node closed or spoke since the last answer) and reads
        /// frames until the answer; the answer, or the line that was not one.
        /// </summary>
        private async Task<(CommandResponse? Response, string? Unreadable)> ExchangeAsync(CommandRequest request, ProgressDisplay? progress)
        {
            if (_connection is null || (_connection.Used && _connection.Spent))
            {
                await ConnectAsync().ConfigureAwait(false);
            }

            await _connection!.SendAsync(CommandWire.ToLine(request)).ConfigureAwait(false);
            string? answer;
            // Progress frames come ahead of the answer.
            while ((answer = await _connection.ReadLineAsync().ConfigureAwait(false)) is not null && CommandWire.ReadProgress(answer) is { } frame)
            {
                progress?.Show(frame);
            }

            progress?.EndBar();
            if (answer is null)
            {
                return (null, null);
            }

            try
            {
                return (CommandWire.ReadResponse(answer), null);
            }
            catch (JsonException e)
            {
                return (null, e.Message);
            }
        }
    }
}
