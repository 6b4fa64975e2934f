using System.Security.Cryptography;

namespace CollectorCluster.Testing;

/// <summary>
/// Secrets the tests make (mailbox passwords, passwords given to collectorctl, OAuth2 client secrets and refresh
/// tokens) all carry <see cref="Marker"/>, and every command-host token starts with <c>cctok_</c>: the secrets scan
/// after the suite (<c>scripts/test.sh</c>) finds any of them in what the suite kept (<see cref="TestArtifacts"/>)
/// by these two patterns alone, without a list of the secrets.
/// </summary>
public static class TestSecrets
{
    /// <summary>What every test secret starts with.</summary>
    public const string Marker = "ccsecret_";

    /// <summary>A fresh secret: the marker, <paramref name="label"/> (letters, digits, '-') and 64 random bits in hex.</summary>
    public static string Password(string label) => $"{Marker}{label}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
}
