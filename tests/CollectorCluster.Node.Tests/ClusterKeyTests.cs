using CollectorCluster.Core.Accounts;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Node.Secrets;

namespace CollectorCluster.Node.Tests;

/// <summary>The cluster key: created 0600 once, seals passwords per account, and refuses a wrong key or a tampered entry by naming the file.</summary>
public sealed class ClusterKeyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cc-key-").FullName;

    [Fact]
    public void First_start_creates_a_0600_key_file_that_later_starts_reuse()
    {
        var path = Path.Combine(_dir, "sub", "node.key");
        var key = ClusterKey.Load(path, create: true);
        Assert.True(File.Exists(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.Equal(32, Convert.FromBase64String(File.ReadAllText(path).Trim()).Length);
        var sealedPassword = key.Seal("fred", new Secret("pässwörd-1"));
        Assert.Equal("pässwörd-1", ClusterKey.Load(path, create: true).Open("fred", sealedPassword).Reveal());
    }

    [Fact]
    public void An_empty_key_file_left_by_a_failed_creation_is_replaced_on_a_single_node_and_refused_naming_it_on_a_cluster_node()
    {
        // What a full or read-only disk left before keys were written aside and renamed (fault campaign, journal-ro).
        var path = Path.Combine(_dir, "node.key");
        File.WriteAllBytes(path, []);
        var refused = Assert.Throws<ConfigurationException>(() => ClusterKey.Load(path, create: false));
        Assert.Contains(path, refused.Message);

        var key = ClusterKey.Load(path, create: true);
        Assert.Equal(32, Convert.FromBase64String(File.ReadAllText(path).Trim()).Length);
        Assert.Equal(key.Id, ClusterKey.Load(path, create: false).Id);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Fact]
    public void Sealing_never_shows_the_password_and_differs_every_time()
    {
        var key = ClusterKey.Load(Path.Combine(_dir, "node.key"), create: true);
        var a = key.Seal("fred", new Secret("hunter2-hunter2"));
        var b = key.Seal("fred", new Secret("hunter2-hunter2"));
        Assert.NotEqual(a, b);
        Assert.DoesNotContain("hunter2", a.ToString());
        Assert.DoesNotContain("hunter2", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(a.Ciphertext)));
    }

    [Fact]
    public void A_wrong_key_another_account_or_a_tampered_entry_is_a_clear_error_naming_the_key_file()
    {
        var path = Path.Combine(_dir, "node.key");
        var sealedPassword = ClusterKey.Load(path, create: true).Seal("fred", new Secret("secret-pw"));
        var otherPath = Path.Combine(_dir, "other.key");
        var other = ClusterKey.Load(otherPath, create: true);
        var wrongKey = Assert.Throws<ConfigurationException>(() => other.Open("fred", sealedPassword));
        Assert.Contains(otherPath, wrongKey.Message);
        Assert.Contains("'fred'", wrongKey.Message);
        Assert.DoesNotContain("secret-pw", wrongKey.ToString());
        var key = ClusterKey.Load(path, create: true);
        Assert.Throws<ConfigurationException>(() => key.Open("barney", sealedPassword));
        var bytes = Convert.FromBase64String(sealedPassword.Ciphertext);
        bytes[0] ^= 1;
        Assert.Throws<ConfigurationException>(() => key.Open("fred", sealedPassword with { Ciphertext = Convert.ToBase64String(bytes) }));
        Assert.Throws<ConfigurationException>(() => key.Open("fred", sealedPassword with { Nonce = "not base64!" }));
    }

    [Theory]
    [InlineData("not a key at all")]
    [InlineData("c2hvcnQ=")]
    public void A_malformed_key_file_is_refused_naming_it(string content)
    {
        var path = Path.Combine(_dir, "bad.key");
        File.WriteAllText(path, content);
        var e = Assert.Throws<ConfigurationException>(() => ClusterKey.Load(path, create: true));
        Assert.Contains(path, e.Message);
        Assert.Contains("collector.secrets.key-file", e.Message);
    }

    [Fact]
    public void A_node_that_joins_a_cluster_never_creates_a_key_of_its_own()
    {
        var path = Path.Combine(_dir, "cluster.key");
        var e = Assert.Throws<ConfigurationException>(() => ClusterKey.Load(path, create: false));
        Assert.Contains(path, e.Message);
        Assert.Contains("copy that file to every node", e.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void The_key_id_and_digests_are_the_same_on_every_node_with_the_file_and_differ_with_another_key()
    {
        var path = Path.Combine(_dir, "cluster.key");
        var a = ClusterKey.Load(path, create: true);
        var b = ClusterKey.Load(path, create: false);
        var other = ClusterKey.Load(Path.Combine(_dir, "other.key"), create: true);
        Assert.Equal(a.Id, b.Id);
        Assert.NotEqual(a.Id, other.Id);
        Assert.Equal(a.Digest("accounts"), b.Digest("accounts"));
        Assert.NotEqual(a.Digest("accounts"), other.Digest("accounts"));
        Assert.NotEqual(a.Digest("accounts"), a.Digest("accounts!"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
