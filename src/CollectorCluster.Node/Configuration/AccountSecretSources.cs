namespace CollectorCluster.Node.Configuration;

/// <summary>
/// Where the node file's accounts take their secrets from, read once at load so that the file's HOCON (passwords
/// included) is not kept for the warnings: each account's password file (resolved), and each secret written in the file.
/// </summary>
/// <param name="PasswordFiles">Account id and its <c>password-file</c>, resolved against the node file's directory.</param>
/// <param name="InFile">Secrets written in the node file itself, named (e.g. <c>account 'fred' password</c>), never their values.</param>
public sealed record AccountSecretSources(IReadOnlyList<(string Id, string Path)> PasswordFiles, IReadOnlyList<string> InFile)
{
    /// <summary>No accounts in the node file.</summary>
    public static readonly AccountSecretSources None = new([], []);
}
