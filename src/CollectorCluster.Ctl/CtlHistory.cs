namespace CollectorCluster.Ctl;

/// <summary>
/// The interactive prompt's history, kept in <c>$XDG_STATE_HOME/collector-cluster/ctl_history</c>
/// (<c>~/.local/state/...</c> by default): one command per line, the last <see cref="Keep"/> kept. The file is the
/// operator's alone (0600, its directory 0700), and a line that carries a secret (<c>--password...</c>,
/// <c>--token...</c>, <c>--secret...</c>, <c>--refresh-token</c>, <c>--client-secret</c>) is never written, and dropped
/// when an older file had one.
/// </summary>
public sealed class CtlHistory
{
    /// <summary>How many commands the file keeps.</summary>
    public const int Keep = 500;

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

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

    /// <summary>True when <paramref name="command"/> carries a secret (an option named for a password, token or secret, or what follows it).</summary>
    public static bool HoldsSecret(string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return command.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(word =>
            word.StartsWith("--", StringComparison.Ordinal)
            && (word.Contains("password", StringComparison.OrdinalIgnoreCase)
                || word.Contains("token", StringComparison.OrdinalIgnoreCase)
                || word.Contains("secret", StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>Reads the file (missing or unreadable: empty history; history is a convenience, never a reason to fail).</summary>
    public static CtlHistory Load(string path)
    {
        try
        {
            var lines = File.Exists(path) ? File.ReadAllLines(path) : [];
            var history = new CtlHistory(path, [.. lines.Where(l => l.Length > 0 && !HoldsSecret(l)).TakeLast(Keep)]);
            if (lines.Length > 0 && (history._entries.Count != lines.Count(l => l.Length > 0) || !OwnerOnlyMode(path)))
            {
                // An older collectorctl kept a secret line, or the file is open to others: rewrite it, 0600.
                history.Save();
            }

            return history;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new CtlHistory(path, []);
        }
    }

    /// <summary>Adds a command (not a repeat of the last one, never one that holds a secret) and rewrites the file.</summary>
    public void Add(string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Length == 0 || HoldsSecret(command) || (_entries.Count > 0 && _entries[^1] == command))
        {
            return;
        }

        _entries.Add(command);
        if (_entries.Count > Keep)
        {
            _entries.RemoveRange(0, _entries.Count - Keep);
        }

        Save();
    }

    private static bool OwnerOnlyMode(string path) => OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & ~OwnerOnly) == 0;

    /// <summary>Writes the whole file under a temporary name created 0600 and moves it into place, so it is never open to others, not even for a moment.</summary>
    private void Save()
    {
        try
        {
            var directory = System.IO.Path.GetDirectoryName(Path)!;
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var temporary = Path + ".tmp";
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerOnly;
            }

            File.Delete(temporary); // a leftover could have another mode: Create keeps an existing file's
            using (var writer = new StreamWriter(new FileStream(temporary, options)))
            {
                foreach (var entry in _entries)
                {
                    writer.WriteLine(entry);
                }
            }

            File.Move(temporary, Path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not worth interrupting the operator for.
        }
    }
}
