using CollectorCluster.Core.Accounts;

namespace CollectorCluster.Pop3.Tests;

/// <summary>Connect options pointing at a scripted server, with generous timeouts so only intended timeouts fire.</summary>
public static class TestOptions
{
    /// <summary>The password every script expects; asserted never to leak.</summary>
    public const string Password = "s3cret";

    /// <summary>Options for 127.0.0.1 (or <paramref name="host"/>) on the given port.</summary>
    public static Pop3ConnectOptions For(int port, AuthMethod auth = AuthMethod.UserPass, TlsMode tls = TlsMode.None, string host = "127.0.0.1", string user = "fred", string password = Password, TimeSpan? commandTimeout = null) =>
        new(host, port, tls, VerifyCertificate: true, CertificateSha256: null, user, new Secret(password), auth, TimeSpan.FromSeconds(20), commandTimeout ?? TimeSpan.FromSeconds(20));
}
