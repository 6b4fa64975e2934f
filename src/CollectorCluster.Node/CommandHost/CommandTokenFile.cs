using System.Security.Cryptography;
using System.Text;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Wire;

namespace CollectorCluster.Node.CommandHost;

/// <summary>
/// The command host's generated token (<c>collector.command-host.token-file</c>): <c>cctok_</c> and 256 random bits
/// in base64url on one line, created at first start with mode 0600 and atomically (written whole under a temporary
/// name, then linked into place only if no file is there), so a reader never sees half a token and two nodes
/// starting at once agree on one.
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
            token = File.ReadAllText(path).Trim();
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

            var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            try
            {
                using (var file = new FileStream(temporary, options))
                {
                    file.Write(Encoding.ASCII.GetBytes(Generate() + "\n"));
                    file.Flush(flushToDisk: true);
                }

                // Without overwrite, a move fails when the target exists (link, then unlink): whoever was first wins.
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first: read theirs.
            }
            finally
            {
                File.Delete(temporary);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"collector.command-host.token-file: cannot create {path}: {e.Message}", e);
        }
    }
}
