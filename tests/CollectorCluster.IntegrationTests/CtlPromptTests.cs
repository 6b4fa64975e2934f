using System.Text.Json.Nodes;
using CollectorCluster.Ctl;
using CollectorCluster.Testing;
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

    [Theory]
    [InlineData("collector add x --password hunter2", true)]
    [InlineData("collector add x --password-stdin", true)]
    [InlineData("node show --token cctok_abc", true)]
    [InlineData("node show --token-file /run/t", true)]
    [InlineData("collector edit x --client-secret s", true)]
    [InlineData("collector edit x --refresh-token r", true)]
    [InlineData("collector list --status ok", false)]
    [InlineData("collector mark a u1 delete --yes", false)]
    [InlineData("collector show token", false)]
    public void A_line_with_a_secret_option_is_recognised(string line, bool secret) =>
        Assert.Equal(secret, CtlHistory.HoldsSecret(line));

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void History_is_written_0600_and_an_older_file_open_to_others_or_holding_a_secret_is_rewritten()
    {
        var path = Path.Combine(_dir, "old", "collector-cluster", "ctl_history");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllLines(path, ["cluster show", "collector add x --password " + TestSecrets.Password("old-history"), "collector list"]);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var history = CtlHistory.Load(path);
        Assert.Equal(["cluster show", "collector list"], history.Entries);
        Assert.Equal(["cluster show", "collector list"], File.ReadAllLines(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));

        history.Add("node show --token " + TestSecrets.Password("new-history"));
        history.Add("node show");
        Assert.Equal(["cluster show", "collector list", "node show"], File.ReadAllLines(path));
        Assert.DoesNotContain(TestSecrets.Marker, File.ReadAllText(path), StringComparison.Ordinal);

        var fresh = Path.Combine(_dir, "fresh", "collector-cluster", "ctl_history");
        CtlHistory.Load(fresh).Add("cluster show");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(fresh));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(fresh)!));
    }

    [Fact]
    public void Printed_text_from_the_node_is_made_terminal_safe_and_completion_offers_no_control_characters()
    {
        var output = new StringWriter();
        new ProgressDisplay(output, terminal: false, json: false).Show(ProgressFrame.Text("2026 warn: -ERR \u001b]0;owned\u0007 \rforged"));
        Assert.Equal("2026 warn: -ERR \\x1b]0;owned\\x07 \\x0dforged\n", output.ToString().ReplaceLineEndings("\n"));

        var completer = new CommandCompleter(Help, ["alpha", "ev\u001b[2Jil"]);
        Assert.Equal("--all alpha", string.Join(' ', completer.Candidates("collector collect ")));
    }

    public void Dispose()
    {
        TestArtifacts.KeepFrom(_dir);
        Directory.Delete(_dir, recursive: true);
    }

    private static ProgressFrame Frame(int done, int total, string line) => ProgressFrame.Step(done, total, line);
}
