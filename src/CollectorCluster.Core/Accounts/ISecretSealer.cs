namespace CollectorCluster.Core.Accounts;

/// <summary>
/// Seals and opens secrets under the cluster key (<c>collector.secrets.key-file</c>, the same file on every node), so a
/// secret can rest in a journal or travel between nodes and only a member of the cluster can read it. The context
/// (the account id, or the id and the secret's name) is bound to the sealed form: a sealed secret cannot be moved to
/// another account or field.
/// </summary>
public interface ISecretSealer
{
    /// <summary>Seals <paramref name="secret"/> for <paramref name="context"/> (a fresh nonce each time).</summary>
    SealedPassword Seal(string context, Secret secret);

    /// <summary>Opens what <see cref="Seal"/> made for the same <paramref name="context"/>; throws naming the key when it cannot.</summary>
    Secret Open(string context, SealedPassword sealedSecret);
}
