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

    [Fact]
    public void A_new_key_appears_whole_in_place_and_leaves_no_temporary_file()
    {
        var path = Path.Combine(_dir, "state", "node.key");
        ClusterKey.Load(path, create: true);
        Assert.Equal(["node.key"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
        Assert.Equal(45, new FileInfo(path).Length); // 32 bytes in base64 and a newline
    }

    [Fact]
    public void Nodes_starting_at_once_never_read_a_key_file_before_it_is_whole_and_all_get_the_same_key()
    {
        // Written in place, a key file is seen empty between its creation and its write: the other starters then fail
        // ("holds 0 bytes"). Linked into place once whole, it never is.
        for (var round = 0; round < 500; round++)
        {
            var path = Path.Combine(_dir, $"race-{round}", "node.key");
            using var start = new Barrier(4);
            var ids = new string[4];
            Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
            {
                start.SignalAndWait();
                ids[i] = ClusterKey.Load(path, create: true).Id;
            });
            Assert.Single(ids.Distinct());
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0")] // the size reached the disk, the data did not
    [InlineData("q2Yv0mX1Zb8cT3")] // the start of a key
    public void A_key_file_left_empty_or_cut_short_by_a_crash_is_taken_for_absent_while_nothing_can_be_sealed_under_it(string leftover)
    {
        // The fault campaign's #9003: the key was created, the disk failed before its page was written: 0 bytes.
        var path = Path.Combine(_dir, "node.key");
        File.WriteAllText(path, leftover);
        var key = ClusterKey.Load(path, create: true, nothingSealedYet: () => true);
        var sealedPassword = key.Seal("fred", new Secret("after-the-crash"));
        Assert.Equal("after-the-crash", ClusterKey.Load(path, create: true, () => false).Open("fred", sealedPassword).Reveal());
        Assert.Equal(key.Id, ClusterKey.Load(path, create: false).Id);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("q2Yv0mX1Zb8cT3\n", "is cut short")]
    public void A_key_file_left_empty_or_cut_short_is_refused_with_the_way_out_when_secrets_may_be_sealed_under_the_lost_key(string leftover, string said)
    {
        var path = Path.Combine(_dir, "node.key");
        File.WriteAllText(path, leftover);
        foreach (var probe in new Func<bool>?[] { () => false, null })
        {
            var e = Assert.Throws<ConfigurationException>(() => ClusterKey.Load(path, create: true, probe));
            Assert.Contains($"collector.secrets.key-file: {path} {said}", e.Message, StringComparison.Ordinal);
            Assert.Contains("Copy the key file from another node of the cluster or a backup", e.Message, StringComparison.Ordinal);
            Assert.Contains("delete the file to start with a new key", e.Message, StringComparison.Ordinal);
            Assert.Equal(leftover, File.ReadAllText(path)); // left as it was for the operator
        }
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("q2Yv0mX1Zb8cT3\n", "is cut short")]
    public void A_node_that_joins_a_cluster_refuses_a_key_file_left_empty_or_cut_short_even_on_an_empty_journal(string leftover, string said)
    {
        var path = Path.Combine(_dir, "cluster.key");
        File.WriteAllText(path, leftover);
        var e = Assert.Throws<ConfigurationException>(() => ClusterKey.Load(path, create: false, nothingSealedYet: () => true));
        Assert.Contains($"collector.secrets.key-file: {path} {said}", e.Message, StringComparison.Ordinal);
        Assert.Contains("Copy the key file from another node of the cluster", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("delete the file", e.Message, StringComparison.Ordinal);
        Assert.Equal(leftover, File.ReadAllText(path));
    }

    [Fact]
    public void Only_a_journal_without_any_event_counts_as_nothing_sealed_yet()
    {
        var file = Path.Combine(_dir, "journal.db");
        var journal = new JournalOptions("sqlite", $"Data Source={file}", file);
        Assert.True(Hosting.JournalPreparation.HoldsNoEvents(journal)); // no file yet

        using (var db = new Microsoft.Data.Sqlite.SqliteConnection(journal.ConnectionString))
        {
            db.Open();
            using var create = db.CreateCommand();
            create.CommandText = "CREATE TABLE event_journal (ordering INTEGER PRIMARY KEY, payload BLOB)";
            create.ExecuteNonQuery();
            Assert.True(Hosting.JournalPreparation.HoldsNoEvents(journal));
            using var insert = db.CreateCommand();
            insert.CommandText = "INSERT INTO event_journal (payload) VALUES (x'00')";
            insert.ExecuteNonQuery();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Assert.False(Hosting.JournalPreparation.HoldsNoEvents(journal));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
