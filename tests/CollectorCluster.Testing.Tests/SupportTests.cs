using System.Text;

namespace CollectorCluster.Testing.Tests;

/// <summary>
/// The pure helpers (messages, ports, certificates) behave as the fixtures' callers rely on.
/// </summary>
public sealed class SupportTests
{
    [Theory]
    [InlineData(512)]
    [InlineData(1024)]
    [InlineData(4097)]
    [InlineData(200 * 1024)]
    public void Messages_have_the_exact_size_and_crlf_only(int size)
    {
        var message = MessageFactory.Create(size, 7);
        Assert.Equal(size, message.Content.Length);
        var text = Encoding.ASCII.GetString(message.Content);
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", text.Replace("\r\n", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains($"Message-ID: {message.MessageId}\r\n", text, StringComparison.Ordinal);
        Assert.All(text.Split("\r\n"), line => Assert.True(line.Length <= 998));
    }

    [Fact]
    public void Bodies_are_deterministic_and_exercise_dot_stuffing()
    {
        var a = MessageFactory.Create(8192, 42);
        var b = MessageFactory.Create(8192, 42);
        Assert.NotEqual(a.MessageId, b.MessageId);
        var bodyA = Body(a);
        Assert.Equal(bodyA, Body(b));
        Assert.NotEqual(bodyA, Body(MessageFactory.Create(8192, 43)));
        Assert.Contains("\r\n.\r\n", bodyA, StringComparison.Ordinal);
        Assert.Contains("\r\n..\r\n", bodyA, StringComparison.Ordinal);
    }

    [Fact]
    public void Mixed_sizes_are_bounded_and_spread()
    {
        var sizes = MessageFactory.MixedSizes();
        Assert.Equal(1000, sizes.Count);
        Assert.All(sizes, s => Assert.InRange(s, 1024, 200 * 1024));
        Assert.Contains(sizes, s => s < 4096);
        Assert.Contains(sizes, s => s > 100 * 1024);
        Assert.Equal(sizes, MessageFactory.MixedSizes());
        Assert.Equal(sizes.Take(5), MessageFactory.CreateMixedSet(5).Select(m => m.Size));
    }

    [Fact]
    public void Ports_are_never_handed_out_twice()
    {
        var ports = PortAllocator.Reserve(50);
        Assert.Equal(50, ports.Distinct().Count());
        Assert.All(ports, p => Assert.InRange(p, 1, 65535));
    }

    [Fact]
    public void Certificates_are_distinct_and_carry_localhost_names()
    {
        using var one = TestCertificate.CreateLocalhost();
        using var two = TestCertificate.CreateLocalhost();
        Assert.NotEqual(one.Sha256Fingerprint, two.Sha256Fingerprint);
        Assert.Matches("^[0-9A-F]{64}$", one.Sha256Fingerprint);
        Assert.True(one.Matches(one.Certificate));
        Assert.False(one.Matches(two.Certificate));
        Assert.True(one.Certificate.HasPrivateKey);
        Assert.True(one.Certificate.MatchesHostname("localhost"));
        Assert.True(one.Certificate.MatchesHostname("127.0.0.1"));
        Assert.Contains("BEGIN PRIVATE KEY", one.PrivateKeyPem, StringComparison.Ordinal);
    }

    private static string Body(TestMessage message)
    {
        var text = Encoding.ASCII.GetString(message.Content);
        return text[(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
    }
}
