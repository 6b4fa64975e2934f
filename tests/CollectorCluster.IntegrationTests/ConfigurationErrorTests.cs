using CollectorCluster.Testing;

namespace CollectorCluster.IntegrationTests;

/// <summary>The built binary rejects a bad node file with exit code 2, naming the key, before connecting anywhere.</summary>
public sealed class ConfigurationErrorTests(DovecotFixture fixture) : IDisposable
{
    private readonly CollectorWorkspace node = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Unknown_account_key_exits_2_naming_the_key()
    {
        var user = await fixture.Server.CreateUserAsync("badconfig", Ct);
        fixture.Server.DropMessage(user.Name, MessageFactory.Create(1024, 900));
        node.WriteNodeFile(new AccountSpec("badconfig", user, fixture.Server.PlainPort) { Extra = "      leave-mail-on-servr = on" });

        var result = await node.RunProcessAsync(Ct);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("leave-mail-on-servr", result.Error, StringComparison.Ordinal);
        Assert.Contains(node.NodeFile, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(user.Password, result.Error + result.Output, StringComparison.Ordinal);
        Assert.Empty(node.DeliveredFiles());
        Assert.Equal(0, await fixture.Server.CountLoginsAsync(user.Name, Ct));
    }

    [Fact]
    public async Task Missing_config_argument_exits_2()
    {
        var result = await node.RunProcessAsync(Ct, "once");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--config", result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => node.Dispose();
}
