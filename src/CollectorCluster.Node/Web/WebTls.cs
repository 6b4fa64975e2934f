using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CollectorCluster.Node.Configuration;

namespace CollectorCluster.Node.Web;

/// <summary>The web console's TLS certificate (<c>collector.web.tls</c>): PEM files, read at start.</summary>
/// <param name="CertificateFile">The certificate (chain) in PEM.</param>
/// <param name="KeyFile">Its private key in PEM (a secret file: keep it 0600).</param>
public sealed record WebTls(string CertificateFile, string KeyFile)
{
    /// <summary>Reads the certificate with its key; a missing or malformed file is a <see cref="ConfigurationException"/> naming the key.</summary>
    public X509Certificate2 Load()
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(CertificateFile, KeyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new ConfigurationException($"collector.web.tls: cannot read the certificate {CertificateFile} with its key {KeyFile}: {e.Message}", e);
        }
    }
}
