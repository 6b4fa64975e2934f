using System.Security.Cryptography;
using System.Text;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Delivery.Maildir;
using CollectorCluster.Node.Configuration;

namespace CollectorCluster.Node.Secrets;

/// <summary>
/// The cluster key (<c>collector.secrets.key-file</c>): 256 bits, base64 on one line, the same file on every node of a
/// cluster. Secrets that rest in journals or travel between nodes are sealed with it (AES-GCM, fresh 96-bit nonce, the
/// account id as associated data so a sealed password cannot be moved to another account): an account's settings
/// reach whichever node hosts it without a plain secret on the wire. A single node creates the file (0600) on first
/// start; a node configured to join a cluster refuses to start without it, since a key of its own could open nothing
/// the others sealed. The file is written atomically (never seen partial); one a crash left empty or cut short is made
/// anew only while the journal holds no event at all. Keyed digests (HMAC-SHA256 under a key derived from it, never the
/// sealing key itself) let journals remember settings without holding them; they are the same on every node with the file.
/// </summary>
public sealed class ClusterKey : INodeSecrets
{
    private const int KeyBytes = 32;
    private const int KeyText = 44; // KeyBytes in base64, without the newline
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private readonly byte[] _key;
    private readonly byte[] _digestKey;

    private ClusterKey(string path, byte[] key)
    {
        Path = path;
        _key = key;
        _digestKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, key, KeyBytes, info: Encoding.ASCII.GetBytes("collector-cluster settings digest v1"));
        Id = Convert.ToHexStringLower(HMACSHA256.HashData(key, "collector-cluster-key-id"u8))[..12];
    }

    /// <summary>The key file, for error messages.</summary>
    public string Path { get; }

    /// <summary>A short, non-secret id of the key (an HMAC of a constant), logged at start so operators can compare nodes' keys.</summary>
    public string Id { get; }

    /// <summary>
    /// Reads the key file. When it is absent and <paramref name="create"/> (a single node), creates it (mode 0600, fresh
    /// random key); otherwise a missing or malformed file is a <see cref="ConfigurationException"/> naming it. A new key
    /// is on disk before this returns (written to a temporary file, fsynced, linked into place, the directory fsynced),
    /// so nothing is ever sealed under a key a crash can lose.
    /// </summary>
    /// <param name="path">The key file.</param>
    /// <param name="create">Whether this node may make the key (a single node); a node joining a cluster never does.</param>
    /// <param name="nothingSealedYet">
    /// Whether nothing sealed under a key can exist yet (the journal holds no event at all); asked only when the file is
    /// empty or cut short, which only a crash right after an older version created it leaves behind, and only when
    /// <paramref name="create"/>. True: the file is taken for absent. False or not given: it is refused with what to do.
    /// </param>
    public static ClusterKey Load(string path, bool create, Func<bool>? nothingSealedYet = null)
    {
        path = System.IO.Path.GetFullPath(path);
        if (!File.Exists(path) || IsIncompleteLeftover(path, create, nothingSealedYet))
        {
            if (!create)
            {
                throw new ConfigurationException(
                    $"collector.secrets.key-file: {path} does not exist. Every node of a cluster needs the same cluster key: create it once " +
                    "(umask 077; head -c 32 /dev/urandom | base64 > cluster.key) and copy that file to every node (deploy/README.md, \"The cluster key\")");
            }

            var fresh = RandomNumberGenerator.GetBytes(KeyBytes);
            if (WriteNew(path, Encoding.ASCII.GetBytes(Convert.ToBase64String(fresh) + "\n")))
            {
                return new ClusterKey(path, fresh);
            }

            // Another process created it first: read theirs.
        }

        string text;
        try
        {
            text = File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"collector.secrets.key-file: cannot read {path}: {e.Message}", e);
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(text);
        }
        catch (FormatException e)
        {
            throw new ConfigurationException($"collector.secrets.key-file: {path} is not a cluster key (expected 32 bytes in base64 on one line)", e);
        }

        return key.Length == KeyBytes
            ? new ClusterKey(path, key)
            : throw new ConfigurationException($"collector.secrets.key-file: {path} holds {key.Length} bytes, a cluster key has {KeyBytes}");
    }

    /// <summary>
    /// A key file holding nothing but NULs, white space or the start of a key (0 bytes, most often; NULs where the size
    /// reached the disk and the data did not): the key never reached the disk whole. True (after deleting it) when this
    /// node may make the key and nothing can have been sealed under it yet; otherwise refused, since a new key could open
    /// nothing sealed under the lost one and would differ from every other node's. False for anything else (read, and
    /// refused, as a key).
    /// </summary>
    private static bool IsIncompleteLeftover(string path, bool create, Func<bool>? nothingSealedYet)
    {
        string text;
        try
        {
            if (new FileInfo(path).Length > 4096)
            {
                return false; // not a key file at all: refused below as one
            }

            text = File.ReadAllText(path).Trim().Trim('\0').Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"collector.secrets.key-file: cannot read {path}: {e.Message}", e);
        }

        if (text.Length >= KeyText || !text.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '\0'))
        {
            return false;
        }

        var what = text.Length == 0 ? "empty" : "cut short";
        if (!create)
        {
            throw new ConfigurationException(
                $"collector.secrets.key-file: {path} is {what}: the cluster key never reached the disk whole, and a node that joins a cluster never makes "
                + "a key of its own. Copy the key file from another node of the cluster or a backup (deploy/README.md, \"The cluster key\")");
        }

        if (nothingSealedYet?.Invoke() != true)
        {
            throw new ConfigurationException(
                $"collector.secrets.key-file: {path} is {what}: the cluster key never reached the disk whole (a crash or a disk error "
                + "right after it was created), and the journal is not known to be empty, so secrets may have been sealed under the lost key and no new key is made "
                + "silently. Copy the key file from another node of the cluster or a backup; or delete the file to start with a new key (passwords of accounts "
                + "added at run time and rotated OAuth2 refresh tokens sealed under the lost key cannot be opened then: add those accounts again, store the "
                + "refresh tokens again)");
        }

        File.Delete(path);
        return true;
    }

    /// <summary>
    /// Writes a new key file atomically and durably: a temporary file (0600) written and fsynced, linked to
    /// <paramref name="path"/> only if nothing is there (never replacing another process's key), then the directory
    /// fsynced. False when another process created the file first.
    /// </summary>
    private static bool WriteNew(string path, byte[] content)
    {
        var directory = System.IO.Path.GetDirectoryName(path)!;
        var temporary = $"{path}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            Directory.CreateDirectory(directory);
            using (var file = new FileStream(temporary, options))
            {
                file.Write(content);
                file.Flush(flushToDisk: true);
            }

            switch (HardLink.TryCreate(temporary, path))
            {
                case LinkOutcome.Exists:
                    return false;
                case LinkOutcome.Unsupported:
                    try
                    {
                        File.Move(temporary, path, overwrite: false);
                    }
                    catch (IOException) when (File.Exists(path))
                    {
                        return false;
                    }

                    break;
            }

            DirectorySync.Sync(directory);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"collector.secrets.key-file: cannot create {path}: {e.Message}", e);
        }
        finally
        {
            DeleteQuietly(temporary);
        }
    }

    private static void DeleteQuietly(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only disk: the leftover is never read (keys are read only under their own name).
        }
    }

    /// <summary>Seals a secret for one context (the account id): a fresh nonce and the ciphertext with its tag, both base64.</summary>
    public SealedPassword Seal(string context, Secret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var plain = Encoding.UTF8.GetBytes(secret.Reveal());
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var sealedBytes = new byte[plain.Length + TagBytes];
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(0, plain.Length), sealedBytes.AsSpan(plain.Length), Encoding.UTF8.GetBytes(context));
        CryptographicOperations.ZeroMemory(plain);
        return new SealedPassword(Convert.ToBase64String(nonce), Convert.ToBase64String(sealedBytes));
    }

    /// <summary>Opens a sealed secret; a wrong key (or a tampered entry) is a <see cref="ConfigurationException"/> naming the key file and the account.</summary>
    public Secret Open(string context, SealedPassword sealedSecret)
    {
        ArgumentNullException.ThrowIfNull(sealedSecret);
        try
        {
            var nonce = Convert.FromBase64String(sealedSecret.Nonce);
            var sealedBytes = Convert.FromBase64String(sealedSecret.Ciphertext);
            if (nonce.Length != NonceBytes || sealedBytes.Length < TagBytes)
            {
                throw new CryptographicException("malformed sealed password");
            }

            var plain = new byte[sealedBytes.Length - TagBytes];
            using var aes = new AesGcm(_key, TagBytes);
            aes.Decrypt(nonce, sealedBytes.AsSpan(0, plain.Length), sealedBytes.AsSpan(plain.Length), plain, Encoding.UTF8.GetBytes(context));
            return new Secret(Encoding.UTF8.GetString(plain));
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            var account = context.Split('/')[0];
            throw new ConfigurationException(
                $"collector.secrets.key-file: the password of account '{account}' cannot be opened with the key in {Path} (a different key file than the node that added it?)", e);
        }
    }

    /// <summary>HMAC-SHA256 of <paramref name="text"/> under a key derived from the cluster key: comparable between nodes, revealing nothing without the key.</summary>
    public string Digest(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return "hmac-sha256:" + Convert.ToHexStringLower(HMACSHA256.HashData(_digestKey, Encoding.UTF8.GetBytes(text)));
    }
}
