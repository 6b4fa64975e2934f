using System.Security.Cryptography;
using System.Text;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Node.Configuration;

namespace CollectorCluster.Node.Secrets;

/// <summary>
/// The node key (<c>collector.secrets.key-file</c>): 256 bits, base64 on one line, created 0600 on first start.
/// Passwords added at run time are sealed with it (AES-GCM, the account id as associated data, so a sealed
/// password cannot be moved to another account) before they reach the journal, and so are refresh tokens an OAuth2
/// endpoint rotates. Keyed digests (HMAC-SHA256 under a key derived from it) let the journal remember settings without
/// holding them. Every node of a cluster needs the same file: a node opens what another sealed.
/// </summary>
public sealed class NodeKey : INodeSecrets
{
    private const int KeyBytes = 32;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private readonly byte[] _key;
    private readonly byte[] _digestKey;

    private NodeKey(string path, byte[] key)
    {
        Path = path;
        _key = key;
        _digestKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, key, KeyBytes, info: Encoding.ASCII.GetBytes("collector-cluster settings digest v1"));
    }

    /// <summary>The key file, for error messages.</summary>
    public string Path { get; }

    /// <summary>Reads the key file, creating it (mode 0600, fresh random key) when absent; a malformed file is a <see cref="ConfigurationException"/> naming it.</summary>
    public static NodeKey LoadOrCreate(string path)
    {
        path = System.IO.Path.GetFullPath(path);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            var fresh = RandomNumberGenerator.GetBytes(KeyBytes);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            try
            {
                using var file = new FileStream(path, options);
                file.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(fresh) + "\n"));
                return new NodeKey(path, fresh);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first: read theirs.
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
            throw new ConfigurationException($"collector.secrets.key-file: {path} is not a node key (expected 32 bytes in base64 on one line)", e);
        }

        return key.Length == KeyBytes
            ? new NodeKey(path, key)
            : throw new ConfigurationException($"collector.secrets.key-file: {path} holds {key.Length} bytes, a node key has {KeyBytes}");
    }

    /// <inheritdoc />
    SealedPassword INodeSecrets.Seal(string accountId, Secret secret) => Seal(accountId, secret);

    /// <inheritdoc />
    Secret INodeSecrets.Open(string accountId, SealedPassword sealedSecret) => Open(accountId, sealedSecret);

    /// <summary>HMAC-SHA256 of <paramref name="text"/> under a key derived from the node key (never the sealing key itself).</summary>
    public string Digest(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return "hmac-sha256:" + Convert.ToHexStringLower(HMACSHA256.HashData(_digestKey, Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Seals a password for one account: a fresh nonce and the ciphertext with its tag, both base64.</summary>
    public SealedPassword Seal(string accountId, Secret password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var plain = Encoding.UTF8.GetBytes(password.Reveal());
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var sealedBytes = new byte[plain.Length + TagBytes];
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(0, plain.Length), sealedBytes.AsSpan(plain.Length), Encoding.UTF8.GetBytes(accountId));
        CryptographicOperations.ZeroMemory(plain);
        return new SealedPassword(Convert.ToBase64String(nonce), Convert.ToBase64String(sealedBytes));
    }

    /// <summary>Opens a sealed password; a wrong key (or a tampered entry) is a <see cref="ConfigurationException"/> naming the key file and the account.</summary>
    public Secret Open(string accountId, SealedPassword sealedPassword)
    {
        ArgumentNullException.ThrowIfNull(sealedPassword);
        try
        {
            var nonce = Convert.FromBase64String(sealedPassword.Nonce);
            var sealedBytes = Convert.FromBase64String(sealedPassword.Ciphertext);
            if (nonce.Length != NonceBytes || sealedBytes.Length < TagBytes)
            {
                throw new CryptographicException("malformed sealed password");
            }

            var plain = new byte[sealedBytes.Length - TagBytes];
            using var aes = new AesGcm(_key, TagBytes);
            aes.Decrypt(nonce, sealedBytes.AsSpan(0, plain.Length), sealedBytes.AsSpan(plain.Length), plain, Encoding.UTF8.GetBytes(accountId));
            return new Secret(Encoding.UTF8.GetString(plain));
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            throw new ConfigurationException(
                $"collector.secrets.key-file: the password of account '{accountId}' cannot be opened with the key in {Path} (a different key file than the node that added it?)", e);
        }
    }
}
