using System.Text.RegularExpressions;
using CollectorCluster.Core.Migration;
using CollectorCluster.Core.Routing;
using CollectorCluster.Node.Configuration;

namespace CollectorCluster.Node.Import;

/// <summary>
/// <c>collector import</c>'s work: reads the peer's files, turns each account into our HOCON (checked by the same
/// parser as a node file, account by account and as a whole), writes passwords to 0600 files (or leaves them out) and
/// the peer's UIDL state to <c>imported-uidls</c> seeds, and gathers every note on what did not carry over. Nothing is
/// dropped silently: an account that cannot be written is a note saying why.
/// </summary>
internal static partial class PeerImport
{
    /// <summary>The environment variable a password left out is read from: <c>COLLECTOR_PASSWORD_</c> + the id, upper case.</summary>
    public static string PasswordVariable(string id) => "COLLECTOR_PASSWORD_" + NotWord().Replace(id.ToUpperInvariant(), "_");

    /// <summary>Imports; files are written under <c>OUT.d/</c> beside <see cref="ImportOptions.Out"/> (nothing is written without it).</summary>
    /// <exception cref="IOException">A peer file cannot be read, or the output (or its <c>.d</c> directory) exists already.</exception>
    /// <exception cref="FormatException">A peer file cannot be tokenized (naming the line).</exception>
    public static ImportReport Run(ImportOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        var outFile = options.Out is null ? null : Path.GetFullPath(options.Out);
        var outDirectory = outFile is null ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(outFile)!;
        var sideDirectory = outFile is null ? null : outFile + ".d";
        if (outFile is not null && (File.Exists(outFile) || Directory.Exists(sideDirectory)))
        {
            throw new IOException($"{(File.Exists(outFile) ? outFile : sideDirectory)} exists already: choose another --out (the import never overwrites)");
        }

        var notes = new List<ImportNote>();
        var peers = ReadPeers(options, notes);
        var written = new List<ImportedAccount>();
        var texts = new List<string>();
        var files = new List<string>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var peer in peers)
        {
            var id = UniqueId(peer.Name, ids);
            var accountNotes = peer.Notes.ToList();
            var where = peer.Origin;
            var (mailbox, multidrop, problem) = Delivery(peer, options, accountNotes);
            if (problem is not null)
            {
                notes.AddRange(accountNotes);
                notes.Add(new ImportNote(where, $"account {peer.User} at {peer.Server} is not written: {problem}"));
                continue;
            }

            var created = new List<string>();
            var passwordKey = Password(peer, id, options, sideDirectory, outDirectory, accountNotes, created);
            var seed = Seed(peer, id, options, sideDirectory, outDirectory, accountNotes, created);
            var account = new ImportedAccount(peer, id, passwordKey, mailbox, multidrop, seed, accountNotes);
            var text = AccountHoconWriter.Account(account);
            if (Check(text, outDirectory) is { } error)
            {
                created.ForEach(File.Delete);
                notes.AddRange(accountNotes);
                notes.Add(new ImportNote(where, $"account {peer.User} at {peer.Server} is not written: {error}"));
                continue;
            }

            ids.Add(id);
            written.Add(account);
            texts.Add(text);
            files.AddRange(created);
            notes.AddRange(accountNotes);
        }

        var hocon = AccountHoconWriter.NodeFile(Header(options, now, written.Count, notes.Count), texts);
        if (outFile is not null && written.Count > 0)
        {
            File.WriteAllText(outFile, hocon);
            if (Check(File.ReadAllText(outFile), outDirectory, outFile) is { } error)
            {
                throw new InvalidOperationException($"collector import wrote {outFile}, which the collector does not read: {error}");
            }
        }

        return new ImportReport(hocon, written, notes, files);
    }

    // Every file's accounts, in order; the files' own notes go to notes.
    private static List<PeerAccount> ReadPeers(ImportOptions options, List<ImportNote> notes)
    {
        var peers = new List<PeerAccount>();
        foreach (var file in options.Files)
        {
            var context = new ImportContext(file, options.Home);
            var text = File.ReadAllText(file);
            var config = options.Tool switch
            {
                PeerTool.Fetchmail => FetchmailrcParser.Parse(text, context),
                PeerTool.Getmail => GetmailrcParser.Parse(text, context, options.GetmailDirectory ?? context.Directory),
                _ => MpoprcParser.Parse(text, context),
            };
            notes.AddRange(config.Notes);
            peers.AddRange(config.Accounts);
        }

        return peers;
    }

    // The node file's header comment: what wrote it, from what, and what to do next.
    private static List<string> Header(ImportOptions options, DateTimeOffset now, int accounts, int notes) =>
    [
        $"Written by collector import {options.Tool.ToString().ToLowerInvariant()} at {now:yyyy-MM-dd HH:mm:ss}Z from {string.Join(", ", options.Files.Select(Path.GetFullPath))}.",
        $"{accounts} account(s); {notes} note(s) on what did not carry over (also printed by the import, and above each account).",
        "Check every account, then give this file to collector check --config, or copy its accounts into your node file.",
    ];

    [GeneratedRegex("[^A-Za-z0-9._-]+")]
    private static partial Regex NotIdCharacters();

    [GeneratedRegex("[^A-Z0-9]+")]
    private static partial Regex NotWord();

    private static string UniqueId(string name, HashSet<string> taken)
    {
        var id = NotIdCharacters().Replace(name, "-").Trim('-', '.', '_');
        if (id.Length == 0 || !char.IsAsciiLetterOrDigit(id[0]))
        {
            id = "imported-" + id;
        }

        id = id.Length > 60 ? id[..60] : id;
        var unique = id;
        for (var n = 2; taken.Contains(unique); n++)
        {
            unique = $"{id}-{n}";
        }

        return unique;
    }

    // The account's delivery as it will be written, after the command line filled what the peer's file lacked.
    private static (string? Mailbox, MultidropSettings? Multidrop, string? Problem) Delivery(PeerAccount peer, ImportOptions options, List<ImportNote> notes)
    {
        if (peer.Multidrop is { } multidrop)
        {
            if (multidrop.LocalDomains.Count == 0)
            {
                if (options.LocalDomains.Count == 0)
                {
                    return (null, null, "a multidrop account needs local-domains, and the peer's file names none: give --local-domains");
                }

                multidrop = multidrop with { LocalDomains = options.LocalDomains };
                notes.Add(new ImportNote(peer.Origin, $"multidrop local-domains taken from --local-domains: {string.Join(", ", options.LocalDomains)}"));
            }

            return multidrop.Destinations.Count == 0
                ? (null, null, "no user's delivery carried over, so the multidrop account has no destinations")
                : (null, multidrop, null);
        }

        if (peer.Mailbox is { } mailbox)
        {
            return (mailbox, null, null);
        }

        if (options.Mailbox is { } given)
        {
            notes.Add(new ImportNote(peer.Origin, $"its delivery did not carry over: mailbox {given} from --mailbox"));
            return (given, null, null);
        }

        return (null, null, "its delivery did not carry over (see the notes): give --mailbox SPEC, or add the account by hand");
    }

    private static string Password(PeerAccount peer, string id, ImportOptions options, string? sideDirectory, string outDirectory, List<ImportNote> notes, List<string> created)
    {
        var variable = PasswordVariable(id);
        if (peer.Password.Clear is { } clear)
        {
            if (options.ClearPasswords)
            {
                notes.Add(new ImportNote(peer.Origin, "the password is written in clear text in this file, as asked (--clear-passwords): keep the file private"));
                return "password = " + HoconText.Quote(clear.Reveal());
            }

            if (sideDirectory is not null)
            {
                var path = Path.Combine(sideDirectory, "passwords", id);
                WritePrivate(path, clear.Reveal() + "\n");
                created.Add(path);
                return "password-file = " + HoconText.Quote(Path.GetRelativePath(outDirectory, path));
            }

            notes.Add(new ImportNote(peer.Origin, $"the password is left out (HOCON went to standard output): set {variable}, or import with --out to get a password file"));
            return "password-env = " + HoconText.Quote(variable);
        }

        // The command itself is not repeated: some hold the password (passwordeval echo ...).
        notes.Add(new ImportNote(peer.Origin, peer.Password.Command is not null
            ? $"the peer ran a command for the password (passwordeval, password_command); the import does not run it: put its output in a password-file, or set {variable}"
            : $"no password in the peer's file: set {variable}, or replace password-env by a password-file"));
        return "password-env = " + HoconText.Quote(variable);
    }

    // The peer's UIDL state for this mailbox, as an imported-uidls seed: only for accounts that leave mail on the server
    // (with deletion on, what the old tool had fetched is gone, and a stale entry must never delete an unread message).
    private static string? Seed(PeerAccount peer, string id, ImportOptions options, string? sideDirectory, string outDirectory, List<ImportNote> notes, List<string> created)
    {
        if (peer.UidlState is not { } state)
        {
            return null;
        }

        var path = peer.UidlState.Tool == PeerTool.Fetchmail && options.IdFile is { } idfile ? idfile : state.Path;
        if (!File.Exists(path))
        {
            notes.Add(new ImportNote(peer.Origin, $"no UIDL state at {path}: the first collection fetches every message still on the server"));
            return null;
        }

        var (uidls, skipped) = PeerUidls.Read(state with { Path = path }, File.ReadAllText(path));
        if (skipped > 0)
        {
            notes.Add(new ImportNote(peer.Origin, $"{skipped} line(s) of {path} are not in {state.Tool.ToString().ToLowerInvariant()}'s format: skipped"));
        }

        if (uidls.Count == 0)
        {
            notes.Add(new ImportNote(peer.Origin, $"{path} holds no UIDL for {state.User} at {state.Server}: the first collection fetches every message still on the server"));
            return null;
        }

        if (!peer.LeaveMailOnServer)
        {
            notes.Add(new ImportNote(peer.Origin, $"{uidls.Count} UIDL(s) in {path} are not taken over: with leave-mail-on-server = off the collector deletes what it counts as collected, and only what it fetched itself may be deleted; messages still on the server are collected once more"));
            return null;
        }

        if (sideDirectory is null)
        {
            notes.Add(new ImportNote(peer.Origin, $"{uidls.Count} UIDL(s) in {path} are not taken over without --out (the seed is a file beside the node file)"));
            return null;
        }

        var seed = Path.Combine(sideDirectory, "uidls", id + ".uidls");
        WritePrivate(seed, new UidlSeed(peer.Server, peer.User, $"{state.Tool.ToString().ToLowerInvariant()} {path}", uidls).Format());
        created.Add(seed);
        return Path.GetRelativePath(outDirectory, seed);
    }

    private static void WritePrivate(string path, string text)
    {
        var directory = Path.GetDirectoryName(path)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var file = new StreamWriter(path, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), options);
        file.Write(text);
    }

    // The same parser as a node file: one account alone, or (given the file) the whole node file. Passwords left out
    // are read from variables that are not set here, so those read as a stand-in.
    private static string? Check(string text, string directory, string? file = null)
    {
        static string? Environment(string name) => name.StartsWith("COLLECTOR_PASSWORD_", StringComparison.Ordinal) ? "stand-in" : null;
        try
        {
            if (file is not null)
            {
                _ = CollectorConfigLoader.Load(file, Environment);
                return null;
            }

            var config = Akka.Configuration.ConfigurationFactory.ParseString("accounts = [\n" + text + "\n]");
            _ = AccountConfigParser.Parse(config.GetValue("accounts"), directory, Environment);
            return null;
        }
        catch (ConfigurationException e)
        {
            return e.Message.ReplaceLineEndings(" ");
        }
    }
}
