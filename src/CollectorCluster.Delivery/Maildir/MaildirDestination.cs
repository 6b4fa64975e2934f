using CollectorCluster.Core.Delivery;

namespace CollectorCluster.Delivery.Maildir;

/// <summary>
/// A Maildir (cr.yp.to/proto/maildir.html) as a destination: each message is written to tmp/, fsynced, and linked
/// into new/ under a name derived from the mailbox scope + UIDL (<see cref="MaildirNames"/>), so it appears whole or not
/// at all and a repeated delivery is recognised. Mail readers may later move it to cur/ as <c>name:2,FLAGS</c>.
/// </summary>
public sealed class MaildirDestination : IMessageDestination, IMirrorableDestination
{
    /// <summary>Our tmp/ files older than this are leftovers of a crash (the Maildir convention's 36 hours).</summary>
    public static readonly TimeSpan StaleTempAge = TimeSpan.FromHours(36);

    private readonly TimeProvider _time;

    /// <summary>Creates a destination for the Maildir at <paramref name="path"/> (created on first open if missing).</summary>
    /// <param name="path">Absolute path of the Maildir (the directory holding tmp/, new/ and cur/).</param>
    /// <param name="timeProvider">Clock for stale tmp/ cleanup; the system clock when null.</param>
    public MaildirDestination(string path, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!Path.IsPathFullyQualified(path))
        {
            throw new ArgumentException($"Maildir path '{path}' must be absolute.", nameof(path));
        }

        Root = Path.GetFullPath(path);
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The Maildir directory.</summary>
    public string Root { get; }

    /// <inheritdoc />
    public string Description => $"{MailboxSpec.MaildirScheme}:{Root}";

    /// <inheritdoc />
    /// <remarks>
    /// Creates tmp/, new/ and cur/ (mode 0700) when missing, removes our stale tmp/ files, and reads new/ and cur/
    /// once so <see cref="IDeliverySession.Contains"/> is a set look-up. Runs on the thread pool: directory
    /// scans of a large Maildir must not block the caller.
    /// </remarks>
    /// <exception cref="IOException">The Maildir cannot be created or read; the message names it and the account.</exception>
    public Task<IDeliverySession> OpenAsync(MailboxScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentException.ThrowIfNullOrEmpty(scope.AccountId);
        return Task.Run<IDeliverySession>(
            () => MaildirDeliverySession.Open(this, scope, _time.GetUtcNow().UtcDateTime, cancellationToken),
            cancellationToken);
    }

    /// <inheritdoc />
    public IReadOnlySet<string> Holding(MailboxScope scope, IReadOnlyCollection<string> keys) => new MaildirMirror(Root).Holding(scope, keys);

    /// <inheritdoc />
    public bool Remove(MailboxScope scope, string key) => new MaildirMirror(Root).Remove(scope, key);
}
