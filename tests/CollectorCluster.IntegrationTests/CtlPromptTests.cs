using System.Text.Json.Nodes;
using CollectorCluster.Ctl;
using CollectorCluster.Wire;

namespace CollectorCluster.IntegrationTests;

/// <summary>
/// collectorctl's client-side pieces without a node: completion from a <c>help</c> answer, the progress display in
/// both modes, and the history file.
/// </summary>
public sealed class CtlPromptTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cc-ctl-").FullName;

    /// <summary>The shape the command host's <c>help</c> sends as data, read as collectorctl reads it.</summary>
    private static readonly CommandHelp? Help = CommandWire.ReadHelp(JsonNode.Parse("""
        {"palettes":[
          {"name":"collector","commands":[
            {"usage":"collector list [--node] [--status ok|failed]","verb":"list","arguments":["[--node]","[--status","ok|failed]"]},
            {"usage":"collector collect <id>|--all","verb":"collect","arguments":["<id>|--all"]},
            {"usage":"collector mark <id> <uidl> download|delete|clear","verb":"mark","arguments":["<id>","<uidl>","download|delete|clear"]}]},
          {"name":"cluster","commands":[
            {"usage":"cluster show","verb":"show","arguments":[]},
            {"usage":"cluster status","verb":"status","arguments":[]}]}]}
        """));

    private static readonly CommandCompleter Completer = new(Help, ["alpha", "beta"]);

    [Theory]
    [InlineData("", "cluster collector exit help")]
    [InlineData("cl", "cluster")]
    [InlineData("cluster ", "show status")]
    [InlineData("cluster s", "show status")]
    [InlineData("cluster st", "status")]
    [InlineData("collector collect ", "--all alpha beta")]
    [InlineData("collector collect a", "alpha")]
    [InlineData("collector list --", "--node --status")]
    [InlineData("collector mark alpha u1 d", "delete download")]
    [InlineData("help c", "cluster collector")]
    [InlineData("nosuch ", "")]
    public void Completes_palettes_verbs_options_choices_and_accounts(string line, string expected) =>
        Assert.Equal(expected, string.Join(' ', Completer.Candidates(line)));

    [Theory]
    [InlineData(new[] { "status", "show" }, "s")]
    [InlineData(new[] { "download", "down-unreachable" }, "down")]
    [InlineData(new[] { "only" }, "only")]
    [InlineData(new string[0], "")]
    public void Common_prefix_is_what_tab_inserts(string[] candidates, string expected) =>
        Assert.Equal(expected, CommandCompleter.CommonPrefix(candidates));

    [Fact]
    public void Progress_is_one_plain_line_per_frame_when_piped_and_absent_in_json_mode()
    {
        var piped = new StringWriter();
        var display = new ProgressDisplay(piped, terminal: false, json: false);
        display.Show(Frame(0, 2, "collecting 2 account(s)"));
        display.Show(Frame(1, 2, "alpha: ok"));
        display.Show(ProgressFrame.Beat);
        display.Show(Frame(2, 2, "beta: ok"));
        display.EndBar();
        Assert.Equal("[0/2] collecting 2 account(s)\n[1/2] alpha: ok\n[2/2] beta: ok\n", piped.ToString().ReplaceLineEndings("\n"));

        var json = new StringWriter();
        var quiet = new ProgressDisplay(json, terminal: false, json: true);
        quiet.Show(Frame(1, 2, "alpha: ok"));
        quiet.Show(ProgressFrame.Text("a followed log line"));
        Assert.Equal("a followed log line\n", json.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Progress_on_a_terminal_is_a_bar_redrawn_in_place_with_finished_lines_above_it()
    {
        var terminal = new StringWriter();
        var display = new ProgressDisplay(terminal, terminal: true, json: false);
        display.Show(Frame(0, 2, "collecting"));
        display.Show(Frame(1, 2, "alpha: ok"));
        display.EndBar();
        var text = terminal.ToString();
        Assert.Contains("\r\u001b[K[" + new string('.', 30) + "] 0/2", text);
        Assert.Contains("\r\u001b[Kalpha: ok\n", text);
        Assert.Contains("[" + new string('#', 15) + new string('.', 15) + "] 1/2", text);
        Assert.EndsWith(Environment.NewLine, text);
    }

    [Fact]
    public void History_survives_reloads_skips_repeats_and_keeps_the_newest()
    {
        var path = Path.Combine(_dir, "state", "collector-cluster", "ctl_history");
        var history = CtlHistory.Load(path);
        Assert.Empty(history.Entries);
        history.Add("cluster show");
        history.Add("cluster show");
        history.Add("collector list");
        Assert.Equal(["cluster show", "collector list"], CtlHistory.Load(path).Entries);
        var full = CtlHistory.Load(path);
        for (var i = 0; i < CtlHistory.Keep + 10; i++)
        {
            full.Add($"collector show a{i}");
        }

        var reloaded = CtlHistory.Load(path);
        Assert.Equal(CtlHistory.Keep, reloaded.Entries.Count);
        Assert.Equal($"collector show a{CtlHistory.Keep + 9}", reloaded.Entries[^1]);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ProgressFrame Frame(int done, int total, string line) => ProgressFrame.Step(done, total, line);
}
