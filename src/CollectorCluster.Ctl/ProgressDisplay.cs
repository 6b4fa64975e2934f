using CollectorCluster.Wire;

namespace CollectorCluster.Ctl;

/// <summary>
/// Shows the progress frames a command sends ahead of its answer: a redrawn bar on a terminal, one plain line per
/// frame when stdout is piped (so logs and scripts get whole lines); content frames (<c>log tail --follow</c>) are
/// printed as they come, heartbeats are dropped.
/// </summary>
public sealed class ProgressDisplay
{
    private const int BarWidth = 30;
    private readonly TextWriter _out;
    private readonly bool _terminal;
    private readonly bool _json;
    private bool _barShown;

    /// <summary>Creates the display for one command.</summary>
    public ProgressDisplay(TextWriter output, bool terminal, bool json)
    {
        _out = output;
        _terminal = terminal;
        _json = json;
    }

    /// <summary>Shows one frame.</summary>
    public void Show(ProgressFrame frame)
    {
        if (frame.IsHeartbeat)
        {
            return;
        }

        var line = TerminalText.Sanitize(frame.Line); // the node's text (a followed log, a server's reply): never raw control characters
        if (frame.Total is not { } total)
        {
            EndBar();
            _out.WriteLine(line); // content, in --json mode too (a followed log is text)
            return;
        }

        if (_json)
        {
            return; // the final answer carries the same results as data
        }

        var done = frame.Done ?? 0;
        if (!_terminal)
        {
            _out.WriteLine($"[{done}/{total}] {line}");
            return;
        }

        // The finished account's line scrolls up; the bar stays on the last line.
        if (done > 0)
        {
            _out.Write("\r\u001b[K" + line + "\n");
        }

        var filled = total == 0 ? BarWidth : done * BarWidth / total;
        _out.Write($"\r\u001b[K[{new string('#', filled)}{new string('.', BarWidth - filled)}] {done}/{total}");
        _barShown = true;
    }

    /// <summary>Ends the bar's line before the answer is printed.</summary>
    public void EndBar()
    {
        if (_barShown)
        {
            _out.WriteLine();
            _barShown = false;
        }
    }
}
