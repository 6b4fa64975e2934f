using System.Text;
using CollectorCluster.Core.Routing;

namespace CollectorCluster.Core.Tests.Routing;

public sealed class RecipientRouterTests
{
    private static readonly MultidropSettings Settings = new()
    {
        LocalDomains = ["example.com", "example.org"],
        Aliases = new Dictionary<string, IReadOnlyList<string>>
        {
            ["sales"] = ["ann", "bob"],
            ["info"] = ["sales", "carl"],
            ["loop"] = ["loop2"],
            ["loop2"] = ["loop", "ann"],
        },
        Default = "postmaster",
        Destinations = new Dictionary<string, string>
        {
            ["ann"] = "maildir:/m/ann",
            ["bob"] = "maildir:/m/bob",
            ["carl"] = "maildir:/m/carl",
            ["postmaster"] = "maildir:/m/pm",
        },
    };

    private static readonly MultidropSettings NoDefault = Settings with { Default = null };

    /// <summary>header text, settings (true = with default), expected source, expected users "user:via", expected refused addresses, foreign count.</summary>
    public static TheoryData<string, bool, string, string[], string[], int> Cases => new()
    {
        // The envelope header wins over To/Cc: one copy per envelope recipient.
        { "Delivered-To: bob@example.com\nTo: ann@example.com\nCc: carl@example.com", true, "Delivered-To", ["bob:User"], [], 0 },
        // Envelope headers are tried in order: the first naming a local address counts.
        { "X-Original-To: carl@example.com\nDelivered-To: ann@example.com", true, "Delivered-To", ["ann:User"], [], 0 },
        { "X-Envelope-To: carl@example.org\nTo: ann@example.com", true, "X-Envelope-To", ["carl:User"], [], 0 },
        { "Envelope-To: <ann@example.com>", true, "Envelope-To", ["ann:User"], [], 0 },
        // An envelope header naming only foreign addresses (the ISP's own box) does not count.
        { "Delivered-To: box@isp.example\nTo: ann@example.com", true, "To/Cc", ["ann:User"], [], 0 },
        // Several Delivered-To: the local ones count, the ISP's is foreign.
        { "Delivered-To: box@isp.example\nDelivered-To: ann@example.com", true, "Delivered-To", ["ann:User"], [], 1 },
        // Without an envelope header: To and Cc, local domains only, Bcc never (it is not there).
        { "To: Ann <ann@example.com>, friend@elsewhere.example\nCc: bob@example.org", true, "To/Cc", ["ann:User", "bob:User"], [], 1 },
        // Aliases resolve to users; nested aliases too; each user once.
        { "To: sales@example.com", true, "To/Cc", ["ann:Alias", "bob:Alias"], [], 0 },
        { "To: info@example.com, ann@example.com", true, "To/Cc", ["ann:Alias", "bob:Alias", "carl:Alias"], [], 0 },
        // An alias cycle stops, the users it reaches still get the message.
        { "To: loop@example.com", true, "To/Cc", ["ann:Alias"], [], 0 },
        // Unknown local part: the default, or refused with a reason.
        { "To: zed@example.com, ann@example.com", true, "To/Cc", ["postmaster:Default", "ann:User"], [], 0 },
        { "To: zed@example.com, ann@example.com", false, "To/Cc", ["ann:User"], ["zed@example.com"], 0 },
        { "Delivered-To: zed@example.com", false, "Delivered-To", [], ["zed@example.com"], 0 },
        // No local address at all: the default, or the whole message refused.
        { "To: list@lists.example\nSubject: hi", true, "To/Cc", ["postmaster:Default"], [], 1 },
        { "To: list@lists.example", false, "To/Cc", [], ["-"], 1 },
        { "Subject: no recipients", false, "To/Cc", [], ["-"], 0 },
        // Case does not matter; a user's address in two domains is one copy.
        { "To: ANN@EXAMPLE.COM, ann@example.org", true, "To/Cc", ["ann:User"], [], 0 },
        // Subdomains are not local (exact domains only).
        { "To: ann@mail.example.com", false, "To/Cc", [], ["-"], 1 },
        // Resent-To and Bcc are not read.
        { "Resent-To: ann@example.com\nBcc: bob@example.com", false, "To/Cc", [], ["-"], 0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Routes_by_envelope_then_to_cc_within_local_domains(string header, bool withDefault, string source, string[] users, string[] refused, int foreign)
    {
        var decision = RecipientRouter.Route(HeaderBlock.Parse(Encoding.UTF8.GetBytes(header.Replace("\n", "\r\n") + "\r\n\r\nbody")), withDefault ? Settings : NoDefault);
        Assert.Equal(source, decision.Source);
        Assert.Equal(users, decision.Users.Select(u => $"{u.User}:{u.Via}"));
        Assert.Equal(refused, decision.Refused.Select(r => r.Address));
        Assert.Equal(foreign, decision.Foreign);
        Assert.All(decision.Refused, r => Assert.False(string.IsNullOrWhiteSpace(r.Reason)));
    }

    [Fact]
    public void Each_routed_user_keeps_the_addresses_that_led_there()
    {
        var decision = RecipientRouter.Route(HeaderBlock.Parse("To: sales@example.com, bob@example.org\r\n\r\n"u8), Settings);
        Assert.Equal(["sales@example.com", "bob@example.org"], decision.Users.Single(u => u.User == "bob").Addresses);
        Assert.Equal(["sales@example.com"], decision.Users.Single(u => u.User == "ann").Addresses);
    }

    [Fact]
    public void Configured_envelope_headers_replace_the_defaults_and_an_empty_list_means_to_cc_only()
    {
        var header = HeaderBlock.Parse("Delivered-To: bob@example.com\r\nX-Rcpt: carl@example.com\r\nTo: ann@example.com\r\n\r\n"u8);
        Assert.Equal("X-Rcpt", RecipientRouter.Route(header, Settings with { EnvelopeHeaders = ["X-Rcpt"] }).Source);
        Assert.Equal(["ann"], RecipientRouter.Route(header, Settings with { EnvelopeHeaders = [] }).Users.Select(u => u.User));
    }

    [Theory]
    [InlineData("ann", new[] { "ann" })]
    [InlineData("SALES", new[] { "ann", "bob" })]
    [InlineData("info", new[] { "ann", "bob", "carl" })]
    [InlineData("nobody", new string[0])]
    public void Users_expands_aliases(string local, string[] expected)
    {
        Assert.Equal(expected, RecipientRouter.Users(local, Settings));
    }
}
