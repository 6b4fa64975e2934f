using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CollectorCluster.ClusterTests;

/// <summary>
/// A private CA for a test cluster and the members' certificates it signs, written as PEM files (what deploy/README.md
/// makes with openssl): <c>ca.crt</c>, and per node <c>NAME.crt</c> with <c>NAME.key</c>. Made with .NET's own
/// certificate builder, so the tests need no openssl and touch no trust store.
/// </summary>
public sealed class ClusterCertificates
{
    private readonly string _directory;
    private readonly X509Certificate2 _ca;

    private ClusterCertificates(string directory, X509Certificate2 ca, string caPath)
    {
        _directory = directory;
        _ca = ca;
        CaPath = caPath;
    }

    /// <summary>The CA certificate (PEM).</summary>
    public string CaPath { get; }

    /// <summary>Creates a CA named <paramref name="name"/> in <paramref name="directory"/>.</summary>
    public static ClusterCertificates CreateCa(string directory, string name)
    {
        Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var path = Path.Combine(directory, name + ".crt");
        File.WriteAllText(path, ca.ExportCertificatePem());
        return new ClusterCertificates(directory, ca, path);
    }

    /// <summary>Issues a member certificate (server and client authentication) signed by this CA; returns its PEM paths.</summary>
    public (string Certificate, string PrivateKey) Issue(string node)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={node}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(node);
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var issued = request.Create(_ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7), RandomNumberGenerator.GetBytes(16));
        var certificate = Path.Combine(_directory, node + ".crt");
        var privateKey = Path.Combine(_directory, node + ".key");
        File.WriteAllText(certificate, issued.ExportCertificatePem());
        File.WriteAllText(privateKey, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(privateKey, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return (certificate, privateKey);
    }
}
