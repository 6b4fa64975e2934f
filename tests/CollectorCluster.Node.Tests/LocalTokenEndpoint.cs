using System.Collections.Concurrent;
using System.Net;
using System.Text;
using CollectorCluster.Testing;

namespace CollectorCluster.Node.Tests;

/// <summary>
/// An OAuth2 token endpoint on 127.0.0.1 (HttpListener, reserved port): answers each refresh_token request with the
/// next scripted (status, JSON) pair, or the last one again, and records the form fields it received.
/// </summary>
internal sealed class LocalTokenEndpoint : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(int Status, string Json)> _answers = new();
    private readonly ConcurrentQueue<IReadOnlyDictionary<string, string>> _requests = new();
    private readonly ConcurrentDictionary<string, bool> _revoked = new(StringComparer.Ordinal);
    private readonly Task _loop;
    private (int Status, string Json) _last = (500, "{\"error\":\"server_error\"}");

    public LocalTokenEndpoint()
    {
        var port = PortAllocator.Reserve();
        Url = new Uri($"http://127.0.0.1:{port}/token");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    /// <summary>Form fields of every request, in order.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Requests => _requests.ToList();

    public void Answer(int status, string json) => _answers.Enqueue((status, json));

    public void AnswerToken(string token, int expiresIn = 3600, string? refreshToken = null) =>
        Answer(200, $"{{\"access_token\":\"{token}\",\"token_type\":\"Bearer\",\"expires_in\":{expiresIn}{(refreshToken is null ? "" : $",\"refresh_token\":\"{refreshToken}\"")}}}");

    /// <summary>Requests with this refresh token are refused with invalid_grant from now on (it was rotated away).</summary>
    public void Revoke(string refreshToken) => _revoked[refreshToken] = true;

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var form = body.Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2))
                .ToDictionary(p => WebUtility.UrlDecode(p[0]), p => WebUtility.UrlDecode(p.Length > 1 ? p[1] : ""));
            _requests.Enqueue(form);
            var answer = (Status: 400, Json: "{\"error\":\"invalid_grant\"}");
            if (!_revoked.ContainsKey(form.GetValueOrDefault("refresh_token", "")))
            {
                if (_answers.TryDequeue(out var next))
                {
                    _last = next;
                }

                answer = _last;
            }

            var bytes = Encoding.UTF8.GetBytes(answer.Json);
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
