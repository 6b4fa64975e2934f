using CollectorCluster.Delivery.Maildir;

namespace CollectorCluster.Delivery.Tests;

public sealed class ConcurrentFileSyncTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(ConcurrentFileSync.Width * 5)]
    public void Every_file_is_fsynced_and_keeps_its_content(int count)
    {
        var paths = Enumerable.Range(0, count).Select(i => _dir.Combine($"f{i}")).ToList();
        for (var i = 0; i < count; i++)
        {
            File.WriteAllText(paths[i], $"content {i}");
        }

        ConcurrentFileSync.FlushAll(paths);

        for (var i = 0; i < count; i++)
        {
            Assert.Equal($"content {i}", File.ReadAllText(paths[i]));
        }
    }

    [Fact]
    public void A_file_that_cannot_be_opened_fails_the_batch_after_the_others_were_tried()
    {
        var paths = Enumerable.Range(0, 12).Select(i => _dir.Combine($"f{i}")).ToList();
        paths.ForEach(p => File.WriteAllText(p, "x"));
        var missing = _dir.Combine("gone");
        paths.Insert(5, missing);

        var error = Assert.ThrowsAny<IOException>(() => ConcurrentFileSync.FlushAll(paths));

        Assert.Contains("gone", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Batches_share_a_few_helper_threads_instead_of_starting_their_own()
    {
        var paths = Enumerable.Range(0, ConcurrentFileSync.Width * 2).Select(i => _dir.Combine($"f{i}")).ToList();
        paths.ForEach(p => File.WriteAllText(p, "x"));

        for (var batch = 0; batch < 20; batch++)
        {
            ConcurrentFileSync.FlushAll(paths);
        }

        // 20 batches of 16 files would have started 140 threads at 7 per batch; shared helpers stay at 7 for the process.
        Assert.InRange(ConcurrentFileSync.HelpersStarted, 1, ConcurrentFileSync.Width - 1);
    }
}
