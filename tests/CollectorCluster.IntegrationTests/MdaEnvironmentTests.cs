using System.Globalization;
using CollectorCluster.Testing;

namespace CollectorCluster.IntegrationTests;

/// <summary>
/// A delivery program (<c>mda:</c>) run by a real <c>collector once</c> process whose environment holds the account's
/// <c>password-env</c> secret and another secret: the program sees only the fixed PATH, HOME, LANG and the message's
/// COLLECTOR_* variables.
/// </summary>
public sealed class MdaEnvironmentTests(DovecotFixture fixture) : IDisposable
{
    private static readonly string[] Allowed = ["PATH", "HOME", "LANG", "COLLECTOR_ACCOUNT", "COLLECTOR_ID", "COLLECTOR_UIDL"];

    // What /bin/sh itself may add to what it passes on.
    private static readonly string[] AddedByTheShell = ["PWD", "SHLVL", "_", "OLDPWD"];

    private readonly CollectorWorkspace node = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_delivery_program_gets_a_minimal_environment_without_the_nodes_secrets()
    {
        var user = await fixture.Server.CreateUserAsync("mdaenv", Ct);
        fixture.Server.DropMessage(user.Name, MessageFactory.Create(1500, 41).Content);
        fixture.Server.DropMessage(user.Name, MessageFactory.Create(2500, 42).Content);
        var dumps = Directory.CreateDirectory(Path.Combine(node.Root, "mda-env")).FullName;
        var script = Path.Combine(node.Root, "mda.sh");
        File.WriteAllText(script, $"#!/bin/sh\n/usr/bin/env > \"{dumps}/$COLLECTOR_ID.env\"\nexec /bin/cat > /dev/null\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.WriteAllText(node.NodeFile, string.Create(CultureInfo.InvariantCulture, $$"""
            collector {
              state-directory = "{{Path.Combine(node.Root, "state")}}"
              command-host.port = 0
              accounts = [ { id = mdaenv, pop3-server = "127.0.0.1", port = {{fixture.Server.PlainPort}}, pop3-account = "{{user.Name}}",
                             password-env = CC_TEST_MDA_PASSWORD, ssl = none, leave-mail-on-server = on, mailbox = "mda:{{script}}" } ]
            }
            """));
        var other = TestSecrets.Password("node-env");

        using var once = node.StartProcess(new Dictionary<string, string> { ["CC_TEST_MDA_PASSWORD"] = user.Password, ["CC_TEST_OTHER_SECRET"] = other }, "once", "--config", node.NodeFile);
        var result = await once.WaitAsync(TimeSpan.FromMinutes(2), Ct);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(2, result.Collected("mdaenv"));

        var files = Directory.GetFiles(dumps, "*.env");
        Assert.Equal(2, files.Length);
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain(user.Password, text, StringComparison.Ordinal);
            Assert.DoesNotContain(other, text, StringComparison.Ordinal);
            Assert.DoesNotContain(TestSecrets.Marker, text, StringComparison.Ordinal);
            var variables = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal);
            Assert.All(variables.Keys, name => Assert.True(Allowed.Contains(name) || AddedByTheShell.Contains(name), $"{name} reached the delivery program"));
            Assert.Equal("/usr/local/bin:/usr/bin:/bin", variables["PATH"]);
            Assert.Equal("C.UTF-8", variables["LANG"]);
            Assert.Equal("mdaenv", variables["COLLECTOR_ACCOUNT"]);
            Assert.Equal(Path.GetFileNameWithoutExtension(file), variables["COLLECTOR_ID"]);
            Assert.StartsWith("cc.", variables["COLLECTOR_ID"], StringComparison.Ordinal);
            Assert.Matches("^[!-~]{1,70}$", variables["COLLECTOR_UIDL"]);
        }

        Assert.DoesNotContain(user.Password, result.Output + result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => node.Dispose();
}
