using CollectorCluster.Testing;

namespace CollectorCluster.IntegrationTests;

/// <summary>A wrong password fails once, loudly and without leaking the secret.</summary>
public sealed class AuthenticationTests(DovecotFixture fixture) : IDisposable
{
    private readonly CollectorWorkspace node = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DovecotServer Server => fixture.Server;

    [Fact]
    public async Task Wrong_password_fails_with_the_server_text_one_attempt_and_no_secret_in_the_output()
    {
        var user = await Server.CreateUserAsync("badpw", Ct);
        Server.DropMessage(user.Name, MessageFactory.Create(2048, 700));
        const string wrong = "Wr0ng-Pa55-d3adbeef";
        node.WriteNodeFile(new AccountSpec("badpw", user, Server.PlainPort) { Password = wrong });

        var result = await node.RunOnceAsync(Ct);

        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(result.Output.Split('\n'), l => l.StartsWith("badpw ", StringComparison.Ordinal));
        Assert.Contains("FAILED", line, StringComparison.Ordinal);
        Assert.Contains("authentication", line, StringComparison.OrdinalIgnoreCase);
        // Dovecot's own reply text to the failed PASS.
        Assert.Contains("[AUTH] Authentication failed", line, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(user.Password, result.Output, StringComparison.Ordinal);
        Assert.Empty(node.DeliveredFiles());
        Assert.Equal(1, Server.CountMessages(user.Name));

        // The login process logs when the client disconnects ("auth failed, N attempts ... user=<name>"); only
        // that line carries "user=<name>" for a login that never succeeded.
        await Server.WaitForLogLinesAsync($"user=<{user.Name}>", 1, cancellationToken: Ct);
        var log = (await Server.ReadLogAsync(Ct)).Split('\n');
        var disconnects = log.Where(l => l.Contains("pop3-login:", StringComparison.Ordinal) && l.Contains("Disconnected", StringComparison.Ordinal) && l.Contains($"user=<{user.Name}>", StringComparison.Ordinal)).ToList();
        var mismatches = log.Where(l => l.Contains("Password mismatch", StringComparison.Ordinal) && l.Contains(user.Name, StringComparison.Ordinal)).ToList();
        var mine = string.Join('\n', log.Where(l => l.Contains(user.Name, StringComparison.Ordinal)));
        Assert.True(disconnects.Count == 1, "Expected one login connection:\n" + mine + "\n" + result);
        Assert.Contains("auth failed, 1 attempts", disconnects[0], StringComparison.Ordinal);
        Assert.Single(mismatches);
        Assert.Equal(0, await Server.CountLoginsAsync(user.Name, Ct));
    }

    public void Dispose() => node.Dispose();
}
