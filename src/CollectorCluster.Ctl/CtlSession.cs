using System.Text.Json;
using System.Text.Json.Nodes;
using CollectorCluster.Wire;

namespace CollectorCluster.Ctl;

/// <summary>The conversation with one node: its connection (renewed when spent), its token, and how answers are printed.</summary>
internal sealed class CtlSession(string address, string host, int port, bool tls, string? pin) : IAsyncDisposable
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
