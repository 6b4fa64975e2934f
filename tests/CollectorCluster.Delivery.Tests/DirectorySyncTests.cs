using CollectorCluster.Delivery.Maildir;

namespace CollectorCluster.Delivery.Tests;

public sealed class DirectorySyncTests
{
    [Fact]
    public void Syncs_a_directory_on_linux_and_is_a_no_op_elsewhere()
    {
        using var dir = new TempDirectory();

        Assert.Equal(OperatingSystem.IsLinux(), DirectorySync.Sync(dir.Path));
    }

    [Fact]
    public void A_missing_directory_is_an_io_error_naming_it()
    {
        Assert.SkipUnless(DirectorySync.IsSupported, "directory fsync is Linux only");
        using var dir = new TempDirectory();
        var missing = dir.Combine("nope");

        var e = Assert.Throws<IOException>(() => DirectorySync.Sync(missing));

        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }
}
