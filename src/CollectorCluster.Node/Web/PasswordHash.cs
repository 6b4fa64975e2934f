using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CollectorCluster.Node.Web;

/// <summary>
/// The web console's stored passwords: PBKDF2 with HMAC-SHA-256 (<see cref="Rfc2898DeriveBytes.Pbkdf2(string, byte[], int, HashAlgorithmName, int)"/>),
/// a random 128-bit salt per user and <see cref="Iterations"/> iterations (OWASP's figure for PBKDF2-HMAC-SHA256),
/// written as <c>pbkdf2-sha256$ITERATIONS$SALT$HASH</c> (salt and hash in base64). <c>collector hash-password</c>
/// makes one; a node file holds only the hash, never the password. Verification compares in constant time.
/// </summary>
public static class PasswordHash
{
    /// <summary>The scheme's name, the first field.</summary>
    public const string Scheme = "pbkdf2-sha256";

    /// <summary>Iterations of a new hash.</summary>
    public const int Iterations = 600_000;

    /// <summary>The fewest iterations a stored hash may have (older, weaker hashes are refused at load).</summary>
    public const int MinIterations = 100_000;

    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>A new hash of <paramref name="password"/> with a fresh salt.</summary>
    public static string Create(string password, int iterations = Iterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Join('$', Scheme, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>Why <paramref name="encoded"/> is not a usable hash; null when it is.</summary>
    public static string? Problem(string encoded) => Parse(encoded).Problem;

    /// <summary>True when <paramref name="password"/> is the one <paramref name="encoded"/> was made from; false for a malformed hash too.</summary>
    public static bool Verify(string password, string encoded)
    {
        ArgumentNullException.ThrowIfNull(password);
        var (iterations, salt, hash, problem) = Parse(encoded);
        if (problem is not null)
        {
            return false;
        }

        var computed = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt!, iterations, HashAlgorithmName.SHA256, hash!.Length);
        return CryptographicOperations.FixedTimeEquals(computed, hash);
    }

    private static (int Iterations, byte[]? Salt, byte[]? Hash, string? Problem) Parse(string? encoded)
    {
        var parts = (encoded ?? "").Split('$');
        if (parts.Length != 4 || parts[0] != Scheme)
        {
            return (0, null, null, $"not a {Scheme}$ITERATIONS$SALT$HASH hash (collector hash-password makes one)");
        }

        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < MinIterations)
        {
            return (0, null, null, $"iterations must be a number of at least {MinIterations.ToString(CultureInfo.InvariantCulture)}");
        }

        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var hash = Convert.FromBase64String(parts[3]);
            return salt.Length >= SaltBytes && hash.Length == HashBytes
                ? (iterations, salt, hash, null)
                : (0, null, null, $"the salt must be at least {SaltBytes} bytes and the hash {HashBytes} bytes");
        }
        catch (FormatException)
        {
            return (0, null, null, "salt and hash must be base64");
        }
    }
}
