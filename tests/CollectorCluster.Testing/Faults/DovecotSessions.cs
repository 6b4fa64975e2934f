using System.Net.Sockets;
using System.Text;

namespace CollectorCluster.Testing.Faults;

/// <summary>What the fault campaign asks of the private Dovecot besides its mailboxes: has a user's last session ended, what UIDLs does it list, and renumbering a mailbox.</summary>
public static class DovecotSessions
{
    /// <summary>
    /// Waits until Dovecot logged as many disconnects of <paramref name="user"/>'s POP3 sessions as logins, so no process
    /// of it touches the Maildir any more (a cut link ends the server's side a little later than the client's).
    /// Probes the log; gives up after <paramref name="limit"/> (returns false).
    /// </summary>
    public static async Task<bool> WaitForSessionsToEndAsync(DovecotServer server, string user, TimeSpan limit, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var prefix = $"pop3({user})";
        while (true)
        {
            var log = await server.ReadLogAsync(cancellationToken).ConfigureAwait(false);
            var lines = log.Split('\n');
            var logins = lines.Count(l => l.Contains($"Login: user=<{user}>", StringComparison.Ordinal));
            var ended = lines.Count(l => l.Contains(prefix, StringComparison.Ordinal) && l.Contains("Disconnected", StringComparison.Ordinal));
            if (ended >= logins)
            {
                return true;
            }

            if (DateTimeOffset.UtcNow - started > limit)
            {
                return false;
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The UIDLs Dovecot lists for <paramref name="user"/> now (a login of its own; changes nothing).</summary>
    public static async Task<IReadOnlyList<string>> UidlsAsync(DovecotServer server, TestMailUser user, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.PlainPort, cancellationToken).ConfigureAwait(false);
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.Latin1);
        await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"USER {user.Name}\r\nPASS {user.Password}\r\nUIDL\r\nQUIT\r\n"), cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < 3; i++)
        {
            var status = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (status is null || !status.StartsWith("+OK", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Dovecot refused the UIDL listing of {user.Name}: {status}");
            }
        }

        var uidls = new List<string>();
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line && line != ".")
        {
            uidls.Add(line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        }

        return uidls;
    }

    /// <summary>
    /// Renumbers <paramref name="user"/>'s mailbox as a restored or migrated server does: Dovecot's UID list and indexes
    /// are removed, so it gives every message a new UID under a new UIDVALIDITY, and every UIDL changes. No session of
    /// the user may be running.
    /// </summary>
    public static void Renumber(DovecotServer server, string user)
    {
        var maildir = server.MaildirPath(user);
        foreach (var file in Directory.EnumerateFiles(maildir))
        {
            var name = Path.GetFileName(file);
            if (name == "dovecot-uidlist" || name.StartsWith("dovecot.index", StringComparison.Ordinal) || name.StartsWith("dovecot.list.index", StringComparison.Ordinal))
            {
                File.Delete(file);
            }
        }
    }
}
