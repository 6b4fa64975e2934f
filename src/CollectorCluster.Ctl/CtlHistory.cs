namespace CollectorCluster.Ctl;

/// <summary>
/// The interactive prompt's history, kept in <c>$XDG_STATE_HOME/collector-cluster/ctl_history</c>
/// (<c>~/.local/state/...</c> by default): one command per line, the last <see cref="Keep"/> kept.
/// </summary>
public sealed class CtlHistory
{
    /// <summary>How many commands the file keeps.</summary>
    public const int Keep = 500;

    private readonly List<string> _entries;

    private CtlHistory(string path, List<string> entries)
    {
        Path = path;
        _entries = entries;
    }

    /// <summary>The history file.</summary>
    public string Path { get; }

    /// <summary>The commands, oldest first.</summary>
    public IReadOnlyList<string> Entries => _entries;

    /// <summary>The default file location.</summary>
    public static string DefaultPath()
    {
        var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        if (string.IsNullOrEmpty(state))
        {
            state = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        }

        return System.IO.Path.Combine(state, "collector-cluster", "ctl_history");
    }

    /// <summary>Reads the file (missing or unreadable: empty history; history is a convenience, never a reason to fail).</summary>
    public static CtlHistory Load(string path)
    {
        try
        {
            return new CtlHistory(path, File.Exists(path) ? [.. File.ReadAllLines(path).Where(l => l.Length > 0).TakeLast(Keep)] : []);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new CtlHistory(path, []);
        }
    }

    /// <summary>Adds a command (not a repeat of the last one) and rewrites the file.</summary>
    public void Add(string command)
    {
        if (command.Length == 0 || (_entries.Count > 0 && _entries[^1] == command))
        {
            return;
        }

        _entries.Add(command);
        if (_entries.Count > Keep)
        {
            _entries.RemoveRange(0, _entries.Count - Keep);
        }

        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            File.WriteAllLines(Path, _entries);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not worth interrupting the operator for.
        }
    }
}
