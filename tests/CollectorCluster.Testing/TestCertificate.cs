using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CollectorCluster.Testing;

/// <summary>
/// A throw-away self-signed RSA certificate for TLS tests: Dovecot serves it from PEM files, and tests pin it
/// by SHA-256 fingerprint exactly as production pins a server, so no system trust store is ever touched.
/// </summary>
public sealed class TestCertificate : IDisposable
{
    private static readonly Lazy<TestCertificate> SharedLocalhost = new(CreateLocalhost);

    private TestCertificate(X509Certificate2 certificate, string certificatePem, string privateKeyPem)
    {
        Certificate = certificate;
        CertificatePem = certificatePem;
        PrivateKeyPem = privateKeyPem;
        Sha256Fingerprint = Convert.ToHexString(SHA256.HashData(certificate.RawData));
    }

    /// <summary>The certificate with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The certificate as PEM ("BEGIN CERTIFICATE").</summary>
    public string CertificatePem { get; }

    /// <summary>The private key as PKCS#8 PEM ("BEGIN PRIVATE KEY").</summary>
    public string PrivateKeyPem { get; }

    /// <summary>Upper-case hex of SHA-256 over the certificate's DER bytes, no separators.</summary>
    public string Sha256Fingerprint { get; }

    /// <summary>Path of the certificate PEM once <see cref="WritePemFiles"/> ran.</summary>
    public string? CertificatePath { get; private set; }

    /// <summary>Path of the private key PEM once <see cref="WritePemFiles"/> ran.</summary>
    public string? PrivateKeyPath { get; private set; }

    /// <summary>
    /// One localhost certificate made once per test process (never disposed), for the many TLS tests that need a
    /// certificate but not a fresh one: creating an RSA key per test would only cost time.
    /// </summary>
    public static TestCertificate Shared => SharedLocalhost.Value;

    /// <summary>
    /// Creates a certificate for <c>localhost</c> (SAN DNS:localhost, IP:127.0.0.1), valid from yesterday for 30 days.
    /// Every call makes a new key, so two calls give two different fingerprints.
    /// </summary>
    public static TestCertificate CreateLocalhost() =>
        Create("localhost", ["localhost"], [IPAddress.Loopback]);

    /// <summary>
    /// Creates a certificate that is valid in form but belongs to nobody here (CN and SAN unrelated.invalid):
    /// the "wrong certificate" for pin-mismatch and host-name-mismatch tests.
    /// </summary>
    public static TestCertificate CreateUnrelated() =>
        Create("unrelated.invalid", ["unrelated.invalid"], []);

    /// <summary>Creates a self-signed RSA-2048 certificate with the given common name and SANs.</summary>
    public static TestCertificate Create(string commonName, IEnumerable<string> dnsNames, IEnumerable<IPAddress> ipAddresses)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commonName);
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={commonName}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        var san = new SubjectAlternativeNameBuilder();
        foreach (var dns in dnsNames)
        {
            san.AddDnsName(dns);
        }

        foreach (var ip in ipAddresses)
        {
            san.AddIpAddress(ip);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1")], false)); // serverAuth
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));

        var now = DateTimeOffset.UtcNow;
        using var ephemeral = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        // Reloaded from PKCS#12, so SslStream can serve it with its private key on every platform.
        var certificate = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pfx), null);
        return new TestCertificate(certificate, certificate.ExportCertificatePem(), rsa.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>Writes <c>cert.pem</c> and <c>key.pem</c> (mode 0600) into <paramref name="directory"/>.</summary>
    public (string CertificatePath, string PrivateKeyPath) WritePemFiles(string directory)
    {
        Directory.CreateDirectory(directory);
        var certPath = Path.Combine(directory, "cert.pem");
        var keyPath = Path.Combine(directory, "key.pem");
        File.WriteAllText(certPath, CertificatePem);
        File.WriteAllText(keyPath, PrivateKeyPem);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        CertificatePath = certPath;
        PrivateKeyPath = keyPath;
        return (certPath, keyPath);
    }

    /// <summary>True when <paramref name="presented"/> is this certificate (SHA-256 of DER matches).</summary>
    public bool Matches(X509Certificate? presented) =>
        presented is not null
        && string.Equals(Convert.ToHexString(SHA256.HashData(presented.GetRawCertData())), Sha256Fingerprint, StringComparison.Ordinal);

    /// <inheritdoc />
    public void Dispose() => Certificate.Dispose();
}
