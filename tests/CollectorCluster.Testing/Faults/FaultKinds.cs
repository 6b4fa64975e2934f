namespace CollectorCluster.Testing.Faults;

/// <summary>The names of the fault kinds (as the results table prints them) and where each applies.</summary>
public static class FaultKinds
{
    /// <summary>Every kind, in table order.</summary>
    public static IReadOnlyList<FaultKind> All { get; } = Enum.GetValues<FaultKind>();

    /// <summary>The kind's name in the table and on the command line.</summary>
    public static string Name(FaultKind kind) => kind switch
    {
        FaultKind.AfterGreeting => "after-greeting",
        FaultKind.MidCapa => "mid-capa",
        FaultKind.MidUidl => "mid-uidl",
        FaultKind.MidList => "mid-list",
        FaultKind.MidRetr => "mid-retr",
        FaultKind.AfterDele => "after-dele",
        FaultKind.QuitUnanswered => "quit-no-ok",
        FaultKind.KillRun => "kill-9-run",
        FaultKind.TermOnce => "sigterm-once",
        FaultKind.JournalReadOnly => "journal-ro",
        FaultKind.PostgresStopped => "pg-stopped",
        FaultKind.DestinationFull => "dest-full",
        FaultKind.UidlChange => "uidl-change",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The mode's name in the table.</summary>
    public static string Name(CollectionMode mode) => mode.ToString().ToLowerInvariant();

    /// <summary>The destination's name in the table.</summary>
    public static string Name(DestinationKind destination) => destination.ToString().ToLowerInvariant();

    /// <summary>The kind a name stands for.</summary>
    /// <exception cref="ArgumentException">No kind has that name.</exception>
    public static FaultKind Parse(string name)
    {
        foreach (var kind in All)
        {
            if (Name(kind) == name)
            {
                return kind;
            }
        }

        throw new ArgumentException($"unknown fault kind '{name}' (known: {string.Join(", ", All.Select(k => Name(k)))})", nameof(name));
    }

    /// <summary>
    /// Whether the kind can strike in that mode and destination: mirror needs a Maildir; a leave-on-server session sends
    /// no DELE, so there is no "after DELE" to cut at.
    /// </summary>
    public static bool Applies(FaultKind kind, CollectionMode mode, DestinationKind destination) =>
        !(mode == CollectionMode.Mirror && destination == DestinationKind.Lmtp)
        && !(kind == FaultKind.AfterDele && mode == CollectionMode.Leave);

    /// <summary>True for the kinds that run the collector as a process (kill, signal, a journal broken under it).</summary>
    public static bool RunsProcess(FaultKind kind) =>
        kind is FaultKind.KillRun or FaultKind.TermOnce or FaultKind.JournalReadOnly or FaultKind.PostgresStopped;

    /// <summary>
    /// True when the fault itself can end a session between an LMTP server's 250 and the journal write (the process
    /// dies, or the journal refuses the write): where the README's documented LMTP window applies.
    /// </summary>
    public static bool OpensLmtpWindow(FaultKind kind) =>
        kind is FaultKind.KillRun or FaultKind.JournalReadOnly or FaultKind.PostgresStopped;
}
