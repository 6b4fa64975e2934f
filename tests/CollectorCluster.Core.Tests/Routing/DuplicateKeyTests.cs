using System.Security.Cryptography;
using CollectorCluster.Core.Routing;

namespace CollectorCluster.Core.Tests.Routing;

public sealed class DuplicateKeyTests
{
    private static readonly byte[] Body = SHA256.HashData("body"u8);
    private static readonly byte[] OtherBody = SHA256.HashData("other"u8);

    [Theory]
    [InlineData("<abc@example.com>", "abc@example.com")]
    [InlineData("  <abc@example.com> (comment)", "abc@example.com")]
    [InlineData("abc@example.com", "abc@example.com")]
    [InlineData("<abc@exa\r\n mple.com>", "abc@example.com")]
    [InlineData("<>", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    [InlineData("no-at-sign", null)]
    public void The_message_id_is_normalised(string? value, string? expected)
    {
        Assert.Equal(expected, DuplicateKey.Normalize(value));
    }

    [Fact]
    public void Same_message_id_and_body_give_the_same_key_whatever_the_brackets()
    {
        Assert.Equal(DuplicateKey.For("<abc@example.com>", Body), DuplicateKey.For(" abc@example.com ", Body));
        Assert.StartsWith("dup:", DuplicateKey.For("<abc@example.com>", Body));
    }

    [Fact]
    public void A_different_body_or_message_id_gives_another_key()
    {
        var key = DuplicateKey.For("<abc@example.com>", Body);
        Assert.NotEqual(key, DuplicateKey.For("<abc@example.com>", OtherBody));
        Assert.NotEqual(key, DuplicateKey.For("<abd@example.com>", Body));
    }

    [Fact]
    public void Without_a_message_id_there_is_no_duplicate_key_and_the_source_key_is_per_source()
    {
        Assert.Null(DuplicateKey.For(null, Body));
        Assert.NotEqual(DuplicateKey.ForSource("a/1"), DuplicateKey.ForSource("b/1"));
        Assert.StartsWith("src:", DuplicateKey.ForSource("a/1"));
    }
}
