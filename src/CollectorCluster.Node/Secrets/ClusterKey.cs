using System.Security.Cryptography;
using System.Text;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Node.Configuration;

namespace CollectorCluster.Node.Secrets;

/// <summary>
/// The cluster key (<c>collector.secrets.key-file</c>): 256 bits, base64 on one line, the same file on every node of a
/// cluster. Secrets that rest in journals or travel between nodes are sealed with it (AES-GCM, fresh 96-bit nonce, the
/// account id as associated data so a sealed password cannot be moved to another account): an account's settings
/// reach whichever node hosts it without a plain secret on the wire. A single node creates the file (0600) on first
/// start; a node configured to join a cluster refuses to start without it, since a key of its own could open nothing
/// the others sealed. Keyed digests (HMAC-SHA256 under a key derived from it, never the sealing key itself) let journals
/// remember settings without holding them; they are the same on every node with the file.
/// </summary>
public sealed class ClusterKey : INodeSecrets
{
    private const int KeyBytes = 32;
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
    /// random key); otherwise a missing or malformed file is a <see cref="ConfigurationException"/> naming it.
    /// </summary>
    public static ClusterKey Load(string path, bool create)
    {
        path = System.IO.Path.GetFullPath(path);
        // An empty file is what a failed creation left before keys were written aside and renamed (a full or read-only
        // disk): no key ever came out of it, so nothing was sealed with it, and a single node may make a fresh one.
        var leftEmpty = create && File.Exists(path) && new FileInfo(path).Length == 0;
        if (!File.Exists(path) || leftEmpty)
        {
            if (!create)
            {
                throw new ConfigurationException(
                    $"collector.secrets.key-file: {path} does not exist. Every node of a cluster needs the same cluster key: create it once " +
                    "(umask 077; head -c 32 /dev/urandom | base64 > cluster.key) and copy that file to every node (deploy/README.md, \"The cluster key\")");
            }

            if (Create(path, replaceEmpty: leftEmpty) is { } created)
            {
                return created;
            }
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
    /// Writes a fresh key beside <paramref name="path"/> (0600), flushes it to disk and renames it into place, so a crash
    /// or a disk error never leaves a partial key under the name; null when another process created the file first.
    /// </summary>
    private static ClusterKey? Create(string path, bool replaceEmpty)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var fresh = RandomNumberGenerator.GetBytes(KeyBytes);
        var temporary = $"{path}.{Environment.ProcessId}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var file = new FileStream(temporary, options))
            {
                file.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(fresh) + "\n"));
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: replaceEmpty);
            return new ClusterKey(path, fresh);
        }
        catch (IOException) when (!replaceEmpty && File.Exists(path))
        {
            return null; // another process created it first: read theirs
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"collector.secrets.key-file: cannot create {path}: {e.Message}", e);
        }
        finally
        {
            DeleteQuietly(temporary); // gone already after the rename
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
