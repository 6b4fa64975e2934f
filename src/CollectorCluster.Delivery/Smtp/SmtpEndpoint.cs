using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CollectorCluster.Delivery.Smtp;

/// <summary>Where the LMTP/SMTP server listens: <c>host:port</c>, <c>[v6]:port</c> or <c>unix:/path</c>.</summary>
/// <param name="Host">Host name or address; the socket path for a Unix socket.</param>
/// <param name="Port">TCP port; 0 for a Unix socket.</param>
/// <param name="IsUnixSocket">True for <c>unix:/path</c>.</param>
public sealed record SmtpEndpoint(string Host, int Port, bool IsUnixSocket)
{
    /// <summary>Parses <c>host:port</c>, <c>[::1]:port</c> or <c>unix:/absolute/path</c>.</summary>
    /// <exception cref="FormatException">The text is none of those (the message says what is wrong).</exception>
    public static SmtpEndpoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
        {
            var path = text[5..];
            if (!Path.IsPathFullyQualified(path))
            {
                throw new FormatException($"the socket path '{path}' must be absolute");
            }

            return new SmtpEndpoint(path, 0, true);
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0)
        {
            throw new FormatException($"'{text}' has no port (host:port)");
        }

        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            throw new FormatException($"write an IPv6 address in brackets: '[{host}]:port'");
        }

        if (host.Length == 0 || host.Any(c => char.IsWhiteSpace(c) || c is '/' or '?' or '@'))
        {
            throw new FormatException($"'{host}' is not a host name");
        }

        if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new FormatException($"port '{text[(colon + 1)..]}' is not a number from 1 to 65535");
        }

        return new SmtpEndpoint(host, port, false);
    }

    /// <summary>Opens a connected socket.</summary>
    internal async Task<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        if (IsUnixSocket)
        {
            var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await unix.ConnectAsync(new UnixDomainSocketEndPoint(Host), cancellationToken).ConfigureAwait(false);
                return unix;
            }
            catch
            {
                unix.Dispose();
                throw;
            }
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new DnsEndPoint(Host, Port), cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        IsUnixSocket ? $"unix:{Host}" : Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
