using System.Globalization;
using System.Net;
using System.Text;
using MailKit.Security;

namespace CollectorCluster.Pop3.Protocol;

/// <summary>
/// SASL OAUTHBEARER (RFC 7628 3.1) with the host and port given here: MailKit's own class takes them from a
/// <c>Uri</c> only its clients can set, and our exchange is our own. After the one response, an error challenge
/// is answered with ^A as the RFC requires, so the server then ends the exchange with -ERR.
/// </summary>
internal sealed class OAuthBearerMechanism : SaslMechanism
{
    private readonly string _host;
    private readonly int _port;

    public OAuthBearerMechanism(NetworkCredential credential, string host, int port)
        : base(credential)
    {
        _host = host;
        _port = port;
    }

    /// <inheritdoc />
    public override string MechanismName => "OAUTHBEARER";

    /// <inheritdoc />
    public override bool SupportsInitialResponse => true;

    /// <inheritdoc />
    protected override byte[] Challenge(byte[]? token, int startIndex, int length, CancellationToken cancellationToken)
    {
        if (IsAuthenticated)
        {
            return [0x01];
        }

        IsAuthenticated = true;
        var port = _port.ToString(CultureInfo.InvariantCulture);
        return Encoding.UTF8.GetBytes($"n,a={Credentials.UserName},\u0001host={_host}\u0001port={port}\u0001auth=Bearer {Credentials.Password}\u0001\u0001");
    }
}
