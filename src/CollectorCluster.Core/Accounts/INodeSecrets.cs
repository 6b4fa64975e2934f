namespace CollectorCluster.Core.Accounts;

/// <summary>
/// What an account may do with the node key without holding it: seal a secret for the journal (AES-GCM, the account id
/// as associated data), open one, and compute keyed digests (a keyed hash, so a digest of settings that hold a
/// password cannot be tested against guessed passwords by whoever reads the journal).
/// </summary>
public interface INodeSecrets
{
    /// <summary>Seals <paramref name="secret"/> for <paramref name="accountId"/>.</summary>
    SealedPassword Seal(string accountId, Secret secret);

    /// <summary>Opens what <see cref="Seal"/> sealed for the same account.</summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">Another key sealed it, or it was tampered with.</exception>
    Secret Open(string accountId, SealedPassword sealedSecret);

    /// <summary>A keyed digest of <paramref name="text"/>: stable for one node key, different under another.</summary>
    string Digest(string text);
}
