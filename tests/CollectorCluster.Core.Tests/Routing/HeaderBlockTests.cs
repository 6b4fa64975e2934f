using System.Text;
using CollectorCluster.Core.Routing;

namespace CollectorCluster.Core.Tests.Routing;

public sealed class HeaderBlockTests
{
    public static TheoryData<string, string[]> Blocks => new()
    {
        { "To: a@x\r\nCc: b@x\r\n\r\nbody", ["To=a@x", "Cc=b@x"] },
        { "To: a@x\nCc: b@x\n\nbody\nTo: not@header", ["To=a@x", "Cc=b@x"] },
        { "To: a@x,\r\n b@x,\r\n\tc@x\r\n\r\n", ["To=a@x, b@x, c@x"] },
        { "Subject: no end of header", ["Subject=no end of header"] },
        { "X-Broken line\r\nTo:  spaced  \r\n\r\n", ["To=spaced"] },
        { " continuation first\r\nTo: a@x\r\n\r\n", ["To=a@x"] },
        { "\r\nTo: in body", [] },
        { "Bad Name: x\r\nOk: y\r\n\r\n", ["Ok=y"] },
        { "Empty:\r\n\r\n", ["Empty="] },
    };

    [Theory]
    [MemberData(nameof(Blocks))]
    public void Fields_are_unfolded_and_end_at_the_empty_line(string message, string[] expected)
    {
        var fields = HeaderBlock.Parse(Encoding.UTF8.GetBytes(message));
        Assert.Equal(expected, fields.Select(f => $"{f.Name}={f.Value}"));
    }

    [Theory]
    [InlineData("A: b\r\n\r\nbody", 8)]
    [InlineData("A: b\n\nbody", 6)]
    [InlineData("A: b\r\n\nbody", 7)]
    [InlineData("\r\nbody", 2)]
    [InlineData("\nbody", 1)]
    [InlineData("A: b\r\nC: d", -1)]
    [InlineData("", -1)]
    public void The_body_starts_after_the_empty_line(string message, int expected)
    {
        Assert.Equal(expected, HeaderBlock.BodyStart(Encoding.ASCII.GetBytes(message)));
    }

    [Fact]
    public void A_header_with_too_many_fields_is_cut_not_read_without_bound()
    {
        var many = string.Concat(Enumerable.Repeat("X-A: 1\r\n", HeaderBlock.MaxFields + 50)) + "\r\n";
        Assert.Equal(HeaderBlock.MaxFields, HeaderBlock.Parse(Encoding.ASCII.GetBytes(many)).Count);
    }

    [Fact]
    public void A_value_longer_than_the_bound_is_cut()
    {
        var value = new string('a', HeaderBlock.MaxValueLength * 2);
        var field = Assert.Single(HeaderBlock.Parse(Encoding.ASCII.GetBytes($"To: {value}\r\n\r\n")));
        Assert.Equal(HeaderBlock.MaxValueLength, field.Value.Length);
    }

    [Fact]
    public void Values_match_names_case_insensitively_in_order()
    {
        var fields = HeaderBlock.Parse("delivered-to: a@x\r\nDELIVERED-TO: b@x\r\nTo: c@x\r\n\r\n"u8);
        Assert.Equal(["a@x", "b@x"], HeaderBlock.Values(fields, "Delivered-To"));
    }
}
