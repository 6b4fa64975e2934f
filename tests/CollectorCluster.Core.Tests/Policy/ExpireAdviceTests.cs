using CollectorCluster.Core.Policy;

namespace CollectorCluster.Core.Tests.Policy;

public sealed class ExpireAdviceTests
{
    [Theory]
    [InlineData(null, true, null, null)]
    [InlineData("NEVER", true, null, null)]
    [InlineData("never", true, 30, null)]
    [InlineData("0", false, null, null)]
    [InlineData("0", true, null, "EXPIRE 0")]
    [InlineData("0", true, 7, "EXPIRE 0")]
    [InlineData("30", true, 7, null)]
    [InlineData("30 USER", true, 30, null)]
    [InlineData("30 USER", true, 31, "sooner than delete-after = 31")]
    [InlineData("30", true, null, "keeps them only that long")]
    [InlineData("soon", true, null, "unreadable EXPIRE 'soon'")]
    public void Warns_only_when_the_settings_cannot_be_kept(string? expire, bool leaveOnServer, int? deleteAfterDays, string? expected)
    {
        var warning = ExpireAdvice.Warning(expire, leaveOnServer, deleteAfterDays);
        if (expected is null)
        {
            Assert.Null(warning);
        }
        else
        {
            Assert.NotNull(warning);
            Assert.Contains(expected, warning);
        }
    }
}
