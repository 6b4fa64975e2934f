using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CollectorCluster.Pop3.Protocol;

/// <summary>
/// The server-certificate decision for one connection: a SHA-256 pin (of the DER) overrides everything,
/// otherwise default chain and host-name validation unless the operator opted out. It remembers why it refused,
/// because SslStream's own exception does not say, and names the certificate (subject, issuer, SHA-256 in the form
/// <c>certificate-sha256</c> takes), so an operator who has checked it can pin it.
/// </summary>
internal sealed class CertificatePolicy
{
    private readonly string _host;
    private readonly bool _verify;
    private readonly string? _pin;

    /// <summary>Builds the policy; <paramref name="pin"/> must already be normalised (see <see cref="NormalizePin"/>).</summary>
    public CertificatePolicy(string host, bool verify, string? pin)
    {
        _host = host;
        _verify = verify;
        _pin = pin;
    }

    /// <summary>Why the certificate was refused, or null when it was not (or not yet) refused.</summary>
    public string? Failure { get; private set; }

    /// <summary>Upper-case hex without separators, or null when the text is not a SHA-256 (64 hex digits).</summary>
    public static string? NormalizePin(string pin)
    {
        var hex = new string(pin.Where(c => c is not (':' or ' ' or '-')).ToArray()).ToUpperInvariant();
        return hex.Length == 64 && hex.All(Uri.IsHexDigit) ? hex : null;
    }

    /// <summary>The <see cref="RemoteCertificateValidationCallback"/>.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            Failure = $"server {_host} presented no certificate";
            return false;
        }

        var actual = Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()));
        if (_pin is not null)
        {
            if (string.Equals(actual, _pin, StringComparison.Ordinal))
            {
                return true;
            }

            Failure = $"certificate for {_host} does not match the pinned SHA-256: it presented {Describe(certificate)}, SHA-256 {actual}; if the server's certificate was renewed, confirm it out of band and set certificate-sha256 = \"{actual}\"";
            return false;
        }

        if (!_verify || errors == SslPolicyErrors.None)
        {
            return true;
        }

        Failure = $"certificate for {_host} not trusted: {errors}; it presented {Describe(certificate)}, SHA-256 {actual}; to accept exactly this certificate, confirm that fingerprint out of band and set certificate-sha256 = \"{actual}\"";
        return false;
    }

    /// <summary>Subject and issuer: server-chosen text, so sanitized.</summary>
    private static string Describe(X509Certificate certificate) =>
        $"subject \"{Pop3Text.Sanitize(certificate.Subject)}\" issued by \"{Pop3Text.Sanitize(certificate.Issuer)}\"";
}
