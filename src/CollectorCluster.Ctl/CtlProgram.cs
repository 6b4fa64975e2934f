using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CollectorCluster.Wire;

namespace CollectorCluster.Ctl;

/// <summary>
/// <c>collectorctl [host:port] &lt;command words...&gt; [--json]</c>: sends one command to a node's command host and
/// prints the answer, or, with no command, reads commands from stdin until <c>exit</c>. Our own pbm, since
/// Petabridge.Cmd is not available here.
/// </summary>
public static class CtlProgram
{
    /// <summary>The command host's default address (<c>collector.command-host</c> defaults).</summary>
    public static readonly string DefaultAddress = $"{CommandWire.DefaultHostname}:{CommandWire.DefaultPort}";

    private static readonly string Usage = $"""
        usage: collectorctl [host:port] <command words...> [--json] [--token TOKEN] [--password-stdin|--password-file F]
               collectorctl [host:port]                         interactive; 'exit' to quit
        interactive on a terminal: up/down for history (~/.local/state/collector-cluster/ctl_history), TAB completes.
        default address {DefaultAddress}; 'help' lists the node's commands.
        exit codes: 0 ok, 1 command failed, 2 usage error, 3 node unreachable
        """;

    /// <summary>Entry point. Exit codes: 0 ok, 1 command failed, 2 usage error, 3 node unreachable.</summary>
    public static async Task<int> Main(string[] args)
    {
        var words = args.ToList();
        if (words is ["-h"] or ["--help"])
        {
            Console.Out.WriteLine(Usage);
            return 0;
        }

        var json = words.Remove("--json");
        string? token = Environment.GetEnvironmentVariable("COLLECTORCTL_TOKEN");
        var tokenAt = words.IndexOf("--token");
        if (tokenAt >= 0)
        {
            if (tokenAt + 1 >= words.Count)
            {
                Console.Error.WriteLine("collectorctl: --token needs a value");
                Console.Error.WriteLine(Usage);
                return 2;
            }

            token = words[tokenAt + 1];
            words.RemoveRange(tokenAt, 2);
        }

        // A password never travels as a command word (it would show in ps and history): read here, sent as its own field.
        string? password = null;
        if (words.Remove("--password-stdin"))
        {
            password = Console.In.ReadLine()?.TrimEnd('\r', '\n');
            if (string.IsNullOrEmpty(password))
            {
                Console.Error.WriteLine("collectorctl: --password-stdin: no password on stdin");
                return 2;
            }
        }

        var passwordFileAt = words.IndexOf("--password-file");
        if (passwordFileAt >= 0)
        {
            if (passwordFileAt + 1 >= words.Count || password is not null)
            {
                Console.Error.WriteLine("collectorctl: --password-file needs a file (and excludes --password-stdin)");
                return 2;
            }

            try
            {
                password = File.ReadAllText(words[passwordFileAt + 1]).TrimEnd('\r', '\n');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"collectorctl: --password-file {words[passwordFileAt + 1]}: {e.Message}");
                return 2;
            }

            words.RemoveRange(passwordFileAt, 2);
        }

        var address = DefaultAddress;
        if (words.Count > 0 && words[0].Contains(':', StringComparison.Ordinal))
        {
            address = words[0];
            words.RemoveAt(0);
        }

        if (!TryParseAddress(address, out var host, out var port))
        {
            Console.Error.WriteLine($"collectorctl: '{address}' is not host:port");
            Console.Error.WriteLine(Usage);
            return 2;
        }

        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            Console.Error.WriteLine($"collectorctl: cannot reach the node's command host at {address}: {e.Message}");
            return 3;
        }

        var stream = client.GetStream();
        using var reader = new StreamReader(stream, new UTF8Encoding(false));
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n", AutoFlush = true };
        if (words.Count > 0)
        {
            return await SendAsync(words, token, json, address, reader, writer, password).ConfigureAwait(false);
        }

        // Interactive: one connection, one command per line; a line editor with history and TAB on a terminal only.
        Func<string, string?> readLine = _ => Console.In.ReadLine();
        CtlHistory? history = null;
        if (!Console.IsInputRedirected)
        {
            history = CtlHistory.Load(CtlHistory.DefaultPath());
            CommandCompleter? completer = null;
            var editor = new LineEditor(history, () => completer ??= LoadCompleter(token, reader, writer));
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

            if (!lineWords.Contains("--token"))
            {
                history?.Add(string.Join(' ', lineWords));
            }

            var lineJson = lineWords.Remove("--json") || json;
            last = await SendAsync(lineWords, token, lineJson, address, reader, writer).ConfigureAwait(false);
            if (last == 3)
            {
                return last;
            }
        }
    }

    /// <summary>Asks the node for its palettes and accounts (quietly) to complete from; an empty completer if it can't.</summary>
    private static CommandCompleter LoadCompleter(string? token, StreamReader reader, StreamWriter writer)
    {
        JsonNode? Ask(string command)
        {
            writer.WriteLine(CommandWire.ToLine(new CommandRequest(command, null, token)));
            while (reader.ReadLine() is { } answer)
            {
                if (CommandWire.ReadProgress(answer) is null)
                {
                    var response = CommandWire.ReadResponse(answer);
                    return response.Ok ? response.Data : null;
                }
            }

            return null;
        }

        try
        {
            var help = CommandWire.ReadHelp(Ask("help"));
            var accounts = Ask("collector list")?.AsArray().Select(a => a?["id"]?.GetValue<string>()).OfType<string>() ?? [];
            return new CommandCompleter(help, accounts);
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidOperationException)
        {
            return new CommandCompleter(null, []);
        }
    }

    private static bool TryParseAddress(string address, out string host, out int port)
    {
        var colon = address.LastIndexOf(':');
        host = colon > 0 ? address[..colon] : "";
        port = 0;
        return colon > 0 && int.TryParse(address[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;
    }

    private static async Task<int> SendAsync(List<string> words, string? token, bool json, string address, StreamReader reader, StreamWriter writer, string? password = null)
    {
        string? answer;
        try
        {
            await writer.WriteLineAsync(CommandWire.ToLine(CommandRequest.For(words, token, password))).ConfigureAwait(false);
            var progress = new ProgressDisplay(Console.Out, !Console.IsOutputRedirected, json);
            // Progress frames come ahead of the answer.
            while ((answer = await reader.ReadLineAsync().ConfigureAwait(false)) is not null
                && CommandWire.ReadProgress(answer) is { } frame)
            {
                progress.Show(frame);
            }

            progress.EndBar();
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"collectorctl: lost the connection to {address}: {e.Message}");
            return 3;
        }

        if (answer is null)
        {
            Console.Error.WriteLine($"collectorctl: {address} closed the connection without answering");
            return 3;
        }

        CommandResponse response;
        try
        {
            response = CommandWire.ReadResponse(answer);
        }
        catch (JsonException e)
        {
            Console.Error.WriteLine($"collectorctl: {address} answered something that is not a command-host response: {e.Message}");
            return 1;
        }

        if (!response.Ok)
        {
            Console.Error.WriteLine("collectorctl: " + (response.Error ?? "the command failed"));
            return 1;
        }

        if (json)
        {
            Console.Out.WriteLine(response.Data?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) ?? "null");
        }
        else
        {
            foreach (var line in response.Lines)
            {
                Console.Out.WriteLine(line);
            }
        }

        return 0;
    }
}
