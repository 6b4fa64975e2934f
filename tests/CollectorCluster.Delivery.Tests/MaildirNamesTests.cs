using System.Security.Cryptography;
using System.Text;
using CollectorCluster.Delivery.Maildir;

namespace CollectorCluster.Delivery.Tests;

public sealed class MaildirNamesTests
{
    [Fact]
    public void Base_name_is_prefix_plus_32_hex_of_sha256_of_account_newline_key()
    {
        var expected = "cc." + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("fred@pop\nUID-1")))[..32];

        Assert.Equal(expected, MaildirNames.BaseName("fred@pop", "UID-1"));
        Assert.Matches("^cc\\.[0-9a-f]{32}$", MaildirNames.BaseName("ünï@pöp", "x"));
    }

    [Fact]
    public void Account_and_key_are_not_ambiguous()
    {
        Assert.NotEqual(MaildirNames.BaseName("a", "bc"), MaildirNames.BaseName("ab", "c"));
        Assert.NotEqual(MaildirNames.BaseName("fred", "1"), MaildirNames.BaseName("jim", "1"));
    }

    [Theory]
    [InlineData("cc.0123456789abcdef0123456789abcdef", "cc.0123456789abcdef0123456789abcdef")]
    [InlineData("cc.0123456789abcdef0123456789abcdef:2,S", "cc.0123456789abcdef0123456789abcdef")]
    [InlineData("cc.0123456789abcdef0123456789abcdef:2,", "cc.0123456789abcdef0123456789abcdef")]
    [InlineData("cc.0123456789abcdef0123456789abcdef,S=1234:2,RS", "cc.0123456789abcdef0123456789abcdef")]
    [InlineData("1700000000.M1P2.host:2,S", null)]
    [InlineData("cc-not-ours", null)]
    public void Base_of_a_file_name_strips_flags_and_ignores_foreign_files(string fileName, string? expected) =>
        Assert.Equal(expected, MaildirNames.BaseOf(fileName));
}
