using System.Text;
using CollectorCluster.Core.Uidl;

namespace CollectorCluster.Core.Tests.Uidl;

public sealed class HeaderFingerprintTests
{
    private const string Header = "Received: by x\r\nMessage-ID: <abc@example.com>\r\nDate: Sat, 28 Nov 2026 12:00:00 +0000\r\nFrom: Fred <fred@example.com>\r\nSubject: hi\r\n\r\n";

    private static string? Of(string text) => HeaderFingerprint.Compute(Encoding.ASCII.GetBytes(text));

    [Fact]
    public void Top_header_and_whole_message_give_the_same_fingerprint()
    {
        Assert.Equal(Of(Header), Of(Header + "body line\r\nMessage-ID: <not-a-header@x>\r\n"));
        Assert.StartsWith("sha256:", Of(Header));
    }

    [Fact]
    public void Folding_case_and_whitespace_do_not_matter()
    {
        var folded = "message-id:   <abc@example.com>\r\nDATE: Sat, 28 Nov 2026\r\n 12:00:00 +0000\r\nfrom: Fred\r\n\t<fred@example.com>\r\n\r\n";
        Assert.Equal(Of(Header), Of(folded));
    }

    [Theory]
    [InlineData("Message-ID: <other@example.com>\r\nDate: Sat, 28 Nov 2026 12:00:00 +0000\r\nFrom: Fred <fred@example.com>\r\n\r\n")]
    [InlineData("Message-ID: <abc@example.com>\r\nDate: Sat, 28 Nov 2026 12:00:01 +0000\r\nFrom: Fred <fred@example.com>\r\n\r\n")]
    [InlineData("Message-ID: <abc@example.com>\r\nDate: Sat, 28 Nov 2026 12:00:00 +0000\r\nFrom: Fredda <fred@example.com>\r\n\r\n")]
    public void Any_of_the_three_headers_changes_it(string other)
    {
        Assert.NotEqual(Of(Header), Of(other));
    }

    [Theory]
    [InlineData("Subject: only\r\n\r\nbody")]
    [InlineData("")]
    [InlineData("Date: Sat, 28 Nov 2026 12:00:00 +0000\r\nFrom: Fred <fred@example.com>\r\n\r\n")]
    [InlineData("Message-ID:\r\nDate: Sat, 28 Nov 2026 12:00:00 +0000\r\nFrom: Fred <fred@example.com>\r\n\r\n")]
    public void Without_a_message_id_there_is_no_fingerprint(string header)
    {
        Assert.Null(Of(header));
    }

    [Fact]
    public void A_bare_lf_header_ends_at_its_first_empty_line_and_a_binary_body_does_not_count()
    {
        var lf = Header.Replace("\r\n", "\n", StringComparison.Ordinal);
        var body = Enumerable.Range(0, 70_000).Select(i => (byte)(i % 251)).ToArray(); // more than the 64 KiB a delivery keeps
        var message = Encoding.ASCII.GetBytes(lf + "Message-ID: <in-the-body@x>\n").Concat(body).ToArray();

        Assert.Equal(Of(Header), HeaderFingerprint.Compute(message));
    }
}
