using CollectorCluster.Core.Accounts;

namespace CollectorCluster.Pop3;

/// <summary>
/// Everything needed to open one POP3 session, decoupled from the account record so the engine can be used
/// (and tested) without the rest of the settings. The password stays a <see cref="Secret"/>, so printing the
/// record never shows it.
/// </summary>
/// <param name="Host">Server host name or address (also the TLS host name checked).</param>
/// <param name="Port">TCP port.</param>
/// <param name="Tls">How the connection is secured; never downgraded.</param>
/// <param name="VerifyCertificate">Check chain and host name (ignored when a pin is set).</param>
/// <param name="CertificateSha256">Hex SHA-256 of the server certificate's DER; colons, spaces and case ignored.</param>
/// <param name="User">Login name.</param>
/// <param name="Password">The password.</param>
/// <param name="Auth">The single authentication method tried.</param>
/// <param name="ConnectTimeout">Bound on TCP connect, TLS handshake and greeting.</param>
/// <param name="CommandTimeout">Bound on each reply and on each read while a message streams.</param>
public sealed record Pop3ConnectOptions(
    string Host,
    int Port,
    TlsMode Tls,
    bool VerifyCertificate,
    string? CertificateSha256,
    string User,
    Secret Password,
    AuthMethod Auth,
    TimeSpan ConnectTimeout,
    TimeSpan CommandTimeout)
{
    /// <summary>What the server may send before the engine gives up on it (node-wide, <c>collector.pop3</c>).</summary>
    public Pop3Limits Limits { get; init; } = Pop3Limits.Default;

    /// <summary>The account's <c>max-message-size</c> (0 = none): a body running past it (plus slack) is cut off.</summary>
    public long MaxMessageSize { get; init; }

    /// <summary>What the session deadline measures the time waited on the server with (tests step it); the system clock by default.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Maps an account's settings one to one, so the account record stays the single source of truth.</summary>
    public static Pop3ConnectOptions FromAccount(AccountSettings account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return new Pop3ConnectOptions(
            account.Pop3Server,
            account.Port,
            account.Ssl,
            account.VerifyCertificate,
            account.CertificateSha256,
            account.Pop3Account,
            account.Password,
            account.Auth,
            account.ConnectTimeout,
            account.CommandTimeout)
        {
            MaxMessageSize = account.MaxMessageSize,
        };
    }

    /// <summary>"host:port", the form every error message uses.</summary>
    internal string Endpoint => $"{Host}:{Port}";
}
