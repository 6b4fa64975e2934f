namespace CollectorCluster.Node.Web;

/// <summary>One console login of <c>collector.web.users</c>: a name and its <see cref="PasswordHash"/>, never a password.</summary>
/// <param name="Name">The login name.</param>
/// <param name="Hash">The stored hash (<c>pbkdf2-sha256$...</c>).</param>
public sealed record WebUser(string Name, string Hash)
{
    /// <summary>The name only: the hash stays out of logs.</summary>
    public override string ToString() => Name;
}
