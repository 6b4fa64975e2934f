using CollectorCluster.Node.Commands;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Testing;

namespace CollectorCluster.Node.Tests;

/// <summary>
/// Warnings for secret files others can read and for logins without TLS, as <c>collector check</c> lists them (and
/// <c>collector run</c> logs them at start).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SecurityWarningsTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _dir = Directory.CreateTempSubdirectory("cc-security-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Secret_files_open_to_others_and_plaintext_logins_are_warned_about_and_check_lists_them()
    {
        var passwordFile = Secret("fred.pw", UnixFileMode.GroupRead);
        Secret(Path.Combine("state", "node.key"), UnixFileMode.OtherRead);
        Secret(Path.Combine("state", "command-host.token"), UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var options = Load(
            $$"""
            collector {
              state-directory = state
              accounts = [
                { id = fred, pop3-server = "pop.example.com", pop3-account = fred, password-file = fred.pw, mailbox = "maildir:/srv/mail/fred" }
                { id = inline, pop3-server = "pop.example.com", port = 995, ssl = implicit, pop3-account = i, password = "{{TestSecrets.Password("inline")}}", mailbox = "maildir:/srv/mail/i" }
                { id = apop, pop3-server = "pop.example.com", auth = apop, pop3-account = a, password-env = HOME, mailbox = "maildir:/srv/mail/a" }
                { id = local, pop3-server = "127.0.0.1", pop3-account = l, password-env = HOME, mailbox = "maildir:/srv/mail/l" }
              ]
            }
            """,
            UnixFileMode.OtherRead);

        var warnings = SecurityWarnings.For(options);
        Assert.Contains($"account 'fred': password-file: {passwordFile} can be read or written by its group (mode 0640); chmod 600 {passwordFile}", warnings);
        Assert.Contains(warnings, w => w.StartsWith("collector.secrets.key-file: ", StringComparison.Ordinal) && w.Contains("by every user (mode 0604)", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("collector.command-host.token-file: ", StringComparison.Ordinal) && w.Contains("(mode 0644)", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("the node file (it holds account 'inline' password)", StringComparison.Ordinal));
        Assert.Contains("account 'fred': logs in to pop.example.com:110 without TLS (ssl = none): its password (auth = user-pass) and its mail cross the network in clear; set ssl = implicit or starttls", warnings);
        Assert.Contains(warnings, w => w.StartsWith("account 'apop': logs in to pop.example.com:110 without TLS", StringComparison.Ordinal) && w.Contains("auth = apop does not send the password itself", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, w => w.Contains("'inline': logs in", StringComparison.Ordinal) || w.Contains("'local'", StringComparison.Ordinal));
        Assert.Equal(6, warnings.Count);

        using var output = new StringWriter();
        Assert.Equal(0, CheckCommand.Run(options, output));
        foreach (var warning in warnings)
        {
            Assert.Contains("  warning: " + warning, output.ToString(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(TestSecrets.Marker, output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Owner_only_files_tls_and_a_node_file_without_secrets_give_no_warning()
    {
        Secret("fred.pw", 0);
        Secret(Path.Combine("state", "node.key"), 0);
        Secret(Path.Combine("state", "command-host.token"), 0);
        var options = Load(
            """
            collector {
              state-directory = state
              accounts = [ { id = fred, pop3-server = "pop.example.com", ssl = implicit, pop3-account = fred, password-file = fred.pw, mailbox = "maildir:/srv/mail/fred" } ]
            }
            """,
            UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Assert.Empty(SecurityWarnings.For(options));
    }

    [Fact]
    public void A_command_host_token_in_a_node_file_open_to_others_is_warned_about()
    {
        var options = Load($"collector.command-host.token = \"{TestSecrets.Password("token-in-node-file")}\"\n", UnixFileMode.GroupRead);
        Assert.Contains(SecurityWarnings.For(options), w => w.StartsWith("the node file (it holds collector.command-host.token)", StringComparison.Ordinal));
    }

    private string Secret(string name, UnixFileMode extra)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, TestSecrets.Password("file") + "\n");
        File.SetUnixFileMode(path, OwnerOnly | extra);
        return path;
    }

    private CollectorOptions Load(string text, UnixFileMode nodeFileExtra)
    {
        var file = Path.Combine(_dir, "node.hocon");
        File.WriteAllText(file, text);
        File.SetUnixFileMode(file, OwnerOnly | nodeFileExtra);
        return CollectorConfigLoader.Load(file, name => name == "HOME" ? "/home/op" : null);
    }
}
