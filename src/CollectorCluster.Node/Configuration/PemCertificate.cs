using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CollectorCluster.Node.Configuration;

/// <summary>
/// A listener's TLS certificate from PEM files, read at start (<c>collector.command-host.tls</c>,
/// <c>collector.web.tls</c>). collectorctl checks the command host's against the system's trust store, or pins it by
/// SHA-256 (the node logs the fingerprint at start).
/// </summary>
/// <param name="Section">The node-file section it was given in, named by errors.</param>
/// <param name="CertificateFile">The certificate (chain) in PEM.</param>
/// <param name="KeyFile">Its private key in PEM (a secret file: keep it 0600).</param>
public sealed record PemCertificate(string Section, string CertificateFile, string KeyFile)
{
    /// <summary>Reads the certificate with its key; a missing or malformed file is a <see cref="ConfigurationException"/> naming the section.</summary>
    public X509Certificate2 Load()
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(CertificateFile, KeyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new ConfigurationException($"{Section}: cannot read the certificate {CertificateFile} with its key {KeyFile}: {e.Message}", e);
        }
    }
}
