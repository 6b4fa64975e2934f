using CollectorCluster.Core.Routing;

namespace CollectorCluster.Core.Tests.Routing;

public sealed class AddressListParserTests
{
    public static TheoryData<string, string[]> Lists => new()
    {
        { "ann@example.com", ["ann@example.com"] },
        { "Ann <ann@Example.COM>", ["ann@example.com"] },
        { "\"Smith, Ann\" <ann@example.com>, bob@example.com", ["ann@example.com", "bob@example.com"] },
        { "ann@example.com (Ann Smith), (comment (nested)) bob@example.com", ["ann@example.com", "bob@example.com"] },
        { "undisclosed-recipients:;", [] },
        { "team: ann@example.com, bob@example.com;, carl@example.com", ["ann@example.com", "bob@example.com", "carl@example.com"] },
        { "<@relay.example:ann@example.com>", ["ann@example.com"] },
        { "\"ann smith\"@example.com", ["ann smith@example.com"] },
        { "\"fred@evil.example\" <ann@example.com>", ["ann@example.com"] },
        { "Ann Smith", [] },
        { "", [] },
        { "ann@", [] },
        { "@example.com", [] },
        { "ann@example.com.", ["ann@example.com"] },
        { "<ann@example.com", ["ann@example.com"] },
        { "a b@example.com", [] },
        { "ann@exa mple.com", [] },
        { "ANN@example.com", ["ann@example.com"] },
        { "x@y, , ,z@w", ["x@y", "z@w"] },
    };

    [Theory]
    [MemberData(nameof(Lists))]
    public void Addresses_are_the_addr_specs_of_the_list(string value, string[] expected)
    {
        Assert.Equal(expected, AddressListParser.Parse(value).Select(a => a.ToString()));
    }

    [Fact]
    public void A_list_longer_than_the_bound_is_cut()
    {
        var value = string.Join(", ", Enumerable.Range(0, AddressListParser.MaxAddresses + 10).Select(i => $"u{i}@example.com"));
        Assert.Equal(AddressListParser.MaxAddresses, AddressListParser.Parse(value).Count);
    }
}
