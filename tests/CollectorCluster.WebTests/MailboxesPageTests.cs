using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CollectorCluster.Node.Web;

namespace CollectorCluster.WebTests;

/// <summary>
/// The Remote POP3 Mailboxes list over thousands of accounts: one page of <see cref="MailboxesPage.PageSize"/> rows,
/// a handful of page links, search by id or address, the status filter, and a live feed that follows only the rows
/// shown.
/// </summary>
public sealed partial class MailboxesPageTests
{
    private const int Accounts = 5000;

    // collector list --json's shape, parsed from text as the command layer's answers are: every tenth account failed,
    // every hundredth needs an operator.
    private static readonly JsonArray List = JsonNode.Parse(new JsonArray([.. Enumerable.Range(0, Accounts).Select(i => (JsonNode)new JsonObject
    {
        ["id"] = $"acct{i:D4}",
        ["address"] = $"user{i:D4}@pop{i % 7}.example",
        ["node"] = $"akka.tcp://collector@10.0.0.{(i % 3) + 1}:4053",
        ["status"] = i % 100 == 0 ? "needs-operator" : i % 10 == 0 ? "failed" : "ok",
        ["health"] = i % 100 == 0 ? "NeedsOperator" : "Healthy",
        ["healthReason"] = "",
        ["lastCollection"] = new JsonObject { ["finishedAt"] = "2026-12-06T12:00:00+00:00", ["succeeded"] = i % 10 != 0, ["collected"] = i % 5, ["bytes"] = (i % 5) * 1000, ["detail"] = "connect: refused" },
        ["nextDue"] = "2026-12-06T12:10:00+00:00",
        ["collectedOnServer"] = i % 5,
        ["totalCollected"] = i,
        ["totalBytes"] = i * 1000L,
    })]).ToJsonString())!.AsArray();

    [Fact]
    public void Thousands_of_accounts_show_one_page_with_a_few_page_links()
    {
        var html = MailboxesPage.Render(List, null, null, 40, "ops", "t");
        Assert.Equal(MailboxesPage.PageSize, Rows(html).Count);
        Assert.Equal("acct1950", Rows(html)[0]); // page 40 of 100
        Assert.Contains($"{Accounts} account(s) in the cluster: 4500 ok, 450 failed, 50 needs-operator", html, StringComparison.Ordinal);
        Assert.Equal(["1", "38", "39", "40", "41", "42", "100"], PageLinks(html));
        Assert.Contains("10.0.0.1:4053", html, StringComparison.Ordinal);
        Assert.DoesNotContain("akka.tcp://", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_live_feed_follows_only_the_rows_shown()
    {
        var html = MailboxesPage.Render(List, null, null, 1, "ops", "t");
        var feed = Uri.UnescapeDataString(FeedIds().Match(html).Groups[1].Value).Split(',');
        Assert.Equal(Rows(html), feed);
    }

    [Theory]
    [InlineData("acct004", null, 10, "acct0040")] // an id
    [InlineData("POP3.EXAMPLE", null, 50, "acct0003")] // an address, any case; 714 match, one page shown
    [InlineData("", "needs-operator", 50, "acct0000")]
    [InlineData("pop0.", "failed", 50, "acct0070")] // search and filter together: i % 10 == 0 and i % 7 == 0
    [InlineData("no such account", null, 0, null)]
    public void Search_and_status_filter(string query, string? status, int rows, string? first)
    {
        var html = MailboxesPage.Render(List, query, status, 1, "ops", "t");
        Assert.Equal(rows, Rows(html).Count);
        Assert.Equal(first, Rows(html).FirstOrDefault());
        Assert.Equal(rows == 0, html.Contains("No account matches.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0, "acct0000")]
    [InlineData(-5, "acct0000")]
    [InlineData(1_000_000, "acct4950")]
    public void A_page_out_of_range_shows_the_nearest_page(int page, string first) =>
        Assert.Equal(first, Rows(MailboxesPage.Render(List, null, null, page, "ops", "t"))[0]);

    [Fact]
    public void Search_text_is_encoded_in_the_page_and_its_links()
    {
        var html = MailboxesPage.Render(List, "\"><script>x</script>", null, 1, "ops", "t");
        Assert.DoesNotContain("<script>x", html, StringComparison.Ordinal);
        Assert.Contains("&quot;&gt;&lt;script&gt;", html, StringComparison.Ordinal);
    }

    private static List<string> Rows(string html) => [.. Row().Matches(html).Select(m => m.Groups[1].Value)];

    private static List<string> PageLinks(string html) => [.. PageLink().Matches(html).Select(m => m.Groups[1].Value)];

    [GeneratedRegex("<tr data-account=\"([^\"]+)\"")]
    private static partial Regex Row();

    [GeneratedRegex("<a href=\"/\\?[^\"]*page=\\d+\"[^>]*>(\\d+)</a>")]
    private static partial Regex PageLink();

    [GeneratedRegex("data-feed=\"/events/accounts\\?ids=([^\"]+)\"")]
    private static partial Regex FeedIds();
}
