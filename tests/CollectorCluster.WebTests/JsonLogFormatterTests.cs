using System.Text.Json;
using CollectorCluster.Node.Observability;
using Microsoft.Extensions.Logging;

namespace CollectorCluster.WebTests;

/// <summary>The JSON log: one object per entry, Akka's line split into source and message, the account taken from its actor path, fields typed, control characters escaped.</summary>
public sealed class JsonLogFormatterTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("akka.tcp://collector@127.0.0.1:9310/system/sharding/account/9/fred", "fred")]
    [InlineData("akka://collector/user/accounts/office", "office")]
    [InlineData("akka://collector/system/sharding/account/74/a.b_c-d", "a.b_c-d")]
    [InlineData("akka://collector/user/connection-tokens", null)]
    public void The_account_comes_from_the_actor_path(string path, string? account) => Assert.Equal(account, JsonLogFormatter.AccountOf(path));

    [Fact]
    public void An_akka_line_becomes_source_message_and_account()
    {
        const string text = "[INFO][12/06/2026 04:57:28.199Z][Thread 0016][akka.tcp://collector@127.0.0.1:9310/system/sharding/account/9/fred] Account fred (fred@127.0.0.1): collected 5 message(s)";
        var line = JsonLogFormatter.Line(At, LogLevel.Information, "Akka.Actor.ActorSystem", text, [new("{OriginalFormat}", "{0}"), new("0", "x"), new("ActorPath", "p")], null);
        var json = JsonDocument.Parse(line).RootElement;
        Assert.Equal("2026-12-06T12:00:00.000Z", json.GetProperty("time").GetString());
        Assert.Equal("info", json.GetProperty("level").GetString());
        Assert.Equal("fred", json.GetProperty("account").GetString());
        Assert.Equal("akka.tcp://collector@127.0.0.1:9310/system/sharding/account/9/fred", json.GetProperty("source").GetString());
        Assert.Equal("Account fred (fred@127.0.0.1): collected 5 message(s)", json.GetProperty("message").GetString());
        Assert.False(json.TryGetProperty("0", out _));
        Assert.False(json.TryGetProperty("ActorPath", out _));
    }

    [Fact]
    public void Named_fields_are_kept_typed_and_server_text_is_escaped()
    {
        var line = JsonLogFormatter.Line(At, LogLevel.Warning, "CollectorCluster.Session", "Session of account bad on pop: failed\x1b[2J\r\nforged",
            [new("account", "bad"), new("server", "pop"), new("outcome", "failed"), new("collected", 3), new("durationSeconds", 1.5)], new InvalidOperationException("boom\x1b"));
        Assert.DoesNotContain('\n', line);
        var json = JsonDocument.Parse(line).RootElement;
        Assert.Equal("warning", json.GetProperty("level").GetString());
        Assert.Equal("bad", json.GetProperty("account").GetString());
        Assert.Equal("pop", json.GetProperty("server").GetString());
        Assert.Equal(3, json.GetProperty("collected").GetInt64());
        Assert.Equal(1.5, json.GetProperty("durationSeconds").GetDouble());
        Assert.DoesNotContain('\x1b', json.GetProperty("message").GetString()!);
        Assert.Contains("\\x1B", json.GetProperty("message").GetString()!, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain('\x1b', json.GetProperty("exception").GetString()!);
    }
}
