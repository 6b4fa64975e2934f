using CollectorCluster.Delivery.Mda;

namespace CollectorCluster.Delivery.Tests;

/// <summary>What a delivery program's environment holds: the fixed variables, the message's, and the UIDL only in RFC 1939's form.</summary>
public sealed class MdaEnvironmentTests
{
    [Fact]
    public void The_environment_is_the_fixed_variables_and_the_messages()
    {
        var variables = MdaEnvironment.For("fred", "00000001abc", "/home/collector");
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["PATH"] = MdaEnvironment.SearchPath,
                ["HOME"] = "/home/collector",
                ["LANG"] = "C.UTF-8",
                ["COLLECTOR_ACCOUNT"] = "fred",
                ["COLLECTOR_ID"] = DeliveryTrace.Id("fred", "00000001abc"),
                ["COLLECTOR_UIDL"] = "00000001abc",
            },
            variables);
    }

    [Theory]
    [InlineData("uidl with space")]
    [InlineData("esc\u001b[2J")]
    [InlineData("ünïcode")]
    public void A_uidl_outside_rfc_1939s_form_is_left_out_but_the_message_id_stays(string uidl)
    {
        var variables = MdaEnvironment.For("fred", uidl, "/home/collector");
        Assert.False(variables.ContainsKey("COLLECTOR_UIDL"));
        Assert.Equal(DeliveryTrace.Id("fred", uidl), variables["COLLECTOR_ID"]);
    }

    [Fact]
    public void A_uidl_longer_than_70_characters_is_left_out() =>
        Assert.False(MdaEnvironment.For("fred", new string('a', 71), "/h").ContainsKey("COLLECTOR_UIDL"));

    [Fact]
    public void No_uidl_and_no_home_give_no_message_variables_and_root_as_home()
    {
        Assert.False(MdaEnvironment.For("fred", "", "").ContainsKey("COLLECTOR_ID"));
        var variables = MdaEnvironment.For("fred", null, null);
        Assert.Equal("/", variables["HOME"]);
        Assert.False(variables.ContainsKey("COLLECTOR_ID"));
        Assert.False(variables.ContainsKey("COLLECTOR_UIDL"));
    }
}
