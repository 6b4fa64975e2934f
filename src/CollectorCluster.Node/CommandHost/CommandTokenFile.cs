using System.Security.Cryptography;
using System.Text;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Wire;

namespace CollectorCluster.Node.CommandHost;

/// <summary>
/// The command host's generated token (<c>collector.command-host.token-file</c>): <c>cctok_</c> and 256 random bits
/// in base64url on one line, created at first start with mode 0600 under an exclusive create (O_EXCL: exactly one
/// creator, whatever the file system; a move "without overwrite" is a check-then-rename on some, where 3 of 16 nodes
/// starting at once once read three tokens), and written in one write; a reader that finds the line not yet complete
/// reads again, briefly, so two nodes starting at once agree on one token.
/// </summary>
public static class CommandTokenFile
{
    /// <summary>Reads the token file, creating it when absent; an unreadable or malformed file is a <see cref="ConfigurationException"/> naming it.</summary>
    public static string LoadOrCreate(string path)
    {
        path = Path.GetFullPath(path);
        if (!File.Exists(path))
        {
            Create(path);
        }

        string token;
        try
        {
            token = ReadLine(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"collector.command-host.token-file: cannot read {path}: {e.Message}", e);
        }

        if (token.Length < CommandHostOptions.MinTokenLength || token.Any(c => c <= ' ' || c > '~'))
        {
            throw new ConfigurationException(
                $"collector.command-host.token-file: {path} does not hold a token (one line of at least {CommandHostOptions.MinTokenLength} printable characters); delete it and the node makes a new one");
        }

        return token;
    }

    /// <summary>A fresh token: the prefix and 256 random bits, base64url without padding.</summary>
    public static string Generate() =>
        CommandWire.TokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    // The line, once its creator has written it (a file just created by another node may be empty for a moment);
    // after a bounded wait whatever is there, which the caller refuses when it is not a token.
    private static string ReadLine(string path)
    {
        var text = File.ReadAllText(path);
        for (var attempt = 0; attempt < 200 && !text.EndsWith('\n'); attempt++)
        {
            Thread.Sleep(10);
            text = File.ReadAllText(path);
        }

        return text.Trim();
    }

    private static void Create(string path)
    {
        var directory = Path.GetDirectoryName(path)!;
        try
        {
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

            try
            {
                using var file = new FileStream(path, options);
                file.Write(Encoding.ASCII.GetBytes(Generate() + "\n"));
                file.Flush(flushToDisk: true);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another node created it first: read theirs.
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"collector.command-host.token-file: cannot create {path}: {e.Message}", e);
        }
    }
}
