using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Event;
using Akka.Remote.Hosting;
using Akka.Remote.Transport.DotNetty;
using CollectorCluster.Node.Configuration;

namespace CollectorCluster.Node.Hosting;

/// <summary>
/// Mutual TLS on the cluster port (Akka.Remote's DotNetty transport): this node's certificate from its files, mutual
/// authentication required, and a validator that accepts a peer only when the cluster's private CA signed its
/// certificate (the system's trust store plays no part; host names are not checked, members are identified by
/// their CA-signed certificate). A refused peer is logged with its address and why.
/// </summary>
public static class ClusterTls
{
    /// <summary>Akka.Remote's SSL options for <paramref name="tls"/> (null when off); certificate problems are <see cref="ConfigurationException"/>s naming the file.</summary>
    public static SslOptions? Options(ClusterTlsOptions tls)
    {
        ArgumentNullException.ThrowIfNull(tls);
        if (!tls.Enabled)
        {
            return null;
        }

        var certificate = LoadCertificate(tls);
        var roots = LoadCa(tls.CaCertificate!);
        return new SslOptions
        {
            X509Certificate = certificate,
            SuppressValidation = false,
            RequireMutualAuthentication = true,
            ValidateCertificateHostname = false,
            CustomValidator = Validator(roots),
        };
    }

    /// <summary>Accepts a peer certificate only when it chains to one of <paramref name="roots"/>; logs every refusal.</summary>
    public static CertificateValidationCallback Validator(X509Certificate2Collection roots) => (certificate, chain, peer, errors, log) =>
    {
        if (certificate is null)
        {
            log.Warning("Cluster TLS: refused {0}: it presented no certificate (every member needs one signed by the cluster CA)", peer);
            return false;
        }

        using var trusted = new X509Chain();
        trusted.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        trusted.ChainPolicy.CustomTrustStore.AddRange(roots);
        trusted.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                trusted.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (trusted.Build(certificate))
        {
            return true;
        }

        var why = string.Join("; ", trusted.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        log.Warning("Cluster TLS: refused {0}: its certificate ({1}, issued by {2}) is not signed by the cluster CA{3}", peer, certificate.Subject, certificate.Issuer, why.Length > 0 ? ": " + why : "");
        return false;
    };

    private static X509Certificate2 LoadCertificate(ClusterTlsOptions tls)
    {
        try
        {
            if (tls.IsPkcs12)
            {
                var password = tls.PasswordFile is { } file ? File.ReadAllText(file).TrimEnd('\r', '\n') : null;
                return X509CertificateLoader.LoadPkcs12FromFile(tls.Certificate!, password);
            }

            // Re-imported as PKCS#12 so the TLS stack gets a certificate with its private key attached, on every platform.
            using var pem = X509Certificate2.CreateFromPemFile(tls.Certificate!, tls.PrivateKey);
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is CryptographicException or IOException or ArgumentException)
        {
            throw new ConfigurationException($"collector.cluster.tls.certificate: cannot load {tls.Certificate}{(tls.PrivateKey is null ? "" : " with " + tls.PrivateKey)}: {e.Message}", e);
        }
    }

    private static X509Certificate2Collection LoadCa(string path)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is CryptographicException or IOException)
        {
            throw new ConfigurationException($"collector.cluster.tls.ca-certificate: cannot load {path}: {e.Message}", e);
        }

        return roots.Count > 0 ? roots : throw new ConfigurationException($"collector.cluster.tls.ca-certificate: {path} holds no PEM certificate");
    }
}
