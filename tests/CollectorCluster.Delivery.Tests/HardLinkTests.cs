using CollectorCluster.Delivery.Maildir;

namespace CollectorCluster.Delivery.Tests;

public sealed class HardLinkTests
{
    [Fact]
    public void Links_without_replacing_an_existing_name()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "link(2) is used on Linux only");
        using var dir = new TempDirectory();
        var source = dir.Combine("source");
        var target = dir.Combine("target");
        File.WriteAllText(source, "one");

        Assert.Equal(LinkOutcome.Linked, HardLink.TryCreate(source, target));
        File.WriteAllText(source + "2", "two");
        Assert.Equal(LinkOutcome.Exists, HardLink.TryCreate(source + "2", target));

        Assert.Equal("one", File.ReadAllText(target));
    }

    [Fact]
    public void Other_failures_are_io_errors_naming_the_paths()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "link(2) is used on Linux only");
        using var dir = new TempDirectory();
        var missing = dir.Combine("missing");

        var e = Assert.Throws<IOException>(() => HardLink.TryCreate(missing, dir.Combine("target")));

        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }
}
