using System.Net.Security;
using CollectorCluster.Core.Delivery;

namespace CollectorCluster.Delivery.Smtp;

/// <summary>
/// An LMTP (RFC 2033) or SMTP (RFC 5321) server as a destination: the primary mail server every cluster node
/// reaches. One connection per collection session, reused for all its messages; the message streams from the POP3
/// reply into DATA through a fixed buffer. A 250 is the commit point, so the run records each message right after
/// it (<see cref="PreferredBatchMessages"/> = 1).
/// </summary>
public sealed class SmtpDestination : IMessageDestination
{
    private readonly RemoteCertificateValidationCallback? _certificateValidation;

    /// <summary>Creates the destination.</summary>
    /// <param name="options">Server, recipients, sender, TLS.</param>
    /// <param name="certificateValidation">Certificate check for STARTTLS; null uses the system trust store and host name.</param>
    /// <param name="clientName">Name given in LHLO/EHLO; the machine name when null.</param>
    public SmtpDestination(SmtpDestinationOptions options, RemoteCertificateValidationCallback? certificateValidation = null, string? clientName = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _certificateValidation = certificateValidation;
        ClientName = string.IsNullOrWhiteSpace(clientName) ? SafeMachineName() : clientName;
    }

    /// <summary>The checked options.</summary>
    public SmtpDestinationOptions Options { get; }

    /// <summary>The name this client gives in LHLO/EHLO.</summary>
    public string ClientName { get; }

    /// <inheritdoc />
    public string Description => Options.Description;

    /// <inheritdoc />
    /// <remarks>The server cannot say whether it already has a message: record each one right after its 250.</remarks>
    public int? PreferredBatchMessages => 1;

    /// <inheritdoc />
    /// <remarks>Connects lazily, at the first message: a session with nothing to collect costs the server nothing.</remarks>
    public Task<IDeliverySession> OpenAsync(MailboxScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentException.ThrowIfNullOrEmpty(scope.AccountId);
        return Task.FromResult<IDeliverySession>(new SmtpDeliverySession(this, scope, _certificateValidation));
    }

    private static string SafeMachineName()
    {
        var name = Environment.MachineName;
        return name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.') ? name : "localhost";
    }
}
