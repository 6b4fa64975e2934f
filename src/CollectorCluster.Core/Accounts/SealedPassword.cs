namespace CollectorCluster.Core.Accounts;

/// <summary>A password as the journal keeps it: AES-GCM under the node key, never the plaintext.</summary>
/// <param name="Nonce">The 96-bit nonce, base64.</param>
/// <param name="Ciphertext">The ciphertext followed by its 128-bit tag, base64.</param>
public sealed record SealedPassword(string Nonce, string Ciphertext);
