using System.Text.Json;
using System.Text.Json.Nodes;
using CollectorCluster.Wire;

namespace CollectorCluster.Wire.Tests;

/// <summary>
/// The exact text on the wire, as collectorctl and the command host wrote it before the records existed (an older
/// collectorctl must keep working with a newer node and back), and the same records read back from it.
/// </summary>
public sealed class WireTextTests
{
    [Fact]
    public void A_request_carries_command_args_and_token_and_a_password_only_when_there_is_one()
    {
        var request = CommandRequest.For(["collector", "mark", "alpha", "u1", "delete"], token: null);
        const string text = """{"command":"collector mark","args":["alpha","u1","delete"],"token":null}""";
        Assert.Equal(text, CommandWire.ToLine(request));
        Assert.Equal(["collector", "mark", "alpha", "u1", "delete"], CommandWire.ReadRequest(text).Words());

        var add = CommandRequest.For(["collector", "add", "beta"], "t0ken", "s3cret");
        Assert.Equal("""{"command":"collector add","args":["beta"],"token":"t0ken","password":"s3cret"}""", CommandWire.ToLine(add));
        var read = CommandWire.ReadRequest(CommandWire.ToLine(add));
        Assert.Equal(("t0ken", "s3cret"), (read.Token, read.Password));
    }

    [Fact]
    public void A_one_word_request_without_args_leaves_them_out()
    {
        // collectorctl's completer asks "help" this way.
        Assert.Equal("""{"command":"help","token":"t"}""", CommandWire.ToLine(new CommandRequest("help", null, "t")));
        Assert.Equal("""{"command":"help","args":[],"token":null}""", CommandWire.ToLine(CommandRequest.For(["help"], null)));
        Assert.Equal(["help"], CommandWire.ReadRequest("""{"command":"help"}""").Words());
    }

    [Fact]
    public void The_token_and_password_stay_out_of_the_request_text_for_logs()
    {
        var text = CommandRequest.For(["collector", "add", "beta"], "t0ken", "s3cret").ToString();
        Assert.Equal("collector add beta", text);
    }

    [Theory]
    [InlineData("[1]", "expected a JSON object")]
    [InlineData("null", "expected a JSON object")]
    [InlineData("""{"args":["x"]}""", "no \"command\"")]
    [InlineData("""{"command":"collector show","args":[null]}""", "\"args\" must be strings")]
    [InlineData("""{"command":"collector show","args":[1]}""", "\"args\" must be strings")]
    [InlineData("""{"command":"collector show","args":"alpha"}""", "\"args\" must be an array of strings")]
    [InlineData("""{"command":"x","token":5}""", "\"token\" must be a string")]
    [InlineData("""{"command":["x"]}""", "\"command\" must be a string")]
    [InlineData("""{"command":"x","password":{"p":1}}""", "\"password\" must be a string")]
    [InlineData("not json", "invalid JSON literal")]
    [InlineData("""{"command":"x" """, "LineNumber")]
    public void A_bad_request_is_refused_saying_what_is_wrong(string line, string expected)
    {
        var e = Assert.Throws<JsonException>(() => CommandWire.ReadRequest(line).Words());
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("CollectorCluster", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_success_carries_lines_and_data_even_when_data_is_null_and_no_error()
    {
        var data = new JsonObject { ["id"] = "alpha", ["paused"] = true, ["address"] = null, ["bytes"] = 1234L };
        const string text = """{"ok":true,"lines":["alpha: paused","caf\u00E9 \u003Cb\u003E"],"data":{"id":"alpha","paused":true,"address":null,"bytes":1234}}""";
        Assert.Equal(text, CommandWire.ToLine(CommandResponse.Success(["alpha: paused", "café <b>"], data)));
        Assert.Equal("""{"ok":true,"lines":["(node stopping)"],"data":null}""", CommandWire.ToLine(CommandResponse.Success(["(node stopping)"], null)));

        var read = CommandWire.ReadResponse(text);
        Assert.True(read.Ok);
        Assert.Equal(["alpha: paused", "café <b>"], read.Lines);
        Assert.Equal(1234, read.Data!["bytes"]!.GetValue<long>());
        Assert.Null(read.Error);
    }

    [Fact]
    public void A_failure_carries_only_the_error_even_when_the_palette_kept_lines_and_data()
    {
        const string text = """{"ok":false,"error":"unknown account \u0027nosuch\u0027"}""";
        Assert.Equal(text, CommandWire.ToLine(CommandResponse.Failure("unknown account 'nosuch'")));
        var failedCollect = new CommandResponse(false, ["alpha: failed"], new JsonObject { ["id"] = "alpha" }, "alpha: failed");
        Assert.Equal("""{"ok":false,"error":"alpha: failed"}""", CommandWire.ToLine(failedCollect));

        var read = CommandWire.ReadResponse(text);
        Assert.False(read.Ok);
        Assert.Equal("unknown account 'nosuch'", read.Error);
        Assert.Empty(read.Lines);
        Assert.Null(read.Data);
    }

    [Fact]
    public void An_answer_that_is_not_an_object_is_refused()
    {
        Assert.Throws<JsonException>(() => CommandWire.ReadResponse("null"));
        Assert.Throws<JsonException>(() => CommandWire.ReadResponse("[true]"));
    }

    [Fact]
    public void Progress_frames_carry_only_their_fields_in_an_envelope()
    {
        var account = new JsonObject { ["id"] = "alpha", ["succeeded"] = true };
        const string step = """{"progress":{"done":1,"total":2,"line":"alpha: ok","account":{"id":"alpha","succeeded":true}}}""";
        Assert.Equal(step, CommandWire.ToLine(ProgressFrame.Step(1, 2, "alpha: ok", account)));
        Assert.Equal("""{"progress":{"done":0,"total":2,"line":"collecting 2 account(s)"}}""", CommandWire.ToLine(ProgressFrame.Step(0, 2, "collecting 2 account(s)")));
        Assert.Equal("""{"progress":{"line":"a log line"}}""", CommandWire.ToLine(ProgressFrame.Text("a log line")));
        Assert.Equal("""{"progress":{"heartbeat":true}}""", CommandWire.ToLine(ProgressFrame.Beat));

        var read = CommandWire.ReadProgress(step)!;
        Assert.Equal((1, 2, "alpha: ok", false), (read.Done, read.Total, read.Line, read.IsHeartbeat));
        Assert.Equal("alpha", read.Account!["id"]!.GetValue<string>());
        Assert.True(CommandWire.ReadProgress("""{"progress":{"heartbeat":true}}""")!.IsHeartbeat);
    }

    [Theory]
    [InlineData("""{"ok":true,"lines":[],"data":null}""")]
    [InlineData("""{"ok":false,"error":"x"}""")]
    [InlineData("not json")]
    [InlineData("""{"progress":"not a frame"}""")]
    public void A_line_that_is_not_a_progress_frame_reads_as_none(string line) => Assert.Null(CommandWire.ReadProgress(line));

    [Fact]
    public void Help_lists_palettes_with_verbs_and_argument_hints()
    {
        var help = new CommandHelp(
            [new PaletteHelp("collector", [CommandUsage.Parse("collector collect <id>|--all"), CommandUsage.Parse("collector list [--status ok|failed]")]),
             new PaletteHelp("tokens", [CommandUsage.Parse("tokens show")])],
            ["collector collect <id>|--all", "collector list [--status ok|failed]", "tokens show", "help [palette]"]);
        const string text = """
            {"palettes":[{"name":"collector","commands":[{"usage":"collector collect \u003Cid\u003E|--all","verb":"collect","arguments":["\u003Cid\u003E|--all"]},{"usage":"collector list [--status ok|failed]","verb":"list","arguments":["[--status","ok|failed]"]}]},{"name":"tokens","commands":[{"usage":"tokens show","verb":"show","arguments":[]}]}],"commands":["collector collect \u003Cid\u003E|--all","collector list [--status ok|failed]","tokens show","help [palette]"]}
            """;
        var data = CommandWire.ToData(help);
        Assert.Equal(text, data.ToJsonString());
        Assert.Equal("""{"ok":true,"lines":["tokens show"],"data":""" + text + "}", CommandWire.ToLine(CommandResponse.Success(["tokens show"], data)));

        var read = CommandWire.ReadHelp(CommandWire.ReadResponse(CommandWire.ToLine(CommandResponse.Success([], data))).Data)!;
        Assert.Equal(["collector", "tokens"], read.Palettes.Select(p => p.Name));
        Assert.Equal(help.Palettes[0].Commands, read.Palettes[0].Commands, (a, b) => a.Usage == b.Usage && a.Verb == b.Verb && a.Arguments.SequenceEqual(b.Arguments));
        Assert.Equal(help.Commands, read.Commands);
    }

    [Theory]
    [InlineData("cluster show", "show", "")]
    [InlineData("cluster leave [<address>]", "leave", "[<address>]")]
    [InlineData("help", "", "")]
    [InlineData("collector  reset <id>  [--yes]", "reset", "<id> [--yes]")]
    public void A_usage_line_splits_into_verb_and_argument_hints(string usage, string verb, string arguments)
    {
        var parsed = CommandUsage.Parse(usage);
        Assert.Equal((usage, verb, arguments), (parsed.Usage, parsed.Verb, string.Join(' ', parsed.Arguments)));
    }
}
