using Akka.Configuration;

namespace CollectorCluster.Node.Configuration;

/// <summary>
/// <c>collector.cluster.tls</c>: mutual TLS between members. Every member presents its own certificate, signed by the
/// cluster's private CA, and accepts a peer only when that CA signed the peer's certificate (in both directions), so
/// nothing without a certificate from that CA joins the cluster or sends a message to it. Paths are relative to the
/// node file; checked at load, so <c>collector check</c> reports a missing file.
/// </summary>
/// <param name="Enabled">TLS on the cluster port.</param>
/// <param name="Certificate">This node's certificate: PEM (with <paramref name="PrivateKey"/>) or PKCS#12 (<c>.p12</c>/<c>.pfx</c>).</param>
/// <param name="PrivateKey">The PEM private key of a PEM certificate; null with PKCS#12.</param>
/// <param name="PasswordFile">A file holding the PKCS#12 password (a trailing newline dropped); null: no password.</param>
/// <param name="CaCertificate">The cluster CA's certificate (PEM): the only issuer accepted.</param>
public sealed record ClusterTlsOptions(bool Enabled, string? Certificate, string? PrivateKey, string? PasswordFile, string? CaCertificate)
{
    /// <summary>Off.</summary>
    public static ClusterTlsOptions Off { get; } = new(false, null, null, null, null);

    /// <summary>True when the certificate is PKCS#12 rather than PEM.</summary>
    public bool IsPkcs12 => Certificate is { } c && (c.EndsWith(".p12", StringComparison.OrdinalIgnoreCase) || c.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads and checks the section; throws <see cref="ConfigurationException"/> naming the key.</summary>
    public static ClusterTlsOptions FromConfig(Config config, string directory)
    {
        const string section = "collector.cluster.tls";
        if (!config.GetBoolean($"{section}.enabled", false))
        {
            return Off;
        }

        string? File(string key, bool required)
        {
            var value = config.GetString($"{section}.{key}", "");
            if (string.IsNullOrWhiteSpace(value))
            {
                return required ? throw new ConfigurationException($"{section}.{key} is required when {section}.enabled = on") : null;
            }

            var path = Path.GetFullPath(value, directory);
            return System.IO.File.Exists(path) ? path : throw new ConfigurationException($"{section}.{key}: {path} does not exist");
        }

        var options = new ClusterTlsOptions(true, File("certificate", required: true), null, null, File("ca-certificate", required: true));
        return options.IsPkcs12
            ? options with { PasswordFile = File("password-file", required: false) }
            : options with { PrivateKey = File("private-key", required: true) };
    }
}
