using CollectorCluster.Core.Delivery;

namespace CollectorCluster.Delivery.Mda;

/// <summary>
/// A local delivery program (e.g. <c>/usr/lib/dovecot/dovecot-lda -d fred</c>, procmail, maildrop) as a
/// destination: each message is piped to a fresh process on its standard input, with Unix line endings as MDAs
/// expect. Exit 0 = delivered; 75 (EX_TEMPFAIL, sysexits.h) = try later; anything else = refused, with the
/// program's stderr in the error.
/// </summary>
public sealed class MdaDestination : IMessageDestination
{
    /// <summary>Creates the destination for <paramref name="command"/>.</summary>
    public MdaDestination(MdaCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        Command = command;
    }

    /// <summary>The program and arguments.</summary>
    public MdaCommand Command { get; }

    /// <inheritdoc />
    public string Description => $"{MailboxSpec.MdaScheme}:{Command}";

    /// <inheritdoc />
    /// <remarks>A program cannot say whether it already delivered a message: record each one right after exit 0.</remarks>
    public int? PreferredBatchMessages => 1;

    /// <inheritdoc />
    public Task<IDeliverySession> OpenAsync(MailboxScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentException.ThrowIfNullOrEmpty(scope.AccountId);
        return Task.FromResult<IDeliverySession>(new MdaDeliverySession(this, scope));
    }
}
