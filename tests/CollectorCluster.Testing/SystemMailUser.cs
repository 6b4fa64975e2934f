using CollectorCluster.Testing.Processes;

namespace CollectorCluster.Testing;

/// <summary>
/// The unprivileged system account that owns test mailboxes (Dovecot refuses mail access as uid 0);
/// created once with useradd when missing, tolerant of another test process creating it concurrently.
/// </summary>
public sealed record SystemMailUser(string Name, int Uid, int Gid)
{
    /// <summary>The default account name.</summary>
    public const string DefaultName = "ccmail";

    /// <summary>Looks up <paramref name="name"/> in /etc/passwd, creating it as a system user if absent.</summary>
    public static async Task<SystemMailUser> EnsureAsync(string name = DefaultName, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (TryLookup(name) is { } existing)
            {
                return existing;
            }

            var result = await ProcessRunner.RunAsync(
                "useradd",
                ["--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", name],
                TimeSpan.FromSeconds(30),
                cancellationToken).ConfigureAwait(false);

            // Exit 9 = already exists (another process won the race); 10 = /etc/passwd locked: look again.
            if (result.ExitCode is not (0 or 9 or 10))
            {
                throw new InvalidOperationException($"useradd {name} failed ({result.ExitCode}): {result.Combined}");
            }
        }

        return TryLookup(name) ?? throw new InvalidOperationException($"System user '{name}' could not be created.");
    }

    /// <summary>Reads <paramref name="name"/>'s uid and gid from /etc/passwd, or null when absent.</summary>
    public static SystemMailUser? TryLookup(string name)
    {
        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var fields = line.Split(':');
            if (fields.Length >= 4 && fields[0] == name)
            {
                return new SystemMailUser(name, int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture),
                    int.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return null;
    }
}
