using System.Security.Cryptography;
using System.Text;
using CollectorCluster.Node.CommandHost;
using CollectorCluster.Wire;

namespace CollectorCluster.Node.Web;

/// <summary>
/// The one code path: every page runs the operator commands collectorctl sends (<c>collector list</c>,
/// <c>collector add</c>, <c>collector mark</c>, ...) through the node's own <see cref="CommandDispatcher"/>, in
/// process, so validation, <c>--yes</c> previews and refusals are the command layer's, word for word. Attached once
/// the node is Up and its accounts are configured (the same moment the command host starts); until then the
/// console answers that the node is starting.
/// </summary>
public sealed class ConsoleCommands
{
    private volatile CommandDispatcher? _dispatcher;
    private volatile byte[]? _tokenHash;

    /// <summary>True once the command layer is attached.</summary>
    public bool Ready => _dispatcher is not null;

    /// <summary>Attaches the node's dispatcher and its command-host token (accepted as a console login when <c>token-login</c> is on).</summary>
    public void Attach(CommandDispatcher dispatcher, string? token)
    {
        _tokenHash = token is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));
        _dispatcher = dispatcher;
    }

    /// <summary>True when <paramref name="presented"/> is the node's token; compared in constant time (both sides hashed first).</summary>
    public bool IsToken(string presented)
    {
        var expected = _tokenHash;
        return expected is not null && presented.Length > 0
            && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), expected);
    }

    /// <summary>
    /// Runs one command (its words as collectorctl would send them), with an account password in its own field when
    /// given. The answer's data is read back from its JSON text, as collectorctl reads it off the wire.
    /// </summary>
    public async Task<CommandResponse> RunAsync(IReadOnlyList<string> words, CancellationToken cancellationToken, string? password = null)
    {
        var dispatcher = _dispatcher ?? throw new InvalidOperationException("the node is starting; the command layer is not attached yet");
        var response = await dispatcher.DispatchAsync(CommandRequest.For(words, token: null, password), _ => Task.CompletedTask, cancellationToken).ConfigureAwait(false);
        return response.Data is null ? response : response with { Data = System.Text.Json.Nodes.JsonNode.Parse(response.Data.ToJsonString()) };
    }
}
