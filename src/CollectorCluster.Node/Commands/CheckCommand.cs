using CollectorCluster.Node.Configuration;

namespace CollectorCluster.Node.Commands;

/// <summary>
/// <c>collector check --config FILE</c>: validates the file and lists the accounts (never their passwords), the
/// schedule warnings and the security warnings (<see cref="SecurityWarnings"/>: secret files others can read,
/// logins without TLS).
/// </summary>
public static class CheckCommand
{
    /// <summary>Prints the accounts and the warnings; returns 0.</summary>
    public static int Run(CollectorOptions options, TextWriter output)
    {
        output.WriteLine($"{options.ConfigFile}: {options.Accounts.Count} account(s); journal {options.Journal.Provider}; max-pop3-clients {options.MaxPop3Clients}");
        foreach (var a in options.Accounts)
        {
            var leave = a.LeaveMailOnServer ? a.DeleteAfterDays is { } days ? $"leave on server, delete after {days}d" : "leave on server" : "delete after collection";
            output.WriteLine($"  {a.Id}: {a.Address}:{a.Port} ssl={a.Ssl.ToString().ToLowerInvariant()} every {a.CheckEvery} -> {a.Mailbox} ({leave}){(a.Enabled ? "" : " [disabled]")}");
        }

        foreach (var warning in options.Warnings.Concat(SecurityWarnings.For(options)))
        {
            output.WriteLine("  warning: " + warning);
        }

        return 0;
    }
}
