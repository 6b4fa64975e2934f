using System.Text;

namespace CollectorCluster.Ctl;

/// <summary>
/// The interactive prompt on a terminal, with System.Console key handling only: editing, up/down through the
/// history, TAB completion (one candidate: inserted; several: their common prefix, and a second TAB lists them),
/// Ctrl+C clears the line, Ctrl+D on an empty line ends.
/// </summary>
public sealed class LineEditor
{
    private readonly CtlHistory _history;
    private readonly Func<CommandCompleter> _completer;

    /// <summary>Creates the editor; the completer is asked for lazily (it needs the node's <c>help</c>).</summary>
    public LineEditor(CtlHistory history, Func<CommandCompleter> completer)
    {
        _history = history;
        _completer = completer;
    }

    /// <summary>Reads one line; null at Ctrl+D on an empty line.</summary>
    public string? ReadLine(string prompt)
    {
        var buffer = new StringBuilder();
        var cursor = 0;
        var browsing = _history.Entries.Count;
        var lastWasTab = false;
        Console.Out.Write(prompt);
        var treatCtrlC = Console.TreatControlCAsInput;
        Console.TreatControlCAsInput = true;
        try
        {
            while (true)
            {
                var key = Console.ReadKey(intercept: true);
                var tab = key.Key == ConsoleKey.Tab;
                switch (key)
                {
                    case { Key: ConsoleKey.Enter }:
                        Console.Out.WriteLine();
                        return buffer.ToString();
                    case { Key: ConsoleKey.D, Modifiers: ConsoleModifiers.Control } when buffer.Length == 0:
                        Console.Out.WriteLine();
                        return null;
                    case { Key: ConsoleKey.C, Modifiers: ConsoleModifiers.Control }:
                        Console.Out.WriteLine("^C");
                        buffer.Clear();
                        cursor = 0;
                        Console.Out.Write(prompt);
                        continue;
                    case { Key: ConsoleKey.Backspace } when cursor > 0:
                        buffer.Remove(--cursor, 1);
                        break;
                    case { Key: ConsoleKey.Delete } when cursor < buffer.Length:
                        buffer.Remove(cursor, 1);
                        break;
                    case { Key: ConsoleKey.LeftArrow } when cursor > 0:
                        cursor--;
                        break;
                    case { Key: ConsoleKey.RightArrow } when cursor < buffer.Length:
                        cursor++;
                        break;
                    case { Key: ConsoleKey.Home } or { Key: ConsoleKey.A, Modifiers: ConsoleModifiers.Control }:
                        cursor = 0;
                        break;
                    case { Key: ConsoleKey.End } or { Key: ConsoleKey.E, Modifiers: ConsoleModifiers.Control }:
                        cursor = buffer.Length;
                        break;
                    case { Key: ConsoleKey.UpArrow } when browsing > 0:
                        Replace(buffer, _history.Entries[--browsing], ref cursor);
                        break;
                    case { Key: ConsoleKey.DownArrow } when browsing < _history.Entries.Count:
                        browsing++;
                        Replace(buffer, browsing == _history.Entries.Count ? "" : _history.Entries[browsing], ref cursor);
                        break;
                    case { Key: ConsoleKey.Tab }:
                        Complete(buffer, ref cursor, lastWasTab, prompt);
                        break;
                    case var k when k.KeyChar >= ' ' && !char.IsControl(k.KeyChar):
                        buffer.Insert(cursor++, k.KeyChar);
                        break;
                }

                lastWasTab = tab;
                Redraw(prompt, buffer, cursor);
            }
        }
        finally
        {
            Console.TreatControlCAsInput = treatCtrlC;
        }
    }

    private static void Replace(StringBuilder buffer, string text, ref int cursor)
    {
        buffer.Clear().Append(text);
        cursor = buffer.Length;
    }

    private void Complete(StringBuilder buffer, ref int cursor, bool listAll, string prompt)
    {
        var before = buffer.ToString(0, cursor);
        var candidates = _completer().Candidates(before);
        if (candidates.Count == 0)
        {
            return;
        }

        var word = before.Length == 0 || before.EndsWith(' ') ? "" : before.Split(' ')[^1];
        var insert = candidates.Count == 1 ? candidates[0] + " " : CommandCompleter.CommonPrefix(candidates);
        if (insert.Length > word.Length)
        {
            buffer.Insert(cursor, insert[word.Length..]);
            cursor += insert.Length - word.Length;
        }
        else if (listAll && candidates.Count > 1)
        {
            Console.Out.WriteLine();
            Console.Out.WriteLine(string.Join("  ", candidates));
            Console.Out.Write(prompt);
        }
    }

    /// <summary>Rewrites the line: back to column 0, prompt and text, clear the rest, then the cursor back in place (ANSI).</summary>
    private static void Redraw(string prompt, StringBuilder buffer, int cursor)
    {
        var text = buffer.ToString();
        Console.Out.Write("\r" + prompt + text + "\u001b[K");
        if (text.Length > cursor)
        {
            Console.Out.Write($"\u001b[{text.Length - cursor}D");
        }
    }
}
