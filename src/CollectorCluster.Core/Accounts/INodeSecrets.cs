namespace CollectorCluster.Core.Accounts;

/// <summary>
/// What an account may do with the cluster key without holding it: seal a secret for the journal and open one
/// (<see cref="ISecretSealer"/>, the account id as associated data), and compute keyed digests (a keyed hash, so a
/// digest of settings that hold a password cannot be tested against guessed passwords by whoever reads the journal).
/// </summary>
public interface INodeSecrets : ISecretSealer
{
    /// <summary>A keyed digest of <paramref name="text"/>: stable for one cluster key, different under another.</summary>
    string Digest(string text);
}
